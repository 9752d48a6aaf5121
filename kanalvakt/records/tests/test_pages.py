"""Every records page: the registrar sees it, other people of the organisation are refused,
another organisation gets 404; and what the records pages say."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.records.tests.conftest import Receive
from kanalvakt.register.models import Account

PAGES = [
    "/o/overkalix/diarium/",
    "/o/overkalix/diarium/diarieforda/",
    "/o/overkalix/ogonblicksbilder/",
    "/o/overkalix/gallring/",
    "/o/overkalix/begaran/",
    "/o/overkalix/arkivpaket/",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_for_registrar_publisher_and_outsider(
    overkalix: OrganisationWorld, outsider: object, client: Client, path: str
) -> None:
    client.force_login(overkalix.registrar)
    assert client.get(path).status_code == 200
    client.force_login(overkalix.publisher)
    assert client.get(path).status_code == 403
    client.force_login(outsider)  # type: ignore[arg-type]
    assert client.get(path).status_code == 404
    client.logout()
    assert client.get(path).status_code == 302


def test_before_major_change_button_queues_a_capture(
    overkalix: OrganisationWorld, account: Account, client: Client
) -> None:
    client.force_login(overkalix.account_owner)
    response = client.post(f"/o/overkalix/konton/{account.pk}/ogonblicksbild/", follow=True)
    assert "Ögonblicksbilden tas inom kort" in response.content.decode()
    client.force_login(overkalix.publisher)
    assert client.post(f"/o/overkalix/konton/{account.pk}/ogonblicksbild/").status_code == 403


def test_half_year_job_is_in_the_schedule() -> None:
    from django.tasks import Task
    from django.utils.module_loading import import_string

    from kanalvakt.records.schedule import SCHEDULE

    job = next(j for j in SCHEDULE if j.name == "records_snapshots_half_yearly")
    assert job.effective_cron() == "15 6 * * *"
    assert isinstance(import_string(job.task), Task)


def test_records_actions_are_in_the_audit_chain(
    overkalix: OrganisationWorld, receive: Receive, client: Client
) -> None:
    from kanalvakt.audit.services import audit_verify_chain
    from kanalvakt.records.models import Registration

    registration = Registration.objects.get(item=receive("Det är fel, vägen är dålig."))
    client.force_login(overkalix.registrar)
    client.post(f"/o/overkalix/diarium/{registration.pk}/registrera/", {})
    client.get("/o/overkalix/diarium/export.csv")
    client.post("/o/overkalix/gallring/", {"action": "hold", "reason": "Tvist", "account": ""})
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        "record.registration_decided",
        "record.series_created",
        "record.registered",
        "record.exported",
        "record.hold_placed",
    } <= events
    assert audit_verify_chain().intact
