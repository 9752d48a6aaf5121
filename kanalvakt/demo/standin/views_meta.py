"""The stand-in's Facebook Graph API and Instagram Graph API (`/standin/graph/…`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from kanalvakt.demo.standin.api import answer, body, files_summary, platform_api
from kanalvakt.demo.standin.models import StandinState
from kanalvakt.demo.standin.store import (
    standin_object_create,
    standin_object_get,
    standin_object_set_state,
)

GONE = {"error": {"message": "Object does not exist", "code": 100, "error_subcode": 33}}


@platform_api("graph")
def graph(request: HttpRequest, path: str) -> HttpResponse:
    parts = [p for p in path.split("/") if p]
    if request.method == "GET":
        return _get(request, parts)
    if request.method == "DELETE" and len(parts) == 1:
        standin_object_set_state(
            platform="facebook", external_id=parts[0], state=StandinState.REMOVED
        )
        return answer({"success": True})
    if request.method == "POST":
        return _post(request, parts)
    return answer({"error": {"message": "Unsupported method", "code": 100}}, status=400)


def _get(request: HttpRequest, parts: list[str]) -> HttpResponse:
    if parts == ["debug_token"]:
        return answer({"data": {"is_valid": True, "expires_at": 0, "data_access_expires_at": 0}})
    if len(parts) == 2:
        return answer({"data": []})  # feeds, comments, media lists: nothing new
    fields = request.GET.get("fields", "")
    if "status_code" in fields:
        return answer({"id": parts[0], "status_code": "FINISHED"})
    found = standin_object_get(platform="facebook", external_id=parts[0])
    if found is not None and found.state == StandinState.REMOVED:
        return answer(GONE, status=400)
    return answer({"id": parts[0]})


def _post(request: HttpRequest, parts: list[str]) -> HttpResponse:
    fields = body(request)
    if len(parts) == 1:
        hidden = fields.get("is_hidden", fields.get("hide"))
        state = StandinState.HIDDEN if hidden == "true" else StandinState.VISIBLE
        standin_object_set_state(platform="facebook", external_id=parts[0], state=state)
        return answer({"success": True})
    target, edge = parts[0], parts[1]
    text = str(fields.get("message") or fields.get("description") or fields.get("caption") or "")
    if edge in ("comments", "replies"):
        made = standin_object_create(
            platform="facebook" if edge == "comments" else "instagram",
            kind="reply",
            parent=target,
            text=text,
            id_format=f"{target}_{{n}}",
            action="reply",
        )
        return answer({"id": made.external_id})
    if edge == "messages":
        made = standin_object_create(
            platform="facebook",
            kind="message",
            account=target,
            text=str(fields.get("message") or ""),
            action="reply",
        )
        return answer({"recipient_id": "standin", "message_id": f"m_{made.external_id}"})
    if edge == "captions":
        return answer({"success": True})
    if (
        edge in ("photos", "videos")
        and fields.get("published") == "false"
        and "scheduled_publish_time" not in fields
    ):
        made = standin_object_create(
            platform="facebook",
            kind="media",
            account=target,
            data=files_summary(request),
            action="upload",
        )
        return answer({"id": made.external_id})
    if edge == "media":  # an Instagram container
        made = standin_object_create(
            platform="instagram",
            kind="container",
            account=target,
            text=text,
            data={"fields": fields},
        )
        return answer({"id": made.external_id})
    if edge == "media_publish":
        container = standin_object_get(
            platform="instagram", external_id=str(fields.get("creation_id"))
        )
        made = standin_object_create(
            platform="instagram",
            kind="post",
            account=target,
            text=container.text if container else "",
            action="publish",
        )
        return answer({"id": made.external_id})
    if edge in ("feed", "photos", "videos"):
        made = standin_object_create(
            platform="facebook",
            kind="post",
            account=target,
            text=text,
            id_format=f"{target}_{{n}}",
            data={
                "fields": {k: v for k, v in fields.items() if k != "source"},
                **files_summary(request),
            },
            action="publish",
        )
        if edge == "photos":
            return answer({"id": str(made.pk), "post_id": made.external_id})
        return answer({"id": made.external_id})
    return answer({"error": {"message": f"Unknown edge {edge}", "code": 100}}, status=400)
