"""Receiving items: store the delivery, cut out items, record edits and deletions.

Each function is idempotent: the same delivery or item arriving twice stores
nothing new. Follow-up work is enqueued on commit of the same transaction, so
an item is never stored without its processing being queued.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.base import ActionNotSupported, ConnectorProblem, IncomingItem
from kanalvakt.connectors.http import ConnectorError, NotFound, RateLimited, TokenExpired
from kanalvakt.connectors.registry import connector_for, has_connector
from kanalvakt.inbox import clock
from kanalvakt.inbox.connection import account_config_for, item_ref
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.intent import NEGATIVE_INTENTS, Intent, classify
from kanalvakt.inbox.models import (
    OPEN_STATES,
    Delivery,
    DeliverySource,
    EntryState,
    Escalation,
    Forward,
    InboxEntry,
    Item,
    ItemVersion,
    PlatformCredentials,
    PublishedPost,
    Reply,
    ReplyState,
)
from kanalvakt.inbox.routing import route
from kanalvakt.inbox.triggers import Trigger, TriggerMatch, detect
from kanalvakt.notifications.models import NotificationKind
from kanalvakt.organisations.models import Membership, Organisation, Role, User
from kanalvakt.organisations.permissions import has_role, require_member, require_role
from kanalvakt.organisations.selectors import users_with_role
from kanalvakt.policies.crisis import crisis_response_time, current_crisis, organisation_in_crisis
from kanalvakt.policies.pack import Pack
from kanalvakt.register.models import Account, pack_channel

logger = logging.getLogger(__name__)

KEPT_HEADERS = (
    "content-type",
    "user-agent",
    "x-hub-signature-256",
    "x-twitter-webhooks-signature",
    "x-request-id",
)


@dataclass(frozen=True)
class DeliveryResult:
    delivery: Delivery
    created: bool


def delivery_store(
    *,
    organisation: Organisation,
    platform: str,
    source: DeliverySource,
    body: bytes,
    content_type: str = "",
    headers: Mapping[str, str] | None = None,
) -> DeliveryResult:
    """Keep the exact bytes of a delivery; a repeated delivery returns the stored one."""
    digest = hashlib.sha256(body).hexdigest()
    existing = Delivery.objects.filter(
        organisation=organisation, platform=platform, sha256=digest
    ).first()
    if existing is not None:
        return DeliveryResult(existing, created=False)
    kept = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in KEPT_HEADERS}
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                organisation=organisation,
                platform=platform,
                source=source,
                received_at=timezone.now(),
                body=body,
                sha256=digest,
                content_type=content_type[:100],
                headers=kept,
            )
    except IntegrityError:
        # Another process stored the same delivery a moment ago.
        delivery = Delivery.objects.get(organisation=organisation, platform=platform, sha256=digest)
        return DeliveryResult(delivery, created=False)
    return DeliveryResult(delivery, created=True)


@dataclass(frozen=True)
class IngestResult:
    item: Item
    created: bool
    version: ItemVersion | None = None


def _enqueue_processing(item_id: int) -> None:
    from kanalvakt.inbox.tasks import item_process

    item_process.enqueue(item_id)


def _latest_state(item: Item) -> tuple[str, bool]:
    latest = item.versions.order_by("-recorded_at", "-pk").first()
    if latest is None:
        return item.text, False
    return latest.text, latest.deleted


def item_ingest(
    *, account: Account, incoming: IncomingItem, delivery: Delivery | None = None
) -> IngestResult:
    """Store one incoming item, or record how a known item changed on the platform."""
    with transaction.atomic():
        item = (
            Item.objects.select_for_update()
            .filter(account=account, external_id=incoming.external_id)
            .first()
        )
        if item is None:
            return _item_create(account=account, incoming=incoming, delivery=delivery)
        text, deleted = _latest_state(item)
        if incoming.deleted and not deleted:
            version = _version_create(item, incoming, delivery, deleted=True, text=text)
            event = InboxEvent.ITEM_DELETED_ON_PLATFORM
        elif not incoming.deleted and incoming.text != text and not deleted:
            version = _version_create(item, incoming, delivery, deleted=False, text=incoming.text)
            event = InboxEvent.ITEM_EDITED
        else:
            return IngestResult(item, created=False)
        audit_record(
            actor=None,
            organisation=account.organisation,
            event_type=event,
            target=item,
            data={"version": version.pk, "sha256": version.raw_sha256},
        )
        if event == InboxEvent.ITEM_DELETED_ON_PLATFORM:
            _entry_close_deleted(item)
        return IngestResult(item, created=False, version=version)


def _entry_close_deleted(item: Item) -> None:
    """A message its writer deleted needs no answer any more."""
    entry = InboxEntry.objects.filter(item=item, state__in=OPEN_STATES).first()
    if entry is None:
        return
    entry.state = EntryState.CLOSED
    entry.closed_at = timezone.now()
    entry.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=None,
        organisation=item.organisation,
        event_type=InboxEvent.ENTRY_CLOSED,
        target=entry,
        data={"reason": "deleted_on_platform"},
    )


def _item_create(
    *, account: Account, incoming: IncomingItem, delivery: Delivery | None
) -> IngestResult:
    now = timezone.now()
    item = Item(
        organisation=account.organisation,
        account=account,
        delivery=delivery,
        platform=incoming.platform,
        external_id=incoming.external_id,
        kind=str(incoming.kind),
        parent_external_id=incoming.parent_external_id or "",
        thread_id=incoming.thread_id or "",
        author_name=incoming.author_name[:300],
        author_handle=incoming.author_handle[:300],
        author_external_id=incoming.author_external_id[:200],
        by_account=incoming.by_account,
        text=incoming.text,
        language_hint=(incoming.language or "")[:10],
        url=incoming.url[:1000],
        attachments=list(incoming.attachments),
        platform_data=dict(incoming.platform_data),
        created_at=incoming.created_at,
        received_at=now,
        raw=incoming.raw,
        raw_sha256=incoming.sha256,
    )
    item.save()
    audit_record(
        actor=None,
        organisation=account.organisation,
        event_type=InboxEvent.ITEM_RECEIVED,
        target=item,
        data={"sha256": item.raw_sha256, "platform": item.platform, "kind": item.kind},
    )
    if incoming.deleted:
        _version_create(item, incoming, delivery, deleted=True, text=incoming.text)
    transaction.on_commit(lambda: _enqueue_processing(item.pk))
    return IngestResult(item, created=True)


def _version_create(
    item: Item, incoming: IncomingItem, delivery: Delivery | None, *, deleted: bool, text: str
) -> ItemVersion:
    return ItemVersion.objects.create(
        item=item,
        delivery=delivery,
        text=text,
        edited_at=incoming.edited_at,
        deleted=deleted,
        recorded_at=timezone.now(),
        raw=incoming.raw,
        raw_sha256=incoming.sha256,
    )


@transaction.atomic
def platform_credentials_set(
    *,
    actor: User,
    organisation: Organisation,
    platform: str,
    app_secret: str,
    verify_token: str = "",
) -> PlatformCredentials:
    """Save the app secret webhooks are signed with; the webhook address stays the same."""
    require_role(actor, organisation, Role.COMMS_LEAD)
    credentials, _ = PlatformCredentials.objects.update_or_create(
        organisation=organisation,
        platform=platform,
        defaults={"app_secret": app_secret, "verify_token": verify_token},
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=InboxEvent.CREDENTIALS_SET,
        target=credentials,
        data={"platform": platform},
    )
    return credentials


# ---------------------------------------------------------------------------
# The workflow around an item: entry, intent, clock, routing, replies,
# forwards and escalations (INB-2 … INB-6).

LATE_ARRIVAL = datetime.timedelta(days=2)
"""An item received later than this after it was written (an import, a late poll)
starts its clock on receipt, so history does not flood the overdue list."""


def _pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def current_text(item: Item) -> str:
    text, _deleted = _latest_state(item)
    return text


def deadline_for(
    pack: Pack | None, *, platform: str, intent: str
) -> tuple[str, dict[str, Any]] | None:
    """The pack's deadline for an item: negative messages, then the platform, then default."""
    if pack is None:
        return None
    paths = []
    if intent in NEGATIVE_INTENTS:
        paths.append("response_times.negative")
    paths += [f"response_times.platforms.{pack_channel(platform)}", "response_times.default"]
    for path in paths:
        value = pack.value(path)
        if isinstance(value, dict) and value.get("kind"):
            return path, value
    return None


def _calendar(pack: Pack | None) -> clock.BusinessCalendar:
    return clock.BusinessCalendar.from_rule(pack.value("calendar") if pack else None)


def _clock_start(item: Item) -> datetime.datetime:
    if item.received_at - item.created_at > LATE_ARRIVAL:
        return item.received_at
    return item.created_at


def _due(item: Item, pack: Pack | None, intent: str) -> tuple[datetime.datetime | None, str, str]:
    crisis = (
        crisis_response_time(item.organisation)
        if organisation_in_crisis(item.organisation)
        else None
    )
    found = ("crisis.response_time", crisis) if crisis else None
    found = found or deadline_for(pack, platform=item.platform, intent=intent)
    if found is None:
        return None, "", ""
    path, deadline = found
    try:
        due = clock.due_at(_clock_start(item), deadline, _calendar(pack))
    except clock.DeadlineError:
        logger.exception("Unusable deadline %s in pack %s", path, pack.id if pack else "")
        return None, path, ""
    return due, path, clock.describe(deadline)


def _do_not_answer(pack: Pack | None) -> set[str]:
    value = pack.value("inbox.do_not_answer") if pack else None
    return {str(intent) for intent in value} if isinstance(value, list) else set()


def item_is_imported(item: Item) -> bool:
    """Items from an account's export archive are history, not mail waiting for an answer."""
    return item.delivery is not None and item.delivery.source == DeliverySource.IMPORT


def _initial_state(item: Item, pack: Pack | None, intent: str) -> EntryState:
    if item.by_account or item_is_imported(item) or intent in _do_not_answer(pack):
        return EntryState.NO_ANSWER_NEEDED
    return EntryState.NEW


@transaction.atomic
def entry_open(*, item: Item) -> InboxEntry:
    """Create the item's inbox entry: intent, due time, who answers. Once per item."""
    existing = InboxEntry.objects.filter(item=item).first()
    if existing is not None:
        return existing
    organisation = item.organisation
    pack = _pack(organisation)
    classification = classify(current_text(item))
    intent = str(classification.intent)
    state = _initial_state(item, pack, intent)
    due, path, text = _due(item, pack, intent) if state == EntryState.NEW else (None, "", "")
    routed = route(item, pack=pack, today=timezone.localdate())
    entry = InboxEntry(
        organisation=organisation,
        account=item.account,
        item=item,
        state=state,
        intent=intent,
        intent_words=classification.words,
        due_at=due,
        deadline_rule=path,
        deadline_text=text,
        assigned_to=routed.user,
        routed_because=routed.because[:300],
        created_at=timezone.now(),
    )
    if state != EntryState.NEW:
        entry.closed_at = entry.created_at
    entry.full_clean()
    entry.save()
    audit_record(
        actor=None,
        organisation=organisation,
        event_type=InboxEvent.ENTRY_OPENED,
        target=entry,
        data={
            "item": item.pk,
            "intent": intent,
            "words": classification.words,
            "due_at": due,
            "deadline_rule": path,
            "assigned_to": routed.user.username,
        },
    )
    return entry


def may_handle(user: User, entry: InboxEntry) -> bool:
    """Who may answer, forward, close or correct an entry: whoever may act for the account
    (`account_authority`, REG-3); where the pack requires no mandate, also the assignee."""
    from kanalvakt.register.selectors import account_authority, mandates_required

    if account_authority(user=user, account=entry.account):
        return True
    return user.pk == entry.assigned_to_id and not mandates_required(_pack(entry.organisation))


def _require_handler(actor: User, entry: InboxEntry) -> None:
    if not may_handle(actor, entry):
        raise PermissionDenied(
            _("%(name)s får inte hantera meddelanden på %(account)s.")
            % {"name": actor, "account": entry.account}
        )


def _claim(entry: InboxEntry) -> InboxEntry:
    return InboxEntry.objects.select_for_update().select_related("item", "account").get(pk=entry.pk)


@transaction.atomic
def entry_set_intent(*, actor: User, entry: InboxEntry, intent: str) -> InboxEntry:
    """A person corrects the intent; the due time and state follow the new intent."""
    _require_handler(actor, entry)
    if intent not in Intent.values:
        raise ValidationError(_("Okänd avsikt: %(intent)s") % {"intent": intent})
    entry = _claim(entry)
    old = {"intent": entry.intent, "state": entry.state, "due_at": entry.due_at}
    pack = _pack(entry.organisation)
    entry.intent = intent
    entry.intent_corrected_by = actor
    fields = ["intent", "intent_corrected_by"]
    if entry.state in (*OPEN_STATES, EntryState.NO_ANSWER_NEEDED):
        state = _initial_state(entry.item, pack, intent)
        if state == EntryState.NO_ANSWER_NEEDED:
            entry.state, entry.closed_at, entry.due_at = state, timezone.now(), None
        else:
            if entry.state == EntryState.NO_ANSWER_NEEDED:
                entry.state, entry.closed_at = EntryState.NEW, None
            entry.due_at, entry.deadline_rule, entry.deadline_text = _due(entry.item, pack, intent)
        fields += ["state", "closed_at", "due_at", "deadline_rule", "deadline_text"]
    entry.full_clean()
    entry.save(update_fields=fields)
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_INTENT_CORRECTED,
        target=entry,
        data={"old": old, "new": {"intent": intent, "state": entry.state, "due_at": entry.due_at}},
    )
    return entry


@transaction.atomic
def entry_assign(*, actor: User, entry: InboxEntry, to: User) -> InboxEntry:
    _require_handler(actor, entry)
    require_member(to, entry.organisation)
    entry = _claim(entry)
    old = entry.assigned_to.username if entry.assigned_to else None
    entry.assigned_to = to
    entry.routed_because = f"Tilldelat av {actor}."
    fields = ["assigned_to", "routed_because"]
    if entry.state == EntryState.NEW:
        entry.state = EntryState.ASSIGNED
        fields.append("state")
    entry.save(update_fields=fields)
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_ASSIGNED,
        target=entry,
        data={"old": old, "new": to.username},
    )
    if to.pk != actor.pk:
        words = {"name": actor, "account": entry.account}
        _notify(
            [to],
            NotificationKind.ASSIGNED,
            _("%(name)s har tilldelat dig ett meddelande på %(account)s") % words,
            current_text(entry.item)[:500],
            entry,
        )
    return entry


@transaction.atomic
def entry_close(*, actor: User, entry: InboxEntry, no_answer_needed: bool = False) -> InboxEntry:
    """Close an entry handled elsewhere, or mark that it needs no answer."""
    _require_handler(actor, entry)
    entry = _claim(entry)
    old = entry.state
    entry.state = EntryState.NO_ANSWER_NEEDED if no_answer_needed else EntryState.CLOSED
    entry.closed_at = timezone.now()
    entry.handled_by = actor
    entry.save(update_fields=["state", "closed_at", "handled_by"])
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ENTRY_CLOSED,
        target=entry,
        data={"old": old, "new": entry.state},
    )
    return entry


# Replies --------------------------------------------------------------------

UNFILLED = re.compile(r"\{(cause|fix|channel|organisation|name)\}")


def _writer_role(organisation: Organisation, writer: User) -> str:
    """The writer's title in the organisation, else the name of their role (`{role}`)."""
    membership = (
        writer.memberships.filter(organisation=organisation).order_by("-title", "pk").first()
    )
    if membership is None:
        return ""
    return membership.title or str(membership.get_role_display())


def _fill(text: str, organisation: Organisation, writer: User) -> str:
    if "{role}" in text:
        role = _writer_role(organisation, writer)
        text = text.replace(", {role}", f", {role}" if role else "").replace("{role}", role)
    return text.replace("{organisation}", organisation.name).replace(
        "{name}", writer.get_full_name() or writer.username
    )


def reply_signature(*, organisation: Organisation, writer: User) -> str:
    """The pack's `inbox.reply_signature` with the organisation and the writer's name."""
    pack = _pack(organisation)
    value = pack.value("inbox.reply_signature") if pack else None
    template = value.get("format") if isinstance(value, dict) else None
    return _fill(str(template or "{organisation} / {name}"), organisation, writer)


def sign(text: str, *, organisation: Organisation, writer: User) -> str:
    """The text as it goes out: signed, unless it already carries the signature."""
    text = text.strip()
    signature = reply_signature(organisation=organisation, writer=writer)
    name = writer.get_full_name() or writer.username
    ending = text[-200:]
    if signature in text or (organisation.name in ending and name in ending):
        # Signed already, e.g. by a template's own "Hälsningar {name}, {organisation}".
        return text
    return f"{text}\n\n{signature}"


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    intents: list[str]
    language: str
    body: str


def reply_templates(*, organisation: Organisation, writer: User) -> list[Template]:
    """The pack's reply templates, one per language, with organisation and name filled in."""
    pack = _pack(organisation)
    templates = []
    for rule in pack.rule_list("reply_templates") if pack else []:
        value = rule.value or {}
        for language, body in (value.get("body") or {}).items():
            templates.append(
                Template(
                    key=str(value.get("key", "")),
                    title=str(value.get("title", "")),
                    intents=[str(intent) for intent in value.get("intents", [])],
                    language=str(language),
                    body=_fill(str(body), organisation, writer),
                )
            )
    period = current_crisis(organisation)
    if period is not None and period.holding_message:
        # Crisis mode (REG-11): the holding message is offered first.
        holding = Template("crisis_holding", "Avvaktande meddelande (krisläge)", [], "sv", "")
        templates.insert(
            0, replace(holding, body=_fill(period.holding_message, organisation, writer))
        )
    return templates


def templates_for_intent(templates: Sequence[Template], intent: str) -> list[Template]:
    """Templates that fit the intent (criticism also fits negative-feedback templates)."""
    wanted = {intent}
    if intent in NEGATIVE_INTENTS:
        wanted.add("negative_feedback")
    return [template for template in templates if wanted & set(template.intents)]


def failure_reason(error: Exception) -> str:
    """Why a platform call failed, in the reader's language (the detail stays in the log)."""
    if isinstance(error, TokenExpired):
        return _("kontots anslutning har gått ut. Förnya den under Anslutningar.")
    if isinstance(error, RateLimited):
        return _("plattformen tar inte emot fler anrop just nu. Försök igen om en stund.")
    if isinstance(error, NotFound):
        return _("meddelandet finns inte längre på plattformen.")
    if isinstance(error, ActionNotSupported):
        return _("plattformen tillåter inte det här.")
    return _("plattformen svarade inte som väntat. Försök igen om en stund.")


def reply_send(*, actor: User, entry: InboxEntry, text: str, template_key: str = "") -> Reply:
    """Send a reply through the account's connector and record it.

    Not one transaction on purpose: the reply is recorded as `sending` and
    committed before the platform call, so a process killed during the call
    leaves a visible trace; then it becomes `sent` (closing the entry) or
    `failed` with the reason.
    """
    _require_handler(actor, entry)
    text = text.strip()
    if not text:
        raise ValidationError(_("Skriv ett svar."))
    if UNFILLED.search(text):
        raise ValidationError(
            _("Fyll i mallens platshållare (till exempel {cause} och {fix}) innan du skickar.")
        )
    account = entry.account
    if not has_connector(account.platform):
        raise ValidationError(
            _(
                "Kanalvakt kan inte svara på %(platform)s. Svara direkt på plattformen och "
                "avsluta ärendet här."
            )
            % {"platform": account.get_platform_display()}
        )
    config = account_config_for(account)
    if config is None:
        raise ValidationError(
            _(
                "Kontot %(account)s är inte anslutet till Kanalvakt, så svaret kan inte skickas "
                "härifrån. Anslut kontot, eller svara direkt på plattformen och avsluta ärendet."
            )
            % {"account": account}
        )
    signed = sign(text, organisation=entry.organisation, writer=actor)
    with transaction.atomic():
        reply = Reply(
            entry=entry,
            author=actor,
            text=signed,
            template_key=template_key[:80],
            created_at=timezone.now(),
        )
        reply.full_clean()
        reply.save()
    connector = connector_for(account.platform)
    try:
        external_id = connector.reply(config, item_ref(entry.item), signed)
    except (ConnectorProblem, ConnectorError) as error:
        with transaction.atomic():
            reply.state = ReplyState.FAILED
            reply.error = str(error)[:500]
            reply.save(update_fields=["state", "error"])
            audit_record(
                actor=actor,
                organisation=entry.organisation,
                event_type=InboxEvent.REPLY_FAILED,
                target=reply,
                data={"entry": entry.pk, "error": reply.error},
            )
        raise ValidationError(
            _("Svaret kunde inte skickas: %(reason)s") % {"reason": failure_reason(error)}
        ) from error
    finally:
        connector.close()
    with transaction.atomic():
        now = timezone.now()
        reply.state = ReplyState.SENT
        reply.external_id = external_id[:200]
        reply.sent_at = now
        reply.save(update_fields=["state", "external_id", "sent_at"])
        if external_id:
            PublishedPost.objects.get_or_create(
                account=account,
                external_id=external_id[:200],
                defaults={
                    "organisation": entry.organisation,
                    "published_by": actor,
                    "published_at": now,
                },
            )
        locked = _claim(entry)
        old = locked.state
        locked.state = EntryState.ANSWERED
        locked.closed_at = now
        locked.handled_by = actor
        locked.save(update_fields=["state", "closed_at", "handled_by"])
        audit_record(
            actor=actor,
            organisation=entry.organisation,
            event_type=InboxEvent.REPLY_SENT,
            target=reply,
            data={
                "entry": entry.pk,
                "external_id": external_id,
                "template": template_key,
                "old_state": old,
            },
        )
    return reply


@transaction.atomic
def published_post_record(
    *,
    actor: User,
    account: Account,
    external_id: str,
    published_at: datetime.datetime | None = None,
) -> PublishedPost:
    """Record who published a post, so comments on it can be routed to them."""
    post, created = PublishedPost.objects.get_or_create(
        account=account,
        external_id=external_id,
        defaults={
            "organisation": account.organisation,
            "published_by": actor,
            "published_at": published_at or timezone.now(),
        },
    )
    if created:
        audit_record(
            actor=actor,
            organisation=account.organisation,
            event_type=InboxEvent.POST_PUBLISHED,
            target=post,
            data={"external_id": external_id},
        )
    return post


# Forwarding to a case officer ------------------------------------------------


def forward_candidates(organisation: Organisation) -> list[User]:
    """Case officers first, then everyone else in the organisation."""
    memberships = Membership.objects.filter(organisation=organisation).select_related("user")
    officers = {m.user for m in memberships if m.role == Role.CASE_OFFICER}
    others = {m.user for m in memberships} - officers
    key = lambda user: (user.last_name, user.first_name, user.username)  # noqa: E731
    return sorted(officers, key=key) + sorted(others, key=key)


@transaction.atomic
def entry_forward(*, actor: User, entry: InboxEntry, to: User, note: str = "") -> Forward:
    """E-mail the item to a case officer and record that it was forwarded."""
    _require_handler(actor, entry)
    require_member(to, entry.organisation)
    if not to.email:
        raise ValidationError(_("%(name)s har ingen e-postadress.") % {"name": to})
    entry = _claim(entry)
    forward = Forward(
        entry=entry, sent_by=actor, to=to, to_email=to.email, note=note, sent_at=timezone.now()
    )
    forward.full_clean()
    forward.save()
    old = entry.state
    if entry.state in OPEN_STATES:
        entry.state = EntryState.FORWARDED
        entry.handled_by = actor
        entry.save(update_fields=["state", "handled_by"])
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.FORWARDED,
        target=entry,
        data={"to": to.username, "email": to.email, "old_state": old},
    )
    item = entry.item
    words = {"name": actor, "account": entry.account}
    body = (
        _("%(name)s har skickat vidare ett meddelande från %(account)s till dig.") % words
        + "\n\n"
        + _message_facts(item)
        + f"{_('Adress:')} {item.url or '–'}\n\n"
        + f"{current_text(item)}\n\n"
        + (f"{_('Meddelande från %(name)s:') % words}\n{note}\n\n" if note else "")
        + f"{_('Ärendet i Kanalvakt:')} {_entry_path(entry)}\n"
    )
    _mail([to.email], _("Vidarebefordrat från %(account)s") % words, body)
    _notify(
        [to],
        NotificationKind.FORWARDED,
        _("Vidarebefordrat från %(account)s") % {"account": entry.account},
        body,
        entry,
        email=False,
    )
    return forward


# Escalations ------------------------------------------------------------------

DEFAULT_ESCALATIONS: dict[str, dict[str, Any]] = {
    Trigger.THREAT_TO_STAFF: {"to": ["manager"], "urgency": "immediate", "evidence_export": True},
    Trigger.HARASSMENT_OF_STAFF: {
        "to": ["manager"],
        "urgency": "immediate",
        "evidence_export": True,
    },
    Trigger.BULLYING: {"to": ["manager", "police"], "urgency": "same_day", "evidence_export": True},
    Trigger.CRIME: {"to": ["manager", "police"], "urgency": "same_day", "evidence_export": True},
    Trigger.HARMFUL_CRITICISM: {
        "to": ["comms_lead"],
        "urgency": "same_day",
        "evidence_export": False,
    },
    Trigger.SECURITY_INCIDENT: {
        "to": ["manager", "it"],
        "urgency": "immediate",
        "evidence_export": True,
    },
}
SCREENING_TRIGGERS = {
    "threat": Trigger.THREAT_TO_STAFF,
    "sexual_harassment": Trigger.HARASSMENT_OF_STAFF,
    "incitement": Trigger.CRIME,
    "pornography": Trigger.CRIME,
}


def escalation_rule(pack: Pack | None, trigger: str) -> tuple[dict[str, Any], str]:
    """The pack's escalation for a trigger, else Kanalvakt's default (said so).

    A threat or harassment the pack has no rule for falls under its rule for
    crimes when it has one (olaga hot is a crime).
    """
    rules = {
        str((rule.value or {}).get("trigger")): rule
        for rule in (pack.rule_list("escalations") if pack else [])
    }
    fallback = {Trigger.THREAT_TO_STAFF: Trigger.CRIME, Trigger.HARASSMENT_OF_STAFF: Trigger.CRIME}
    rule = rules.get(trigger) or rules.get(fallback.get(Trigger(trigger), ""))
    if rule is not None:
        where = f" ({rule.source})" if rule.source else ""
        return dict(rule.value or {}), f"{rule.path}{where}"
    return DEFAULT_ESCALATIONS[trigger], "Kanalvaktsstandard: policyn säger inget om detta."


def _message_facts(item: Item) -> str:
    """Who wrote the message and when, for e-mails."""
    return (
        f"{_('Från:')} {item.author_name or item.author_handle}\n"
        f"{_('Skrivet:')} {timezone.localtime(item.created_at):%Y-%m-%d %H:%M}\n"
    )


def _entry_path(entry: InboxEntry) -> str:
    """The entry's full address, for e-mails."""
    path = reverse("inbox:entry", kwargs={"slug": entry.organisation.slug, "pk": entry.pk})
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + path


def _notify(
    people: Sequence[User],
    kind: str,
    subject: str,
    body: str,
    entry: InboxEntry,
    *,
    email: bool | None = None,
) -> None:
    """Tell each person in the app and, by their preference, by e-mail."""
    from kanalvakt.notifications.services import notification_send_many

    url = reverse("inbox:entry", kwargs={"slug": entry.organisation.slug, "pk": entry.pk})
    notification_send_many(
        recipients=people,
        kind=kind,
        title=subject,
        body=body,
        url=url,
        organisation=entry.organisation,
        email=email,
    )


def _mail(addresses: list[str], subject: str, body: str) -> None:
    """Send after commit. The fact (forward, escalation) is recorded either way; a mail
    server that refuses is logged, so it neither undoes the record nor fails the request."""
    addresses = [address for address in addresses if address]
    if not addresses:
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, addresses)
        except Exception:
            logger.exception("Could not send %r to %s", subject, addresses)

    transaction.on_commit(send)


@transaction.atomic
def escalation_raise(
    *,
    actor: User | None,
    entry: InboxEntry,
    trigger: str,
    words: Sequence[str] = (),
    note: str = "",
) -> Escalation:
    """Lift an item to the people the pack names for the trigger, by e-mail at once."""
    if trigger not in Trigger.values:
        raise ValidationError(_("Okänd anledning: %(trigger)s") % {"trigger": trigger})
    if actor is not None:
        require_member(actor, entry.organisation)
    existing = Escalation.objects.filter(entry=entry, trigger=trigger).first()
    if existing is not None:
        return existing
    rule, where = escalation_rule(_pack(entry.organisation), trigger)
    roles = [str(role) for role in rule.get("to", [])]
    if rule.get("one_of"):
        # "närmaste chef eller informationschef": the first listed role that has someone.
        staffed = [
            role
            for role in roles
            if role not in Role.values
            or users_with_role(organisation=entry.organisation, role=role).exists()
        ]
        roles = staffed[:1] or roles[:1]
    people = {
        user
        for role in roles
        if role in Role.values
        for user in users_with_role(organisation=entry.organisation, role=role)
    }
    escalation = Escalation(
        entry=entry,
        trigger=trigger,
        words=list(words),
        recipients=roles,
        urgency=str(rule.get("urgency", "immediate")),
        evidence_export=bool(rule.get("evidence_export")),
        rule=where[:200],
        note=note,
        raised_by=actor,
        raised_at=timezone.now(),
    )
    escalation.full_clean()
    escalation.save()
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.ESCALATED,
        target=entry,
        data={
            "trigger": trigger,
            "words": list(words),
            "to": roles,
            "people": sorted(user.username for user in people),
            "rule": where,
        },
    )
    item = entry.item
    label = Trigger(trigger).label
    body = (
        _("Ett meddelande på %(account)s har lyfts till dig: %(reason)s.")
        % {"account": entry.account, "reason": label}
        + "\n"
        + (f"{_('Ord som utlöste:')} {', '.join(words)}\n" if words else "")
        + (f"{_('Anteckning:')} {note}\n" if note else "")
        + "\n"
        + _message_facts(item)
        + f"\n{current_text(item)}\n\n"
        + (
            _("Polisanmälan: exportera bevisen från ärendet i Kanalvakt.") + "\n"
            if "police" in roles
            else ""
        )
        + f"{_('Ärendet i Kanalvakt:')} {_entry_path(entry)}\n"
    )
    subject = (
        _("BRÅDSKANDE:") + " " if escalation.urgency == "immediate" else ""
    ) + f"{label} – {entry.account}"
    ordered = sorted(people, key=lambda user: user.username)
    urgent = escalation.urgency == "immediate"
    _notify(
        ordered, NotificationKind.ESCALATED, subject, body, entry, email=True if urgent else None
    )
    return escalation


def _screening_matches(item: Item) -> list[TriggerMatch]:
    """Threats and harassment the moderation screening found, when it ran before us."""
    try:
        screening = item.screening
    except (ObjectDoesNotExist, AttributeError):
        return []
    matches = []
    for finding in getattr(screening, "findings", None) or []:
        trigger = SCREENING_TRIGGERS.get(str(finding.get("category", "")))
        if trigger is not None:
            evidence = str(finding.get("evidence") or finding.get("span") or "")
            matches.append(TriggerMatch(trigger, [evidence] if evidence else []))
    return matches


@transaction.atomic
def entry_escalate_automatically(*, entry: InboxEntry) -> list[Escalation]:
    """Raise the escalations the item's text (or its screening) calls for."""
    if entry.item.by_account:
        return []
    matches: dict[str, list[str]] = {}
    for match in [*detect(current_text(entry.item)), *_screening_matches(entry.item)]:
        matches.setdefault(match.trigger, [])
        matches[match.trigger] += [w for w in match.words if w not in matches[match.trigger]]
    return [
        escalation_raise(actor=None, entry=entry, trigger=trigger, words=words)
        for trigger, words in matches.items()
    ]


@transaction.atomic
def evidence_export(*, actor: User, entry: InboxEntry) -> bytes:
    """The evidence ZIP for the item and its thread; the export is audited."""
    from kanalvakt.inbox.evidence import evidence_zip

    require_member(actor, entry.organisation)
    if not (may_handle(actor, entry) or has_role(actor, entry.organisation, Role.REGISTRAR)):
        raise PermissionDenied(_("Du får inte exportera bevis för det här kontot."))
    content = evidence_zip(entry, exported_by=str(actor))
    audit_record(
        actor=actor,
        organisation=entry.organisation,
        event_type=InboxEvent.EVIDENCE_EXPORTED,
        target=entry,
        data={"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)},
    )
    return content


# The sweep -----------------------------------------------------------------------


def warn_before() -> datetime.timedelta:
    """How long before the due time the assignee is reminded (KANALVAKT_INBOX_WARN_MINUTES)."""
    return datetime.timedelta(minutes=settings.INBOX_WARN_MINUTES)


@dataclass(frozen=True)
class SweepResult:
    warned: int
    escalated: int


def entries_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Warn before the due time passes and escalate after (INB-2).

    Each entry is claimed with a conditional UPDATE, so several workers
    sweeping at once warn and escalate each entry exactly once.
    """
    now = now or timezone.now()
    warned = escalated = 0
    open_entries = InboxEntry.objects.filter(state__in=OPEN_STATES, due_at__isnull=False)
    for entry_id in open_entries.filter(
        warned_at__isnull=True, due_at__gt=now, due_at__lte=now + warn_before()
    ).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            if not InboxEntry.objects.filter(
                pk=entry_id, state__in=OPEN_STATES, warned_at__isnull=True
            ).update(warned_at=now):
                continue
            entry = InboxEntry.objects.select_related(
                "organisation", "account", "assigned_to", "item"
            ).get(pk=entry_id)
            to = entry.assigned_to or entry.account.responsible
            due = timezone.localtime(entry.due_at) if entry.due_at else now
            audit_record(
                actor=None,
                organisation=entry.organisation,
                event_type=InboxEvent.ENTRY_WARNED,
                target=entry,
                data={"to": to.username, "due_at": entry.due_at},
            )
            words = {"due": f"{due:%Y-%m-%d %H:%M}", "account": entry.account}
            _notify(
                [to],
                NotificationKind.DUE_SOON,
                _("Svara senast %(due)s: %(account)s") % words,
                _("Ett meddelande på %(account)s ska enligt policyn besvaras senast %(due)s.")
                % words
                + f"\n\n{_('Ärendet i Kanalvakt:')} {_entry_path(entry)}\n",
                entry,
            )
            warned += 1
    for entry_id in open_entries.filter(escalated_at__isnull=True, due_at__lte=now).values_list(
        "pk", flat=True
    )[:500]:
        with transaction.atomic():
            if not InboxEntry.objects.filter(
                pk=entry_id, state__in=OPEN_STATES, escalated_at__isnull=True
            ).update(escalated_at=now):
                continue
            entry = InboxEntry.objects.select_related(
                "organisation", "account", "assigned_to", "item"
            ).get(pk=entry_id)
            people = list(users_with_role(organisation=entry.organisation, role=Role.COMMS_LEAD))
            people += [entry.account.responsible]
            if entry.assigned_to is not None:
                people.append(entry.assigned_to)
            addresses = sorted({user.email for user in people if user.email})
            audit_record(
                actor=None,
                organisation=entry.organisation,
                event_type=InboxEvent.ENTRY_OVERDUE,
                target=entry,
                data={"to": addresses, "due_at": entry.due_at},
            )
            words = {
                "due": f"{timezone.localtime(entry.due_at or now):%Y-%m-%d %H:%M}",
                "account": entry.account,
                "rule": entry.deadline_text,
            }
            _notify(
                sorted({user.pk: user for user in people}.values(), key=lambda u: u.username),
                NotificationKind.OVERDUE,
                _("Svarstiden har passerat: %(account)s") % words,
                _("Ett meddelande på %(account)s skulle ha besvarats senast %(due)s (%(rule)s).")
                % words
                + f"\n\n{_('Ärendet i Kanalvakt:')} {_entry_path(entry)}\n",
                entry,
            )
            escalated += 1
    return SweepResult(warned, escalated)
