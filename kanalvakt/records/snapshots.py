"""Snapshots of accounts' start pages (REC-3).

`snapshot_capture` visits the account's address in Chromium, converts the
PDF to PDF/A and checks it, stores PDF/A, original PDF, PNG and WARC with
their SHA-256 and puts the snapshot in the registrar's queue. The half-year
job captures every active account not yet captured for the current
half-year, in organisations whose pack asks for it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.lib.netguard import OutboundRefused, check_platform_url
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import has_role
from kanalvakt.policies.pack import Pack
from kanalvakt.records.capture import Capture, capture_page, capture_session
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.models import Checkpoint, Snapshot, SnapshotFile, SnapshotReason
from kanalvakt.records.pdfa import PdfaError, pdf_to_pdfa, pdfa_check
from kanalvakt.records.registration import snapshot_queue_registration
from kanalvakt.records.storage import store
from kanalvakt.register.models import Account, AccountStatus

logger = logging.getLogger(__name__)

Capturer = Callable[[str], Capture]


def half_year(on: datetime.date) -> str:
    """'2026H1' for January–June, '2026H2' for July–December."""
    return f"{on.year}H{1 if on.month <= 6 else 2}"


def _pack(organisation: Organisation) -> Pack | None:
    return organisation.policy_version.pack if organisation.policy_version else None


def before_major_change_allowed(organisation: Organisation) -> bool:
    """The pack asks for snapshots before major changes (or says nothing against it)."""
    pack = _pack(organisation)
    return bool(pack and pack.value("snapshots.before_major_change"))


def half_yearly_rule(organisation: Organisation) -> dict[str, object] | None:
    pack = _pack(organisation)
    value = pack.value("snapshots.half_yearly") if pack else None
    return value if isinstance(value, dict) else None


def snapshots_go_to_registrar(organisation: Organisation) -> bool:
    """The pack sends snapshots to the registrar (`send_to`, or a register rule for them).

    Where the pack's `snapshots.half_yearly.send_to` is null and no
    `registration.register` rule names snapshots, they are kept, not registered.
    """
    pack = _pack(organisation)
    if pack is None:
        return True
    rule = half_yearly_rule(organisation)
    if rule is not None and rule.get("send_to"):
        return True
    return any(
        isinstance(item.value, dict) and item.value.get("what") == "snapshot"
        for item in pack.rule_list("registration.register")
    )


def snapshot_capture(
    *,
    actor: User | None,
    account: Account,
    reason: SnapshotReason,
    capturer: Capturer = capture_page,
    url: str | None = None,
    note: str = "",
    period: str = "",
) -> Snapshot:
    """Capture the account's start page (or `url`, for the demo's stand-in) and keep it."""
    organisation = account.organisation
    if actor is not None and not has_role(
        actor, organisation, Role.REGISTRAR, Role.COMMS_LEAD, Role.ACCOUNT_OWNER, Role.MANAGER
    ):
        raise PermissionDenied(_("Du får inte ta ögonblicksbilder för den här organisationen."))
    target = url or account.url
    if not target:
        raise ValidationError(_("Kontot har ingen adress i förteckningen."))
    try:
        check_platform_url(target, account.platform)
    except OutboundRefused as error:
        raise ValidationError(str(error)) from error
    # The browser runs outside the transaction: a slow page holds no lock.
    captured = capturer(target)
    try:
        pdfa = pdf_to_pdfa(captured.pdf, title=f"{account} {timezone.now():%Y-%m-%d}")
        report = pdfa_check(pdfa)
    except PdfaError as error:
        pdfa = b""
        report = None
        logger.warning("PDF/A conversion failed for %s: %s", target, error)
    return _snapshot_store(
        actor=actor,
        account=account,
        reason=reason,
        captured=captured,
        pdfa=pdfa,
        report_ok=bool(report and report.ok),
        report_text=report.text() if report else "PDF/A-konverteringen misslyckades.",
        note=note,
        period=period or half_year(timezone.localdate()),
    )


@transaction.atomic
def _snapshot_store(
    *,
    actor: User | None,
    account: Account,
    reason: SnapshotReason,
    captured: Capture,
    pdfa: bytes,
    report_ok: bool,
    report_text: str,
    note: str,
    period: str,
) -> Snapshot:
    now = timezone.now()
    snapshot = Snapshot(
        organisation=account.organisation,
        account=account,
        reason=reason,
        period=period,
        url=captured.url,
        final_url=captured.final_url[:2000],
        title=captured.title,
        captured_at=now,
        requested_by=actor,
        login_wall=captured.login_wall,
        login_signals=captured.login_signals,
        pdfa_valid=report_ok,
        pdfa_report=report_text,
        note=note[:500],
    )
    snapshot.full_clean()
    snapshot.save()
    base = f"records/snapshots/{account.organisation.slug}/{snapshot.pk}"
    files = [
        (SnapshotFile.Kind.PDFA, "startsida-pdfa.pdf", "application/pdf", pdfa),
        (SnapshotFile.Kind.PDF, "startsida.pdf", "application/pdf", captured.pdf),
        (SnapshotFile.Kind.PNG, "startsida.png", "image/png", captured.png),
        (SnapshotFile.Kind.WARC, "startsida.warc.gz", "application/warc", captured.warc),
        # The signed checkpoints so far: the snapshot carries proof of the database (REC-8).
        (SnapshotFile.Kind.CHECKPOINTS, "kontrollpunkter.json", "application/json", _checkpoints()),
    ]
    checksums = {}
    for kind, filename, content_type, data in files:
        if not data:
            continue
        name, digest = store(f"{base}/{filename}", data)
        SnapshotFile.objects.create(
            snapshot=snapshot,
            kind=kind,
            name=name,
            content_type=content_type,
            size=len(data),
            sha256=digest,
        )
        checksums[str(kind)] = digest
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type=RecordsEvent.SNAPSHOT_CAPTURED,
        target=snapshot,
        data={
            "account": account.pk,
            "reason": str(reason),
            "url": captured.url,
            "login_wall": captured.login_wall,
            "pdfa_valid": report_ok,
            "sha256": checksums,
            "refused": captured.refused[:50],
        },
    )
    if snapshots_go_to_registrar(account.organisation):
        snapshot_queue_registration(snapshot=snapshot)
    return snapshot


def _checkpoints() -> bytes:
    from kanalvakt.records.checkpoints import published_json

    return published_json() if Checkpoint.objects.exists() else b""


def accounts_due_for_half_year(*, on: datetime.date) -> list[Account]:
    """Active accounts in organisations whose pack asks for half-year snapshots, not yet taken."""
    period = half_year(on)
    due = []
    accounts = Account.objects.filter(status=AccountStatus.ACTIVE).select_related(
        "organisation__policy_version"
    )
    for account in accounts.order_by("organisation_id", "pk"):
        if half_yearly_rule(account.organisation) is None:
            continue
        if account.snapshots.filter(period=period, reason=SnapshotReason.HALF_YEARLY).exists():
            continue
        due.append(account)
    return due


def snapshots_half_yearly(
    *, on: datetime.date | None = None, capturer: Capturer | None = None
) -> int:
    """Capture every account due this half-year. A failure is logged and tried again tomorrow."""
    on = on or timezone.localdate()
    due = accounts_due_for_half_year(on=on)
    if not due:
        return 0
    if capturer is None:
        with capture_session() as session:
            return _capture_all(due, on, session)
    return _capture_all(due, on, capturer)


def _capture_all(due: list[Account], on: datetime.date, capturer: Capturer) -> int:
    taken = 0
    for account in due:
        try:
            snapshot_capture(
                actor=None,
                account=account,
                reason=SnapshotReason.HALF_YEARLY,
                capturer=capturer,
                period=half_year(on),
            )
            taken += 1
        except Exception as error:  # noqa: BLE001 - one account's failure must not stop the rest
            logger.warning("Snapshot of %s failed: %s", account.url, error)
            with transaction.atomic():
                audit_record(
                    actor=None,
                    organisation=account.organisation,
                    event_type=RecordsEvent.SNAPSHOT_FAILED,
                    target=account,
                    data={"url": account.url, "error": str(error)[:500]},
                )
    return taken
