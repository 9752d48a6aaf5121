"""Writes for account planning and the yearly review, audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.governance.models import AccountPlan, AccountReview, ReviewOutcome
from kanalvakt.organisations.models import Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.register.models import Account, AccountStatus

PLANNERS = (Role.COMMS_LEAD, Role.ACCOUNT_OWNER, Role.MANAGER)
REVIEW_INTERVAL_DAYS = 365


def passive_limit(account: Account) -> int | None:
    """The pack's `accounts.passive_after_days` for the account's organisation."""
    version = account.organisation.policy_version
    value = version.pack.value("accounts.passive_after_days") if version else None
    return int(value) if isinstance(value, int) else None


def idle_days(account: Account, today: datetime.date) -> int | None:
    last = account.last_published_at.date() if account.last_published_at else account.opened_on
    return (today - last).days if last is not None else None


def review_due(account: Account, last_review: datetime.date | None, today: datetime.date) -> bool:
    """A yearly review is due a year after the last one, or a year after opening."""
    start = last_review or account.opened_on
    if account.status not in (AccountStatus.ACTIVE, AccountStatus.CLOSING) or start is None:
        return False
    return (today - start).days >= REVIEW_INTERVAL_DAYS


@transaction.atomic
def account_plan_record(
    *, actor: User, account: Account, need: str, goals: str, audience: str, resources: str
) -> AccountPlan:
    """Record (or update) the account's plan: need, goals, audience and resources."""
    require_role(actor, account.organisation, *PLANNERS)
    fields = {"need": need, "goals": goals, "audience": audience, "resources": resources}
    if any(not text.strip() for text in fields.values()):
        raise ValidationError(_("Fyll i behov, mål, målgrupp och resurser."))
    plan, created = AccountPlan.objects.update_or_create(
        account=account,
        defaults={
            **{key: text.strip() for key, text in fields.items()},
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    plan.full_clean()
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type="account.plan_recorded",
        target=account,
        data={**fields, "created": created},
    )
    return plan


@transaction.atomic
def account_review_record(
    *, actor: User, account: Account, purpose_still_valid: bool, outcome: str, note: str = ""
) -> AccountReview:
    """Record the yearly review; the activity is measured against the pack's passive limit."""
    require_role(actor, account.organisation, *PLANNERS)
    if outcome not in ReviewOutcome.values:
        raise ValidationError(_("Okänt beslut."))
    today = timezone.localdate()
    idle, limit = idle_days(account, today), passive_limit(account)
    if limit is not None and idle is not None and idle > limit and outcome == ReviewOutcome.KEEP:
        if not note.strip():
            raise ValidationError(
                _("Kontot är passivt enligt policyn; förklara varför det ska finnas kvar.")
            )
    review = AccountReview(
        account=account,
        reviewed_on=today,
        reviewed_by=actor,
        purpose_still_valid=purpose_still_valid,
        idle_days=idle,
        passive_limit_days=limit,
        outcome=outcome,
        note=note.strip(),
    )
    review.full_clean()
    review.save()
    audit_record(
        actor=actor,
        organisation=account.organisation,
        event_type="account.reviewed",
        target=account,
        data={
            "outcome": outcome,
            "purpose_still_valid": purpose_still_valid,
            "idle_days": idle,
            "passive_limit_days": limit,
        },
    )
    return review
