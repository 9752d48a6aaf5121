"""Who may do what in an organisation, by role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kanalvakt.organisations.models import Membership, Organisation, Role, User


def roles_of(user: User, organisation: Organisation) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def has_role(user: User, organisation: Organisation, *roles: Role) -> bool:
    return bool(roles_of(user, organisation) & {str(role) for role in roles})


def require_role(user: User, organisation: Organisation, *roles: Role) -> None:
    """Raise PermissionDenied unless the user holds one of the roles in the organisation."""
    if not has_role(user, organisation, *roles):
        names = ", ".join(str(role.label) for role in roles)
        raise PermissionDenied(
            _("Kräver rollen %(roles)s i %(organisation)s.")
            % {"roles": names, "organisation": organisation}
        )


def require_member(user: User, organisation: Organisation) -> None:
    if not roles_of(user, organisation):
        raise PermissionDenied(
            _("%(name)s är inte med i %(organisation)s.")
            % {"name": user, "organisation": organisation}
        )
