"""The stand-in's X API v2, Mastodon API and YouTube Data API."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from kanalvakt.demo.standin.api import (
    answer,
    body,
    empty,
    files_summary,
    platform_api,
    token_account,
)
from kanalvakt.demo.standin.models import StandinObject, StandinState
from kanalvakt.demo.standin.store import (
    standin_object_create,
    standin_object_find,
    standin_object_get,
    standin_object_set_state,
)


@platform_api("x")
def x_api(request: HttpRequest, path: str) -> HttpResponse:
    parts = [p for p in path.split("/") if p]
    fields = body(request)
    if request.method == "GET":
        if parts[-1] == "mentions" or parts == ["2", "dm_events"]:
            return answer({"data": [], "meta": {"result_count": 0}})
        return answer({"data": []})
    if parts == ["2", "tweets"] and request.method == "POST":
        reply = fields.get("reply") or {}
        made = standin_object_create(
            platform="x",
            account=token_account(request),
            kind="reply" if reply else "post",
            parent=str(reply.get("in_reply_to_tweet_id", "")) if isinstance(reply, dict) else "",
            text=str(fields.get("text", "")),
            data={"media": fields.get("media")},
            action="reply" if reply else "publish",
        )
        return answer({"data": {"id": made.external_id, "text": made.text}}, status=201)
    if len(parts) == 4 and parts[1] == "tweets" and parts[3] == "hidden":
        hidden = bool(fields.get("hidden"))
        state = StandinState.HIDDEN if hidden else StandinState.VISIBLE
        standin_object_set_state(platform="x", external_id=parts[2], state=state)
        return answer({"data": {"hidden": hidden}})
    if parts[:2] == ["2", "dm_conversations"]:
        made = standin_object_create(
            platform="x", kind="message", text=str(fields.get("text", "")), action="reply"
        )
        return answer({"data": {"dm_event_id": made.external_id}}, status=201)
    if parts[:3] == ["2", "media", "upload"]:
        if parts[-1] == "append":
            return empty()
        if parts[-1] == "finalize":
            return answer({"data": {"id": parts[3]}})
        made = standin_object_create(
            platform="x", kind="media", data=files_summary(request), action="upload"
        )
        return answer({"data": {"id": made.external_id, "media_key": f"3_{made.external_id}"}})
    if parts == ["2", "media", "metadata"]:
        return answer({"data": {"associated_metadata": True}})
    return answer({"title": "Not Found", "detail": path}, status=404)


@platform_api("mastodon")
def mastodon_api(request: HttpRequest, path: str) -> HttpResponse:
    parts = [p for p in path.split("/") if p]
    root = request.build_absolute_uri("/").rstrip("/") + "/standin/mastodon"
    if request.method == "GET":
        if parts[-1] == "notifications":
            return answer([])
        if parts[:3] == ["api", "v1", "statuses"] and len(parts) == 4:
            found = standin_object_get(platform="mastodon", external_id=parts[3])
            if found is not None and found.state == StandinState.REMOVED:
                return answer({"error": "Record not found"}, status=404)
            return answer(_status(parts[3], found.text if found else "", root))
        if parts[:3] == ["api", "v1", "media"]:
            return answer({"id": parts[3], "type": "image", "url": f"{root}/media/{parts[3]}"})
        return answer({"name": "Kanalvakt"})
    if parts == ["api", "v2", "media"]:
        made = standin_object_create(
            platform="mastodon",
            kind="media",
            action="upload",
            text=str(body(request).get("description") or ""),
            data=files_summary(request),
        )
        return answer(
            {
                "id": made.external_id,
                "type": "image",
                "url": f"{root}/media/{made.external_id}",
                "description": made.text,
            }
        )
    if parts == ["api", "v1", "statuses"]:
        key = request.headers.get("Idempotency-Key", "")
        earlier = standin_object_find(platform="mastodon", key=key) if key else None
        if earlier is not None:  # Mastodon answers a repeated key with the first status
            return answer(_status(earlier.external_id, earlier.text, root))
        fields = body(request)
        parent = str(fields.get("in_reply_to_id") or "")
        made = standin_object_create(
            platform="mastodon",
            account=token_account(request),
            kind="reply" if parent else "post",
            parent=parent,
            text=str(fields.get("status", "")),
            key=key,
            data={"media_ids": fields.get("media_ids"), "language": fields.get("language")},
            action="reply" if parent else "publish",
        )
        if fields.get("scheduled_at"):
            return answer(
                {
                    "id": made.external_id,
                    "scheduled_at": fields["scheduled_at"],
                    "params": {"text": made.text},
                }
            )
        return answer(_status(made.external_id, made.text, root))
    return answer({"error": "Not found"}, status=404)


def _status(status_id: str, text: str, root: str) -> dict[str, object]:
    return {
        "id": status_id,
        "created_at": timezone.now().isoformat(),
        "url": f"{root}/statuses/{status_id}",
        "content": f"<p>{text}</p>",
        "visibility": "public",
        "account": {"id": "standin", "acct": "standin"},
    }


MODERATION = {
    "heldForReview": StandinState.HIDDEN,
    "published": StandinState.VISIBLE,
    "rejected": StandinState.REMOVED,
}


@platform_api("youtube")
def youtube_api(request: HttpRequest, path: str) -> HttpResponse:
    parts = [p for p in path.split("/") if p]
    root = request.build_absolute_uri("/").rstrip("/") + "/standin/youtube"
    if request.method == "GET":
        # A lookup by id lists the comments that still exist; other lists are empty.
        ids = [i for i in request.GET.get("id", "").split(",") if i]
        removed = set(
            StandinObject.objects.filter(
                platform="youtube", external_id__in=ids, state=StandinState.REMOVED
            ).values_list("external_id", flat=True)
        )
        kind = "Thread" if parts[-1] == "commentThreads" else ""
        items = [{"kind": "youtube#comment", "id": i} for i in ids if i not in removed]
        return answer({"kind": f"youtube#comment{kind}ListResponse", "items": items})
    if parts[-1] == "setModerationStatus":
        state = MODERATION.get(request.GET.get("moderationStatus", ""), StandinState.VISIBLE)
        for comment_id in request.GET.get("id", "").split(","):
            standin_object_set_state(platform="youtube", external_id=comment_id, state=state)
        return empty()
    if parts == ["youtube", "v3", "comments"]:
        snippet = body(request).get("snippet") or {}
        made = standin_object_create(
            platform="youtube",
            kind="reply",
            action="reply",
            parent=str(snippet.get("parentId", "")),
            text=str(snippet.get("textOriginal", "")),
            id_format="Ug{n}",
        )
        return answer({"id": made.external_id, "snippet": snippet})
    if parts[-1] == "videos" and request.method == "POST":
        metadata = body(request)
        snippet = metadata.get("snippet") or {}
        made = standin_object_create(
            platform="youtube",
            kind="pending_video",
            text=str(snippet.get("description", "")),
            data={"metadata": json.loads(json.dumps(metadata))},
            id_format="up{n}",
        )
        return empty(200, Location=f"{root}/upload/youtube/v3/videos?upload_id={made.external_id}")
    if parts[-1] == "videos" and request.method == "PUT":
        pending = standin_object_get(
            platform="youtube", external_id=request.GET.get("upload_id", "")
        )
        made = standin_object_create(
            platform="youtube",
            account=token_account(request),
            kind="post",
            action="publish",
            text=pending.text if pending else "",
            id_format="v{n}",
            data={"size": len(request.body)},
        )
        return answer({"kind": "youtube#video", "id": made.external_id})
    if parts[-1] == "captions":
        return answer({"kind": "youtube#caption", "id": "standin-caption"})
    return answer({"error": {"code": 404, "message": "Not found"}}, status=404)
