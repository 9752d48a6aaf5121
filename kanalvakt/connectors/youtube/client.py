"""YouTube: polled through the Data API v3; replies and moderation status out."""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection
from datetime import datetime
from typing import Any

from kanalvakt.connectors import publishing
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemRef,
    OutgoingMedia,
    OutgoingPost,
    PayloadError,
    PollResult,
    PublishResult,
    as_str,
)
from kanalvakt.connectors.http import ConnectorError
from kanalvakt.connectors.parsing import from_iso, obj
from kanalvakt.connectors.youtube import parse

API_URL = "https://www.googleapis.com/youtube/v3"
MAX_PAGES = 5
ID_BATCH = 50


class YouTubeConnector(Connector):
    platform = "youtube"
    polls = True

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        """New and edited comments on the channel's videos; the cursor is the newest
        `updatedAt` seen (ISO 8601). Deleted comments are found by id lookup."""
        since = from_iso(since_cursor) if since_cursor else None
        found: list[IncomingItem] = []
        page_token = ""
        for _ in range(MAX_PAGES):
            params = {
                "part": "snippet,replies",
                "allThreadsRelatedToChannelId": account.external_id,
                "order": "time",
                "maxResults": "100",
                "textFormat": "plainText",
            }
            if page_token:
                params["pageToken"] = page_token
            payload = self._get(account, "commentThreads", params)
            items, incomplete = parse.parse_threads(payload, account.external_id)
            found.extend(items)
            for thread_id in incomplete:
                found.extend(self._replies(account, thread_id))
            page_token = as_str(payload.get("nextPageToken"))
            oldest = min((_changed(i) for i in items), default=None)
            if not page_token or (since and oldest and oldest <= since):
                break
        fresh = [i for i in found if since is None or _changed(i) > since]
        newest = max((_changed(i) for i in found), default=since)
        cursor = newest.isoformat() if newest else since_cursor
        return PollResult(_unique(fresh), cursor, self._gone(account, list(known_external_ids)))

    def fetch(self, account: AccountConfig, ref: ItemRef) -> IncomingItem:
        payload = self._get(
            account,
            "comments",
            {"part": "snippet", "id": ref.external_id, "textFormat": "plainText"},
        )
        [item] = parse.parse_comments(payload, account.external_id, ref.thread_id or "")
        return item

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        # YouTube threads are one level deep: a reply to a reply goes to the top-level comment.
        parent = ref.platform_data.get("top_level_id") or ref.external_id
        result = self.http.json(
            "POST",
            f"{self.api}/comments",
            token=account.access_token,
            params={"part": "snippet"},
            json_body={"snippet": {"parentId": parent, "textOriginal": text}},
        )
        return as_str(obj(result).get("id"))

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._moderate(account, ref, "heldForReview")

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._moderate(account, ref, "published")

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        self._moderate(account, ref, "rejected")

    # Publishing -------------------------------------------------------

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """`videos.insert` as a resumable upload (metadata, then the bytes with PUT, which
        the upload session answers with the same video if repeated), then
        `captions.insert` for the WebVTT captions. Scheduled: private with `publishAt`."""
        videos = publishing.videos(post)
        if len(videos) != 1 or len(post.media) != 1:
            raise ActionNotSupported(self.platform, "publish", "a YouTube post is one video")
        video = videos[0]
        description = publishing.post_text(post).replace("<", "").replace(">", "")
        snippet: dict[str, str] = {
            "title": publishing.title_of(post.text) or video.filename,
            "description": description,
        }
        if post.language:
            snippet["defaultLanguage"] = post.language
        status: dict[str, Any] = {"privacyStatus": "public", "selfDeclaredMadeForKids": False}
        if post.scheduled_at is not None:
            status |= {"privacyStatus": "private", "publishAt": post.scheduled_at.isoformat()}
        session = self.http.request(
            "POST",
            f"{self.api_base}/upload/youtube/v3/videos",
            token=account.access_token,
            params={"uploadType": "resumable", "part": "snippet,status"},
            json_body={"snippet": snippet, "status": status},
            headers={
                "X-Upload-Content-Type": video.content_type,
                "X-Upload-Content-Length": str(len(video.data)),
            },
            idempotent=True,  # an upload session without bytes publishes nothing
        )
        location = session.headers.get("location", "")
        if not location:
            raise PayloadError("youtube: no upload address for the video")
        uploaded = self.http.request(
            "PUT",
            location,
            token=account.access_token,
            content=video.data,
            headers={"Content-Type": video.content_type},
        )
        video_id = as_str(obj(uploaded.json()).get("id"))
        if not video_id:
            raise PayloadError("youtube: the uploaded video has no id")
        warnings: tuple[str, ...] = ()
        if video.captions:
            try:
                self._captions(account, video_id, video, post.language or "sv")
            except ConnectorError as exc:
                warnings = (f"captions not uploaded: {exc}",)
        return PublishResult(
            external_id=video_id,
            url=f"https://www.youtube.com/watch?v={video_id}",
            raw=uploaded.content,
            warnings=warnings,
        )

    def _captions(
        self, account: AccountConfig, video_id: str, video: OutgoingMedia, language: str
    ) -> None:
        boundary = f"kanalvakt-{secrets.token_hex(8)}"
        metadata = {"snippet": {"videoId": video_id, "language": language, "name": ""}}
        body = (
            (
                f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
                f"{json.dumps(metadata)}\r\n--{boundary}\r\nContent-Type: text/vtt\r\n\r\n"
            ).encode()
            + video.captions.encode()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        self.http.request(
            "POST",
            f"{self.api_base}/upload/youtube/v3/captions",
            token=account.access_token,
            params={"uploadType": "multipart", "part": "snippet"},
            content=body,
            headers={"Content-Type": f"multipart/related; boundary={boundary}"},
        )

    # ------------------------------------------------------------------

    @property
    def api(self) -> str:
        return self.api_base + "/youtube/v3"

    def _moderate(self, account: AccountConfig, ref: ItemRef, status: str) -> None:
        self.http.request(
            "POST",
            f"{self.api}/comments/setModerationStatus",
            token=account.access_token,
            params={"id": ref.external_id, "moderationStatus": status},
            idempotent=True,
        )

    def _replies(self, account: AccountConfig, thread_id: str) -> list[IncomingItem]:
        items: list[IncomingItem] = []
        page_token = ""
        for _ in range(MAX_PAGES):
            params = {
                "part": "snippet",
                "parentId": thread_id,
                "maxResults": "100",
                "textFormat": "plainText",
            }
            if page_token:
                params["pageToken"] = page_token
            payload = self._get(account, "comments", params)
            items.extend(parse.parse_comments(payload, account.external_id))
            page_token = as_str(payload.get("nextPageToken"))
            if not page_token:
                break
        return items

    def _gone(self, account: AccountConfig, known: list[str]) -> list[str]:
        gone: list[str] = []
        for start in range(0, len(known), ID_BATCH):
            batch = known[start : start + ID_BATCH]
            payload = self._get(account, "comments", {"part": "id", "id": ",".join(batch)})
            present = {as_str(obj(c).get("id")) for c in payload.get("items") or []}
            gone.extend(i for i in batch if i not in present)
        return gone

    def _get(self, account: AccountConfig, resource: str, params: dict[str, str]) -> dict[str, Any]:
        return obj(
            self.http.json(
                "GET", f"{self.api}/{resource}", token=account.access_token, params=params
            )
        )


def _changed(item: IncomingItem) -> datetime:
    return item.edited_at or item.created_at


def _unique(items: list[IncomingItem]) -> list[IncomingItem]:
    seen: dict[str, IncomingItem] = {}
    for item in items:
        seen.setdefault(item.external_id, item)
    return list(seen.values())
