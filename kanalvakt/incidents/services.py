"""Reporting and following up incidents (SEC-2), to whom the pack says.

Kyrkslätt 003: "Om man märker eller ens misstänker att man blir utsatt för
missbruk (t.ex. identitetstöld eller -förfalskning, fiskande, skadeprogram, hot)
… ska man genast underrätta sin chef eller direkt kontakta
informationsförvaltningen. Chefen ska också alltid informera
informationsförvaltningen om en sådan sak." The pack's
`security.incident_report_to` names the recipients; without it Kanalvakt tells
the manager and IT and says so. IT is reached at `KANALVAKT_IT_EMAIL`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.incidents.models import Incident, IncidentKind, IncidentStatus, IncidentUpdate
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_member, require_role
from kanalvakt.organisations.selectors import users_with_role
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)

DEFAULT_RECIPIENTS = ["manager", "it"]
HANDLERS = (Role.COMMS_LEAD, Role.MANAGER, Role.ACCOUNT_OWNER)

# Where the platforms take reports of impersonation; shown as links, never fetched.
FAKE_ACCOUNT_REPORT_PAGES = {
    "facebook": "https://www.facebook.com/help/contact/295309487309948",
    "instagram": "https://help.instagram.com/contact/636276399721841",
    "x": "https://help.x.com/forms/impersonation",
    "youtube": "https://support.google.com/youtube/answer/2801947",
    "linkedin": "https://www.linkedin.com/help/linkedin/answer/a1338436",
    "tiktok": "https://www.tiktok.com/legal/report/impersonation",
}


def report_recipients(organisation: Organisation) -> tuple[list[str], str]:
    """The pack's `security.incident_report_to`, else Kanalvakt's default (said so)."""
    version = organisation.policy_version
    rule = version.pack.rule("security.incident_report_to") if version is not None else None
    if rule is not None and isinstance(rule.value, list) and rule.value:
        where = f"security.incident_report_to ({rule.source})" if rule.source else rule.path
        return [str(role) for role in rule.value], where
    return list(DEFAULT_RECIPIENTS), "Kanalvaktsstandard: policyn säger inget om incidenter."


def _addresses(organisation: Organisation, roles: list[str]) -> list[str]:
    emails = {
        user.email
        for role in roles
        if role in Role.values
        for user in users_with_role(organisation=organisation, role=role)
        if user.email
    }
    it_email = str(getattr(settings, "KANALVAKT_IT_EMAIL", "") or "")
    if "it" in roles and it_email:
        emails.add(it_email)
    return sorted(emails)


def _mail(addresses: list[str], subject: str, body: str) -> None:
    if not addresses:
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, addresses)
        except Exception:
            logger.exception("Could not send %r to %s", subject, addresses)

    transaction.on_commit(send)


@transaction.atomic
def incident_report(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    description: str,
    account: Account | None = None,
    fake_account_url: str = "",
) -> Incident:
    """Log an incident and tell the people the pack names, at once."""
    require_member(actor, organisation)
    if kind not in IncidentKind.values:
        raise ValidationError(_("Okänd typ av incident: %(kind)s") % {"kind": kind})
    if account is not None and account.organisation_id != organisation.pk:
        raise ValidationError(_("Kontot hör till en annan organisation."))
    if kind == IncidentKind.FAKE_ACCOUNT and not fake_account_url.strip():
        raise ValidationError(_("Ange adressen till det falska kontot."))
    roles, where = report_recipients(organisation)
    incident = Incident(
        organisation=organisation,
        kind=kind,
        account=account,
        description=description.strip(),
        fake_account_url=fake_account_url.strip(),
        status=IncidentStatus.REPORTED,
        reported_by=actor,
        reported_at=timezone.now(),
        reported_to=roles,
        rule=where[:300],
    )
    incident.full_clean()
    incident.save()
    addresses = _addresses(organisation, roles)
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type="incident.reported",
        target=incident,
        data={"kind": kind, "to": roles, "emails": addresses, "rule": where},
    )
    body = (
        f"{actor} har rapporterat en incident i {organisation}: {incident.get_kind_display()}.\n\n"
        f"{incident.description}\n\n"
        + (f"Konto: {account}\n" if account else "")
        + (f"Falskt konto: {incident.fake_account_url}\n" if incident.fake_account_url else "")
        + f"Regel: {where}\n"
    )
    _mail(addresses, f"BRÅDSKANDE: incident – {incident.get_kind_display()}", body)
    return incident


_TRANSITIONS = {
    IncidentStatus.REPORTED: {IncidentStatus.IN_PROGRESS, IncidentStatus.RESOLVED},
    IncidentStatus.IN_PROGRESS: {IncidentStatus.IN_PROGRESS, IncidentStatus.RESOLVED},
    IncidentStatus.RESOLVED: set(),
}


@transaction.atomic
def incident_follow_up(*, actor: User, incident: Incident, status: str, note: str) -> Incident:
    """Record a follow-up; `resolved` closes the incident."""
    require_role(actor, incident.organisation, *HANDLERS)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not note.strip():
        raise ValidationError(_("Skriv vad som har gjorts."))
    if status not in _TRANSITIONS[IncidentStatus(incident.status)]:
        raise ValidationError(_("Incidenten kan inte få den statusen nu."))
    old = incident.status
    IncidentUpdate.objects.create(
        incident=incident, author=actor, at=timezone.now(), status=status, note=note.strip()
    )
    incident.status = status
    fields = ["status"]
    if status == IncidentStatus.RESOLVED:
        incident.resolved_at = timezone.now()
        fields.append("resolved_at")
    incident.save(update_fields=fields)
    audit_record(
        actor=actor,
        organisation=incident.organisation,
        event_type="incident.followed_up",
        target=incident,
        data={"old": old, "new": status, "note": note.strip()},
    )
    return incident
