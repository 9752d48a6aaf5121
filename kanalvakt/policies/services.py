"""Writes to policy versions and acknowledgements (REG-8, REG-9)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.models import EventType
from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.organisations.permissions import require_member
from kanalvakt.policies.models import PolicyAcknowledgement, PolicyVersion
from kanalvakt.policies.validation import validate_pack_file


class PolicyPackInvalid(ValidationError):
    """A pack file failed validation; `pack_errors` holds every error found."""

    def __init__(self, path: Path, errors: list[str]) -> None:
        self.pack_errors = errors
        super().__init__(
            [f"Policypaketet {path} är ogiltigt och lästes inte in ({len(errors)} fel)."] + errors
        )


def _date(text: object) -> datetime.date | None:
    if not isinstance(text, str) or not text:
        return None
    return datetime.date.fromisoformat(text)


def _same_content(existing: PolicyVersion, sha256: str, path: Path) -> PolicyVersion:
    if existing.sha256 == sha256:
        return existing
    raise ValidationError(
        _(
            "Policypaketet '%(pack)s' version %(version)s är redan inläst med annat innehåll "
            "(%(path)s). En ändrad policy ska ha ett nytt versionsnummer."
        )
        % {"pack": existing.pack_id, "version": existing.version, "path": path}
    )


@transaction.atomic
def policy_version_ensure(*, actor: User | None, path: Path) -> tuple[PolicyVersion, bool]:
    """Load a pack file as a version unless that exact content is loaded already.

    Returns the version and whether it was created now. Refuses an invalid pack,
    and a file whose content differs from what was loaded under the same pack
    id and version string: a changed policy needs a new version.
    """
    parsed = validate_pack_file(path)
    if not parsed.valid or parsed.document is None:
        raise PolicyPackInvalid(path, [str(error) for error in parsed.errors])
    document = parsed.document
    pack_id, version_name = str(document["pack"]), str(document["version"])
    existing = PolicyVersion.objects.filter(pack_id=pack_id, version=version_name).first()
    if existing is not None:
        return _same_content(existing, parsed.sha256, path), False
    source = document["source"]
    version = PolicyVersion(
        pack_id=pack_id,
        version=version_name,
        title=str(document["title"]),
        organisation_name=str(document["organisation"]),
        adopted_by=str(source.get("adopted_by", "")),
        adopted_on=_date(source.get("adopted_on")),
        decision=str(source.get("decision", "")),
        owner=str(source.get("owner", "")),
        document=document,
        sha256=parsed.sha256,
    )
    version.full_clean()
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:
        # Another process loaded the same pack and version in the meantime.
        existing = PolicyVersion.objects.get(pack_id=pack_id, version=version_name)
        return _same_content(existing, parsed.sha256, path), False
    audit_record(
        actor=actor,
        organisation=None,
        event_type=EventType.POLICY_LOADED,
        target=version,
        data={
            "pack": pack_id,
            "version": version_name,
            "sha256": parsed.sha256,
            "file": path.name,
            "source_file": source["file"],
        },
    )
    return version, True


def policy_version_load(*, actor: User | None, path: Path) -> PolicyVersion:
    """Validate a pack file and load it as a policy version; the same content loads once."""
    version, _created = policy_version_ensure(actor=actor, path=path)
    return version


@transaction.atomic
def policy_acknowledge(
    *, actor: User, organisation: Organisation, policy_version: PolicyVersion
) -> PolicyAcknowledgement:
    """The actor confirms having read the organisation's policy in force (REG-9).

    Acknowledging twice changes nothing and records nothing new.
    """
    require_member(actor, organisation)
    if organisation.policy_version_id != policy_version.pk:
        raise ValidationError(
            _(
                "%(version)s är inte den policy som gäller för %(organisation)s; "
                "bara den gällande policyn kan kvitteras."
            )
            % {"version": policy_version, "organisation": organisation}
        )
    existing = PolicyAcknowledgement.objects.filter(
        organisation=organisation, user=actor, policy_version=policy_version
    ).first()
    if existing is not None:
        return existing
    acknowledgement = PolicyAcknowledgement(
        organisation=organisation,
        user=actor,
        policy_version=policy_version,
        acknowledged_at=timezone.now(),
    )
    acknowledgement.full_clean()
    acknowledgement.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=EventType.POLICY_ACKNOWLEDGED,
        target=acknowledgement,
        data={"pack": policy_version.pack_id, "version": policy_version.version},
    )
    return acknowledgement
