"""Organisation-scoped reads. Another organisation's objects answer 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from kanalvakt.organisations.models import Membership, Organisation, User


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def get_organisation_for_user(request: HttpRequest, slug: str) -> Organisation:
    """The organisation by slug if the logged-in user is a member of it, else 404."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    organisation = Organisation.objects.filter(slug=slug, memberships__user=user).first()
    if organisation is None:
        raise Http404
    return organisation


def member_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "unit")
        .order_by("user__last_name", "user__first_name", "role")
    )


def users_with_role(*, organisation: Organisation, role: str) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=organisation, memberships__role=role
    ).distinct()
