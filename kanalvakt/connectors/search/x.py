"""X: the recent-search endpoint (last seven days), with the organisation's bearer token."""

from __future__ import annotations

from typing import Any

from kanalvakt.connectors.http import HttpClient
from kanalvakt.connectors.search.base import FoundMention, when

API = "https://api.x.com/2"


class XSearch:
    def __init__(self, *, token: str, client: HttpClient | None = None) -> None:
        self.token = token
        self.client = client or HttpClient(platform="x")

    def search(self, query: str, *, limit: int = 50) -> list[FoundMention]:
        data = self.client.json(
            "GET",
            f"{API}/tweets/search/recent",
            token=self.token,
            params={
                "query": query,
                "max_results": str(max(10, min(limit, 100))),
                "tweet.fields": "created_at,author_id",
                "expansions": "author_id",
                "user.fields": "username",
            },
        )
        data = data or {}
        users = {
            str(user.get("id")): str(user.get("username", ""))
            for user in (data.get("includes") or {}).get("users", [])
        }
        return [self._mention(tweet, users) for tweet in data.get("data", [])]

    @staticmethod
    def _mention(tweet: dict[str, Any], users: dict[str, str]) -> FoundMention:
        tweet_id = str(tweet["id"])
        username = users.get(str(tweet.get("author_id")), "")
        return FoundMention(
            external_id=tweet_id,
            url=f"https://x.com/{username or 'i'}/status/{tweet_id}",
            author=username,
            text=str(tweet.get("text", "")),
            published_at=when(tweet.get("created_at")),
        )
