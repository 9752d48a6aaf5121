"""X: Account Activity webhooks in (CRC, signed deliveries), API v2 out."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Collection, Mapping
from typing import Any

from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemKind,
    ItemRef,
    PollResult,
    as_str,
    constant_time_equal,
    guarded_parse,
    header,
)
from kanalvakt.connectors.parsing import obj
from kanalvakt.connectors.x import parse

API_URL = "https://api.x.com/2"
SIGNATURE_HEADER = "x-twitter-webhooks-signature"
TWEET_FIELDS = (
    "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang,"
    "edit_history_tweet_ids"
)
LOOKUP_BATCH = 100


def _sign(secret: str, message: bytes) -> str:
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


class XConnector(Connector):
    platform = "x"
    receives_webhooks = True
    polls = True

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """`x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, body)>`."""
        received = header(headers, SIGNATURE_HEADER)
        if not received or not secret:
            return False
        return constant_time_equal(received, _sign(secret, body))

    def webhook_handshake(self, query_params: Mapping[str, str], verify_token: str) -> str | None:
        """The CRC check: `verify_token` is the app's consumer secret."""
        crc_token = query_params.get("crc_token")
        if not crc_token or not verify_token:
            return None
        return json.dumps({"response_token": _sign(verify_token, crc_token.encode())})

    def parse_webhook(self, body: bytes) -> list[IncomingItem]:
        return guarded_parse(parse.parse_delivery, body)

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        """Mentions and replies (and DMs if `settings["poll_dms"] == "1"`) since the cursor.

        The cursor is JSON: `{"mentions": newest tweet id, "dms": newest DM event id}`.
        """
        cursor = obj(json.loads(since_cursor)) if since_cursor else {}
        params = {
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name",
            "max_results": "100",
        }
        if cursor.get("mentions"):
            params["since_id"] = as_str(cursor["mentions"])
        mentions = self.http.json(
            "GET",
            f"{API_URL}/users/{account.external_id}/mentions",
            token=account.access_token,
            params=params,
        )
        items = parse.parse_v2_tweets(mentions, account.external_id)
        newest = as_str(obj(obj(mentions).get("meta")).get("newest_id"))
        next_cursor = dict(cursor)
        if newest:
            next_cursor["mentions"] = newest
        if account.settings.get("poll_dms") == "1":
            events = self.http.json(
                "GET",
                f"{API_URL}/dm_events",
                token=account.access_token,
                params={
                    "dm_event.fields": "id,text,event_type,dm_conversation_id,created_at,sender_id",
                    "event_types": "MessageCreate",
                    "max_results": "100",
                },
            )
            seen = as_str(cursor.get("dms"))
            dms = [
                d
                for d in parse.parse_v2_dm_events(events, account.external_id)
                if not seen or int(d.external_id) > int(seen)
            ]
            items.extend(dms)
            if dms:
                next_cursor["dms"] = max((d.external_id for d in dms), key=int)
        return PollResult(
            items,
            json.dumps(next_cursor, sort_keys=True) if next_cursor else None,
            self._gone(account, list(known_external_ids)),
        )

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        if ref.kind == ItemKind.DIRECT_MESSAGE:
            other = ref.platform_data.get("recipient_id") or ref.author_external_id
            result = self.http.json(
                "POST",
                f"{API_URL}/dm_conversations/with/{other}/messages",
                token=account.access_token,
                json_body={"text": text},
            )
            return as_str(obj(obj(result).get("data")).get("dm_event_id"))
        result = self.http.json(
            "POST",
            f"{API_URL}/tweets",
            token=account.access_token,
            json_body={"text": text, "reply": {"in_reply_to_tweet_id": self._latest(ref)}},
        )
        return as_str(obj(obj(result).get("data")).get("id"))

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._set_hidden(account, ref, hidden=True)

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._set_hidden(account, ref, hidden=False)

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(
            self.platform,
            "remove",
            "X lets an account hide replies, not delete other people's posts; report it instead",
        )

    # ------------------------------------------------------------------

    def _latest(self, ref: ItemRef) -> str:
        return ref.platform_data.get("latest_id") or ref.external_id

    def _set_hidden(self, account: AccountConfig, ref: ItemRef, *, hidden: bool) -> None:
        if ref.kind == ItemKind.DIRECT_MESSAGE:
            raise ActionNotSupported(self.platform, "hide", "not for direct messages")
        self.http.request(
            "PUT",
            f"{API_URL}/tweets/{self._latest(ref)}/hidden",
            token=account.access_token,
            json_body={"hidden": hidden},
        )

    def _gone(self, account: AccountConfig, known: list[str]) -> list[str]:
        gone: list[str] = []
        for start in range(0, len(known), LOOKUP_BATCH):
            batch = known[start : start + LOOKUP_BATCH]
            result: Any = self.http.json(
                "GET",
                f"{API_URL}/tweets",
                token=account.access_token,
                params={"ids": ",".join(batch)},
            )
            missing = {
                as_str(obj(e).get("resource_id") or obj(e).get("value"))
                for e in obj(result).get("errors") or []
                if as_str(obj(e).get("type")).endswith("resource-not-found")
            }
            gone.extend(i for i in batch if i in missing)
        return gone
