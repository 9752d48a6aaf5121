"""Loading packs as versions and acknowledging the policy in force."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent, EventType
from kanalvakt.organisations.models import User
from kanalvakt.organisations.services import organisation_select_policy
from kanalvakt.policies.models import PolicyAcknowledgement, PolicyVersion
from kanalvakt.policies.services import (
    PolicyPackInvalid,
    policy_acknowledge,
    policy_version_load,
)

BROKEN = Path(__file__).resolve().parent / "packs"


def events(event_type: EventType) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


@pytest.mark.django_db
def test_loading_a_pack_stores_its_decision_and_owner(policy_dir: Path) -> None:
    version = policy_version_load(actor=None, path=policy_dir / "overkalix.yaml")
    assert version.pack_id == "overkalix"
    assert version.version == "2013-11-25.2"
    assert version.adopted_on == datetime.date(2013, 11, 25)
    assert version.decision == "Kommunfullmäktige 2013-11-25"
    assert version.owner.startswith("Informationschefen")
    assert version.organisation_name == "Överkalix kommun"
    assert version.pack.value("moderation.deadline_hours") == 48
    assert events(EventType.POLICY_LOADED) == 1


@pytest.mark.django_db
def test_the_same_file_loads_once(policy_dir: Path) -> None:
    first = policy_version_load(actor=None, path=policy_dir / "degerfors.yaml")
    again = policy_version_load(actor=None, path=policy_dir / "degerfors.yaml")
    assert again.pk == first.pk
    assert PolicyVersion.objects.count() == 1
    assert events(EventType.POLICY_LOADED) == 1


@pytest.mark.django_db
def test_changed_content_under_the_same_version_is_refused(
    policy_dir: Path, tmp_path: Path
) -> None:
    original = policy_version_load(actor=None, path=policy_dir / "overkalix.yaml")
    text = (policy_dir / "overkalix.yaml").read_text(encoding="utf-8")
    changed = tmp_path / "overkalix.yaml"
    changed.write_text(text.replace("value: 90\n", "value: 120\n"), encoding="utf-8")
    with pytest.raises(ValidationError, match="nytt versionsnummer"):
        policy_version_load(actor=None, path=changed)
    assert list(PolicyVersion.objects.all()) == [original]
    assert original.pack.value("accounts.passive_after_days") == 90
    # The same change under a new version string loads as a second version.
    changed.write_text(
        text.replace("value: 90\n", "value: 120\n").replace(
            'version: "2013-11-25.2"', 'version: "2013-11-25-b"'
        ),
        encoding="utf-8",
    )
    second = policy_version_load(actor=None, path=changed)
    assert second.pack.value("accounts.passive_after_days") == 120
    assert PolicyVersion.objects.count() == 2


@pytest.mark.django_db
def test_an_invalid_pack_is_refused_with_its_errors_and_stores_nothing() -> None:
    with pytest.raises(PolicyPackInvalid) as refused:
        policy_version_load(actor=None, path=BROKEN / "bad-value.yaml")
    assert any("rules.accounts.min_admins.value" in line for line in refused.value.pack_errors)
    assert "ogiltigt" in refused.value.messages[0]
    assert PolicyVersion.objects.count() == 0
    assert events(EventType.POLICY_LOADED) == 0


@pytest.mark.django_db
def test_load_policies_loads_every_pack_once(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_policies")
    assert sorted(PolicyVersion.objects.values_list("pack_id", flat=True)) == [
        "degerfors",
        "exempel",
        "kyrkslatt",
        "overkalix",
        "skelleftea-kraft",
    ]
    call_command("load_policies")
    assert PolicyVersion.objects.count() == 5
    assert capsys.readouterr().out.count("redan inläst") == 5


@pytest.mark.django_db
def test_load_policies_fails_on_a_broken_directory(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError):
        call_command("load_policies", str(BROKEN))
    assert PolicyVersion.objects.count() == 0
    assert "bad-value.yaml:8: rules.accounts.min_admins.value" in capsys.readouterr().err


@pytest.fixture
def in_force(world: OrganisationWorld, policy_dir: Path) -> PolicyVersion:
    version = policy_version_load(actor=None, path=policy_dir / "overkalix.yaml")
    organisation_select_policy(
        actor=world.comms_lead, organisation=world.organisation, policy_version=version
    )
    world.organisation.refresh_from_db()
    return version


def test_a_member_acknowledges_the_policy_once(
    world: OrganisationWorld, in_force: PolicyVersion
) -> None:
    first = policy_acknowledge(
        actor=world.publisher, organisation=world.organisation, policy_version=in_force
    )
    again = policy_acknowledge(
        actor=world.publisher, organisation=world.organisation, policy_version=in_force
    )
    assert again.pk == first.pk
    assert PolicyAcknowledgement.objects.filter(user=world.publisher).count() == 1
    assert events(EventType.POLICY_ACKNOWLEDGED) == 1
    event = AuditEvent.objects.get(event_type=EventType.POLICY_ACKNOWLEDGED)
    assert event.actor == world.publisher
    assert event.organisation == world.organisation


def test_someone_from_another_organisation_cannot_acknowledge(
    world: OrganisationWorld, in_force: PolicyVersion, outsider: User
) -> None:
    with pytest.raises(PermissionDenied):
        policy_acknowledge(actor=outsider, organisation=world.organisation, policy_version=in_force)
    assert PolicyAcknowledgement.objects.count() == 0


def test_only_the_policy_in_force_can_be_acknowledged(
    world: OrganisationWorld, in_force: PolicyVersion, policy_dir: Path
) -> None:
    other = policy_version_load(actor=None, path=policy_dir / "exempel.yaml")
    with pytest.raises(ValidationError, match="gällande"):
        policy_acknowledge(
            actor=world.publisher, organisation=world.organisation, policy_version=other
        )
    assert PolicyAcknowledgement.objects.count() == 0
