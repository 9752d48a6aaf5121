"""Mastodon: a hashtag timeline or a status search on one instance."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from kanalvakt.connectors.http import HttpClient
from kanalvakt.connectors.parsing import html_to_text
from kanalvakt.connectors.search.base import FoundMention, when


class MastodonSearch:
    def __init__(self, *, instance: str, client: HttpClient | None = None, token: str = "") -> None:
        self.base = f"https://{instance.strip().strip('/')}"
        self.client = client or HttpClient(platform="mastodon")
        self.token = token or None

    def hashtag(self, tag: str, *, limit: int = 40) -> list[FoundMention]:
        name = quote(tag.lstrip("#"), safe="")
        data = self.client.json(
            "GET", f"{self.base}/api/v1/timelines/tag/{name}", params={"limit": str(limit)}
        )
        return [self._mention(status) for status in data or []]

    def search(self, query: str, *, limit: int = 40) -> list[FoundMention]:
        data = self.client.json(
            "GET",
            f"{self.base}/api/v2/search",
            params={"q": query, "type": "statuses", "limit": str(limit)},
            token=self.token,
        )
        return [self._mention(status) for status in (data or {}).get("statuses", [])]

    @staticmethod
    def _mention(status: dict[str, Any]) -> FoundMention:
        account = status.get("account") or {}
        return FoundMention(
            external_id=str(status["id"]),
            url=str(status.get("url") or status.get("uri") or ""),
            author=str(account.get("acct") or account.get("username") or ""),
            text=html_to_text(str(status.get("content") or "")),
            published_at=when(status.get("created_at")),
        )
