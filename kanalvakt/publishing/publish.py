"""Publishing a post to its accounts through the connectors, and keeping what went out.

Each target is claimed with a conditional UPDATE (pending/failed → publishing)
so two workers or a double click cannot publish it twice; the platform call
happens outside any transaction, carrying the target's idempotency key; the
outcome (published with its link, failed with the reason, not connected) is
stored per target. A published target becomes a `PublishedRecord` with the
exact payload, registered as the pack says (`registration.register` /
`registration.exempt` for `own_content`).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import logging
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.base import (
    ConnectorProblem,
    MediaKind,
    OutgoingMedia,
    OutgoingPost,
    PublishResult,
)
from kanalvakt.connectors.http import ConnectorError
from kanalvakt.connectors.registry import connector_for, has_connector
from kanalvakt.inbox.connection import account_config_for
from kanalvakt.inbox.services import published_post_record
from kanalvakt.organisations.models import User
from kanalvakt.publishing.drafts import organisation_pack
from kanalvakt.publishing.events import PublishingEvent
from kanalvakt.publishing.models import (
    STUCK_AFTER,
    Post,
    PostMedia,
    PostState,
    PostTarget,
    PublishedRecord,
    TargetState,
)
from kanalvakt.publishing.services import (
    require_approved,
    require_clean,
    require_publisher,
)
from kanalvakt.records.registration import record_number_allocate, record_series_ensure
from kanalvakt.register.selectors import account_authority

logger = logging.getLogger(__name__)
RETRYABLE = (TargetState.PENDING, TargetState.FAILED, TargetState.NOT_CONNECTED)
_SRT_TIME = re.compile(r"(\d{2}:\d{2}:\d{2}),(\d{3})")


def webvtt(captions: str) -> str:
    """SRT → WebVTT (the header and a dot before milliseconds); WebVTT stays as it is."""
    text = captions.lstrip("\ufeff")
    if text.startswith("WEBVTT"):
        return text
    return "WEBVTT\n\n" + _SRT_TIME.sub(r"\1.\2", text)


def _outgoing_media(media: PostMedia) -> OutgoingMedia:
    with media.file.open("rb") as handle:
        data = handle.read()
    captions = ""
    if media.captions:
        with media.captions.open("rb") as handle:
            captions = webvtt(handle.read().decode("utf-8", errors="replace"))
    fields: dict[str, Any] = {
        "kind": MediaKind(media.kind),
        "filename": (media.file.name or "").rsplit("/", 1)[-1],
        "content_type": media.content_type,
        "data": data,
        "alt_text": media.alt_text,
        "captions": captions,
    }
    if "url" in OutgoingMedia.__dataclass_fields__:  # platforms that fetch media (Instagram)
        fields["url"] = public_media_url(media)
    return OutgoingMedia(**fields)


def public_media_url(media: PostMedia) -> str:
    path = reverse("publishing:media_public", kwargs={"token": media.public_token})
    return settings.SITE_URL.rstrip("/") + path


def outgoing_post(target: PostTarget) -> tuple[OutgoingPost, dict[str, Any]]:
    """What the connector gets, and the same as a JSON payload for the record."""
    post = target.post
    media = tuple(_outgoing_media(item) for item in post.media.all())
    outgoing = OutgoingPost(
        text=target.effective_text,
        idempotency_key=target.idempotency_key,
        link=post.link,
        media=media,
    )
    payload = {
        "account": {"platform": target.account.platform, "handle": target.account.handle},
        "text": outgoing.text,
        "link": outgoing.link,
        "idempotency_key": outgoing.idempotency_key,
        "pin": target.pin,
        "media": [
            {
                "kind": str(item.kind),
                "filename": item.filename,
                "content_type": item.content_type,
                "sha256": hashlib.sha256(item.data).hexdigest(),
                "alt_text": item.alt_text,
                "captions": item.captions,
            }
            for item in media
        ],
    }
    return outgoing, payload


def _registration(post: Post) -> tuple[str, str, str]:
    """(decision, rule path, rule source) for the organisation's own content."""
    pack = organisation_pack(post.organisation)
    if pack is not None:
        for section, decision in (("register", "register"), ("exempt", "exempt")):
            for rule in pack.rule_list(f"registration.{section}"):
                if isinstance(rule.value, dict) and rule.value.get("what") == "own_content":
                    source = str(rule.source) if rule.source else rule.silent
                    return decision, rule.path, source[:500]
    return "not_required", "", "Ingen regel i policyn kräver att egna inlägg diarieförs."


def _claim(target: PostTarget, *, stuck: bool = False) -> bool:
    """Take the target for one attempt; a stuck one only when the caller says so."""
    claimable = Q(state__in=RETRYABLE)
    if stuck:
        claimable |= Q(state=TargetState.PUBLISHING, claimed_at__lt=timezone.now() - STUCK_AFTER)
    return (
        PostTarget.objects.filter(claimable, pk=target.pk).update(
            state=TargetState.PUBLISHING,
            attempts=F("attempts") + 1,
            error="",
            claimed_at=timezone.now(),
        )
        == 1
    )


def _fail(target: PostTarget, actor: User, state: str, reason: str) -> None:
    with transaction.atomic():
        PostTarget.objects.filter(pk=target.pk).update(state=state, error=reason[:500])
        audit_record(
            actor=actor,
            organisation=target.post.organisation,
            event_type=PublishingEvent.TARGET_FAILED,
            target=target,
            data={"account": target.account_id, "state": state, "error": reason[:500]},
        )


@transaction.atomic
def _record(
    target: PostTarget, actor: User, result: PublishResult, payload: dict[str, Any]
) -> None:
    now = timezone.now()
    post = target.post
    # What went wrong after the post was out (e.g. captions refused) is shown, never retried.
    warnings = "; ".join(str(w) for w in getattr(result, "warnings", ()))
    PostTarget.objects.filter(pk=target.pk).update(
        state=TargetState.PUBLISHED,
        external_id=result.external_id[:200],
        url=result.url[:500],
        published_at=now,
        error=warnings[:500],
    )
    decision, rule_path, rule_source = _registration(post)
    record_number = ""
    if decision == "register":
        series = record_series_ensure(
            actor=actor, organisation=post.organisation, year=timezone.localtime(now).year
        )
        record_number = series.render(record_number_allocate(series=series))
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    record = PublishedRecord.objects.create(
        organisation=post.organisation,
        target=target,
        account=target.account,
        payload=payload,
        payload_sha256=hashlib.sha256(body.encode()).hexdigest(),
        response=result.raw.decode("utf-8", errors="replace")[:100_000],
        external_id=result.external_id[:200],
        url=result.url[:500],
        published_by=actor,
        published_at=now,
        decision=decision,
        rule_path=rule_path,
        rule_source=rule_source,
        record_number=record_number,
    )
    if result.external_id:
        published_post_record(
            actor=actor,
            account=target.account,
            external_id=result.external_id[:200],
            published_at=now,
        )
    audit_record(
        actor=actor,
        organisation=post.organisation,
        event_type=PublishingEvent.TARGET_PUBLISHED,
        target=target,
        data={
            "account": target.account_id,
            "external_id": result.external_id,
            "record": record.pk,
            "payload_sha256": record.payload_sha256,
            "registration": decision,
        },
    )


def target_publish(*, actor: User, target: PostTarget, stuck: bool = False) -> PostTarget:
    """Publish one target once; a target already published or being published is left alone
    (with `stuck`, one whose attempt started long ago is tried again with the same key)."""
    if not _claim(target, stuck=stuck):
        target.refresh_from_db()
        return target
    target.refresh_from_db()
    account = target.account
    authority = account_authority(user=actor, account=account, publishing=True)
    if not authority:
        _fail(target, actor, TargetState.FAILED, authority.reason)
        return _fresh(target)
    if not has_connector(account.platform):
        reason = _("Kanalvakt kan inte publicera på %(platform)s ännu.") % {
            "platform": account.get_platform_display()
        }
        _fail(target, actor, TargetState.NOT_CONNECTED, reason)
        return _fresh(target)
    config = account_config_for(account)
    if config is None:
        reason = _("Kontot %(account)s är inte anslutet; anslut det under Anslutningar.") % {
            "account": account
        }
        _fail(target, actor, TargetState.NOT_CONNECTED, reason)
        return _fresh(target)
    outgoing, payload = outgoing_post(target)
    connector = connector_for(account.platform)
    try:
        result = connector.publish(config, outgoing)
    except (ConnectorProblem, ConnectorError) as error:
        connector.close()
        _fail(target, actor, TargetState.FAILED, str(error) or type(error).__name__)
        return _fresh(target)
    try:
        if target.pin:
            result = _pinned(connector, config, result)
    finally:
        connector.close()
    _record(target, actor, result, payload)
    return _fresh(target)


def _pinned(connector: Any, config: Any, result: PublishResult) -> PublishResult:
    """Pin the post where the pack asks (PUB-2); a refusal is a warning, the post is out."""
    try:
        connector.pin(config, result.external_id)
    except (ConnectorProblem, ConnectorError) as error:
        warning = _("Inlägget är publicerat men kunde inte fästas: %(error)s") % {"error": error}
        return dataclasses.replace(result, warnings=(*result.warnings, warning))
    return result


def _fresh(target: PostTarget) -> PostTarget:
    target.refresh_from_db()
    return target


def _finish(post: Post) -> None:
    """The post has been sent; it was published when its first account was."""
    update: dict[str, Any] = {"state": PostState.PUBLISHED}
    if post.targets.filter(state=TargetState.PUBLISHED).exists():
        update["published_at"] = Coalesce(F("published_at"), Value(timezone.now()))
    Post.objects.filter(pk=post.pk).update(**update)


def _publish_targets(actor: User, post: Post) -> Post:
    for target in post.targets.select_related("account__organisation", "post__organisation"):
        target_publish(actor=actor, target=target)
    _finish(post)
    post.refresh_from_db()
    return post


def post_publish(*, actor: User, post: Post) -> Post:
    """Publish now, on every account of the post, as `actor` (mandate, approval, checker)."""
    post.refresh_from_db()
    if post.state not in (PostState.DRAFT, PostState.SUBMITTED, PostState.APPROVED):
        raise ValidationError(_("Inlägget är redan publicerat eller schemalagt."))
    require_publisher(actor, post)
    require_approved(post)
    require_clean(post)
    claimed = Post.objects.filter(pk=post.pk, state=post.state).update(state=PostState.PUBLISHING)
    if claimed != 1:
        raise ValidationError(_("Inlägget publiceras redan."))
    return _publish_targets(actor, post)


def target_retry(*, actor: User, target: PostTarget) -> PostTarget:
    """Try an account again with the same idempotency key: failed, not connected, never
    tried because the worker died, or stuck in a platform call for more than 15 minutes."""
    if not target.retryable:
        raise ValidationError(_("Bara misslyckade publiceringar kan försökas igen."))
    require_publisher(actor, target.post)
    target = target_publish(actor=actor, target=target, stuck=True)
    _finish(target.post)
    return target


def posts_publish_due(*, now: datetime.datetime | None = None) -> int:
    """Publish every scheduled post that is due, in the name of the person who scheduled it.

    Each post is claimed with a conditional UPDATE (scheduled → publishing), so
    overlapping runs never publish a post twice. An organisation in crisis mode
    (REG-11) publishes nothing scheduled until the comms lead ends it; the posts
    then go out at the next run.
    """
    from kanalvakt.policies.models import CrisisPeriod

    now = now or timezone.now()
    in_crisis = CrisisPeriod.objects.filter(ended_at__isnull=True).values("organisation_id")
    due = (
        Post.objects.filter(state=PostState.SCHEDULED, scheduled_at__lte=now)
        .exclude(organisation_id__in=in_crisis)
        .values_list("pk", flat=True)
    )
    published = 0
    for pk in list(due):
        if (
            Post.objects.filter(pk=pk, state=PostState.SCHEDULED).update(state=PostState.PUBLISHING)
            != 1
        ):
            continue
        post = Post.objects.select_related("organisation", "scheduled_by").get(pk=pk)
        actor = post.scheduled_by
        if actor is None:
            logger.warning("scheduled post %s has nobody who scheduled it", pk)
            continue
        _publish_targets(actor, post)
        published += 1
    return published
