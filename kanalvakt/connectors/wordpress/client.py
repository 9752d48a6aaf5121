"""Blogs through the WordPress REST API: comments polled, replies, moderation, posts.

The connection's `base_url` is the blog (`https://blogg.overkalix.se`); the
token is an Application Password written `user:password` (WordPress 5.6+),
sent as HTTP Basic. `external_id` is the WordPress user id Kanalvakt writes as,
so its own replies are recognised. Holding a comment (`status: hold`) hides
it; removing moves it to the trash (WordPress keeps it 30 days).
"""

from __future__ import annotations

import base64
from collections.abc import Collection
from datetime import UTC
from html import escape
from typing import Any
from urllib.parse import quote

from kanalvakt.connectors import publishing
from kanalvakt.connectors.base import (
    AccountConfig,
    ActionNotSupported,
    Connector,
    IncomingItem,
    ItemRef,
    MediaKind,
    OutgoingPost,
    PayloadError,
    PollResult,
    PublishResult,
    as_str,
)
from kanalvakt.connectors.endpoints import is_loopback
from kanalvakt.connectors.http import NotFound
from kanalvakt.connectors.parsing import from_iso, obj
from kanalvakt.connectors.wordpress import parse

POLLED_STATUSES = ("approve", "hold")


class WordPressConnector(Connector):
    platform = "wordpress"
    polls = True

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        """The newest approved and held comments; the cursor is the newest `date_gmt`."""
        since = from_iso(since_cursor) if since_cursor else None
        items: list[IncomingItem] = []
        for status in POLLED_STATUSES:
            payload = self._call(
                account,
                "GET",
                "/comments",
                params={
                    "context": "edit",
                    "status": status,
                    "per_page": "100",
                    "orderby": "date_gmt",
                    "order": "desc",
                },
            )
            items.extend(parse.parse_comments(payload, account.external_id))
        fresh = [i for i in items if since is None or i.created_at > since]
        newest = max((i.created_at for i in items), default=since)
        cursor = newest.isoformat() if newest else since_cursor
        return PollResult(fresh, cursor, [i for i in known_external_ids if self._gone(account, i)])

    def fetch(self, account: AccountConfig, ref: ItemRef) -> IncomingItem:
        comment = self._call(
            account, "GET", f"/comments/{ref.external_id}", params={"context": "edit"}
        )
        return parse.parse_comment(obj(comment), account.external_id)

    def token_expires_at(self, account: AccountConfig) -> None:
        """Application passwords do not expire; a revoked one gives `TokenExpired` here."""
        self._call(account, "GET", "/users/me", params={"context": "edit"})

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        post_id = ref.platform_data.get("post") or ref.thread_id or ""
        result = self._call(
            account,
            "POST",
            "/comments",
            json_body={"post": _int(post_id), "parent": _int(ref.external_id), "content": text},
        )
        return as_str(obj(result).get("id"))

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._status(account, ref, "hold")

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._status(account, ref, "approve")

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        """To the trash (`DELETE` without `force`): restorable in WordPress for 30 days."""
        self._call(account, "DELETE", f"/comments/{ref.external_id}")

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """Images to the media library (with `alt_text`), then `POST /wp/v2/posts` with
        the images in the content and the first as featured image."""
        if any(m.kind != MediaKind.IMAGE for m in post.media):
            raise ActionNotSupported(
                self.platform, "publish", "videos: publish on YouTube and link to it"
            )
        figures: list[str] = []
        featured = 0
        for image in post.media:
            uploaded = obj(
                self._call(
                    account,
                    "POST",
                    "/media",
                    params={"alt_text": image.alt_text},
                    content=image.data,
                    headers={
                        "Content-Type": image.content_type,
                        "Content-Disposition": _disposition(image.filename),
                    },
                )
            )
            featured = featured or _int(as_str(uploaded.get("id")))
            source = escape(as_str(uploaded.get("source_url")))
            figures.append(
                f'<figure class="wp-block-image"><img src="{source}"'
                f' alt="{escape(image.alt_text)}"/></figure>'
            )
        body: dict[str, Any] = {
            "title": publishing.title_of(post.text, 200),
            "content": _content(post, figures),
            "status": "publish",
        }
        if featured:
            body["featured_media"] = featured
        if post.scheduled_at is not None:
            body["status"] = "future"
            body["date_gmt"] = post.scheduled_at.astimezone(UTC).replace(tzinfo=None).isoformat()
        response = self.http.request(
            "POST",
            self._url(account, "/posts"),
            headers=self._auth(account),
            json_body=body,
        )
        created = obj(response.json())
        if not created.get("id"):
            raise PayloadError("wordpress: the new post has no id")
        return PublishResult(
            external_id=as_str(created["id"]), url=as_str(created.get("link")), raw=response.content
        )

    # ------------------------------------------------------------------

    def _status(self, account: AccountConfig, ref: ItemRef, status: str) -> None:
        self._call(
            account,
            "POST",
            f"/comments/{ref.external_id}",
            json_body={"status": status},
            idempotent=True,
        )

    def _gone(self, account: AccountConfig, comment_id: str) -> bool:
        try:
            comment = self._call(
                account, "GET", f"/comments/{comment_id}", params={"context": "edit"}
            )
        except NotFound:
            return True
        return as_str(obj(comment).get("status")) == "trash"

    def _call(self, account: AccountConfig, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self._auth(account), **kwargs.pop("headers", {})}
        return self.http.json(method, self._url(account, path), headers=headers, **kwargs)

    def _auth(self, account: AccountConfig) -> dict[str, str]:
        if ":" not in account.access_token:
            raise PayloadError("wordpress token must be 'user:application password'")
        encoded = base64.b64encode(account.access_token.encode()).decode()
        return {"Authorization": f"Basic {encoded}"}

    def _url(self, account: AccountConfig, path: str) -> str:
        base = account.base_url.rstrip("/")
        if not (base.startswith("https://") or is_loopback(base)):
            raise PayloadError("wordpress account needs base_url, e.g. https://blogg.example.se")
        return f"{base}/wp-json/wp/v2{path}"


def _disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def _int(value: str) -> int:
    if not value.isdigit():
        raise PayloadError(f"wordpress: not an id: {value!r}")
    return int(value)


def _content(post: OutgoingPost, figures: list[str]) -> str:
    lines = post.text.strip().splitlines()
    rest = "\n".join(lines[1:]).strip() or post.text.strip()
    paragraphs = [p.strip() for p in rest.split("\n\n") if p.strip()]
    html = [f"<p>{escape(p).replace(chr(10), '<br/>')}</p>" for p in paragraphs]
    if post.link:
        link = escape(post.link)
        html.append(f'<p><a href="{link}">{link}</a></p>')
    return "\n".join(html + figures)
