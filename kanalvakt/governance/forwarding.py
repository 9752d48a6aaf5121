"""Forwarded matters as tracked steps with a due date (`inbox.forward_to_case_officer`).

The registrar forwards a registered matter to a case officer (records). A
sweep turns every such forward in an organisation whose pack asks for it into
a `ForwardedMatter` due by the pack's response time, reminds the case officer
once when it is overdue, and the case officer marks it answered.
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
from kanalvakt.governance.models import ForwardedMatter
from kanalvakt.inbox import clock
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import has_role
from kanalvakt.records.models import Registration

logger = logging.getLogger(__name__)


def forwarding_tracked(organisation: Organisation) -> bool:
    """The pack's `inbox.forward_to_case_officer` is true."""
    version = organisation.policy_version
    return bool(version and version.pack.value("inbox.forward_to_case_officer") is True)


def _due(organisation: Organisation, start: datetime.datetime) -> datetime.datetime | None:
    version = organisation.policy_version
    if version is None:
        return None
    pack = version.pack
    deadline = pack.value("response_times.default")
    if not isinstance(deadline, dict) or not deadline.get("kind"):
        return None
    return clock.due_at(start, deadline, clock.BusinessCalendar.from_rule(pack.value("calendar")))


def _remind(matter: ForwardedMatter, now: datetime.datetime) -> None:
    matter.reminded_at = now
    matter.save(update_fields=["reminded_at"])
    audit_record(
        actor=None,
        organisation=matter.organisation,
        event_type="forward.reminded",
        target=matter,
        data={"to": matter.case_officer.username},
    )
    email = matter.case_officer.email
    if not email or matter.due_at is None:
        return
    subject = f"Obesvarat ärende {matter.registration.record_number}"
    body = (
        f"Ärendet {matter.registration.record_number} skickades till dig "
        f"{timezone.localtime(matter.forwarded_at):%Y-%m-%d %H:%M} och skulle besvaras "
        f"senast {timezone.localtime(matter.due_at):%Y-%m-%d %H:%M}: "
        f"{settings.SITE_URL.rstrip('/')}/o/{matter.organisation.slug}/vidarebefordrat/\n"
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


@transaction.atomic
def forwarded_matters_track(*, now: datetime.datetime | None = None) -> int:
    """Track new forwards and remind case officers of overdue ones. Returns how many changed."""
    now = now or timezone.now()
    changed = 0
    forwards = (
        Registration.objects.filter(forwarded_to_user__isnull=False, forwarded_at__isnull=False)
        .exclude(pk__in=ForwardedMatter.objects.values("registration_id"))
        .select_related("organisation__policy_version", "forwarded_to_user")
    )
    for registration in forwards:
        organisation = registration.organisation
        if not forwarding_tracked(organisation):
            continue
        assert registration.forwarded_at is not None and registration.forwarded_to_user is not None
        matter = ForwardedMatter.objects.create(
            organisation=organisation,
            registration=registration,
            case_officer=registration.forwarded_to_user,
            forwarded_at=registration.forwarded_at,
            due_at=_due(organisation, registration.forwarded_at),
        )
        audit_record(
            actor=None,
            organisation=organisation,
            event_type="forward.tracked",
            target=matter,
            data={"registration": registration.pk, "due_at": matter.due_at},
        )
        changed += 1
    overdue = ForwardedMatter.objects.filter(
        answered_at__isnull=True, reminded_at__isnull=True, due_at__lte=now
    ).select_related("case_officer", "organisation", "registration")
    for matter in overdue:
        _remind(matter, now)
        changed += 1
    return changed


@transaction.atomic
def forwarded_matter_answer(*, actor: User, matter: ForwardedMatter, note: str) -> ForwardedMatter:
    """The case officer (or the comms lead or registrar) records that the matter is answered."""
    allowed = matter.case_officer_id == actor.pk or has_role(
        actor, matter.organisation, Role.COMMS_LEAD, Role.REGISTRAR
    )
    if not allowed:
        raise PermissionDenied(_("Bara handläggaren kan markera ärendet som besvarat."))
    if matter.answered_at is not None:
        raise ValidationError(_("Ärendet är redan besvarat."))
    if not note.strip():
        raise ValidationError(_("Skriv hur ärendet besvarades."))
    matter.answered_at = timezone.now()
    matter.answered_by = actor
    matter.answer_note = note.strip()
    matter.save(update_fields=["answered_at", "answered_by", "answer_note"])
    audit_record(
        actor=actor,
        organisation=matter.organisation,
        event_type="forward.answered",
        target=matter,
        data={"note": matter.answer_note},
    )
    return matter
