"""Bluesky: the public post search of the AppView."""

from __future__ import annotations

from typing import Any

from kanalvakt.connectors.http import HttpClient
from kanalvakt.connectors.search.base import FoundMention, when

APPVIEW = "https://public.api.bsky.app"


class BlueskySearch:
    def __init__(self, *, client: HttpClient | None = None, base: str = APPVIEW) -> None:
        self.client = client or HttpClient(platform="bluesky")
        self.base = base

    def search(self, query: str, *, limit: int = 50) -> list[FoundMention]:
        data = self.client.json(
            "GET",
            f"{self.base}/xrpc/app.bsky.feed.searchPosts",
            params={"q": query, "limit": str(limit), "sort": "latest"},
        )
        return [self._mention(post) for post in (data or {}).get("posts", [])]

    @staticmethod
    def _mention(post: dict[str, Any]) -> FoundMention:
        author = post.get("author") or {}
        record = post.get("record") or {}
        uri = str(post.get("uri", ""))
        handle = str(author.get("handle", ""))
        rkey = uri.rsplit("/", 1)[-1]
        return FoundMention(
            external_id=uri,
            url=f"https://bsky.app/profile/{handle}/post/{rkey}" if handle and rkey else "",
            author=handle,
            text=str(record.get("text", "")),
            published_at=when(record.get("createdAt") or post.get("indexedAt")),
        )
