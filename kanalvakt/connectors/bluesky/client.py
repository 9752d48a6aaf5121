"""Bluesky: polled notifications; replies and thread-gate hiding out.

An account can hide replies in threads it started (a threadgate record's
`hiddenReplies`); it cannot delete other people's posts.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kanalvakt.connectors import publishing
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemRef,
    OutgoingPost,
    PayloadError,
    PollResult,
    PublishResult,
    as_str,
)
from kanalvakt.connectors.bluesky import dpop, parse
from kanalvakt.connectors.bluesky.oauth import OAuthSession
from kanalvakt.connectors.http import ConnectorError, HttpClient, TokenExpired
from kanalvakt.connectors.parsing import from_iso, obj
from kanalvakt.connectors.servers import server_url

DEFAULT_SERVICE = "https://bsky.social"


@dataclass(frozen=True, slots=True)
class Session:
    """An AT Protocol session: `access_jwt` is the account's access token (about 2 h),
    `refresh_jwt` renews it (about 2 months)."""

    did: str
    handle: str
    access_jwt: str
    refresh_jwt: str


MAX_PAGES = 5
GET_POSTS_BATCH = 25
THREADGATE = "app.bsky.feed.threadgate"
MAX_IMAGES = 4


class BlueskyConnector(Connector):
    platform = "bluesky"
    polls = True

    def __init__(self, http: HttpClient | None = None, *, base_url: str | None = None) -> None:
        super().__init__(http, base_url=base_url)
        self.dpop_nonces: dict[str, str] = {}
        """The latest DPoP nonce of each server (atproto OAuth sessions)."""

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        """Replies, mentions and quotes indexed after the cursor (the newest `indexedAt`)."""
        since = from_iso(since_cursor) if since_cursor else None
        items: list[IncomingItem] = []
        newest = since
        page_cursor = ""
        for _ in range(MAX_PAGES):
            params = [("limit", "50")] + [("reasons", r) for r in parse.REASON_KINDS]
            if page_cursor:
                params.append(("cursor", page_cursor))
            payload = self._xrpc(
                account, "GET", "app.bsky.notification.listNotifications", params=params
            )
            notifications = obj(payload).get("notifications") or []
            indexed = [from_iso(obj(n).get("indexedAt")) for n in notifications]
            fresh = {
                as_str(obj(n).get("uri"))
                for n, at in zip(notifications, indexed, strict=True)
                if since is None or at > since
            }
            items.extend(
                i
                for i in parse.parse_notifications(payload, account.external_id)
                if i.external_id in fresh
            )
            newest = max([*indexed, *([newest] if newest else [])], default=None)
            next_page = as_str(obj(payload).get("cursor"))
            # A first poll (no cursor) takes only the newest page; later polls page back
            # until they reach what the previous poll saw.
            if since is None or not next_page or next_page == page_cursor or not indexed:
                break
            if min(indexed) <= since:
                break
            page_cursor = next_page
        cursor = newest.isoformat() if newest else since_cursor
        return PollResult(items, cursor, self._gone(account, list(known_external_ids)))

    def create_session(self, *, identifier: str, app_password: str, service: str = "") -> Session:
        """Log in with a handle and an app password (never the account's main password)."""
        result = self.http.json(
            "POST",
            server_url(service or self.api_base, "/xrpc/com.atproto.server.createSession"),
            json_body={"identifier": identifier, "password": app_password},
        )
        return _session(result)

    def refresh_session(self, *, refresh_jwt: str, service: str = "") -> Session:
        result = self.http.json(
            "POST",
            server_url(service or self.api_base, "/xrpc/com.atproto.server.refreshSession"),
            token=refresh_jwt,
        )
        return _session(result)

    def token_expires_at(self, account: AccountConfig) -> datetime | None:
        """The `exp` claim of the access JWT (read, not verified: only for a reminder)."""
        if (session := OAuthSession.decode(account.access_token)) is not None:
            expires = session.expires_at
            return datetime.fromtimestamp(expires, tz=UTC) if expires is not None else None
        try:
            payload = account.access_token.split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (IndexError, ValueError) as exc:
            raise PayloadError("bluesky access token is not a JWT") from exc
        exp = obj(claims).get("exp")
        return datetime.fromtimestamp(exp, tz=UTC) if isinstance(exp, int) else None

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        cid = ref.platform_data.get("cid", "")
        record = {
            "$type": parse.POST_COLLECTION,
            "text": text,
            "createdAt": _now(),
            "reply": {
                "root": {
                    "uri": ref.platform_data.get("root_uri") or ref.external_id,
                    "cid": ref.platform_data.get("root_cid") or cid,
                },
                "parent": {"uri": ref.external_id, "cid": cid},
            },
        }
        result = self._xrpc(
            account,
            "POST",
            "com.atproto.repo.createRecord",
            json_body={
                "repo": account.external_id,
                "collection": parse.POST_COLLECTION,
                "record": record,
            },
        )
        return as_str(obj(result).get("uri"))

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._set_hidden(account, ref, hidden=True)

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._set_hidden(account, ref, hidden=False)

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(
            self.platform, "remove", "only the writer can delete a post; hide it or report it"
        )

    # Publishing -------------------------------------------------------

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """Blobs first (`uploadBlob`; images with alt text, a video with its captions),
        then `createRecord` with link and hashtag facets on UTF-8 byte offsets. The
        record key comes from the idempotency key, so a retry finds the first post."""
        if post.scheduled_at is not None:
            raise ActionNotSupported(self.platform, "publish", "Bluesky cannot schedule posts")
        text = publishing.post_text(post)
        record: dict[str, Any] = {"$type": parse.POST_COLLECTION, "text": text, "createdAt": _now()}
        if facets := publishing.bluesky_facets(text):
            record["facets"] = facets
        if post.language:
            record["langs"] = [post.language]
        if embed := self._embed(account, post):
            record["embed"] = embed
        rkey = publishing.tid_for(post.idempotency_key)
        body = {
            "repo": account.external_id,
            "collection": parse.POST_COLLECTION,
            "rkey": rkey,
            "record": record,
        }
        try:
            result = self._xrpc(
                account, "POST", "com.atproto.repo.createRecord", json_body=body, idempotent=True
            )
        except ConnectorError as exc:
            if exc.status not in (400, 409) or isinstance(exc, TokenExpired):
                raise
            result = self._existing(account, rkey, exc)
        uri = as_str(obj(result).get("uri"))
        handle = account.handle.lstrip("@") or account.external_id
        return PublishResult(
            external_id=uri,
            url=f"https://bsky.app/profile/{handle}/post/{rkey}",
            raw=json.dumps(result, separators=(",", ":")).encode(),
        )

    def _embed(self, account: AccountConfig, post: OutgoingPost) -> dict[str, Any] | None:
        images, videos = publishing.images(post), publishing.videos(post)
        if videos:
            if len(post.media) > 1:
                raise ActionNotSupported(self.platform, "publish", "one video, without images")
            video = videos[0]
            embed: dict[str, Any] = {
                "$type": "app.bsky.embed.video",
                "video": self._blob(account, video.data, video.content_type),
            }
            if video.alt_text:
                embed["alt"] = video.alt_text
            if video.captions:
                captions = self._blob(account, video.captions.encode(), "text/vtt")
                embed["captions"] = [{"lang": post.language or "sv", "file": captions}]
            return embed
        if len(images) > MAX_IMAGES:
            raise ActionNotSupported(self.platform, "publish", f"at most {MAX_IMAGES} images")
        if images:
            return {
                "$type": "app.bsky.embed.images",
                "images": [
                    {
                        "alt": image.alt_text,
                        "image": self._blob(account, image.data, image.content_type),
                    }
                    for image in images
                ],
            }
        if post.link:
            return {
                "$type": "app.bsky.embed.external",
                "external": {"uri": post.link, "title": post.link, "description": ""},
            }
        return None

    def _blob(self, account: AccountConfig, data: bytes, content_type: str) -> dict[str, Any]:
        result = self._xrpc(
            account,
            "POST",
            "com.atproto.repo.uploadBlob",
            content=data,
            headers={"Content-Type": content_type},
            idempotent=True,  # a blob is addressed by its content
        )
        blob = obj(obj(result).get("blob"))
        if not blob:
            raise PayloadError("bluesky: uploadBlob gave no blob")
        return blob

    def _existing(self, account: AccountConfig, rkey: str, exc: ConnectorError) -> Any:
        """After a refused create: the record this key already made, or the refusal."""
        try:
            return self._xrpc(
                account,
                "GET",
                "com.atproto.repo.getRecord",
                params=[
                    ("repo", account.external_id),
                    ("collection", parse.POST_COLLECTION),
                    ("rkey", rkey),
                ],
            )
        except ConnectorError:
            raise exc from None

    # ------------------------------------------------------------------

    def _set_hidden(self, account: AccountConfig, ref: ItemRef, *, hidden: bool) -> None:
        root_uri = ref.platform_data.get("root_uri") or ref.thread_id or ""
        root_did, _, rkey = parse.split_uri(root_uri)
        if root_did != account.external_id:
            raise ActionNotSupported(
                self.platform, "hide", "replies can be hidden only in threads the account started"
            )
        try:
            current = obj(
                obj(
                    self._xrpc(
                        account,
                        "GET",
                        "com.atproto.repo.getRecord",
                        params=[
                            ("repo", account.external_id),
                            ("collection", THREADGATE),
                            ("rkey", rkey),
                        ],
                    )
                ).get("value")
            )
        except ConnectorError as exc:
            if exc.code != "RecordNotFound":
                raise
            current = {}
        gate: dict[str, Any] = current or {
            "$type": THREADGATE,
            "post": root_uri,
            "createdAt": _now(),
        }
        hidden_replies = [as_str(u) for u in gate.get("hiddenReplies") or []]
        if hidden and ref.external_id not in hidden_replies:
            hidden_replies.append(ref.external_id)
        if not hidden:
            hidden_replies = [u for u in hidden_replies if u != ref.external_id]
        gate["hiddenReplies"] = hidden_replies
        self._xrpc(
            account,
            "POST",
            "com.atproto.repo.putRecord",
            json_body={
                "repo": account.external_id,
                "collection": THREADGATE,
                "rkey": rkey,
                "record": gate,
            },
        )

    def _gone(self, account: AccountConfig, known: list[str]) -> list[str]:
        gone: list[str] = []
        for start in range(0, len(known), GET_POSTS_BATCH):
            batch = known[start : start + GET_POSTS_BATCH]
            payload = self._xrpc(
                account, "GET", "app.bsky.feed.getPosts", params=[("uris", uri) for uri in batch]
            )
            present = {as_str(obj(p).get("uri")) for p in obj(payload).get("posts") or []}
            gone.extend(uri for uri in batch if uri not in present)
        return gone

    def _xrpc(self, account: AccountConfig, method: str, nsid: str, **kwargs: Any) -> Any:
        url = server_url(account.base_url or self.api_base, f"/xrpc/{nsid}")
        session = OAuthSession.decode(account.access_token)
        if session is None:  # an app password session: a bearer JWT
            return self.http.json(method, url, token=account.access_token, **kwargs)
        auth = dpop.DPoPAuth(
            session.key, nonces=self.dpop_nonces, access_token=session.access_token
        )
        return self.http.json(method, url, auth=auth, **kwargs)


def _session(result: Any) -> Session:
    body = obj(result)
    if not body.get("accessJwt") or not body.get("did"):
        raise PayloadError("bluesky session response without accessJwt or did")
    return Session(
        did=as_str(body["did"]),
        handle=as_str(body.get("handle")),
        access_jwt=as_str(body["accessJwt"]),
        refresh_jwt=as_str(body.get("refreshJwt")),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
