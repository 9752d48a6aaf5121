from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kanalvakt.audit.services import audit_verify_chain
from kanalvakt.organisations.models import Organisation
from kanalvakt.register.selectors import account_rows


@pytest.mark.django_db
def test_demo_seeds_five_organisations_with_breaches_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    assert "demo / kanalvakt-demo" in out
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert slugs == {"skelleftea-kraft", "overkalix", "degerfors", "kyrkslatt", "exempel"}
    for organisation in Organisation.objects.all():
        assert organisation.policy_version is not None
        assert organisation.policy_version.pack_id == organisation.slug
        rows = account_rows(organisation=organisation, today=timezone.localdate())
        assert len({row.account.platform for row in rows}) >= 3
        assert any(not row.warnings for row in rows), organisation.slug
        if organisation.slug == "exempel":
            # The generic template says nothing about admins, substitutes,
            # mandates or profiles, so there is nothing to breach.
            assert not any(row.warnings for row in rows)
        else:
            assert any(row.warnings for row in rows), organisation.slug

    call_command("demo")
    assert "fanns redan" in capsys.readouterr().out
    assert Organisation.objects.count() == 5
    assert audit_verify_chain().intact


@pytest.mark.django_db
def test_demo_login_reaches_overkalix(client: Client) -> None:
    call_command("demo")
    assert client.login(username="demo", password="kanalvakt-demo")
    response = client.get("/o/overkalix/")
    assert response.status_code == 200
    assert "overkalixbibliotek" in response.content.decode()


@pytest.mark.django_db
def test_running_the_demo_again_adds_nothing(
    settings: Any,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from kanalvakt.demo.standin.addresses import standin_public_url
    from kanalvakt.inbox.models import OPEN_STATES, InboxEntry, Item
    from kanalvakt.intake.models import AccountConnection
    from kanalvakt.register.models import Account

    settings.STANDIN_ENABLED = True
    settings.SITE_URL = "http://127.0.0.1:8123"
    settings.OUTBOUND_ALLOW_HOSTS = ["127.0.0.1:8123", "127.0.0.1:8124"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo")
        call_command("demo_traffic", "--up-to", "30", "--seed", "5")
    first = capsys.readouterr().out
    assert "30 meddelanden" in first
    connected = AccountConnection.objects.count()
    assert connected == Account.objects.filter(status="active").exclude(platform="tiktok").count()
    mastodon = AccountConnection.objects.get(
        account__platform="mastodon", account__handle="overkalix@mastodon.nu"
    )
    assert mastodon.base_url == "http://127.0.0.1:8123/standin/mastodon"
    assert not mastodon.poll_enabled
    assert mastodon.account.url == standin_public_url(
        "http://127.0.0.1:8123", "mastodon", "overkalix@mastodon.nu"
    )
    items = Item.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo")
        call_command("demo_traffic", "--up-to", "30")
    again = capsys.readouterr().out
    assert "0 konton anslutna" in again and "0 meddelanden" in again
    assert Item.objects.count() == items
    assert AccountConnection.objects.count() == connected

    # The first fill spread the deadlines: Överkalix (48 hours) has overdue and due soon.
    now = timezone.now()
    open_entries = InboxEntry.objects.filter(state__in=OPEN_STATES, due_at__isnull=False)
    assert open_entries.filter(due_at__lte=now).exists()
    assert open_entries.filter(organisation__slug="overkalix", due_at__gt=now).exists()

    # Another port: the connections follow it, nothing else changes.
    settings.SITE_URL = "http://127.0.0.1:8124"
    call_command("demo")
    assert "konton anslutna" in capsys.readouterr().out
    mastodon.refresh_from_db()
    assert mastodon.base_url == "http://127.0.0.1:8124/standin/mastodon"
