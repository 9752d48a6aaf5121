"""Writing, checking, approving and scheduling posts. Every step is audited.

Anyone in the organisation may write a draft and submit it; only a person the
register says may act for every account of the post (`account_authority`:
a valid mandate where the pack requires one, and the policy acknowledged)
approves, schedules or publishes. Publishing itself is in `publish.py`.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.organisations.permissions import require_member
from kanalvakt.publishing.drafts import organisation_pack, post_check
from kanalvakt.publishing.events import PublishingEvent
from kanalvakt.publishing.models import (
    MediaKind,
    People,
    Post,
    PostMedia,
    PostState,
    PostTarget,
    TargetState,
)
from kanalvakt.register.models import Account, AccountStatus
from kanalvakt.register.selectors import account_authority

EDITABLE = (PostState.DRAFT, PostState.SUBMITTED, PostState.APPROVED, PostState.SCHEDULED)
POST_FIELDS = (
    "title",
    "text",
    "link",
    "people",
    "consent_recorded",
    "consent_note",
    "other_language_separately",
    "web_news",
    "important",
)
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
VIDEO_TYPES = ("video/mp4", "video/quicktime", "video/webm")
CAPTION_SUFFIXES = (".vtt", ".srt")
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_VIDEO_BYTES = 1024 * 1024 * 1024


def approval_required(organisation: Organisation) -> bool:
    """The pack asks for an approval step before publishing (`publishing.approval_required`)."""
    pack = organisation_pack(organisation)
    rule = pack.rule("publishing.approval_required") if pack is not None else None
    return rule is not None and rule.enforced


def _check_accounts(organisation: Organisation, accounts: Sequence[Account]) -> None:
    if not accounts:
        raise ValidationError(_("Välj minst ett konto."))
    for account in accounts:
        if account.organisation_id != organisation.pk:
            raise PermissionDenied(_("Kontot hör till en annan organisation."))
        if account.status != AccountStatus.ACTIVE:
            raise ValidationError(_("Kontot %(account)s är inte aktivt.") % {"account": account})


def _set_targets(post: Post, accounts: Sequence[Account], variants: Mapping[int, str]) -> None:
    wanted = {account.pk for account in accounts}
    post.targets.exclude(account_id__in=wanted).filter(state=TargetState.PENDING).delete()
    for account in accounts:
        target, _ = PostTarget.objects.get_or_create(
            post=post,
            account=account,
            defaults={"idempotency_key": f"kanalvakt-{post.pk}-{account.pk}-{uuid.uuid4().hex}"},
        )
        text = variants.get(account.pk, "").strip()
        pin = post.important and account.platform == "facebook"
        if target.text != text or target.pin != pin:
            target.text = text
            target.pin = pin
            target.save(update_fields=["text", "pin"])


def _clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(POST_FIELDS)
    if unknown:
        raise ValueError(f"unknown post fields: {sorted(unknown)}")
    cleaned = dict(fields)
    if cleaned.get("people", People.NONE) not in People.values:
        raise ValidationError(_("Okänt val av personer."))
    return cleaned


@transaction.atomic
def post_create(
    *,
    actor: User,
    organisation: Organisation,
    accounts: Sequence[Account],
    variants: Mapping[int, str] | None = None,
    **fields: Any,
) -> Post:
    """A new draft for one or several accounts; anyone in the organisation may write one."""
    require_member(actor, organisation)
    _check_accounts(organisation, accounts)
    post = Post(organisation=organisation, author=actor, **_clean_fields(fields))
    post.full_clean()
    post.save()
    _set_targets(post, accounts, variants or {})
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=PublishingEvent.POST_CREATED,
        target=post,
        data={"accounts": [account.pk for account in accounts]},
    )
    return post


def _lock(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("organisation").get(pk=post.pk)


@transaction.atomic
def post_update(
    *,
    actor: User,
    post: Post,
    accounts: Sequence[Account],
    variants: Mapping[int, str] | None = None,
    **fields: Any,
) -> Post:
    """Change a post not yet published. A change takes back an approval and a schedule."""
    require_member(actor, post.organisation)
    post = _lock(post)
    if post.state not in EDITABLE:
        raise ValidationError(_("Ett publicerat inlägg kan inte ändras."))
    _check_accounts(post.organisation, accounts)
    old_state = post.state
    for name, value in _clean_fields(fields).items():
        setattr(post, name, value)
    post.state = PostState.DRAFT
    post.approved_by = None
    post.approved_at = None
    post.scheduled_at = None
    post.scheduled_by = None
    post.full_clean()
    post.save()
    _set_targets(post, accounts, variants or {})
    audit_record(
        actor=actor,
        organisation=post.organisation,
        event_type=PublishingEvent.POST_UPDATED,
        target=post,
        data={"old_state": old_state, "accounts": [account.pk for account in accounts]},
    )
    return post


def _sniff(upload: UploadedFile[bytes]) -> bytes:
    upload.seek(0)
    head = bytes(upload.read(16))
    upload.seek(0)
    return head


def _media_kind(upload: UploadedFile[bytes]) -> str:
    """Image or video by declared type, checked against the file's first bytes and size."""
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    head = _sniff(upload)
    if content_type in IMAGE_TYPES:
        if not head.startswith(IMAGE_MAGIC) and head[8:12] != b"WEBP":
            raise ValidationError(_("Filen är inte en bild i formatet den säger sig ha."))
        if (upload.size or 0) > MAX_IMAGE_BYTES:
            raise ValidationError(_("Bilden är större än 20 MB."))
        return MediaKind.IMAGE
    if content_type in VIDEO_TYPES:
        if (upload.size or 0) > MAX_VIDEO_BYTES:
            raise ValidationError(_("Videon är större än 1 GB."))
        return MediaKind.VIDEO
    raise ValidationError(
        _("Kanalvakt publicerar bilder och video, inte %(type)s.")
        % {"type": content_type or _("den filen")}
    )


def _check_captions(captions: UploadedFile[bytes] | None) -> None:
    if captions is None:
        return
    name = (captions.name or "").lower()
    if not name.endswith(CAPTION_SUFFIXES):
        raise ValidationError(_("Textningen ska vara en WebVTT- eller SRT-fil (.vtt eller .srt)."))


@transaction.atomic
def post_media_add(
    *,
    actor: User,
    post: Post,
    upload: UploadedFile[bytes],
    alt_text: str = "",
    rights_holder: str = "",
    rights_confirmed: bool = False,
    captions: UploadedFile[bytes] | None = None,
    accompanying_text: str = "",
) -> PostMedia:
    """Attach an image (alt text, rights) or a video (captions or accompanying text)."""
    require_member(actor, post.organisation)
    post = _lock(post)
    if post.state not in EDITABLE:
        raise ValidationError(_("Ett publicerat inlägg kan inte ändras."))
    kind = _media_kind(upload)
    _check_captions(captions)
    media = PostMedia(
        post=post,
        kind=kind,
        content_type=(upload.content_type or "").split(";")[0].strip().lower(),
        alt_text=alt_text.strip(),
        rights_holder=rights_holder.strip(),
        rights_confirmed=rights_confirmed,
        accompanying_text=accompanying_text.strip(),
    )
    media.file.save(upload.name or "media", upload, save=False)
    if captions is not None:
        media.captions.save(captions.name or "captions.vtt", captions, save=False)
    media.save()
    _back_to_draft(post)
    audit_record(
        actor=actor,
        organisation=post.organisation,
        event_type=PublishingEvent.MEDIA_ADDED,
        target=post,
        data={"media": media.pk, "kind": kind, "file": media.file.name},
    )
    return media


@transaction.atomic
def post_media_update(
    *,
    actor: User,
    media: PostMedia,
    alt_text: str,
    rights_holder: str,
    rights_confirmed: bool,
    accompanying_text: str = "",
) -> PostMedia:
    """Alt text, rights and accompanying text of an attached file."""
    post = _lock(media.post)
    require_member(actor, post.organisation)
    if post.state not in EDITABLE:
        raise ValidationError(_("Ett publicerat inlägg kan inte ändras."))
    media.alt_text = alt_text.strip()
    media.rights_holder = rights_holder.strip()
    media.rights_confirmed = rights_confirmed
    media.accompanying_text = accompanying_text.strip()
    media.save(update_fields=["alt_text", "rights_holder", "rights_confirmed", "accompanying_text"])
    _back_to_draft(post)
    audit_record(
        actor=actor,
        organisation=post.organisation,
        event_type=PublishingEvent.POST_UPDATED,
        target=post,
        data={"media": media.pk, "alt_text": bool(media.alt_text)},
    )
    return media


def _back_to_draft(post: Post) -> None:
    if post.state != PostState.DRAFT:
        Post.objects.filter(pk=post.pk).update(
            state=PostState.DRAFT,
            approved_by=None,
            approved_at=None,
            scheduled_at=None,
            scheduled_by=None,
        )


def require_publisher(actor: User, post: Post) -> None:
    """The actor may act for every account of the post (REG-3) and has acknowledged (REG-9)."""
    for target in post.targets.select_related("account__organisation"):
        authority = account_authority(user=actor, account=target.account, publishing=True)
        if not authority:
            raise PermissionDenied(authority.reason)


def require_clean(post: Post) -> None:
    blocking = post_check(post).blocking
    if blocking:
        problems = "; ".join(finding.message for finding in blocking[:5])
        raise ValidationError(
            _("Utkastkontrollen stoppar publiceringen: %(problems)s") % {"problems": problems}
        )


def require_approved(post: Post) -> None:
    if approval_required(post.organisation) and post.approved_at is None:
        raise ValidationError(_("Policyn kräver att inlägget godkänns innan det publiceras."))


@transaction.atomic
def post_submit(*, actor: User, post: Post) -> Post:
    """Ask someone with a mandate to approve and publish the post."""
    require_member(actor, post.organisation)
    post = _lock(post)
    if post.state != PostState.DRAFT:
        raise ValidationError(_("Bara utkast kan skickas för godkännande."))
    if not post.targets.exists():
        raise ValidationError(_("Välj minst ett konto."))
    post.state = PostState.SUBMITTED
    post.submitted_at = timezone.now()
    post.save(update_fields=["state", "submitted_at"])
    audit_record(
        actor=actor,
        organisation=post.organisation,
        event_type=PublishingEvent.POST_SUBMITTED,
        target=post,
        data={"findings": [finding.code for finding in post_check(post).findings]},
    )
    return post


@transaction.atomic
def post_approve(*, actor: User, post: Post) -> Post:
    """A person with a mandate for every account approves; the checker must not block."""
    post = _lock(post)
    if post.state not in (PostState.DRAFT, PostState.SUBMITTED):
        raise ValidationError(_("Inlägget väntar inte på godkännande."))
    require_publisher(actor, post)
    if approval_required(post.organisation) and actor.pk == post.author_id:
        raise PermissionDenied(_("Policyn kräver att någon annan än skribenten godkänner."))
    require_clean(post)
    post.state = PostState.APPROVED
    post.approved_by = actor
    post.approved_at = timezone.now()
    post.save(update_fields=["state", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        organisation=post.organisation,
        event_type=PublishingEvent.POST_APPROVED,
        target=post,
        data={},
    )
    return post


@transaction.atomic
def post_schedule(*, actor: User, post: Post, at: datetime.datetime) -> Post:
    """Publish later: the task publishes due posts in the name of the person who scheduled."""
    post = _lock(post)
    if post.state not in (PostState.DRAFT, PostState.SUBMITTED, PostState.APPROVED):
        raise ValidationError(_("Inlägget kan inte schemaläggas nu."))
    if at <= timezone.now():
        raise ValidationError(_("Välj en tid i framtiden."))
    require_publisher(actor, post)
    require_approved(post)
    require_clean(post)
    post.state = PostState.SCHEDULED
    post.scheduled_at = at
    post.scheduled_by = actor
    post.save(update_fields=["state", "scheduled_at", "scheduled_by"])
    audit_record(
        actor=actor,
        organisation=post.organisation,
        event_type=PublishingEvent.POST_SCHEDULED,
        target=post,
        data={"at": at.isoformat()},
    )
    return post
