"""The connections page and the connect form."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.intake.services import connection_account_config, connection_set
from kanalvakt.intake.tests.conftest import INSTANCE, TOKEN, make_account
from kanalvakt.organisations.models import User
from kanalvakt.register.models import Account


def test_list_shows_every_account_with_its_status(
    world: OrganisationWorld, mastodon_account: Account, x_account: Account, as_user: Any
) -> None:
    connection_set(
        actor=world.comms_lead,
        account=mastodon_account,
        access_token=TOKEN,
        base_url=INSTANCE,
        token_expires_at=timezone.now() + datetime.timedelta(days=2),
    )
    response = as_user(world.case_officer).get("/o/overkalix/anslutningar/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mastodon overkalix" in page
    assert "overkalixkommun" in page
    assert "ansluten" in page and "inte ansluten" in page
    assert "token går snart ut" in page
    assert TOKEN not in page


def test_another_organisation_gets_404(
    world: OrganisationWorld, mastodon_account: Account, outsider: User, as_user: Any
) -> None:
    client = as_user(outsider)
    assert client.get("/o/overkalix/anslutningar/").status_code == 404
    url = f"/o/overkalix/anslutningar/{mastodon_account.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"access_token": "x"}).status_code == 404
    assert not AccountConnection.objects.exists()


def test_account_of_another_organisation_is_404_under_own_slug(
    world: OrganisationWorld, other_world: OrganisationWorld, as_user: Any
) -> None:
    theirs = make_account(other_world, "mastodon", "degerfors", "1")
    response = as_user(world.comms_lead).get(f"/o/overkalix/anslutningar/{theirs.pk}/")
    assert response.status_code == 404


def test_responsible_connects_the_account_through_the_form(
    world: OrganisationWorld, mastodon_account: Account, as_user: Any
) -> None:
    url = f"/o/overkalix/anslutningar/{mastodon_account.pk}/"
    client = as_user(world.account_owner)
    response = client.post(
        url,
        {"access_token": TOKEN, "base_url": INSTANCE, "poll_enabled": "on"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Anslutningen är sparad." in page
    assert TOKEN not in page  # never shown again
    config = connection_account_config(mastodon_account)
    assert config is not None and config.access_token == TOKEN


def test_form_without_a_token_says_what_is_missing(
    world: OrganisationWorld, mastodon_account: Account, as_user: Any
) -> None:
    url = f"/o/overkalix/anslutningar/{mastodon_account.pk}/"
    response = as_user(world.comms_lead).post(url, {"base_url": INSTANCE})
    assert response.status_code == 400
    assert "Ange en åtkomsttoken" in response.content.decode()


def test_a_member_without_the_right_cannot_connect(
    world: OrganisationWorld, mastodon_account: Account, as_user: Any
) -> None:
    url = f"/o/overkalix/anslutningar/{mastodon_account.pk}/"
    client = as_user(world.publisher)
    page = client.get(url).content.decode()
    assert "Bara kommunikationschefen eller kontots ansvariga" in page
    assert client.post(url, {"access_token": TOKEN}).status_code == 403


def test_alert_is_visible_on_the_account_and_escaped(
    world: OrganisationWorld, mastodon_account: Account, as_user: Any
) -> None:
    connection = connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    AccountConnection.objects.filter(pk=connection.pk).update(
        alert=AlertState.EXPIRED,
        alert_message="<script>alert(1)</script>",
        alert_since=timezone.now(),
        last_error="<b>401</b>",
    )
    client = as_user(world.account_owner)
    detail = client.get(f"/o/overkalix/anslutningar/{mastodon_account.pk}/").content.decode()
    assert 'role="alert"' in detail
    assert "token har gått ut eller underkänts" in detail
    assert "Byt åtkomsttoken" in detail
    assert "<script>alert(1)</script>" not in detail
    assert "&lt;script&gt;" in detail
    listing = client.get("/o/overkalix/anslutningar/").content.decode()
    assert "stoppad tills token är bytt" in listing
    assert "<b>401</b>" not in listing


def test_alert_partial_for_the_account_page(
    world: OrganisationWorld, mastodon_account: Account
) -> None:
    from django.template import Context, Template

    template = Template("{% load intake %}{% connection_alert account %}")
    assert template.render(Context({"account": mastodon_account})).strip() == ""
    connection_set(
        actor=world.comms_lead,
        account=mastodon_account,
        access_token=TOKEN,
        base_url=INSTANCE,
        token_expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    html = template.render(Context({"account": mastodon_account}))
    assert "token går snart ut" in html
    assert f"/o/overkalix/anslutningar/{mastodon_account.pk}/" in html


def test_list_queries_do_not_grow_with_the_accounts(
    world: OrganisationWorld, mastodon_account: Account, as_user: Any
) -> None:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    client = as_user(world.comms_lead)
    connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    with CaptureQueriesContext(db) as few:
        client.get("/o/overkalix/anslutningar/")
    for n in range(4):
        extra = make_account(world, "bluesky", f"konto{n}.bsky.social", f"did:plc:{n}")
        connection_set(actor=world.comms_lead, account=extra, access_token=TOKEN)
    with CaptureQueriesContext(db) as many:
        response = client.get("/o/overkalix/anslutningar/")
    assert response.content.decode().count("badge-green") == 5
    assert len(many) == len(few)


def test_poll_now_makes_the_account_due(
    world: OrganisationWorld, mastodon_account: Account, as_user: Any
) -> None:
    from kanalvakt.intake.services import connections_enqueue_due

    connection = connection_set(
        actor=world.comms_lead, account=mastodon_account, access_token=TOKEN, base_url=INSTANCE
    )
    later = timezone.now() + datetime.timedelta(hours=1)
    AccountConnection.objects.filter(pk=connection.pk).update(next_poll_at=later)
    client = as_user(world.account_owner)
    url = f"/o/overkalix/anslutningar/{mastodon_account.pk}/"
    assert "Hämta nu" in client.get(url).content.decode()
    response = client.post(url + "hamta/", follow=True)
    assert "Kontot hämtas inom en minut." in response.content.decode()
    connection.refresh_from_db()
    assert connection.next_poll_at is not None and connection.next_poll_at <= timezone.now()
    assert as_user(world.publisher).post(url + "hamta/").status_code == 403
    assert connections_enqueue_due() == 1
