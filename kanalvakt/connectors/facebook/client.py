"""Facebook Pages: webhooks in, Graph API out (reply, hide, unhide, remove, poll)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from kanalvakt.connectors import meta, publishing
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
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
)
from kanalvakt.connectors.facebook import parse
from kanalvakt.connectors.http import ConnectorError
from kanalvakt.connectors.parsing import from_iso, obj

COMMENT_FIELDS = "id,message,created_time,from,parent{id},permalink_url,is_hidden,attachment"
RECENT_POSTS = 25
SUBRIP = "application/x-subrip"


class FacebookConnector(meta.GraphConnector):
    platform = "facebook"
    hidden_field = "is_hidden"

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
                f"{self.api_base}/{account.external_id}/messages",
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
            f"{self.api_base}/{ref.external_id}/comments",
            token=account.access_token,
            data={"message": text},
        )
        return as_str((result or {}).get("id"))

    # ------------------------------------------------------------------

    def pin(self, account: AccountConfig, external_id: str) -> None:
        """`POST /{page-post-id}` with `is_pinned=true`: the post stays at the top of the page."""
        self.http.request(
            "POST",
            f"{self.api_base}/{external_id}",
            token=account.access_token,
            data={"is_pinned": "true"},
            idempotent=True,
        )

    def _check_moderable(self, ref: ItemRef, action: str) -> None:
        if ref.kind == ItemKind.DIRECT_MESSAGE:
            raise ActionNotSupported(self.platform, action, "not for Messenger messages")

    # Publishing -------------------------------------------------------

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """Text and link to `/feed`, one image to `/photos`, several images uploaded
        unpublished and attached to a `/feed` post, a video to `/videos` (captions
        after it, as SubRip). `scheduled_at` makes a scheduled post (10 min to 30 days)."""
        page = account.external_id
        message = publishing.post_text(post)
        schedule: dict[str, str] = {}
        if post.scheduled_at is not None:
            schedule = {
                "published": "false",
                "scheduled_publish_time": str(int(post.scheduled_at.timestamp())),
            }
        images, videos = publishing.images(post), publishing.videos(post)
        if videos:
            if len(post.media) > 1:
                raise ActionNotSupported(self.platform, "publish", "one video, without images")
            return self._publish_video(account, videos[0], message, schedule, post.language)
        if len(images) == 1:
            result = self._post(
                account,
                f"{page}/photos",
                data={"message": message, **_alt(images[0]), **schedule},
                files={"source": _file(images[0])},
            )
            post_id = as_str(result.get("post_id") or result.get("id"))
            return self._result(post_id, result)
        data: dict[str, str] = {"message": message, **schedule}
        if post.link and not images:
            data |= {"message": post.text, "link": post.link}  # Facebook shows a link card
        for index, image in enumerate(images):
            uploaded = self._post(
                account,
                f"{page}/photos",
                data={"published": "false", "temporary": "true" if schedule else "false"}
                | _alt(image),
                files={"source": _file(image)},
            )
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": as_str(uploaded["id"])})
        result = self._post(account, f"{page}/feed", data=data)
        return self._result(as_str(result.get("id")), result)

    def _publish_video(
        self,
        account: AccountConfig,
        video: OutgoingMedia,
        message: str,
        schedule: dict[str, str],
        language: str,
    ) -> PublishResult:
        result = self._post(
            account,
            f"{account.external_id}/videos",
            data={"description": message, **schedule},
            files={"source": _file(video)},
        )
        video_id = as_str(result.get("id"))
        warnings: tuple[str, ...] = ()
        if video.captions:
            locale = publishing.locale_for(language)
            srt = publishing.vtt_to_srt(video.captions).encode()
            try:
                self.http.request(
                    "POST",
                    f"{self.api_base}/{video_id}/captions",
                    token=account.access_token,
                    data={"default_locale": locale},
                    files={"captions_file": (f"captions.{locale}.srt", srt, SUBRIP)},
                )
            except ConnectorError as exc:
                warnings = (f"captions not uploaded: {exc}",)
        published = self._result(video_id, result)
        return PublishResult(
            external_id=published.external_id,
            url=published.url,
            raw=published.raw,
            warnings=warnings,
        )

    def _post(
        self,
        account: AccountConfig,
        path: str,
        *,
        data: dict[str, str],
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> dict[str, Any]:
        response = self.http.request(
            "POST", f"{self.api_base}/{path}", token=account.access_token, data=data, files=files
        )
        result = obj(response.json()) if response.content else {}
        if not result.get("id"):
            raise PayloadError(f"facebook: no id in the answer to {path}")
        result["_raw"] = response.content
        return result

    def _result(self, post_id: str, result: dict[str, Any]) -> PublishResult:
        raw = result.pop("_raw", b"")
        return PublishResult(
            external_id=post_id,
            url=f"https://www.facebook.com/{post_id}",
            raw=raw if isinstance(raw, bytes) else b"",
        )


def _file(media: OutgoingMedia) -> tuple[str, bytes, str]:
    return (media.filename, media.data, media.content_type)


def _alt(media: OutgoingMedia) -> dict[str, str]:
    return {"alt_text_custom": media.alt_text} if media.alt_text else {}
