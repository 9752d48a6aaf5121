"""Instagram professional accounts: webhooks in, Graph API out."""

from __future__ import annotations

from collections.abc import Collection

from kanalvakt.connectors import meta, publishing
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
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
    guarded_parse,
)
from kanalvakt.connectors.instagram import parse
from kanalvakt.connectors.parsing import from_iso, obj

COMMENT_FIELDS = (
    "id,text,timestamp,username,from,parent_id,hidden,media{id},"
    "replies{id,text,timestamp,username,from,parent_id,hidden}"
)
MENTION_FIELDS = "id,text,timestamp,username,media{id}"
RECENT_MEDIA = 10


class InstagramConnector(meta.GraphConnector):
    platform = "instagram"
    hidden_field = "hide"

    def parse_webhook(self, body: bytes) -> list[IncomingItem]:
        return guarded_parse(parse.parse_delivery, body)

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        """Comments on the latest media newer than the cursor (newest comment timestamp)."""
        media = self._get(
            account,
            f"{account.external_id}/media",
            fields="id,comments_count",
            limit=str(RECENT_MEDIA),
        )
        items: list[IncomingItem] = []
        for medium in media.get("data") or []:
            media_id = as_str(obj(medium).get("id"))
            if not media_id or not obj(medium).get("comments_count"):
                continue
            page = self._get(account, f"{media_id}/comments", fields=COMMENT_FIELDS)
            items.extend(parse.parse_comments_page(page, account.external_id, media_id=media_id))
        since = from_iso(since_cursor) if since_cursor else None
        fresh = [i for i in items if since is None or i.created_at > since]
        newest = max((i.created_at for i in items), default=None)
        cursor = (
            newest.isoformat() if newest and (since is None or newest > since) else since_cursor
        )
        return PollResult(fresh, cursor, self._gone(account, known_external_ids))

    def fetch(self, account: AccountConfig, ref: ItemRef) -> IncomingItem:
        """Complete a mention: Instagram sends only the ids."""
        if ref.kind != ItemKind.MENTION:
            node = self._get(account, ref.external_id, fields=COMMENT_FIELDS)
            return parse.parse_comment_node(node, account.external_id)[0]
        comment_id = ref.platform_data.get("comment_id", "")
        media_id = ref.platform_data.get("media_id", "") or (ref.thread_id or "")
        if comment_id:
            fields = f"mentioned_comment.comment_id({comment_id}){{{MENTION_FIELDS}}}"
        else:
            fields = f"mentioned_media.media_id({media_id}){{id,caption,timestamp,username}}"
        payload = self._get(account, account.external_id, fields=fields)
        return parse.parse_mention(payload, account.external_id, media_id)

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        if ref.kind == ItemKind.DIRECT_MESSAGE:
            recipient = ref.platform_data.get("recipient_id") or ref.author_external_id
            result = self.http.json(
                "POST",
                f"{self.api_base}/{account.external_id}/messages",
                token=account.access_token,
                json_body={"recipient": {"id": recipient}, "message": {"text": text}},
            )
            return as_str((result or {}).get("message_id"))
        if ref.kind == ItemKind.MENTION:
            # A reply to a mention goes through the mentioning media or comment.
            result = self.http.json(
                "POST",
                f"{self.api_base}/{account.external_id}/mentions",
                token=account.access_token,
                data={
                    "media_id": ref.platform_data.get("media_id") or ref.thread_id or "",
                    "comment_id": ref.platform_data.get("comment_id", ""),
                    "message": text,
                },
            )
            return as_str((result or {}).get("id"))
        result = self.http.json(
            "POST",
            f"{self.api_base}/{ref.external_id}/replies",
            token=account.access_token,
            data={"message": text},
        )
        return as_str((result or {}).get("id"))

    # ------------------------------------------------------------------

    def _check_moderable(self, ref: ItemRef, action: str) -> None:
        if ref.kind not in (ItemKind.COMMENT, ItemKind.REPLY):
            raise ActionNotSupported(self.platform, action, "only comments on our own media")

    # Publishing -------------------------------------------------------

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """Create a media container (a carousel for several items), wait until it is
        `FINISHED`, then `media_publish` it. Instagram fetches the files itself, so
        every medium needs a public `url`; a container can be published only once."""
        if post.scheduled_at is not None:
            raise ActionNotSupported(self.platform, "publish", "the API cannot schedule posts")
        if not post.media:
            raise ActionNotSupported(self.platform, "publish", "a post needs an image or a video")
        missing = [m.filename for m in post.media if not m.url]
        if missing:
            raise ActionNotSupported(
                self.platform, "publish", f"no public address for {', '.join(missing)}"
            )
        caption = publishing.post_text(post)
        if len(post.media) == 1:
            container = self._container(account, post.media[0], caption=caption)
        else:
            children = [self._container(account, m, child=True) for m in post.media]
            container = self._create(
                account,
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption},
            )
        publishing.wait_for(
            self.http,
            lambda: as_str(self._get(account, container, fields="status_code").get("status_code")),
            done=frozenset({"FINISHED", "PUBLISHED"}),
            failed=frozenset({"ERROR", "EXPIRED"}),
        )
        response = self.http.request(
            "POST",
            f"{self.api_base}/{account.external_id}/media_publish",
            token=account.access_token,
            data={"creation_id": container},
        )
        media_id = as_str(obj(response.json()).get("id"))
        if not media_id:
            raise PayloadError("instagram: media_publish gave no id")
        return PublishResult(external_id=media_id, raw=response.content)

    def _container(
        self,
        account: AccountConfig,
        media: OutgoingMedia,
        *,
        caption: str = "",
        child: bool = False,
    ) -> str:
        data: dict[str, str] = {}
        if media.kind == MediaKind.IMAGE:
            data["image_url"] = media.url
            if media.alt_text:
                data["alt_text"] = media.alt_text
        else:
            data |= {"media_type": "VIDEO" if child else "REELS", "video_url": media.url}
        if child:
            data["is_carousel_item"] = "true"
        if caption:
            data["caption"] = caption
        return self._create(account, data)

    def _create(self, account: AccountConfig, data: dict[str, str]) -> str:
        result = self.http.json(
            "POST",
            f"{self.api_base}/{account.external_id}/media",
            token=account.access_token,
            data=data,
            idempotent=True,  # an unpublished container is harmless
        )
        container = as_str(obj(result).get("id"))
        if not container:
            raise PayloadError("instagram: no container id")
        return container
