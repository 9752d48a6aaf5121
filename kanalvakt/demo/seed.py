"""Seed the demo organisations through the same services people use.

Idempotent: an organisation whose slug exists is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from kanalvakt.demo.organisations import DEMO_ORGANISATIONS, DemoAccount, DemoOrganisation
from kanalvakt.demo.policy_features import seed_policy_features
from kanalvakt.organisations.models import Organisation, Role, Unit, User
from kanalvakt.organisations.services import (
    membership_grant,
    organisation_create,
    organisation_select_policy,
    person_create,
    unit_create,
)
from kanalvakt.policies.models import PolicyVersion
from kanalvakt.policies.services import policy_acknowledge, policy_version_load
from kanalvakt.register.models import Account
from kanalvakt.register.services import (
    account_admin_add,
    account_create,
    account_record_publication,
    account_request_open,
    account_set_substitute,
    account_update,
    mandate_grant,
    profile_check_record,
)

DEMO_PASSWORD = "kanalvakt-demo"  # noqa: S105 - printed for the demo on purpose
DEMO_USERNAME = "demo"


@dataclass(frozen=True)
class SeedReport:
    created: list[str]
    existing: list[str]


def load_all_packs(directory: Path | None = None) -> list[PolicyVersion]:
    directory = directory or Path(settings.POLICY_PACK_DIR)
    return [policy_version_load(actor=None, path=path) for path in sorted(directory.glob("*.yaml"))]


def _people(
    spec: DemoOrganisation, organisation: Organisation, password_hash: str
) -> dict[str, User]:
    people: dict[str, User] = {}
    domain = spec.website.removeprefix("https://").removeprefix("www.")
    for username, first, last, role in spec.people:
        user = User.objects.filter(username=username).first() or person_create(
            actor=None,
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{domain}",
            password_hash=password_hash,
        )
        membership_grant(actor=None, organisation=organisation, user=user, role=Role(role))
        people.setdefault(role, user)
        people[username] = user
    return people


def _account(
    spec: DemoAccount,
    *,
    organisation: Organisation,
    units: dict[str, Unit],
    people: dict[str, User],
    today: datetime.date,
) -> Account:
    lead = people["comms_lead"]
    account = account_create(
        actor=lead,
        organisation=organisation,
        unit=units[spec.unit],
        platform=spec.platform,
        handle=spec.handle,
        display_name=spec.display_name,
        url=spec.url,
        purpose=spec.purpose,
        audience=spec.audience,
        responsible=people["account_owner"],
        contact=f"kommunikation@{organisation.website.removeprefix('https://www.')}",
        languages=list(spec.languages),
        status="active",
        opened_on=datetime.date(2019, 3, 1),
    )
    if spec.purpose_fi or spec.audience_fi:
        account.purpose_fi = spec.purpose_fi
        account.audience_fi = spec.audience_fi
        account.save(update_fields=["purpose_fi", "audience_fi"])
    breaches = set(spec.breaches)
    account_admin_add(actor=lead, account=account, user=people["account_owner"])
    if "one_admin" not in breaches:
        account_admin_add(actor=lead, account=account, user=people["publisher"])
    if "no_web_manager" not in breaches:
        account_admin_add(
            actor=lead, account=account, user=people["web_manager"], is_web_manager=True
        )
    if "no_substitute" not in breaches:
        account_set_substitute(actor=lead, account=account, substitute=people["substitute"])
    account_update(
        actor=lead,
        account=account,
        credentials_location=""
        if "no_credentials_location" in breaches
        else "Kommunens gemensamma lösenordshanterare",
        two_factor_enabled="no_2fa" not in breaches,
        password_changed_on=today
        - datetime.timedelta(days=400 if "old_password" in breaches else 45),
        login_email_kind="personal" if "personal_email" in breaches else "work",
    )
    if "no_mandate" not in breaches:
        expired = "expired_mandate" in breaches
        mandate_grant(
            actor=people["manager"],
            organisation=organisation,
            holder=people["publisher"],
            accounts=[account],
            scope="Publicera nyheter och svara på frågor i kanalen.",
            anchored_with="Förvaltningschefen",
            anchored_on=datetime.date(2025, 1, 10),
            valid_from=datetime.date(2025, 1, 15),
            valid_until=today - datetime.timedelta(days=20) if expired else None,
        )
    pack = organisation.policy_version.pack if organisation.policy_version else None
    for index, rule in enumerate(pack.rule_list("profile") if pack else []):
        gap = "profile_gap" in breaches and index == 0
        profile_check_record(
            actor=lead,
            account=account,
            requirement=rule.value["key"],
            satisfied=not gap,
            note="Saknas i profilen sedan bytet av omslagsbild." if gap else "",
        )
    idle_days = 200 if "passive" in breaches else 2
    account_record_publication(
        actor=None,
        account=account,
        published_at=timezone.now() - datetime.timedelta(days=idle_days),
    )
    return account


@transaction.atomic
def seed_organisation(
    spec: DemoOrganisation, *, demo_user: User, password_hash: str
) -> Organisation:
    organisation = organisation_create(
        actor=None,
        name=spec.name,
        slug=spec.slug,
        kind=spec.kind,
        country=spec.country,
        website=spec.website,
        switchboard=spec.switchboard,
        name_fi=spec.name_fi,
        public_languages=list(spec.public_languages),
    )
    version = PolicyVersion.objects.filter(pack_id=spec.pack).order_by("-loaded_at").first()
    if version is not None:
        organisation_select_policy(actor=None, organisation=organisation, policy_version=version)
    units = {
        name: unit_create(
            actor=None, organisation=organisation, name=name, kind=kind, name_fi=name_fi
        )
        for name, kind, name_fi in spec.units
    }
    people = _people(spec, organisation, password_hash)
    membership_grant(actor=None, organisation=organisation, user=demo_user, role=Role.COMMS_LEAD)
    today = timezone.localdate()
    for account_spec in spec.accounts:
        _account(account_spec, organisation=organisation, units=units, people=people, today=today)
    if spec.pending_open is not None:
        pending = spec.pending_open
        account_request_open(
            actor=people["account_owner"],
            organisation=organisation,
            unit=units[pending.unit],
            platform=pending.platform,
            handle=pending.handle,
            display_name=pending.display_name,
            url=pending.url,
            need="Unga läser inte kommunens webbplats eller Facebook.",
            goals=pending.purpose,
            audience=pending.audience,
            content="Korta filmer om sommarjobb, fritidsgården och evenemang.",
            responsible=people["account_owner"],
            contact="fritid@overkalix.se",
        )
    if version is not None:
        for role in ("comms_lead", "account_owner", "publisher"):
            policy_acknowledge(
                actor=people[role], organisation=organisation, policy_version=version
            )
    from kanalvakt.demo.publishing import seed_publishing  # the publishing app's demo data

    seed_publishing(spec, organisation=organisation, people=people, demo_user=demo_user)
    return organisation


def seed_demo() -> SeedReport:
    load_all_packs()
    password_hash = make_password(DEMO_PASSWORD)
    demo_user = User.objects.filter(username=DEMO_USERNAME).first() or person_create(
        actor=None,
        username=DEMO_USERNAME,
        first_name="Demo",
        last_name="Kommunikationschef",
        email="demo@example.org",
        password_hash=password_hash,
    )
    created, existing = [], []
    for spec in DEMO_ORGANISATIONS:
        if Organisation.objects.filter(slug=spec.slug).exists():
            existing.append(spec.slug)
            continue
        seed_organisation(spec, demo_user=demo_user, password_hash=password_hash)
        created.append(spec.slug)
    seed_policy_features(slugs=created)
    return SeedReport(created=created, existing=existing)
