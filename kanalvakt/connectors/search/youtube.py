"""YouTube: the Data API search for videos, with the organisation's API key."""

from __future__ import annotations

from typing import Any

from kanalvakt.connectors.http import HttpClient
from kanalvakt.connectors.search.base import FoundMention, when

API = "https://www.googleapis.com/youtube/v3"


class YouTubeSearch:
    def __init__(self, *, api_key: str, client: HttpClient | None = None) -> None:
        self.api_key = api_key
        self.client = client or HttpClient(platform="youtube")

    def search(self, query: str, *, limit: int = 25) -> list[FoundMention]:
        data = self.client.json(
            "GET",
            f"{API}/search",
            headers={"X-Goog-Api-Key": self.api_key},
            params={
                "part": "snippet",
                "q": query,
                "type": "video",
                "order": "date",
                "maxResults": str(min(limit, 50)),
            },
        )
        return [self._mention(item) for item in (data or {}).get("items", [])]

    @staticmethod
    def _mention(item: dict[str, Any]) -> FoundMention:
        video_id = str((item.get("id") or {}).get("videoId", ""))
        snippet = item.get("snippet") or {}
        return FoundMention(
            external_id=video_id,
            url=f"https://www.youtube.com/watch?v={video_id}",
            author=str(snippet.get("channelTitle", "")),
            text=f"{snippet.get('title', '')}\n{snippet.get('description', '')}".strip(),
            published_at=when(snippet.get("publishedAt")),
        )
