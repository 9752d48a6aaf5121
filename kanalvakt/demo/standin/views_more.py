"""The stand-in's Bluesky XRPC, LinkedIn REST API and WordPress REST API."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any

from django.http import HttpRequest, HttpResponse

from kanalvakt.demo.standin import views_atproto
from kanalvakt.demo.standin.api import answer, body, empty, files_summary, plain, platform_api
from kanalvakt.demo.standin.models import StandinObject, StandinState
from kanalvakt.demo.standin.store import (
    standin_object_create,
    standin_object_get,
    standin_object_set_state,
)

NOT_FOUND = {"error": "RecordNotFound", "message": "Could not locate record"}


def _jwt(did: str) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {"sub": did, "exp": int(time.time()) + 7200, "scope": "com.atproto.appPass"}
    return f"{part({'typ': 'at+jwt', 'alg': 'none'})}.{part(claims)}.standin"


def _cid(value: str) -> str:
    return "bafyrei" + hashlib.sha256(value.encode()).hexdigest()[:52]


@platform_api("bluesky")
def bluesky_api(request: HttpRequest, nsid: str) -> HttpResponse:
    """Identity calls, DPoP-authorised (atproto OAuth) or app-password calls."""
    found = views_atproto.identity(request, nsid)
    if found is not None:
        return found
    refused = views_atproto.xrpc_refusal(request)
    if refused is not None:
        return refused
    return views_atproto.with_pds_nonce(request, _bluesky_call(request, nsid))


def _bluesky_call(request: HttpRequest, nsid: str) -> HttpResponse:
    fields = body(request)
    if nsid in ("com.atproto.server.createSession", "com.atproto.server.refreshSession"):
        handle = str(fields.get("identifier") or "standin.bsky.social")
        did = f"did:plc:{handle}"
        return answer(
            {"did": did, "handle": handle, "accessJwt": _jwt(did), "refreshJwt": _jwt(did)}
        )
    if nsid == "com.atproto.repo.uploadBlob":
        made = standin_object_create(
            platform="bluesky", kind="media", data=files_summary(request), action="upload"
        )
        return answer(
            {
                "blob": {
                    "$type": "blob",
                    "mimeType": request.content_type,
                    "size": len(request.body),
                    "ref": {"$link": _cid(made.external_id)},
                }
            }
        )
    if nsid == "com.atproto.repo.createRecord":
        return _create_record(fields)
    if nsid == "com.atproto.repo.getRecord":
        uri = f"at://{request.GET.get('repo')}/{request.GET.get('collection')}/{request.GET.get('rkey')}"
        found = standin_object_get(platform="bluesky", external_id=uri)
        if found is None or found.state == StandinState.REMOVED:
            return answer(NOT_FOUND, status=400)
        return answer({"uri": uri, "cid": _cid(uri), "value": found.data.get("record", {})})
    if nsid == "com.atproto.repo.putRecord":
        return _put_threadgate(fields)
    if nsid == "app.bsky.notification.listNotifications":
        return answer({"notifications": []})
    if nsid == "app.bsky.feed.getPosts":
        uris = request.GET.getlist("uris")
        gone = set(
            StandinObject.objects.filter(
                platform="bluesky", external_id__in=uris, state=StandinState.REMOVED
            ).values_list("external_id", flat=True)
        )
        return answer({"posts": [{"uri": u, "cid": _cid(u)} for u in uris if u not in gone]})
    return answer({"error": "MethodNotImplemented", "message": nsid}, status=501)


def _create_record(fields: dict[str, Any]) -> HttpResponse:
    repo, collection = str(fields.get("repo")), str(fields.get("collection"))
    record = fields.get("record") or {}
    rkey = str(fields.get("rkey") or "")
    if rkey:
        uri = f"at://{repo}/{collection}/{rkey}"
        if standin_object_get(platform="bluesky", external_id=uri) is not None:
            return answer(
                {"error": "InvalidRequest", "message": "Record already exists"}, status=400
            )
    reply = record.get("reply") if isinstance(record, dict) else None
    made = standin_object_create(
        platform="bluesky",
        kind="reply" if reply else "post",
        account=repo,
        parent=str((reply or {}).get("parent", {}).get("uri", "")),
        text=str(record.get("text", "")) if isinstance(record, dict) else "",
        id_format=f"at://{repo}/{collection}/{rkey}"
        if rkey
        else f"at://{repo}/{collection}/3st{{n}}",
        data={"record": record},
        action="reply" if reply else "publish",
    )
    return answer({"uri": made.external_id, "cid": _cid(made.external_id)})


def _put_threadgate(fields: dict[str, Any]) -> HttpResponse:
    uri = f"at://{fields.get('repo')}/{fields.get('collection')}/{fields.get('rkey')}"
    record = fields.get("record") or {}
    gate, _ = StandinObject.objects.get_or_create(
        platform="bluesky", external_id=uri, defaults={"kind": "threadgate"}
    )
    before = set(gate.data.get("record", {}).get("hiddenReplies") or [])
    after = set(record.get("hiddenReplies") or []) if isinstance(record, dict) else set()
    gate.data = {"record": record}
    gate.save(update_fields=["data", "updated_at"])
    for hidden in after - before:
        standin_object_set_state(platform="bluesky", external_id=hidden, state=StandinState.HIDDEN)
    for shown in before - after:
        standin_object_set_state(platform="bluesky", external_id=shown, state=StandinState.VISIBLE)
    return answer({"uri": uri, "cid": _cid(uri + str(sorted(after)))})


@platform_api("linkedin")
def linkedin_api(request: HttpRequest, path: str) -> HttpResponse:
    parts = [p for p in path.split("/") if p]
    fields = body(request)
    if parts[:1] == ["upload"]:
        return empty(201)
    if parts == ["rest", "images"]:
        made = standin_object_create(
            platform="linkedin", kind="media", id_format="urn:li:image:{n}", action="upload"
        )
        upload = request.build_absolute_uri(f"/standin/linkedin/upload/{made.pk}")
        return answer(
            {
                "value": {
                    "uploadUrl": upload,
                    "image": made.external_id,
                    "uploadUrlExpiresAt": int(time.time() * 1000) + 3_600_000,
                }
            }
        )
    if parts == ["rest", "posts"]:
        if request.method == "GET":
            return answer({"elements": [], "paging": {"start": 0, "count": 10}})
        made = standin_object_create(
            platform="linkedin",
            kind="post",
            id_format="urn:li:share:{n}",
            account=str(fields.get("author", "")),
            text=str(fields.get("commentary", "")),
            data={"post": fields},
            action="publish",
        )
        return empty(201, x_restli_id=made.external_id)
    if len(parts) >= 4 and parts[:2] == ["rest", "socialActions"] and parts[3] == "comments":
        target = parts[2]
        if len(parts) == 5:
            comment = f"urn:li:comment:({target},{parts[4]})"
            if request.method == "DELETE":
                standin_object_set_state(
                    platform="linkedin", external_id=comment, state=StandinState.REMOVED
                )
                return empty()
            found = standin_object_get(platform="linkedin", external_id=comment)
            if found is not None and found.state == StandinState.REMOVED:
                return answer({"status": 404, "message": "Not found"}, status=404)
            return answer({"commentUrn": comment})
        if request.method == "GET":
            return answer({"elements": [], "paging": {"start": 0, "count": 100}})
        obj = str(fields.get("object", ""))
        made = standin_object_create(
            platform="linkedin",
            kind="reply",
            id_format=f"urn:li:comment:({obj},{{n}})",
            parent=str(fields.get("parentComment", target)),
            account=str(fields.get("actor", "")),
            text=str((fields.get("message") or {}).get("text", "")),
            action="reply",
        )
        return answer(
            {
                "commentUrn": made.external_id,
                "object": obj,
                "actor": made.account,
                "message": {"text": made.text},
            },
            status=201,
        )
    return answer({"status": 404, "message": "Not found"}, status=404)


@platform_api("wordpress")
def wordpress_api(request: HttpRequest, blog: str, path: str) -> HttpResponse:
    parts = [p for p in path.split("/") if p]
    fields = body(request)
    site = request.build_absolute_uri(f"/standin/p/wordpress/{blog}/")
    if parts == ["users", "me"]:
        return answer({"id": 1, "name": "Kanalvakt", "slug": "kanalvakt"})
    if parts == ["comments"]:
        if request.method == "GET":
            return answer([])
        made = standin_object_create(
            platform="wordpress",
            kind="reply",
            account=blog,
            parent=str(fields.get("parent", "")),
            text=str(fields.get("content", "")),
            data={"post": fields.get("post")},
            action="reply",
        )
        return answer(_comment(made.external_id, made.text, "approved", site), status=201)
    if parts[:1] == ["comments"] and len(parts) == 2:
        comment_id = parts[1]
        if request.method == "DELETE":
            standin_object_set_state(
                platform="wordpress", external_id=comment_id, state=StandinState.REMOVED
            )
            return answer(_comment(comment_id, "", "trash", site))
        if request.method == "POST":
            status = str(fields.get("status", "approve"))
            state = {"hold": StandinState.HIDDEN, "trash": StandinState.REMOVED}.get(
                status, StandinState.VISIBLE
            )
            standin_object_set_state(platform="wordpress", external_id=comment_id, state=state)
            return answer(
                _comment(comment_id, "", "hold" if status == "hold" else "approved", site)
            )
        found = standin_object_get(platform="wordpress", external_id=comment_id)
        if found is not None and found.state == StandinState.REMOVED:
            return answer(
                {
                    "code": "rest_comment_invalid_id",
                    "message": "Invalid comment ID.",
                    "data": {"status": 404},
                },
                status=404,
            )
        return answer(_comment(comment_id, found.text if found else "", "approved", site))
    if parts == ["media"]:
        made = standin_object_create(
            platform="wordpress",
            kind="media",
            account=blog,
            text=request.GET.get("alt_text", ""),
            data=files_summary(request),
            action="upload",
        )
        return answer(
            {"id": int(made.external_id), "source_url": f"{site}media/{made.external_id}"},
            status=201,
        )
    if parts == ["posts"]:
        text = f"{fields.get('title', '')}\n\n{plain(str(fields.get('content', '')))}"
        made = standin_object_create(
            platform="wordpress",
            kind="post",
            account=blog,
            text=text,
            data={"post": fields},
            action="publish",
        )
        return answer(
            {
                "id": int(made.external_id),
                "link": f"{site}?p={made.external_id}",
                "status": fields.get("status", "publish"),
            },
            status=201,
        )
    return answer(
        {"code": "rest_no_route", "message": "No route was found.", "data": {"status": 404}},
        status=404,
    )


def _comment(comment_id: str, text: str, status: str, site: str) -> dict[str, Any]:
    return {
        "id": int(comment_id) if comment_id.isdigit() else comment_id,
        "status": status,
        "content": {"rendered": f"<p>{text}</p>", "raw": text},
        "date_gmt": "2026-01-01T00:00:00",
        "link": f"{site}#comment-{comment_id}",
    }
