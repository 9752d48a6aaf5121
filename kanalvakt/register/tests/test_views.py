from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.register.models import Account, AccountRequest, AccountStatus, Mandate
from kanalvakt.register.services import account_request_close, account_update

pytestmark = pytest.mark.django_db


def org_urls(account: Account, mandate: Mandate, request: AccountRequest) -> list[tuple[str, str]]:
    """(method, url) for every organisation-scoped page of the register."""
    slug = account.organisation.slug
    admin = account.admins.first()
    step = request.steps.first()
    assert admin is not None and step is not None
    return [
        ("get", reverse("register:organisation", kwargs={"slug": slug})),
        ("get", reverse("register:request_open", kwargs={"slug": slug})),
        ("post", reverse("register:request_open", kwargs={"slug": slug})),
        ("get", reverse("register:account", kwargs={"slug": slug, "pk": account.pk})),
        ("post", reverse("register:admin_add", kwargs={"slug": slug, "pk": account.pk})),
        (
            "post",
            reverse(
                "register:admin_remove",
                kwargs={"slug": slug, "pk": account.pk, "admin_pk": admin.pk},
            ),
        ),
        ("post", reverse("register:substitute", kwargs={"slug": slug, "pk": account.pk})),
        ("post", reverse("register:security", kwargs={"slug": slug, "pk": account.pk})),
        ("post", reverse("register:profile", kwargs={"slug": slug, "pk": account.pk})),
        ("post", reverse("register:request_close", kwargs={"slug": slug, "pk": account.pk})),
        ("get", reverse("register:request", kwargs={"slug": slug, "pk": request.pk})),
        (
            "post",
            reverse(
                "register:request_step",
                kwargs={"slug": slug, "pk": request.pk, "step_pk": step.pk},
            ),
        ),
        ("post", reverse("register:request_reject", kwargs={"slug": slug, "pk": request.pk})),
        ("get", reverse("register:mandates", kwargs={"slug": slug})),
        ("post", reverse("register:mandates", kwargs={"slug": slug})),
        ("post", reverse("register:mandate_revoke", kwargs={"slug": slug, "pk": mandate.pk})),
    ]


@pytest.fixture
def close_request(world: OrganisationWorld, compliant_account: Account) -> AccountRequest:
    return account_request_close(
        actor=world.account_owner, account=compliant_account, reason="Passivt"
    )


def test_another_organisation_gets_404_on_every_url(
    client: Client,
    compliant_account: Account,
    close_request: AccountRequest,
    outsider: Any,
) -> None:
    mandate = compliant_account.mandates.get()
    client.force_login(outsider)
    urls = org_urls(compliant_account, mandate, close_request)
    for method, url in urls:
        response = getattr(client, method)(url, {"reason": "x", "note": "x"})
        assert response.status_code == 404, (method, url)
    # And nothing changed.
    compliant_account.refresh_from_db()
    assert compliant_account.status == AccountStatus.CLOSING
    assert compliant_account.admins.count() == 3


def test_another_organisation_gets_404_with_its_own_ids_in_our_slug(
    client: Client, compliant_account: Account, other_world: OrganisationWorld
) -> None:
    # A member of both organisations' URLs cannot reach one organisation's
    # account through the other's address.
    client.force_login(other_world.comms_lead)
    url = reverse("register:account", kwargs={"slug": "degerfors", "pk": compliant_account.pk})
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, compliant_account: Account) -> None:
    url = reverse("register:organisation", kwargs={"slug": "overkalix"})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_overview_lists_accounts_with_warnings(
    client: Client, world: OrganisationWorld, account: Account, compliant_account: Account
) -> None:
    client.force_login(world.comms_lead)
    response = client.get(reverse("register:organisation", kwargs={"slug": "overkalix"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "overkalixkommun" in body
    assert "Testpolicy" in body


def test_overview_query_count_does_not_grow_with_accounts(
    client: Client,
    world: OrganisationWorld,
    compliant_account: Account,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    from kanalvakt.register.tests.factories import AccountFactory

    client.force_login(world.comms_lead)
    url = reverse("register:organisation", kwargs={"slug": "overkalix"})
    client.get(url)
    with django_assert_max_num_queries(20):
        client.get(url)
    AccountFactory.create_batch(
        10, organisation=world.organisation, unit=world.unit, responsible=world.account_owner
    )
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_account_page_shows_what_it_lacks(
    client: Client, world: OrganisationWorld, account: Account
) -> None:
    client.force_login(world.account_owner)
    url = reverse("register:account", kwargs={"slug": "overkalix", "pk": account.pk})
    response = client.get(url)
    body = response.content.decode()
    assert "Kontot har 0 administratörer; policyn kräver minst 2." in body
    assert "Ingen ersättare är utsedd" in body
    assert "Källa: Testpolicy, Administrera konto" in body
    assert "001_a3d89b8332877af7.txt" not in body  # the file name is for administrators


def test_comment_like_text_is_escaped(
    client: Client, world: OrganisationWorld, account: Account
) -> None:
    account_update(actor=world.comms_lead, account=account, purpose="<script>alert('x')</script>")
    client.force_login(world.comms_lead)
    for url in (
        reverse("register:account", kwargs={"slug": "overkalix", "pk": account.pk}),
        reverse("register:public", kwargs={"slug": "overkalix"}),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert" in body


def test_manager_grants_a_mandate_through_the_page(
    client: Client, world: OrganisationWorld, account: Account
) -> None:
    client.force_login(world.manager)
    url = reverse("register:mandates", kwargs={"slug": "overkalix"})
    response = client.post(
        url,
        {
            "holder": world.publisher.pk,
            "accounts": [account.pk],
            "scope": "Publicera nyheter om fritid",
            "anchored_with": "Förvaltningschef Eva Ek",
            "anchored_on": "2026-11-01",
            "valid_from": "2026-11-02",
            "valid_until": "2027-11-01",
        },
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert mandate.granted_by == world.manager
    page = client.get(url).content.decode()
    assert "Förvaltningschef Eva Ek" in page

    revoke = reverse("register:mandate_revoke", kwargs={"slug": "overkalix", "pk": mandate.pk})
    client.post(revoke, {"reason": "Byter tjänst"})
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None


def test_publisher_cannot_grant_mandates(
    client: Client, world: OrganisationWorld, account: Account
) -> None:
    client.force_login(world.publisher)
    url = reverse("register:mandates", kwargs={"slug": "overkalix"})
    response = client.post(
        url,
        {
            "holder": world.publisher.pk,
            "accounts": [account.pk],
            "scope": "Allt",
            "anchored_with": "Mig själv",
            "anchored_on": "2026-11-01",
            "valid_from": "2026-11-02",
        },
        follow=True,
    )
    assert "Kräver rollen" in response.content.decode()
    assert not Mandate.objects.exists()


def test_open_request_through_the_pages(
    client: Client, world: OrganisationWorld, policy: object
) -> None:
    client.force_login(world.account_owner)
    response = client.post(
        reverse("register:request_open", kwargs={"slug": "overkalix"}),
        {
            "unit": world.unit.pk,
            "platform": "instagram",
            "handle": "overkalix_fritid",
            "display_name": "Fritid i Överkalix",
            "url": "https://www.instagram.com/overkalix_fritid",
            "need": "Unga nås inte via webben.",
            "goals": "Fler unga hittar aktiviteter.",
            "audience": "Unga 13–19 år",
            "content": "Aktiviteter och öppettider.",
            "responsible": world.account_owner.pk,
            "contact": "fritid@overkalix.se",
            "languages": ["sv"],
        },
    )
    request = AccountRequest.objects.get()
    assert response["Location"] == reverse(
        "register:request", kwargs={"slug": "overkalix", "pk": request.pk}
    )
    step = request.steps.get(key="manager_approval")
    step_url = reverse(
        "register:request_step", kwargs={"slug": "overkalix", "pk": request.pk, "step_pk": step.pk}
    )
    client.post(step_url, {"note": ""})
    step.refresh_from_db()
    assert step.done_at is None  # the account owner may not approve

    client.force_login(world.manager)
    page = client.get(response["Location"]).content.decode()
    assert "Markera som klart" in page
    client.post(step_url, {"note": "OK"})
    step.refresh_from_db()
    assert step.done_by == world.manager


@pytest.fixture
def public_accounts(world: OrganisationWorld, compliant_account: Account) -> Account:
    from kanalvakt.register.tests.factories import AccountFactory

    AccountFactory.create(
        organisation=world.organisation,
        unit=world.unit,
        handle="hemligt_planerat",
        status=AccountStatus.REQUESTED,
        opened_on=None,
    )
    return compliant_account


def test_public_register_needs_no_login_and_hides_requested_accounts(
    client: Client, public_accounts: Account
) -> None:
    response = client.get("/register/overkalix/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "overkalixkommun" in body
    assert "hemligt_planerat" not in body
    assert "Senast ändrad" in body
    assert 'lang="sv"' in body


def test_public_exports_hold_exactly_what_the_page_shows(
    client: Client, public_accounts: Account
) -> None:
    data = client.get("/register/overkalix.json").json()
    assert data["organisation"] == "Överkalix kommun"
    assert data["last_changed"] == timezone.now().date().isoformat()
    [row] = data["accounts"]
    assert row["handle"] == "overkalixkommun"
    assert row["responsible"] == "Anna Nilsson"
    assert [c["label"] for c in data["columns"]][:3] == ["Plattform", "Namn", "Kontonamn"]

    response = client.get("/register/overkalix.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [c["label"] for c in data["columns"]]
    assert rows[1] == [row[c["key"]] for c in data["columns"]]

    page = client.get("/register/overkalix/").content.decode()
    for value in row.values():
        if value:
            assert value in page


def test_csv_cells_cannot_become_formulas(
    client: Client, world: OrganisationWorld, public_accounts: Account
) -> None:
    account_update(actor=world.comms_lead, account=public_accounts, purpose="=HYPERLINK(1)")
    response = client.get("/register/overkalix.csv")
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_public_register_of_unknown_organisation_is_404(client: Client, db: None) -> None:
    assert client.get("/register/finns-inte/").status_code == 404
    assert client.get("/register/finns-inte.json").status_code == 404


def test_public_register_in_finnish_where_the_organisation_publishes_in_finnish(
    client: Client, public_accounts: Account, world: OrganisationWorld
) -> None:
    organisation = world.organisation
    organisation.public_languages = ["sv", "fi"]
    organisation.save(update_fields=["public_languages"])
    unit = public_accounts.unit
    unit.name_fi = "Kunnanhallinto"
    unit.save(update_fields=["name_fi"])
    page = client.get("/register/overkalix/?sprak=fi").content.decode()
    assert 'lang="fi"' in page
    assert "Kunnanhallinto" in page
    data = client.get("/register/overkalix.json?sprak=fi").json()
    assert data["language"] == "fi"
    assert data["accounts"][0]["unit"] == "Kunnanhallinto"
    # A language the organisation does not publish in falls back to its first.
    assert client.get("/register/overkalix.json?sprak=de").json()["language"] == "sv"
