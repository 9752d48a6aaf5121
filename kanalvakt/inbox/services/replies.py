"""Replies: signature, templates, sending through the connector (INB-4), published posts."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.base import ActionNotSupported, ConnectorProblem
from kanalvakt.connectors.http import ConnectorError, NotFound, RateLimited, TokenExpired
from kanalvakt.connectors.registry import connector_for, has_connector
from kanalvakt.inbox.connection import account_config_for, item_ref
from kanalvakt.inbox.events import InboxEvent
from kanalvakt.inbox.intent import NEGATIVE_INTENTS
from kanalvakt.inbox.models import (
    EntryState,
    InboxEntry,
    PublishedPost,
    Reply,
    ReplyState,
)
from kanalvakt.inbox.services.common import (
    _claim,
    _pack,
    _require_handler,
)
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.policies.crisis import current_crisis
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)


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
