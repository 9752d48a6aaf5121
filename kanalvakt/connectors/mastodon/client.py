"""Mastodon: polled notifications, signed admin webhooks, replies out.

Mastodon has no way for an account to hide or delete other people's replies
(only server moderators can, through reports), so hide/remove are not offered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from kanalvakt.connectors import publishing
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemKind,
    ItemRef,
    OutgoingMedia,
    OutgoingPost,
    PayloadError,
    PollResult,
    PublishResult,
    as_str,
    guarded_parse,
    header,
    hub_signature_valid,
)
from kanalvakt.connectors.http import NotFound
from kanalvakt.connectors.mastodon import parse
from kanalvakt.connectors.parsing import obj
from kanalvakt.connectors.servers import server_url

SIGNATURE_HEADER = "X-Hub-Signature"


class MastodonConnector(Connector):
    platform = "mastodon"
    receives_webhooks = True  # admin webhooks, for organisations running their own server
    polls = True

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """`X-Hub-Signature: sha256=<hex HMAC-SHA256(webhook secret, body)>`."""
        return hub_signature_valid(header(headers, SIGNATURE_HEADER), body, secret)

    def parse_webhook(self, body: bytes) -> list[IncomingItem]:
        return guarded_parse(parse.parse_admin_webhook, body)

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        """Mention and edit notifications after the cursor (the newest notification id)."""
        params: list[tuple[str, str]] = [
            ("types[]", "mention"),
            ("types[]", "update"),
            ("limit", "40"),
        ]
        if since_cursor:
            params.append(("since_id", since_cursor))
        payload = self.http.json(
            "GET",
            self._url(account, "/api/v1/notifications"),
            token=account.access_token,
            params=params,
        )
        items = parse.parse_notifications(payload, account.external_id)
        ids = [as_str(obj(n).get("id")) for n in payload if obj(n).get("id")]
        newest = max(ids, key=_numeric, default=since_cursor)
        gone: list[str] = []
        for external_id in known_external_ids:
            try:
                self.http.request(
                    "GET",
                    self._url(account, f"/api/v1/statuses/{external_id}"),
                    token=account.access_token,
                )
            except NotFound:
                gone.append(external_id)
        return PollResult(items, newest, gone)

    def token_expires_at(self, account: AccountConfig) -> datetime | None:
        """Mastodon app tokens do not expire; a revoked one gives `TokenExpired` here."""
        self.http.request(
            "GET", self._url(account, "/api/v1/apps/verify_credentials"), token=account.access_token
        )
        return None

    def fetch(self, account: AccountConfig, ref: ItemRef) -> IncomingItem:
        status = self.http.json(
            "GET",
            self._url(account, f"/api/v1/statuses/{ref.external_id}"),
            token=account.access_token,
        )
        return parse.parse_status(obj(status), account.external_id)

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        acct = ref.platform_data.get("acct", "")
        if acct and f"@{acct}" not in text:
            text = f"@{acct} {text}"  # without the mention the writer is not notified
        visibility = (
            "direct"
            if ref.kind == ItemKind.DIRECT_MESSAGE
            else (ref.platform_data.get("visibility") or "public")
        )
        result = self.http.json(
            "POST",
            self._url(account, "/api/v1/statuses"),
            token=account.access_token,
            json_body={"status": text, "in_reply_to_id": ref.external_id, "visibility": visibility},
        )
        return as_str(obj(result).get("id"))

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(self.platform, "hide", "Mastodon has no hidden replies")

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(self.platform, "unhide", "Mastodon has no hidden replies")

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(
            self.platform, "remove", "only the server's moderators can; report it instead"
        )

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """Media to `POST /api/v2/media` with the alt text as `description` (waiting while
        the server processes a video), then `POST /api/v1/statuses` with the post's
        `Idempotency-Key`: the server answers a repeated request with the first status,
        so the client may retry it. `scheduled_at` gives a ScheduledStatus (no url)."""
        media_ids = [self._upload(account, m) for m in post.media]
        body: dict[str, Any] = {"status": publishing.post_text(post), "visibility": "public"}
        if media_ids:
            body["media_ids"] = media_ids
        if post.language:
            body["language"] = post.language
        if post.scheduled_at is not None:
            body["scheduled_at"] = post.scheduled_at.isoformat()
        response = self.http.request(
            "POST",
            self._url(account, "/api/v1/statuses"),
            token=account.access_token,
            json_body=body,
            headers={"Idempotency-Key": post.idempotency_key},
            idempotent=True,
        )
        status = obj(response.json())
        if not status.get("id"):
            raise PayloadError("mastodon: the status has no id")
        return PublishResult(
            external_id=as_str(status["id"]), url=as_str(status.get("url")), raw=response.content
        )

    def _upload(self, account: AccountConfig, media: OutgoingMedia) -> str:
        response = self.http.request(
            "POST",
            self._url(account, "/api/v2/media"),
            token=account.access_token,
            data={"description": media.alt_text} if media.alt_text else {},
            files={"file": (media.filename, media.data, media.content_type)},
        )
        attachment = obj(response.json())
        media_id = as_str(attachment.get("id"))
        if not media_id:
            raise PayloadError("mastodon: the media attachment has no id")
        if response.status_code == 202 or not attachment.get("url"):
            # 202: still processing; GET answers 206 until it is done, then 200.
            publishing.wait_for(
                self.http,
                lambda: str(
                    self.http.request(
                        "GET",
                        self._url(account, f"/api/v1/media/{media_id}"),
                        token=account.access_token,
                    ).status_code
                ),
                done=frozenset({"200"}),
                failed=frozenset(),
            )
        return media_id

    def _url(self, account: AccountConfig, path: str) -> str:
        if not account.base_url:
            raise PayloadError("mastodon account needs base_url, e.g. https://mastodon.social")
        return server_url(account.base_url, path)


def _numeric(value: str | None) -> int:
    return int(value) if value and value.isdigit() else -1
