"""The one small interface every platform connector implements.

A connector turns what a platform sends or returns into `IncomingItem`
values and runs the platform actions (reply, hide, unhide, remove) that a
person decided on. It stores nothing: the inbox keeps the items.
"""

from __future__ import annotations

import hashlib
import hmac
from abc import ABC
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from kanalvakt.connectors.endpoints import api_base
from kanalvakt.connectors.http import HttpClient


class ItemKind(StrEnum):
    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"
    DIRECT_MESSAGE = "direct_message"
    POST = "post"


class ConnectorProblem(Exception):
    """Base class for everything a connector raises on purpose."""


class ActionNotSupported(ConnectorProblem):
    """The platform (or its API) does not offer this action."""

    def __init__(self, platform: str, action: str, why: str = "") -> None:
        self.platform = platform
        self.action = action
        message = f"{platform}: {action} is not supported"
        super().__init__(f"{message}: {why}" if why else message)


class PayloadError(ConnectorProblem, ValueError):
    """A webhook body or API response is not what the platform documents."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingItem:
    """One comment, reply, mention, direct message or post, normalised.

    `raw` holds the item's own JSON fragment: the platform's object for that
    one item (API list responses are re-serialised per object); from a webhook
    delivery, the one event in the delivery's own envelope, so the parser reads
    the same item back from it. The delivery's exact bytes are kept once, with
    the delivery. `sha256` of `raw` is available as a property.
    """

    platform: str
    external_id: str
    kind: ItemKind
    created_at: datetime
    raw: bytes
    text: str = ""
    account_external_id: str = ""
    """Page id, Instagram user id, X user id, channel id, DID the item arrived for."""
    parent_external_id: str | None = None
    thread_id: str | None = None
    """Root post, video or conversation the item belongs to."""
    author_name: str = ""
    author_handle: str = ""
    author_external_id: str = ""
    by_account: bool = False
    """True when the account itself wrote it (e.g. our own reply coming back)."""
    language: str | None = None
    url: str = ""
    edited_at: datetime | None = None
    deleted: bool = False
    hidden: bool | None = None
    """Set when the platform reports a hide/unhide; None when it says nothing."""
    complete: bool = True
    """False when the delivery only carried ids (Instagram mentions): call `fetch`."""
    attachments: tuple[str, ...] = ()
    platform_data: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Platform handles needed later to act on the item (e.g. Bluesky cids)."""

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        if self.edited_at is not None and self.edited_at.tzinfo is None:
            raise ValueError("edited_at must be timezone-aware")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    def ref(self) -> ItemRef:
        return ItemRef(
            external_id=self.external_id,
            kind=self.kind,
            author_external_id=self.author_external_id,
            thread_id=self.thread_id,
            platform_data=dict(self.platform_data),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemRef:
    """What an action needs to know about a stored item."""

    external_id: str
    kind: ItemKind = ItemKind.COMMENT
    author_external_id: str = ""
    thread_id: str | None = None
    platform_data: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountConfig:
    """How to reach one official account on its platform."""

    external_id: str
    """Page id, IG user id, X user id, YouTube channel id, Mastodon account id, DID."""
    access_token: str
    handle: str = ""
    base_url: str = ""
    """Mastodon instance or Bluesky PDS, e.g. https://mastodon.social."""
    settings: Mapping[str, str] = field(default_factory=dict, hash=False)


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingMedia:
    """One image or video attached to a post, with what accessibility asks of it."""

    kind: MediaKind
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    alt_text: str = ""
    """Text alternative for an image (WCAG 2.1, 1.1.1)."""
    captions: str = ""
    """Captions for a video as WebVTT text (digipalvelulaki / WCAG 1.2.2)."""
    url: str = ""
    """A public address of the same file, for platforms that fetch media themselves
    (Instagram's content publishing takes only `image_url` / `video_url`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingPost:
    """What the organisation publishes on one account.

    `idempotency_key` is stable per post and account: a retry after a time-out
    must never publish twice, so a connector sends it where the platform
    accepts one (Mastodon's `Idempotency-Key`) and otherwise the caller checks
    for an earlier success before retrying.
    """

    text: str
    idempotency_key: str
    link: str = ""
    media: tuple[OutgoingMedia, ...] = ()
    language: str = ""
    scheduled_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishResult:
    """The platform's answer to a published post."""

    external_id: str
    url: str = ""
    raw: bytes = field(default=b"", repr=False)
    """The platform's response body, kept with the published record."""
    warnings: tuple[str, ...] = ()
    """What went wrong after the post was already out (e.g. captions refused): show it,
    but never publish again because of it."""


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll found.

    `items` holds new items and known items seen again (the inbox compares
    text and `edited_at` to record edits); `deleted_external_ids` lists the
    ids from `known_external_ids` the platform no longer has.
    """

    items: list[IncomingItem]
    next_cursor: str | None
    deleted_external_ids: list[str] = field(default_factory=list)


def constant_time_equal(a: str | bytes, b: str | bytes) -> bool:
    a_bytes = a.encode() if isinstance(a, str) else a
    b_bytes = b.encode() if isinstance(b, str) else b
    return hmac.compare_digest(a_bytes, b_bytes)


def hub_signature_valid(received: str | None, body: bytes, secret: str) -> bool:
    """`sha256=<hex HMAC-SHA256(secret, body)>`: how Meta (`X-Hub-Signature-256`) and
    Mastodon (`X-Hub-Signature`) sign a webhook delivery."""
    if not received or not secret or not received.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return constant_time_equal(received.removeprefix("sha256=").lower(), expected)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup over any mapping."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


class Connector(ABC):  # noqa: B024 - every method has a safe default
    """One platform. Subclasses override what their platform offers."""

    platform: ClassVar[str]
    receives_webhooks: ClassVar[bool] = False
    polls: ClassVar[bool] = False

    def __init__(self, http: HttpClient | None = None, *, base_url: str | None = None) -> None:
        self.http = http if http is not None else HttpClient(platform=self.platform)
        self.api_base = (base_url or api_base(self.platform)).rstrip("/")
        """The platform's API address (`PLATFORM_API_BASE_URLS` may point it elsewhere)."""

    def close(self) -> None:
        """Release the HTTP connections (the client is reusable until then)."""
        self.http.close()

    # Webhooks --------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """True only if the delivery carries a valid signature for `secret`."""
        return False

    def webhook_handshake(self, query_params: Mapping[str, str], verify_token: str) -> str | None:
        """The response body for a subscription check, or None to refuse it."""
        return None

    def parse_webhook(self, body: bytes) -> list[IncomingItem]:
        raise ActionNotSupported(self.platform, "webhooks")

    # Polling ---------------------------------------------------------------

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        raise ActionNotSupported(self.platform, "polling")

    def fetch(self, account: AccountConfig, ref: ItemRef) -> IncomingItem:
        """Fetch one item in full (used when `complete` is False)."""
        raise ActionNotSupported(self.platform, "fetch")

    def token_expires_at(self, account: AccountConfig) -> datetime | None:
        """When the account's token lapses (None: does not expire), so the owner is warned
        before it does. `TokenExpired` if it already has."""
        raise ActionNotSupported(self.platform, "token_expires_at")

    # Actions ---------------------------------------------------------------

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        """Publish `text` as a reply to `ref`; return the new item's id."""
        raise ActionNotSupported(self.platform, "reply")

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(self.platform, "hide")

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(self.platform, "unhide")

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(self.platform, "remove")

    # Publishing ------------------------------------------------------------

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """Publish `post` on the account (media uploaded first, as the platform asks)."""
        raise ActionNotSupported(self.platform, "publish")

    def pin(self, account: AccountConfig, external_id: str) -> None:
        """Pin a published post to the top of the account's page."""
        raise ActionNotSupported(self.platform, "pin")


def guarded_parse(parse: Callable[[bytes], list[IncomingItem]], body: bytes) -> list[IncomingItem]:
    """Run a webhook parser so that any malformed body gives a `PayloadError`."""
    try:
        return parse(body)
    except PayloadError:
        raise
    except (LookupError, TypeError, AttributeError, ValueError, ArithmeticError) as exc:
        raise PayloadError(f"unexpected payload shape: {type(exc).__name__}: {exc}") from exc


def as_str(value: Any) -> str:
    """A platform id as text, whatever JSON type it arrived as."""
    if value is None:
        return ""
    return str(value)
