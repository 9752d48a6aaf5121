"""The organisation's dashboard (REP-1): what needs doing now, and what is broken.

Every figure comes with the address of the list that shows the same items, so
the dashboard is a way in, not a second copy of the lists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.models import AuditEvent
from kanalvakt.inbox.models import OPEN_STATES, Escalation, InboxEntry, Reply, ReplyState
from kanalvakt.inbox.selectors import DUE_SOON
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.moderation.models import CaseState, Decision, ModerationCase, PlatformStatus
from kanalvakt.organisations.models import Organisation
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.models import RegistrationStatus, Snapshot, SnapshotReason
from kanalvakt.records.selectors import registration_queue
from kanalvakt.records.snapshots import half_year, half_yearly_rule
from kanalvakt.register.models import Account, AccountStatus
from kanalvakt.register.selectors import account_rows
from kanalvakt.reports.period import half_year_of


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class Tile:
    """One figure on the dashboard and where its items are listed."""

    key: str
    label: str
    count: int
    url: str
    status: Status


@dataclass(frozen=True)
class Problem:
    """Something broken, with what to do about it."""

    message: str
    action: str
    url: str


@dataclass
class AccountStatusRow:
    account: Account
    status: Status
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Dashboard:
    work: list[Tile]
    broken: list[Problem]
    accounts: list[AccountStatusRow]

    @property
    def counts(self) -> dict[str, int]:
        return {tile.key: tile.count for tile in self.work}


def _url(name: str, slug: str, **query: str) -> str:
    path = reverse(name, kwargs={"slug": slug})
    return f"{path}?{urlencode(query)}" if query else path


def _tile(key: str, label: str, count: int, url: str, *, red_when_any: bool) -> Tile:
    if count == 0:
        status = Status.GREEN
    else:
        status = Status.RED if red_when_any else Status.AMBER
    return Tile(key, label, count, url, status)


def _work(organisation: Organisation, now: datetime.datetime) -> list[Tile]:
    slug = organisation.slug
    entries = InboxEntry.objects.filter(organisation=organisation, state__in=OPEN_STATES)
    soon = entries.filter(due_at__gt=now, due_at__lte=now + DUE_SOON).count()
    overdue = entries.filter(due_at__lte=now).count()
    escalated = (
        entries.annotate(escalated=Exists(Escalation.objects.filter(entry=OuterRef("pk"))))
        .filter(escalated=True)
        .count()
    )
    cases = ModerationCase.objects.filter(organisation=organisation, state=CaseState.OPEN)
    pending = registration_queue(organisation=organisation).filter(
        status=RegistrationStatus.PENDING
    )
    return [
        _tile(
            "overdue",
            _("Försenade svar"),
            overdue,
            _url("inbox:list", slug, due="overdue"),
            red_when_any=True,
        ),
        _tile(
            "due_soon",
            _("Ska besvaras snart"),
            soon,
            _url("inbox:list", slug, due="soon"),
            red_when_any=False,
        ),
        _tile(
            "open",
            _("Obesvarade i inkorgen"),
            entries.count(),
            _url("inbox:list", slug, state="open"),
            red_when_any=False,
        ),
        _tile(
            "escalated",
            _("Eskalerade och öppna"),
            escalated,
            _url("inbox:list", slug, state="open", escalated="on"),
            red_when_any=True,
        ),
        _tile(
            "moderation",
            _("Väntar på modereringsbeslut"),
            cases.count(),
            _url("moderation:queue", slug),
            red_when_any=cases.filter(due_at__lte=now).exists(),
        ),
        _tile(
            "registration",
            _("Väntar på diarieföring"),
            pending.count(),
            _url("records:queue", slug),
            red_when_any=False,
        ),
    ]


def _broken_connections(organisation: Organisation) -> dict[int, Problem]:
    problems = {}
    connections = AccountConnection.objects.filter(organisation=organisation).exclude(
        alert=AlertState.NONE
    )
    for connection in connections.select_related("account"):
        problems[connection.account_id] = Problem(
            message=_("Anslutningen till %(account)s: %(alert)s.")
            % {"account": connection.account, "alert": connection.get_alert_display()},
            action=_("Förnya anslutningen"),
            url=_url("intake:list", organisation.slug),
        )
    return problems


def _failed_replies(organisation: Organisation) -> list[tuple[int, Problem]]:
    failed = Reply.objects.filter(
        entry__organisation=organisation,
        state=ReplyState.FAILED,
        entry__state__in=OPEN_STATES,
    ).select_related("entry")
    return [
        (
            reply.entry.account_id,
            Problem(
                message=_("Ett svar kunde inte skickas: %(error)s") % {"error": reply.error},
                action=_("Öppna ärendet och försök igen"),
                url=reverse(
                    "inbox:entry", kwargs={"slug": organisation.slug, "pk": reply.entry_id}
                ),
            ),
        )
        for reply in failed
    ]


def _failed_actions(organisation: Organisation) -> list[tuple[int, Problem]]:
    failed = Decision.objects.filter(
        case__organisation=organisation, platform_status=PlatformStatus.FAILED
    ).select_related("case")
    return [
        (
            decision.case.account_id,
            Problem(
                message=_("Plattformsåtgärden ”%(kind)s” misslyckades.")
                % {"kind": decision.get_kind_display()},
                action=_("Försök igen från modereringsärendet"),
                url=reverse(
                    "moderation:case",
                    kwargs={"slug": organisation.slug, "pk": decision.case_id},
                ),
            ),
        )
        for decision in failed
    ]


def _failed_publishing(organisation: Organisation) -> list[tuple[int, Problem]]:
    from kanalvakt.publishing.models import PostTarget, TargetState

    failed = PostTarget.objects.filter(
        post__organisation=organisation, state=TargetState.FAILED
    ).select_related("account")
    return [
        (
            target.account_id,
            Problem(
                message=_("Ett inlägg kunde inte publiceras på %(account)s: %(error)s")
                % {"account": target.account, "error": target.error},
                action=_("Öppna inlägget och försök igen"),
                url=reverse(
                    "publishing:post", kwargs={"slug": organisation.slug, "pk": target.post_id}
                ),
            ),
        )
        for target in failed
    ]


def _missing_snapshots(
    organisation: Organisation, today: datetime.date
) -> list[tuple[int, Problem]]:
    if half_yearly_rule(organisation) is None:
        return []
    period = half_year(today)
    taken = set(
        Snapshot.objects.filter(
            organisation=organisation, period=period, reason=SnapshotReason.HALF_YEARLY
        ).values_list("account_id", flat=True)
    )
    failed = set(
        AuditEvent.objects.filter(
            organisation=organisation,
            event_type=RecordsEvent.SNAPSHOT_FAILED,
            target_type="register.account",
            created_at__gte=half_year_of(today).starts_at,
        ).values_list("target_id", flat=True)
    )
    problems = []
    for account in Account.objects.filter(organisation=organisation, status=AccountStatus.ACTIVE):
        if account.pk in taken or str(account.pk) not in failed:
            continue
        problems.append(
            (
                account.pk,
                Problem(
                    message=_("Halvårets ögonblicksbild av %(account)s misslyckades.")
                    % {"account": account},
                    action=_("Ta en ögonblicksbild nu"),
                    url=_url("records:snapshots", organisation.slug),
                ),
            )
        )
    return problems


def dashboard(*, organisation: Organisation, now: datetime.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    connections = _broken_connections(organisation)
    per_account: list[tuple[int, Problem]] = [
        *connections.items(),
        *_failed_replies(organisation),
        *_failed_actions(organisation),
        *_failed_publishing(organisation),
        *_missing_snapshots(organisation, today),
    ]
    overdue_accounts = set(
        InboxEntry.objects.filter(
            organisation=organisation, state__in=OPEN_STATES, due_at__lte=now
        ).values_list("account_id", flat=True)
    )
    rows = []
    for row in account_rows(organisation=organisation, today=today):
        account = row.account
        problems = [
            Problem(warning.message, _("Åtgärda på kontosidan"), _account_url(account))
            for warning in row.warnings
        ]
        problems += [problem for pk, problem in per_account if pk == account.pk]
        if account.pk in overdue_accounts:
            problems.append(
                Problem(
                    _("Det finns försenade svar."),
                    _("Svara i inkorgen"),
                    _url("inbox:list", organisation.slug, due="overdue", account=str(account.pk)),
                )
            )
        red = (
            row.red > 0
            or account.pk in overdue_accounts
            or any(pk == account.pk for pk, _problem in per_account)
        )
        status = Status.RED if red else Status.AMBER if row.warnings else Status.GREEN
        rows.append(AccountStatusRow(account, status, problems))
    order = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2}
    rows.sort(key=lambda r: (order[r.status], r.account.platform, r.account.handle))
    return Dashboard(
        work=_work(organisation, now),
        broken=[problem for _pk, problem in per_account],
        accounts=rows,
    )


def _account_url(account: Account) -> str:
    return reverse("register:account", kwargs={"slug": account.organisation.slug, "pk": account.pk})
