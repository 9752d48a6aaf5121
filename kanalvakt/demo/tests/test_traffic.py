"""Demo traffic fills the demo organisations' inboxes through the ordinary ingest."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from conftest import OrganisationWorld
from kanalvakt.demo.traffic import FI, SV, demo_traffic_generate
from kanalvakt.inbox import schedule
from kanalvakt.inbox.models import Delivery, DeliverySource, InboxEntry, Item
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.tests.factories import entered_account

pytestmark = pytest.mark.django_db


def test_demo_traffic_is_ingested_and_processed(
    world: OrganisationWorld, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    use_pack(world.organisation, "overkalix")
    entered_account(world, platform="facebook", staffed=True)
    entered_account(world, platform="x", staffed=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = demo_traffic_generate(count=12, slugs=("overkalix",), seed=7)
    assert (result.messages, result.accounts) == (12, 2)
    comments = Item.objects.filter(by_account=False)
    assert comments.count() == 12
    assert {item.text for item in comments} <= set(SV) | set(FI)
    assert set(Delivery.objects.values_list("source", flat=True)) == {DeliverySource.DEMO}
    # Processed like any webhook item: each has an entry, answers go under the posts.
    assert InboxEntry.objects.filter(item__in=comments).count() == 12
    assert all(item.parent_external_id for item in comments)


def test_command_reports_what_it_did(world: OrganisationWorld) -> None:
    entered_account(world, staffed=True)
    out = StringIO()
    call_command("demo_traffic", "--count", "3", "--org", "overkalix", "--seed", "1", stdout=out)
    assert "3 meddelanden" in out.getvalue()


def test_the_periodic_job_is_off_unless_the_demo_asks(settings: Any) -> None:
    settings.DEMO_TRAFFIC = False
    assert "demo_traffic" not in {job.name for job in importlib.reload(schedule).SCHEDULE}
    settings.DEMO_TRAFFIC = True
    assert "demo_traffic" in {job.name for job in importlib.reload(schedule).SCHEDULE}
    settings.DEMO_TRAFFIC = False
    importlib.reload(schedule)
