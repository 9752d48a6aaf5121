"""LinkedIn organisation pages: comments polled, replies and removal, Posts API out.

LinkedIn has no webhook for comments without a partner programme, and no way
to hide a comment through the API; an organisation can delete comments on its
own posts. The account's `external_id` is the organisation id (or its URN).
"""

from __future__ import annotations

from collections.abc import Collection
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
from kanalvakt.connectors.http import NotFound
from kanalvakt.connectors.linkedin import parse
from kanalvakt.connectors.parsing import obj

VERSION = "202504"
RECENT_POSTS = 10


def _urn(value: str) -> str:
    return quote(value, safe="")


class LinkedInConnector(Connector):
    platform = "linkedin"
    polls = True

    def poll(
        self,
        account: AccountConfig,
        since_cursor: str | None,
        *,
        known_external_ids: Collection[str] = (),
    ) -> PollResult:
        """Comments on the organisation's latest posts; the cursor is the newest
        comment time (milliseconds), so edited comments come back."""
        org = parse.organisation_urn(account.external_id)
        posts = self._get(
            account,
            "/rest/posts",
            params={"author": org, "q": "author", "count": str(RECENT_POSTS)},
        )
        since = int(since_cursor) if since_cursor and since_cursor.isdigit() else 0
        items: list[IncomingItem] = []
        newest = since
        for post in posts.get("elements") or []:
            post_urn = as_str(obj(post).get("id"))
            if not post_urn:
                continue
            comments = self._get(
                account, f"/rest/socialActions/{_urn(post_urn)}/comments", params={"count": "100"}
            )
            for item in parse.parse_comments(comments, org):
                changed = int((item.edited_at or item.created_at).timestamp() * 1000)
                if changed > since:
                    items.append(item)
                newest = max(newest, changed)
        gone = [i for i in known_external_ids if self._gone(account, i)]
        return PollResult(items, str(newest) if newest else since_cursor, gone)

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        """A comment on the comment (`parentComment`), written as the organisation."""
        target, _ = parse.split_comment_urn(ref.external_id)
        response = self.http.request(
            "POST",
            f"{self.api_base}/rest/socialActions/{_urn(ref.external_id)}/comments",
            token=account.access_token,
            headers=self._headers(),
            json_body={
                "actor": parse.organisation_urn(account.external_id),
                "object": ref.platform_data.get("object") or target,
                "parentComment": ref.external_id,
                "message": {"text": text},
            },
        )
        body = obj(response.json()) if response.content else {}
        return as_str(
            body.get("commentUrn") or body.get("$URN") or response.headers.get("x-restli-id")
        )

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(self.platform, "hide", "LinkedIn's API cannot hide comments")

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        raise ActionNotSupported(self.platform, "unhide", "LinkedIn's API cannot hide comments")

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        """Delete a comment on the organisation's own post."""
        target, comment_id = parse.split_comment_urn(ref.external_id)
        self.http.request(
            "DELETE",
            f"{self.api_base}/rest/socialActions/{_urn(target)}/comments/{comment_id}",
            token=account.access_token,
            headers=self._headers(),
            params={"actor": parse.organisation_urn(account.external_id)},
        )

    # Publishing -------------------------------------------------------

    def publish(self, account: AccountConfig, post: OutgoingPost) -> PublishResult:
        """Images through the Images API (`initializeUpload`, then PUT the bytes), then
        `POST /rest/posts`; the new post's URN comes in the `x-restli-id` header."""
        if post.scheduled_at is not None:
            raise ActionNotSupported(self.platform, "publish", "the API cannot schedule posts")
        if any(m.kind == MediaKind.VIDEO for m in post.media):
            raise ActionNotSupported(self.platform, "publish", "videos are not supported yet")
        org = parse.organisation_urn(account.external_id)
        images = [
            {"id": self._upload(account, org, m.data, m.content_type), "altText": m.alt_text}
            for m in post.media
        ]
        body: dict[str, Any] = {
            "author": org,
            # Without images the link becomes an article card; with them it goes in the text.
            "commentary": parse.little_text(publishing.post_text(post) if images else post.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        elif post.link:
            body["content"] = {"article": {"source": post.link, "title": post.link}}
        response = self.http.request(
            "POST",
            f"{self.api_base}/rest/posts",
            token=account.access_token,
            headers=self._headers(),
            json_body=body,
        )
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            raise PayloadError("linkedin: the new post's URN is missing (x-restli-id)")
        return PublishResult(
            external_id=urn,
            url=f"https://www.linkedin.com/feed/update/{urn}/",
            raw=response.content,
        )

    def _upload(self, account: AccountConfig, org: str, data: bytes, content_type: str) -> str:
        init = self.http.json(
            "POST",
            f"{self.api_base}/rest/images",
            token=account.access_token,
            headers=self._headers(),
            params={"action": "initializeUpload"},
            json_body={"initializeUploadRequest": {"owner": org}},
            idempotent=True,  # an image that is never used is harmless
        )
        value = obj(obj(init).get("value"))
        if not value.get("uploadUrl") or not value.get("image"):
            raise PayloadError("linkedin: initializeUpload gave no upload address")
        self.http.request(
            "PUT",
            as_str(value["uploadUrl"]),
            token=account.access_token,
            content=data,
            headers={"Content-Type": content_type},
        )
        return as_str(value["image"])

    # ------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {"LinkedIn-Version": VERSION, "X-Restli-Protocol-Version": "2.0.0"}

    def _get(self, account: AccountConfig, path: str, *, params: dict[str, str]) -> dict[str, Any]:
        return obj(
            self.http.json(
                "GET",
                f"{self.api_base}{path}",
                token=account.access_token,
                headers=self._headers(),
                params=params,
            )
        )

    def _gone(self, account: AccountConfig, comment_urn: str) -> bool:
        try:
            target, comment_id = parse.split_comment_urn(comment_urn)
            self._get(
                account, f"/rest/socialActions/{_urn(target)}/comments/{comment_id}", params={}
            )
        except NotFound:
            return True
        except PayloadError:
            return False
        return False
