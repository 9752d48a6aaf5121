"""X: Account Activity webhooks in (CRC, signed deliveries), API v2 out."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Collection, Mapping
from typing import Any

from kanalvakt.connectors import publishing
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemKind,
    ItemRef,
    MediaKind,
    OutgoingMedia,
    OutgoingPost,
    PayloadError,
    PollResult,
    PublishResult,
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
CHUNK = 4 * 1024 * 1024


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
            f"{self.api}/users/{account.external_id}/mentions",
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
                f"{self.api}/dm_events",
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
                f"{self.api}/dm_conversations/with/{other}/messages",
                token=account.access_token,
                json_body={"text": text},
            )
            return as_str(obj(obj(result).get("data")).get("dm_event_id"))
        result = self.http.json(
            "POST",
            f"{self.api}/tweets",
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

    @property
    def api(self) -> str:
        return self.api_base + "/2"

    def _latest(self, ref: ItemRef) -> str:
        return ref.platform_data.get("latest_id") or ref.external_id

    def _set_hidden(self, account: AccountConfig, ref: ItemRef, *, hidden: bool) -> None:
        if ref.kind == ItemKind.DIRECT_MESSAGE:
            raise ActionNotSupported(self.platform, "hide", "not for direct messages")
        self.http.request(
            "PUT",
            f"{self.api}/tweets/{self._latest(ref)}/hidden",
            token=account.access_token,
            json_body={"hidden": hidden},
        )

    def _gone(self, account: AccountConfig, known: list[str]) -> list[str]:
        gone: list[str] = []
        for start in range(0, len(known), LOOKUP_BATCH):
            batch = known[start : start + LOOKUP_BATCH]
            result: Any = self.http.json(
                "GET",
                f"{self.api}/tweets",
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

    # Publishing -------------------------------------------------------

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """Upload media (`POST /2/media/upload`; chunked for video), set alt text
        (`/2/media/metadata`), then `POST /2/tweets`. X offers no scheduling and no
        idempotency key: the create is sent once and never retried by the client."""
        if post.scheduled_at is not None:
            raise ActionNotSupported(self.platform, "publish", "the API cannot schedule posts")
        body: dict[str, Any] = {"text": publishing.post_text(post)}
        media_ids = [self._upload(account, m) for m in post.media]
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        response = self.http.request(
            "POST", f"{self.api}/tweets", token=account.access_token, json_body=body
        )
        tweet_id = as_str(obj(obj(response.json()).get("data")).get("id"))
        if not tweet_id:
            raise PayloadError("x: create post gave no id")
        handle = account.handle.lstrip("@") or "i"
        return PublishResult(
            external_id=tweet_id,
            url=f"https://x.com/{handle}/status/{tweet_id}",
            raw=response.content,
        )

    def _upload(self, account: AccountConfig, media: OutgoingMedia) -> str:
        if media.kind == MediaKind.IMAGE:
            result = self.http.json(
                "POST",
                f"{self.api}/media/upload",
                token=account.access_token,
                data={"media_category": "tweet_image", "media_type": media.content_type},
                files={"media": (media.filename, media.data, media.content_type)},
            )
            media_id = as_str(obj(obj(result).get("data")).get("id"))
        else:
            media_id = self._upload_video(account, media)
        if not media_id:
            raise PayloadError("x: media upload gave no id")
        if media.alt_text:
            self.http.request(
                "POST",
                f"{self.api}/media/metadata",
                token=account.access_token,
                json_body={"id": media_id, "metadata": {"alt_text": {"text": media.alt_text}}},
                idempotent=True,
            )
        return media_id

    def _upload_video(self, account: AccountConfig, media: OutgoingMedia) -> str:
        init = self.http.json(
            "POST",
            f"{self.api}/media/upload/initialize",
            token=account.access_token,
            json_body={
                "media_type": media.content_type,
                "total_bytes": len(media.data),
                "media_category": "tweet_video",
            },
        )
        media_id = as_str(obj(obj(init).get("data")).get("id"))
        for index, start in enumerate(range(0, len(media.data), CHUNK)):
            self.http.request(
                "POST",
                f"{self.api}/media/upload/{media_id}/append",
                token=account.access_token,
                data={"segment_index": str(index)},
                files={
                    "media": (media.filename, media.data[start : start + CHUNK], media.content_type)
                },
                idempotent=True,  # the same segment again replaces itself
            )
        final = self.http.json(
            "POST", f"{self.api}/media/upload/{media_id}/finalize", token=account.access_token
        )
        info = obj(obj(obj(final).get("data")).get("processing_info"))
        if info:
            publishing.wait_for(
                self.http,
                lambda: self._media_state(account, media_id),
                done=frozenset({"succeeded"}),
                failed=frozenset({"failed"}),
                delay=float(info.get("check_after_secs") or 2),
            )
        return media_id

    def _media_state(self, account: AccountConfig, media_id: str) -> str:
        status = self.http.json(
            "GET",
            f"{self.api}/media/upload",
            token=account.access_token,
            params={"command": "STATUS", "media_id": media_id},
        )
        return as_str(obj(obj(obj(status).get("data")).get("processing_info")).get("state"))
