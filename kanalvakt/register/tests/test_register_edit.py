"""Issue 10 item 10: an account's admins change its register entry; the register shows when."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.register.models import Account
from kanalvakt.register.services import account_admin_add, account_register_update
from kanalvakt.register.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(world: OrganisationWorld) -> Account:
    account: Account = AccountFactory.create(
        organisation=world.organisation,
        unit=world.unit,
        responsible=world.account_owner,
        status="active",
    )
    return account


def test_an_account_admin_edits_the_register_entry_and_it_is_audited(
    world: OrganisationWorld, account: Account, client: Client
) -> None:
    account_admin_add(actor=world.comms_lead, account=account, user=world.publisher)
    client.force_login(world.publisher)
    url = reverse("register:register_edit", kwargs={"slug": "overkalix", "pk": account.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "display_name": "Biblioteket",
            "url": "https://www.facebook.com/biblioteket",
            "purpose": "Nyheter från biblioteket",
            "audience": "Låntagare",
            "purpose_fi": "",
            "audience_fi": "",
            "languages": ["sv", "fi"],
            "contact": "bibliotek@example.se",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.purpose == "Nyheter från biblioteket"
    assert account.register_changed_at is not None
    event = AuditEvent.objects.filter(event_type="account.updated").latest("sequence")
    assert event.data["new"]["purpose"] == "Nyheter från biblioteket"
    public = client.get(reverse("register:public", kwargs={"slug": "overkalix"})).content.decode()
    assert "Uppgifterna ändrade" in public
    assert timezone.localdate().isoformat() in public


def test_an_empty_purpose_is_refused_with_an_error_summary(
    world: OrganisationWorld, account: Account, client: Client
) -> None:
    client.force_login(world.comms_lead)
    url = reverse("register:register_edit", kwargs={"slug": "overkalix", "pk": account.pk})
    response = client.post(url, {"display_name": "X", "purpose": "", "languages": ["sv"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert 'href="#id_purpose"' in body


def test_others_may_not_edit(world: OrganisationWorld, account: Account, client: Client) -> None:
    with pytest.raises(PermissionDenied):
        account_register_update(actor=world.registrar, account=account, purpose="Annat")
    client.force_login(world.registrar)
    url = reverse("register:register_edit", kwargs={"slug": "overkalix", "pk": account.pk})
    assert client.get(url).status_code == 403
