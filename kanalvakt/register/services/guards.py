"""Checks every register write makes before it changes anything."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.register.models import (
    Account,
)


def require_same_organisation(organisation: Organisation, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "organisation_id", organisation.pk) != organisation.pk:
            raise PermissionDenied(_("Objektet tillhör en annan organisation."))


def require_account_manager(actor: User, account: Account) -> None:
    """The comms lead, and the account's own responsible person, manage an account."""
    if actor.pk == account.responsible_id:
        return
    require_role(actor, account.organisation, Role.COMMS_LEAD)
