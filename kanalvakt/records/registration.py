"""Registration (REC-2): the pack decides, the registrar registers.

`item_decide_registration` runs as processing step 400 for every received
item and records the decision and the rule for it. Items the pack says must
be registered wait in the registrar's queue; `registration_register` gives
them a number from the organisation's series for the year.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_facts_digest, audit_record, audit_record_batch
from kanalvakt.inbox import bulk
from kanalvakt.inbox.models import Item
from kanalvakt.organisations.models import Organisation, Role, Unit, User
from kanalvakt.organisations.permissions import has_role, require_role
from kanalvakt.policies.pack import Pack, Rule
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.intent import item_intent, item_record_kinds, on_public_forum
from kanalvakt.records.models import (
    Decision,
    RecordSeries,
    Registration,
    RegistrationStatus,
    Snapshot,
)
from kanalvakt.records.search import search_index_items, search_refresh_item

DEFAULT_PREFIX = "KS"


def _pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def _source(rule: Rule) -> str:
    return str(rule.source) if rule.source else rule.silent


def _rule_for(pack: Pack | None, section: str, kinds: list[str]) -> Rule | None:
    if pack is None:
        return None
    rules = pack.rule_list(f"registration.{section}")
    for kind in kinds:
        for rule in rules:
            if isinstance(rule.value, dict) and rule.value.get("what") == kind:
                return rule
    return None


def _decide(item: Item) -> tuple[str, Decision, Rule | None]:
    pack = _pack(item.organisation)
    kinds = item_record_kinds(item)
    rule = _rule_for(pack, "register", kinds)
    if rule is not None:
        if rule.value.get("suggest"):
            # "kan komma att betraktas som ett ärende": the registrar judges; not a must.
            return str(rule.value["what"]), Decision.NOT_REQUIRED, rule
        return str(rule.value["what"]), Decision.REGISTER, rule
    if on_public_forum(item):
        rule = _rule_for(pack, "exempt", ["public_forum_chronological"])
        if rule is not None:
            return "public_forum_chronological", Decision.EXEMPT, rule
    return kinds[0], Decision.NOT_REQUIRED, None


_STATUS = {
    Decision.REGISTER: RegistrationStatus.PENDING,
    Decision.EXEMPT: RegistrationStatus.EXEMPT,
    Decision.NOT_REQUIRED: RegistrationStatus.NOT_REQUIRED,
}


def item_decide_registration(*, item: Item) -> Registration:
    """Record whether the pack wants this item registered, and under which rule."""
    (registration,) = items_decide_registration(items=[item])
    return registration


PREPARED_REGISTRATION = "prepared_registration"
"""The attribute on which `items_prepare_registration` leaves each item's intent (what
the decision read) and its unsaved registration."""


def items_prepare_registration(*, items: Sequence[Item]) -> None:
    """Decide each item's registration without writing it: the processing step before
    its transaction (`kanalvakt.inbox.processing`)."""
    now = timezone.now()
    new_registration = bulk.unsaved(Registration)
    decisions: dict[tuple[object, ...], tuple[str, Decision, Rule | None]] = {}
    for item in items:
        made = _registration_made(item, now, new_registration, decisions)
        setattr(item, PREPARED_REGISTRATION, (item_intent(item), made))


def _registration_made(
    item: Item,
    now: datetime.datetime,
    new_registration: Callable[..., Registration],
    decisions: dict[tuple[object, ...], tuple[str, Decision, Rule | None]] | None = None,
) -> Registration:
    """The item's unsaved registration. `decisions` keeps a batch's decisions by what
    `_decide` reads (the pack, the item's record kinds and whether it is on the
    public forum), so that the pack's rules are searched once per kind of item."""
    if decisions is None:
        kind, decision, rule = _decide(item)
    else:
        key = (item.organisation_id, *item_record_kinds(item), on_public_forum(item))
        if key not in decisions:
            decisions[key] = _decide(item)
        kind, decision, rule = decisions[key]
    return new_registration(
        organisation=item.organisation,
        item=item,
        record_kind=kind,
        decision=decision,
        rule_path=rule.path if rule else "",
        rule_source=_source(rule)[:500] if rule else "",
        forward_required=bool(rule and isinstance(rule.value, dict) and rule.value.get("forward")),
        status=_STATUS[decision],
        created_at=now,
    )


def _prepared_or_made(
    item: Item, now: datetime.datetime, new_registration: Callable[..., Registration]
) -> Registration:
    """The prepared registration, unless the item's intent is no longer what it read."""
    prepared = getattr(item, PREPARED_REGISTRATION, None)
    if prepared is not None and prepared[0] == item_intent(item):
        registration: Registration = prepared[1]
        return registration
    return _registration_made(item, now, new_registration)


@transaction.atomic
def items_decide_registration(*, items: Sequence[Item]) -> list[Registration]:
    """Decide registration for a batch of items (processing step 400, issue 12): one INSERT
    and one `record.registration_decided` event per organisation, listing each
    item's kind, decision and rule, with a hash over them. Once per item."""
    found = Registration.objects.filter(bulk.AnyOf(F("item_id"), [item.pk for item in items]))
    existing = {row.item_id: row for row in found}
    groups: dict[int, list[Item]] = {}
    for item in items:
        if item.pk not in existing:
            groups.setdefault(item.organisation_id, []).append(item)
    decided = dict(existing)
    now = timezone.now()
    new_registration = bulk.unsaved(Registration)  # faster than Registration(...) for a batch
    for group in groups.values():
        created = [_prepared_or_made(item, now, new_registration) for item in group]
        bulk.rows_insert_by_item(created)
        facts = {
            str(row.pk): {
                "item": row.item_id,
                "kind": row.record_kind,
                "decision": str(row.decision),
                "rule": row.rule_path,
            }
            for row in created
        }
        audit_record_batch(
            actor=None,
            organisation=group[0].organisation,
            event_type=RecordsEvent.REGISTRATION_DECIDED,
            target_type="records.registration",
            target_ids=[row.pk for row in created],
            label=f"{len(created)} registreringsbeslut",
            data={"registrations": facts, "sha256": audit_facts_digest(facts)},
        )
        decided.update({row.item_id: row for row in created})
    # The search filters by record state: index the batch with its states now.
    search_index_items(ids=[item.pk for item in items])
    return [decided[item.pk] for item in items]


@transaction.atomic
def snapshot_queue_registration(*, snapshot: Snapshot) -> Registration:
    """Put a snapshot in the registrar's queue (pack `registration.register[what=snapshot]`)."""
    existing = Registration.objects.filter(snapshot=snapshot).first()
    if existing is not None:
        return existing
    rule = _rule_for(_pack(snapshot.organisation), "register", ["snapshot"])
    registration = Registration(
        organisation=snapshot.organisation,
        snapshot=snapshot,
        record_kind="snapshot",
        decision=Decision.REGISTER,
        rule_path=rule.path if rule else "snapshots",
        rule_source=_source(rule)[:500] if rule else "",
        status=RegistrationStatus.PENDING,
        created_at=timezone.now(),
    )
    registration.full_clean()
    registration.save()
    audit_record(
        actor=None,
        organisation=snapshot.organisation,
        event_type=RecordsEvent.REGISTRATION_DECIDED,
        target=registration,
        data={"snapshot": snapshot.pk, "kind": "snapshot", "rule": registration.rule_path},
    )
    return registration


def _refresh_search(registration: Registration) -> None:
    """The search filters by record state: its table must learn the new one."""
    if registration.item_id is not None:
        search_refresh_item(item_id=registration.item_id)


def _may_register(actor: User, organisation: Organisation) -> None:
    require_role(actor, organisation, Role.REGISTRAR, Role.COMMS_LEAD)


@transaction.atomic
def record_series_ensure(
    *,
    actor: User | None,
    organisation: Organisation,
    year: int,
    prefix: str = DEFAULT_PREFIX,
    format: str = "{prefix} {year}/{number}",  # noqa: A002
) -> RecordSeries:
    """The organisation's series for the year, created on first use."""
    series = RecordSeries.objects.filter(
        organisation=organisation, prefix=prefix, year=year
    ).first()
    if series is not None:
        return series
    series = RecordSeries(organisation=organisation, prefix=prefix, year=year, format=format)
    series.full_clean()
    try:
        with transaction.atomic():
            series.save()
    except IntegrityError:
        return RecordSeries.objects.get(organisation=organisation, prefix=prefix, year=year)
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=RecordsEvent.SERIES_CREATED,
        target=series,
        data={"prefix": prefix, "year": year, "format": format},
    )
    return series


def record_number_allocate(*, series: RecordSeries) -> int:
    """Take the next number: row lock, then a conditional update that must change one row.

    Must run inside the caller's transaction, so a rollback gives the number
    back and no gap is left.
    """
    while True:
        locked = RecordSeries.objects.select_for_update().get(pk=series.pk)
        number = locked.next_number
        changed = RecordSeries.objects.filter(pk=series.pk, next_number=number).update(
            next_number=F("next_number") + 1
        )
        if changed == 1:
            return number


def _series_for(actor: User, organisation: Organisation, on: datetime.datetime) -> RecordSeries:
    year = timezone.localtime(on).year
    existing = (
        RecordSeries.objects.filter(organisation=organisation, year=year).order_by("pk").first()
    )
    return existing or record_series_ensure(actor=actor, organisation=organisation, year=year)


@transaction.atomic
def registration_register(
    *,
    actor: User,
    registration: Registration,
    unit: Unit | None = None,
    case_officer: User | None = None,
) -> Registration:
    """Give a pending item or snapshot its record number; forward it if asked."""
    _may_register(actor, registration.organisation)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.REGISTERED:
        raise ValidationError(
            _("Redan diariefört som %(number)s.") % {"number": registration.record_number}
        )
    now = timezone.now()
    series = _series_for(actor, registration.organisation, now)
    number = record_number_allocate(series=series)
    registration.series = series
    registration.number = number
    registration.record_number = series.render(number)
    registration.status = RegistrationStatus.REGISTERED
    registration.registered_at = now
    registration.registered_by = actor
    registration.full_clean()
    registration.save(
        update_fields=[
            "series",
            "number",
            "record_number",
            "status",
            "registered_at",
            "registered_by",
        ]
    )
    _refresh_search(registration)
    audit_record(
        actor=actor,
        organisation=registration.organisation,
        event_type=RecordsEvent.REGISTERED,
        target=registration,
        data={"record_number": registration.record_number, "kind": registration.record_kind},
    )
    if unit is not None or case_officer is not None:
        registration_forward(
            actor=actor, registration=registration, unit=unit, case_officer=case_officer
        )
    return registration


@transaction.atomic
def registration_forward(
    *, actor: User, registration: Registration, unit: Unit | None, case_officer: User | None
) -> Registration:
    """Forward a registered matter to a unit and/or a case officer of the organisation."""
    _may_register(actor, registration.organisation)
    organisation = registration.organisation
    if unit is None and case_officer is None:
        raise ValidationError(_("Välj en enhet eller en handläggare."))
    if unit is not None and unit.organisation_id != organisation.pk:
        raise PermissionDenied(_("Enheten hör till en annan organisation."))
    if case_officer is not None and not has_role(
        case_officer, organisation, Role.CASE_OFFICER, Role.ACCOUNT_OWNER, Role.MANAGER
    ):
        raise PermissionDenied(_("Mottagaren arbetar inte i organisationen."))
    registration.forwarded_to_unit = unit
    registration.forwarded_to_user = case_officer
    registration.forwarded_at = timezone.now()
    registration.save(update_fields=["forwarded_to_unit", "forwarded_to_user", "forwarded_at"])
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=RecordsEvent.FORWARDED,
        target=registration,
        data={
            "unit": unit.pk if unit else None,
            "case_officer": case_officer.pk if case_officer else None,
        },
    )
    return registration


@transaction.atomic
def registration_exempt(*, actor: User, registration: Registration, reason: str) -> Registration:
    """Take a pending matter out of the queue without a number, with the reason."""
    _may_register(actor, registration.organisation)
    if not reason.strip():
        raise ValidationError(_("Ange varför handlingen inte diarieförs."))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.PENDING:
        raise ValidationError(_("Bara väntande handlingar kan undantas."))
    registration.status = RegistrationStatus.EXEMPT
    registration.exempt_reason = reason.strip()
    registration.save(update_fields=["status", "exempt_reason"])
    _refresh_search(registration)
    audit_record(
        actor=actor,
        organisation=registration.organisation,
        event_type=RecordsEvent.EXEMPTED,
        target=registration,
        data={"reason": registration.exempt_reason},
    )
    return registration
