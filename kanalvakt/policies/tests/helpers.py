"""What tests in many apps do with the policy packs in `POLICY_PACK_DIR`."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.services import organisation_select_policy
from kanalvakt.policies.models import PolicyVersion
from kanalvakt.policies.services import policy_version_load


def use_pack(organisation: Organisation, pack_id: str) -> PolicyVersion:
    """Load the pack `<pack_id>.yaml` and make it the organisation's policy."""
    version = policy_version_load(
        actor=None, path=Path(settings.POLICY_PACK_DIR) / f"{pack_id}.yaml"
    )
    organisation_select_policy(actor=None, organisation=organisation, policy_version=version)
    organisation.refresh_from_db()
    return version
