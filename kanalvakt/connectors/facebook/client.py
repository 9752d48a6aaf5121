"""Facebook Pages: webhooks in, Graph API out (reply, hide, unhide, remove, poll)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from kanalvakt.connectors import meta
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemKind,
    ItemRef,
    PayloadError,
    PollResult,
    as_str,
    guarded_parse,
)
from kanalvakt.connectors.facebook import parse
from kanalvakt.connectors.http import NotFound
from kanalvakt.connectors.parsing import from_iso, obj

COMMENT_FIELDS = "id,message,created_time,from,parent{id},permalink_url,is_hidden,attachment"
RECENT_POSTS = 25


class FacebookConnector(Connector):
    platform = "facebook"
    receives_webhooks = True
    polls = True

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return meta.verify_signature(headers, body, secret)

    def webhook_handshake(self, query_params: Mapping[str, str], verify_token: str) -> str | None:
        return meta.handshake(query_params, verify_token)

    def token_expires_at(self, account: AccountConfig) -> datetime | None:
        return meta.token_expires_at(self.http, account)

    def parse_webhook(self, body: bytes) -> list[IncomingItem]:
        return guarded_parse(parse.parse_delivery, body)

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        """Comments on recently updated posts (a safety net beside webhooks).

        The cursor is the newest post `updated_time` seen, in ISO 8601.
        """
        feed = self._get(
            account,
            f"{account.external_id}/feed",
            fields="id,updated_time",
            limit=str(RECENT_POSTS),
        )
        items: list[IncomingItem] = []
        newest = since_cursor
        for post in feed.get("data") or []:
            post_id = as_str(obj(post).get("id"))
            updated = as_str(obj(post).get("updated_time"))
            if not post_id:
                continue
            if since_cursor and updated and from_iso(updated) <= from_iso(since_cursor):
                continue
            comments = self._get(
                account,
                f"{post_id}/comments",
                fields=COMMENT_FIELDS,
                filter="stream",
                order="reverse_chronological",
                limit="100",
            )
            page_items, _ = parse.parse_comments_page(comments, account.external_id)
            items.extend(page_items)
            if updated and (newest is None or from_iso(updated) > from_iso(newest)):
                newest = updated
        return PollResult(items, newest, self._gone(account, known_external_ids))

    def fetch(self, account: AccountConfig, ref: ItemRef) -> IncomingItem:
        node = self._get(account, ref.external_id, fields=COMMENT_FIELDS)
        return parse.parse_comment_node(node, account.external_id)

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        if ref.kind == ItemKind.DIRECT_MESSAGE:
            recipient = ref.platform_data.get("recipient_id") or ref.author_external_id
            result = self.http.json(
                "POST",
                f"{meta.GRAPH_URL}/{account.external_id}/messages",
                token=account.access_token,
                json_body={
                    "recipient": {"id": recipient},
                    "messaging_type": "RESPONSE",
                    "message": {"text": text},
                },
            )
            return as_str((result or {}).get("message_id"))
        result = self.http.json(
            "POST",
            f"{meta.GRAPH_URL}/{ref.external_id}/comments",
            token=account.access_token,
            data={"message": text},
        )
        return as_str((result or {}).get("id"))

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._set_hidden(account, ref, hidden=True)

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._set_hidden(account, ref, hidden=False)

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        self._no_dm(ref, "remove")
        self.http.request(
            "DELETE", f"{meta.GRAPH_URL}/{ref.external_id}", token=account.access_token
        )

    # ------------------------------------------------------------------

    def _set_hidden(self, account: AccountConfig, ref: ItemRef, *, hidden: bool) -> None:
        self._no_dm(ref, "hide" if hidden else "unhide")
        self.http.request(
            "POST",
            f"{meta.GRAPH_URL}/{ref.external_id}",
            token=account.access_token,
            data={"is_hidden": "true" if hidden else "false"},
            idempotent=True,
        )

    def _no_dm(self, ref: ItemRef, action: str) -> None:
        if ref.kind == ItemKind.DIRECT_MESSAGE:
            raise ActionNotSupported(self.platform, action, "not for Messenger messages")

    def _get(self, account: AccountConfig, path: str, **params: str) -> dict[str, Any]:
        result = self.http.json(
            "GET", f"{meta.GRAPH_URL}/{path}", token=account.access_token, params=params
        )
        if not isinstance(result, dict):
            raise PayloadError(f"facebook: unexpected response for {path}")
        return result

    def _gone(self, account: AccountConfig, known: Collection[str]) -> list[str]:
        gone = []
        for external_id in known:
            try:
                self._get(account, external_id, fields="id")
            except NotFound:
                gone.append(external_id)
        return gone
