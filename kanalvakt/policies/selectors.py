"""Reads for the policy pages: versions and who has acknowledged the policy in force."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from kanalvakt.organisations.models import Organisation, User
from kanalvakt.policies.models import PolicyAcknowledgement, PolicyVersion


@dataclass(frozen=True)
class AcknowledgementRow:
    user: User
    acknowledged_at: datetime.datetime | None


def acknowledgement_rows(
    *, organisation: Organisation, policy_version: PolicyVersion
) -> list[AcknowledgementRow]:
    """Every member of the organisation, with when they acknowledged the version (or None)."""
    members = (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    acknowledged = dict(
        PolicyAcknowledgement.objects.filter(
            organisation=organisation, policy_version=policy_version
        ).values_list("user_id", "acknowledged_at")
    )
    return [AcknowledgementRow(user, acknowledged.get(user.pk)) for user in members]


def policy_version_list(*, organisation: Organisation) -> QuerySet[PolicyVersion]:
    """Versions of the pack in force for the organisation; every version when none is chosen.

    Policy versions are public documents, not organisation data; the list is
    narrowed only to what concerns the organisation.
    """
    versions = PolicyVersion.objects.order_by("pack_id", "-adopted_on", "-loaded_at")
    if organisation.policy_version is not None:
        versions = versions.filter(pack_id=organisation.policy_version.pack_id)
    return versions
