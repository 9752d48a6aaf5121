"""Opening and closing corrections (INB-8), with the pack's deadline and template."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.corrections.models import Correction, CorrectionStatus
from kanalvakt.inbox import clock
from kanalvakt.inbox.models import InboxEntry, Item, Reply, ReplyState
from kanalvakt.inbox.services import deadline_for
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.policies.pack import Pack

HANDLERS = (Role.ACCOUNT_OWNER, Role.SUBSTITUTE, Role.COMMS_LEAD, Role.PUBLISHER)
DEFAULT_TEMPLATE = (
    "Hej! Här är det som gäller: {fix}. Du kan läsa mer på {source_link}. "
    "Hälsningar {name}, {organisation}"
)


def _pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def corrections_asked(organisation: Organisation) -> str:
    """The rule that asks for corrections ('' when the pack does not)."""
    pack = _pack(organisation)
    rule = pack.rule("inbox.correct_misinformation") if pack else None
    if rule is None or rule.value is not True:
        return ""
    return f"inbox.correct_misinformation ({rule.source})" if rule.source else rule.path


def correction_template(organisation: Organisation) -> str:
    """The pack's reply template for misinformation (Swedish), else Kanalvakt's default."""
    pack = _pack(organisation)
    for rule in pack.rule_list("reply_templates") if pack else []:
        value = rule.value or {}
        if "misinformation" in value.get("intents", []) and value.get("body", {}).get("sv"):
            return str(value["body"]["sv"])
    return DEFAULT_TEMPLATE


def _deadline(entry: InboxEntry) -> tuple[datetime.datetime | None, str]:
    pack = _pack(entry.organisation)
    found = deadline_for(pack, platform=entry.item.platform, intent="misinformation")
    if found is None or pack is None:
        return None, ""
    path, deadline = found
    calendar = clock.BusinessCalendar.from_rule(pack.value("calendar"))
    return clock.due_at(entry.item.created_at, deadline, calendar), path


@transaction.atomic
def correction_open(*, actor: User | None, entry: InboxEntry) -> Correction:
    """Open the correction task for an entry (once); the machine or a handler may."""
    if actor is not None:
        require_role(actor, entry.organisation, *HANDLERS)
    existing = Correction.objects.filter(entry=entry).first()
    if existing is not None:
        return existing
    rule = corrections_asked(entry.organisation) or "Öppnad för hand."
    due_at, deadline_rule = _deadline(entry)
    correction = Correction(
        organisation=entry.organisation,
        entry=entry,
        status=CorrectionStatus.OPEN,
        opened_at=timezone.now(),
        opened_by=actor,
        rule=rule[:300],
        due_at=due_at,
        deadline_rule=deadline_rule,
        template=correction_template(entry.organisation),
    )
    correction.full_clean()
    correction.save()
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type="correction.opened",
        target=correction,
        data={"entry": entry.pk, "due_at": due_at, "rule": rule},
    )
    return correction


def item_open_correction(*, item: Item) -> Correction | None:
    """Processing step: misinformation on an account of an organisation whose pack asks."""
    # Processing has the entry at hand (`entries_open` sets it); else it is read.
    entry = getattr(item, "entry", None)
    if entry is None or entry.intent != "misinformation" or item.by_account:
        return None
    if not corrections_asked(item.organisation):
        return None
    return correction_open(actor=None, entry=entry)


def _own_hosts(organisation: Organisation) -> set[str]:
    hosts = set()
    if organisation.website:
        hosts.add((urlsplit(organisation.website).hostname or "").removeprefix("www."))
    pack = _pack(organisation)
    link = pack.value("publishing.website_link") if pack else None
    if isinstance(link, dict):
        hosts |= {str(domain) for domain in link.get("domains", [])}
    return {host for host in hosts if host}


def _on_own_website(organisation: Organisation, url: str) -> bool:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return any(host == own or host.endswith("." + own) for own in _own_hosts(organisation))


@transaction.atomic
def correction_set_source(*, actor: User, correction: Correction, source_url: str) -> Correction:
    """The link to the facts on the organisation's own website that the correction cites."""
    require_role(actor, correction.organisation, *HANDLERS)
    url = source_url.strip()
    if not _on_own_website(correction.organisation, url):
        raise ValidationError(_("Källan ska vara en sida på organisationens egen webbplats."))
    correction.source_url = url
    correction.full_clean()
    correction.save(update_fields=["source_url"])
    audit_record(
        actor=actor,
        organisation=correction.organisation,
        event_type="correction.source_set",
        target=correction,
        data={"source_url": url},
    )
    return correction


@transaction.atomic
def correction_close(
    *, actor: User, correction: Correction, correction_url: str = ""
) -> Correction:
    """Close the task by the published correction (its address) or a reply sent on the item."""
    require_role(actor, correction.organisation, *HANDLERS)
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.status == CorrectionStatus.CLOSED:
        raise ValidationError(_("Rättelsen är redan gjord."))
    if not correction.source_url:
        raise ValidationError(_("Ange först källan på organisationens webbplats."))
    reply = (
        Reply.objects.filter(entry=correction.entry, state=ReplyState.SENT).order_by("pk").last()
    )
    url = correction_url.strip()
    if reply is None and not url:
        raise ValidationError(
            _("Svara på inlägget eller ange adressen till den publicerade rättelsen.")
        )
    if url and not urlsplit(url).scheme.startswith("http"):
        raise PermissionDenied(_("Ogiltig adress."))
    correction.status = CorrectionStatus.CLOSED
    correction.closed_at = timezone.now()
    correction.closed_by = actor
    correction.closed_by_reply = reply if not url else None
    correction.correction_url = url
    correction.full_clean()
    correction.save(
        update_fields=["status", "closed_at", "closed_by", "closed_by_reply", "correction_url"]
    )
    audit_record(
        actor=actor,
        organisation=correction.organisation,
        event_type="correction.closed",
        target=correction,
        data={"correction_url": url, "reply": reply.pk if reply and not url else None},
    )
    return correction
