"""Disposal (gallring, REC-4) under the pack's `disposal.decision`.

Received items are protected by database triggers that refuse UPDATE. This
module is the only way past them: for each item it inserts a row in
`records_disposalpermit` (which the triggers check), blanks the content
fields of the item and its versions, and deletes the permit again — all in
one transaction, next to a `DisposalLogEntry` tombstone that keeps what
went (item id, kind, when, by which run and rule) and the SHA-256 of the raw
payload and text that were removed. Legal holds stop it: an organisation-wide
hold stops a run; an account hold skips that account's items.
When the pack is silent, nothing is disposed.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.models import Delivery, Item, ItemVersion
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.intent import item_record_kinds
from kanalvakt.records.models import (
    DeliveryDisposal,
    DeliveryDisposalPermit,
    DisposalLogEntry,
    DisposalPermit,
    DisposalRun,
    LegalHold,
    Registration,
    RegistrationStatus,
)
from kanalvakt.records.search import search_unindex_item
from kanalvakt.register.models import Account

DISPOSED_TEXT = ""


@dataclass(frozen=True)
class DisposalDecision:
    rule_path: str
    reference: str
    keep_years: int
    kinds: tuple[str, ...]
    source: str


def disposal_decision(organisation: Organisation) -> DisposalDecision | None:
    """The pack's disposal decision, or None when the pack is silent (nothing is disposed)."""
    version = organisation.policy_version
    if version is None:
        return None
    rule = version.pack.rule("disposal.decision")
    if rule is None or not isinstance(rule.value, dict):
        return None
    keep = rule.value.get("keep_years")
    return DisposalDecision(
        rule_path=rule.path,
        reference=str(rule.value.get("reference") or ""),
        keep_years=int(keep) if keep is not None else 0,
        kinds=tuple(rule.value.get("what") or ()),
        source=str(rule.source) if rule.source else "",
    )


def disposal_silence(organisation: Organisation) -> str:
    version = organisation.policy_version
    rule = version.pack.rule("disposal.decision") if version else None
    return rule.silent if rule is not None else ""


def _years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def active_holds(organisation: Organisation) -> list[LegalHold]:
    return list(LegalHold.objects.filter(organisation=organisation, released_at__isnull=True))


def disposal_candidates(
    *, organisation: Organisation, decision: DisposalDecision, now: datetime.datetime
) -> tuple[list[Item], int]:
    """Items the decision covers and nothing holds; and how many were held back."""
    cutoff = _years_before(now, decision.keep_years)
    held_accounts = {
        hold.account_id for hold in active_holds(organisation) if hold.account_id is not None
    }
    registered = Registration.objects.filter(
        item_id__isnull=False, status=RegistrationStatus.REGISTERED
    ).values("item_id")
    items = (
        Item.objects.filter(organisation=organisation, created_at__lt=cutoff)
        .filter(disposal__isnull=True)
        .exclude(pk__in=registered)
        .order_by("created_at", "pk")
    )
    chosen: list[Item] = []
    held = 0
    for item in items.iterator(chunk_size=500):
        if not set(item_record_kinds(item)) & set(decision.kinds):
            continue
        if item.account_id in held_accounts:
            held += 1
            continue
        chosen.append(item)
    return chosen, held


def _item_blank(item: Item, run: DisposalRun, kind: str) -> DisposalLogEntry:
    versions = list(ItemVersion.objects.filter(item=item).order_by("pk"))
    entry = DisposalLogEntry.objects.create(
        run=run,
        item=item,
        record_kind=kind,
        disposed_at=run.started_at,
        raw_sha256=item.raw_sha256,
        text_sha256=hashlib.sha256(item.text.encode()).hexdigest(),
        versions=[{"id": v.pk, "raw_sha256": v.raw_sha256} for v in versions],
    )
    DisposalPermit.objects.create(item_id=item.pk)
    Item.objects.filter(pk=item.pk).update(
        text=DISPOSED_TEXT,
        raw=b"",
        author_name="",
        author_handle="",
        author_external_id="",
        url="",
        attachments=[],
        platform_data={},
    )
    ItemVersion.objects.filter(item=item).update(text=DISPOSED_TEXT, raw=b"")
    DisposalPermit.objects.filter(item_id=item.pk).delete()
    search_unindex_item(item_id=item.pk)
    return entry


def _deliveries_blank(run: DisposalRun, delivery_ids: set[int | None]) -> None:
    """Blank each delivery body once nothing cut from it is left undisposed."""
    for delivery in Delivery.objects.filter(pk__in=[d for d in delivery_ids if d is not None]):
        items_left = Item.objects.filter(delivery=delivery, disposal__isnull=True).exists()
        versions_left = ItemVersion.objects.filter(
            delivery=delivery, item__disposal__isnull=True
        ).exists()
        if (
            items_left
            or versions_left
            or DeliveryDisposal.objects.filter(delivery=delivery).exists()
        ):
            continue
        tombstone = DeliveryDisposal.objects.create(
            run=run, delivery=delivery, disposed_at=run.started_at, sha256=delivery.sha256
        )
        DeliveryDisposalPermit.objects.create(delivery_id=delivery.pk)
        Delivery.objects.filter(pk=delivery.pk).update(body=b"", headers={})
        DeliveryDisposalPermit.objects.filter(delivery_id=delivery.pk).delete()
        audit_record(
            actor=run.started_by,
            organisation=run.organisation,
            event_type=RecordsEvent.DELIVERY_DISPOSED,
            target=tombstone,
            data={"delivery": delivery.pk, "sha256": delivery.sha256},
        )


@transaction.atomic
def disposal_run(
    *,
    actor: User | None,
    organisation: Organisation,
    batch_size: int = 500,
    now: datetime.datetime | None = None,
) -> DisposalRun:
    """Dispose of up to `batch_size` items the decision covers, in one logged batch."""
    if actor is not None:
        require_role(actor, organisation, Role.REGISTRAR, Role.COMMS_LEAD)
    decision = disposal_decision(organisation)
    if decision is None:
        raise ValidationError(_("Policyn har inget gallringsbeslut; inget gallras."))
    if any(hold.account_id is None for hold in active_holds(organisation)):
        raise ValidationError(_("En bevarandespärr gäller hela organisationen; inget gallras."))
    now = now or timezone.now()
    candidates, held = disposal_candidates(organisation=organisation, decision=decision, now=now)
    run = DisposalRun.objects.create(
        organisation=organisation,
        rule_path=decision.rule_path,
        decision_reference=decision.reference,
        cutoff=_years_before(now, decision.keep_years),
        started_by=actor,
        started_at=now,
        held_count=held,
    )
    kinds = set(decision.kinds)
    for item in candidates[:batch_size]:
        kind = next(k for k in item_record_kinds(item) if k in kinds)
        entry = _item_blank(item, run, kind)
        audit_record(
            actor=actor,
            organisation=organisation,
            event_type=RecordsEvent.ITEM_DISPOSED,
            target=entry,
            data={"item": item.pk, "raw_sha256": entry.raw_sha256, "kind": kind},
        )
    _deliveries_blank(run, {item.delivery_id for item in candidates[:batch_size]})
    run.disposed_count = min(len(candidates), batch_size)
    run.save(update_fields=["disposed_count"])
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=RecordsEvent.DISPOSAL_RUN,
        target=run,
        data={
            "rule": decision.rule_path,
            "reference": decision.reference,
            "disposed": run.disposed_count,
            "held": held,
        },
    )
    return run


@transaction.atomic
def legal_hold_place(
    *, actor: User, organisation: Organisation, reason: str, account: Account | None = None
) -> LegalHold:
    require_role(actor, organisation, Role.REGISTRAR, Role.COMMS_LEAD)
    if account is not None and account.organisation_id != organisation.pk:
        raise PermissionDenied(_("Kontot hör till en annan organisation."))
    hold = LegalHold(
        organisation=organisation,
        account=account,
        reason=reason.strip(),
        placed_by=actor,
        placed_at=timezone.now(),
    )
    hold.full_clean()
    hold.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=RecordsEvent.HOLD_PLACED,
        target=hold,
        data={"account": account.pk if account else None, "reason": hold.reason},
    )
    return hold


@transaction.atomic
def legal_hold_release(*, actor: User, hold: LegalHold) -> LegalHold:
    require_role(actor, hold.organisation, Role.REGISTRAR, Role.COMMS_LEAD)
    if hold.released_at is not None:
        raise ValidationError(_("Spärren är redan hävd."))
    hold.released_at = timezone.now()
    hold.released_by = actor
    hold.save(update_fields=["released_at", "released_by"])
    audit_record(
        actor=actor,
        organisation=hold.organisation,
        event_type=RecordsEvent.HOLD_RELEASED,
        target=hold,
        data={},
    )
    return hold


def item_is_disposed(item: Item) -> bool:
    return DisposalLogEntry.objects.filter(item=item).exists()
