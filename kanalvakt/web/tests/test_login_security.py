"""Issue 11, finding 6: sign-in throttling, password change and reset, the admin's gate."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, OrganisationWorld

LOGIN = "/logga-in/"
WRONG = "fel-lösenord"
NEW = "ett-nytt-långt-lösenord-9"


def _attempt(username: str, password: str, *, address: str, path: str = LOGIN) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.post(path, {"username": username, "password": password})
    return client


def _signs_in(username: str, password: str, *, address: str) -> int:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password})
    return response.status_code


def test_an_account_is_locked_after_five_failures_from_any_addresses(
    world: OrganisationWorld,
) -> None:
    name = world.case_officer.username
    for n in range(5):
        _attempt(name, WRONG, address=f"198.51.100.{n + 1}")
    client = Client(REMOTE_ADDR="198.51.100.77")
    response = client.post(LOGIN, {"username": name, "password": PASSWORD})
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected from a fresh address.
    assert _signs_in(world.registrar.username, PASSWORD, address="198.51.100.78") == 302


def test_an_address_is_locked_after_five_failures_on_any_accounts(
    world: OrganisationWorld,
) -> None:
    for n in range(5):
        _attempt(f"gissning{n}", WRONG, address="203.0.113.9")
    assert _signs_in(world.registrar.username, PASSWORD, address="203.0.113.9") == 429
    assert _signs_in(world.registrar.username, PASSWORD, address="203.0.113.10") == 302


def test_the_admin_login_is_throttled_too(world: OrganisationWorld) -> None:
    for _n in range(5):
        _attempt(world.manager.username, WRONG, address="127.0.0.1", path="/admin/login/")
    client = Client(REMOTE_ADDR="127.0.0.1")
    response = client.post(
        "/admin/login/", {"username": world.manager.username, "password": PASSWORD}
    )
    assert response.status_code == 429


def test_each_further_lock_out_lasts_twice_as_long(world: OrganisationWorld) -> None:
    name = world.case_officer.username
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(5):
            _attempt(name, WRONG, address=f"198.51.100.{n + 1}")
        assert _signs_in(name, PASSWORD, address="198.51.100.50") == 429
        clock.move_to(start + datetime.timedelta(minutes=16))
        for n in range(5):
            _attempt(name, WRONG, address=f"198.51.100.{n + 10}")
        assert _signs_in(name, PASSWORD, address="198.51.100.51") == 429
        clock.move_to(start + datetime.timedelta(minutes=32))
        assert _signs_in(name, PASSWORD, address="198.51.100.52") == 429
        clock.move_to(start + datetime.timedelta(minutes=47))
        assert _signs_in(name, PASSWORD, address="198.51.100.53") == 302


def test_a_signed_in_person_changes_their_password(world: OrganisationWorld) -> None:
    client = Client()
    client.force_login(world.registrar)
    page = client.get("/konto/losenord/")
    assert page.status_code == 200 and "Byt lösenord" in page.content.decode()
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "ett-nytt-långt-lösenord-9",
            "new_password2": "ett-nytt-långt-lösenord-9",
        },
        follow=True,
    )
    assert "Lösenordet är bytt" in response.content.decode()
    world.registrar.refresh_from_db()
    assert world.registrar.check_password("ett-nytt-långt-lösenord-9")


def test_a_forgotten_password_is_reset_through_a_link_by_e_mail(
    world: OrganisationWorld, settings: object
) -> None:
    client = Client()
    page = client.get("/glomt-losenord/").content.decode()
    assert "Glömt lösenordet?" in page
    response = client.post("/glomt-losenord/", {"email": world.registrar.email}, follow=True)
    assert "Kolla din e-post" in response.content.decode()
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    assert world.registrar.username in body
    link = re.search(r"http\S+/aterstall/\S+/", body)
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert "Välj ett nytt lösenord" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "ett-nytt-långt-lösenord-9",
            "new_password2": "ett-nytt-långt-lösenord-9",
        },
        follow=True,
    )
    assert "Lösenordet är bytt" in done.content.decode()
    assert (
        _signs_in(world.registrar.username, "ett-nytt-långt-lösenord-9", address="10.9.9.9") == 302
    )


def test_an_unknown_address_gets_the_same_answer_and_no_mail(world: OrganisationWorld) -> None:
    response = Client().post("/glomt-losenord/", {"email": "ingen@example.org"}, follow=True)
    assert "Kolla din e-post" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(("address", "status"), [("127.0.0.1", 302), ("203.0.113.5", 404)])
def test_the_admin_answers_only_to_the_configured_networks(
    db: None, address: str, status: int
) -> None:
    assert Client(REMOTE_ADDR=address).get("/admin/").status_code == status


def test_the_admin_networks_come_from_the_setting(db: None, settings: object) -> None:
    settings.ADMIN_ALLOWED_NETWORKS = ["203.0.113.0/24"]  # type: ignore[attr-defined]
    assert Client(REMOTE_ADDR="203.0.113.5").get("/admin/").status_code == 302
    assert Client(REMOTE_ADDR="127.0.0.1").get("/admin/").status_code == 404


def test_the_admin_refuses_requests_through_a_proxy_it_was_not_told_about(
    db: None, settings: object
) -> None:
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert proxied.get("/admin/").status_code == 404
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    assert proxied.get("/admin/").status_code == 404  # the person is at 203.0.113.7
    inside = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert inside.get("/admin/").status_code == 302


def test_behind_a_proxy_each_client_is_throttled_on_its_own_address(
    world: OrganisationWorld, settings: object
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]

    def via_proxy(client_address: str, spoofed: str = "") -> Client:
        forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for n in range(5):
        via_proxy("203.0.113.9", spoofed=f"10.0.0.{n}").post(
            LOGIN, {"username": f"gissning{n}", "password": WRONG}
        )
    locked = via_proxy("203.0.113.9").post(
        LOGIN, {"username": world.registrar.username, "password": PASSWORD}
    )
    assert locked.status_code == 429
    other = via_proxy("198.51.100.20").post(
        LOGIN, {"username": world.registrar.username, "password": PASSWORD}
    )
    assert other.status_code == 302


def test_reset_mails_are_limited_per_address_and_per_client(world: OrganisationWorld) -> None:
    client = Client(REMOTE_ADDR="198.51.100.30")
    for _n in range(5):
        assert client.post("/glomt-losenord/", {"email": world.registrar.email}).status_code == 302
    refused = client.post("/glomt-losenord/", {"email": world.registrar.email})
    assert refused.status_code == 429
    assert "För många begäranden om nytt lösenord" in refused.content.decode()
    assert len(mail.outbox) == 5
    other = Client(REMOTE_ADDR="198.51.100.31")
    assert other.post("/glomt-losenord/", {"email": world.registrar.email}).status_code == 429
    assert other.post("/glomt-losenord/", {"email": world.manager.email}).status_code == 302
