"""The policy's own life cycle (REG-10) and acknowledgement reminders (REG-9).

The comms lead names the policy's owner and its review date; the owner is
reminded before the date and records each review decision, which sets the next
date. Where the pack's `acknowledgement.required` is true, members who have not
acknowledged the version in force are reminded (at most every
`ACK_REMINDER_INTERVAL`), and the policy page lists them.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import has_role, require_member, require_role
from kanalvakt.policies.events import PolicyEvent
from kanalvakt.policies.models import (
    AcknowledgementReminder,
    PolicyReview,
    PolicyStewardship,
    ReviewDecision,
)
from kanalvakt.policies.selectors import acknowledgement_rows

logger = logging.getLogger(__name__)

ACK_REMINDER_INTERVAL = datetime.timedelta(days=14)


def acknowledgement_required(organisation: Organisation) -> bool:
    """The pack's `acknowledgement.required`: staff must confirm they read the policy."""
    version = organisation.policy_version
    return bool(version and version.pack.value("acknowledgement.required") is True)


def _mail(addresses: list[str], subject: str, body: str) -> None:
    addresses = [address for address in addresses if address]
    if not addresses:
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, addresses)
        except Exception:
            logger.exception("Could not send %r", subject)

    transaction.on_commit(send)


@transaction.atomic
def policy_stewardship_set(
    *,
    actor: User,
    organisation: Organisation,
    owner: User,
    review_on: datetime.date,
    remind_days_before: int = 30,
) -> PolicyStewardship:
    """Name the policy's owner and when it is reviewed next. The comms lead decides."""
    require_role(actor, organisation, Role.COMMS_LEAD)
    require_member(owner, organisation)
    stewardship, _created = PolicyStewardship.objects.update_or_create(
        organisation=organisation,
        defaults={
            "owner": owner,
            "review_on": review_on,
            "remind_days_before": remind_days_before,
        },
    )
    stewardship.full_clean()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=PolicyEvent.REVIEW_SCHEDULED,
        target=stewardship,
        data={"owner": owner.username, "review_on": review_on},
    )
    return stewardship


@transaction.atomic
def policy_review_decide(
    *,
    actor: User,
    organisation: Organisation,
    decision: str,
    next_review_on: datetime.date,
    note: str = "",
) -> PolicyReview:
    """Record a review of the policy in force; it sets the next review date."""
    stewardship = (
        PolicyStewardship.objects.select_for_update().filter(organisation=organisation).first()
    )
    is_owner = stewardship is not None and stewardship.owner_id == actor.pk
    if not is_owner and not has_role(actor, organisation, Role.COMMS_LEAD):
        raise PermissionDenied(_("Bara policyns ägare eller kommunikationschefen kan granska den."))
    if organisation.policy_version is None:
        raise ValidationError(_("Ingen policy är vald för organisationen."))
    if decision not in ReviewDecision.values:
        raise ValidationError(_("Okänt beslut."))
    today = timezone.localdate()
    if next_review_on <= today:
        raise ValidationError(_("Nästa granskning ska ligga efter i dag."))
    review = PolicyReview(
        organisation=organisation,
        policy_version=organisation.policy_version,
        decided_on=today,
        decided_by=actor,
        decision=decision,
        note=note.strip(),
        next_review_on=next_review_on,
    )
    review.full_clean()
    review.save()
    if stewardship is not None:
        stewardship.review_on = next_review_on
        stewardship.save(update_fields=["review_on"])
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=PolicyEvent.REVIEW_DECIDED,
        target=review,
        data={"decision": decision, "next_review_on": next_review_on, "note": review.note},
    )
    return review


def _remind_owner(stewardship: PolicyStewardship, today: datetime.date) -> bool:
    if stewardship.reminded_for == stewardship.review_on:
        return False
    if today < stewardship.review_on - datetime.timedelta(days=stewardship.remind_days_before):
        return False
    organisation = stewardship.organisation
    stewardship.reminded_for = stewardship.review_on
    stewardship.save(update_fields=["reminded_for"])
    audit_record(
        actor=None,
        organisation=organisation,
        event_type=PolicyEvent.REMINDER_SENT,
        target=stewardship,
        data={"to": stewardship.owner.username, "review_on": stewardship.review_on},
    )
    _mail(
        [stewardship.owner.email],
        f"Policyn ska granskas senast {stewardship.review_on:%Y-%m-%d} – {organisation}",
        f"Du är ägare till {organisation}s policy för sociala medier. Den ska granskas senast "
        f"{stewardship.review_on:%Y-%m-%d}. Registrera beslutet i Kanalvakt: "
        f"{settings.SITE_URL.rstrip('/')}/o/{organisation.slug}/policy/granskning/\n",
    )
    return True


def _remind_acknowledgements(organisation: Organisation, now: datetime.datetime) -> int:
    version = organisation.policy_version
    if version is None or not acknowledgement_required(organisation):
        return 0
    sent = 0
    for row in acknowledgement_rows(organisation=organisation, policy_version=version):
        if row.acknowledged_at is not None:
            continue
        last = AcknowledgementReminder.objects.filter(
            organisation=organisation, user=row.user, policy_version=version
        ).first()
        if last is not None and now - last.sent_at < ACK_REMINDER_INTERVAL:
            continue
        reminder = AcknowledgementReminder.objects.create(
            organisation=organisation, user=row.user, policy_version=version, sent_at=now
        )
        audit_record(
            actor=None,
            organisation=organisation,
            event_type=PolicyEvent.REMINDER_SENT,
            target=reminder,
            data={"to": row.user.username, "version": version.version},
        )
        _mail(
            [row.user.email],
            f"Bekräfta att du läst policyn – {organisation}",
            f"{organisation}s policy för sociala medier kräver att du bekräftar att du läst "
            f"den ({version.title}, version {version.version}): "
            f"{settings.SITE_URL.rstrip('/')}/o/{organisation.slug}/policy/\n",
        )
        sent += 1
    return sent


@transaction.atomic
def policy_reminders_send(*, today: datetime.date | None = None) -> int:
    """Daily: remind owners before review dates and staff who have not acknowledged."""
    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    for stewardship in PolicyStewardship.objects.select_related("organisation", "owner"):
        sent += int(_remind_owner(stewardship, today))
    for organisation in Organisation.objects.filter(policy_version__isnull=False).select_related(
        "policy_version"
    ):
        sent += _remind_acknowledgements(organisation, now)
    return sent


@transaction.atomic
def acknowledgement_remind(*, actor: User, organisation: Organisation) -> int:
    """The comms lead sends the acknowledgement reminders now (same rules as the daily job)."""
    require_role(actor, organisation, Role.COMMS_LEAD)
    if not acknowledgement_required(organisation):
        raise ValidationError(_("Policyn kräver inte att medarbetarna kvitterar den."))
    return _remind_acknowledgements(organisation, timezone.now())
