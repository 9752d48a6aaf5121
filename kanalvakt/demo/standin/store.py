"""The stand-in platform's own writes (it plays the platform: nothing here is audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kanalvakt.demo.standin.models import StandinEvent, StandinObject, StandinState

ACTION_LABELS = {
    "publish": _("publicerat"),
    "reply": _("svar"),
    "hide": _("dolt"),
    "unhide": _("visas igen"),
    "remove": _("borttaget"),
    "upload": _("uppladdat"),
    "connect": _("anslutet via inloggning"),
}
SECRETS = "atproto-oauth"
"""The `platform` of the stand-in's OAuth state: pushed requests, codes and tokens."""


@transaction.atomic
def standin_object_create(
    *,
    platform: str,
    kind: str,
    id_format: str = "{n}",
    account: str = "",
    parent: str = "",
    text: str = "",
    key: str = "",
    data: dict[str, Any] | None = None,
    action: str = "",
) -> StandinObject:
    """A new object; `id_format` makes the platform's id from a number (`{n}`)."""
    made = StandinObject.objects.create(
        platform=platform,
        kind=kind,
        external_id=f"pending-{platform}-{StandinObject.objects.count()}-{id(data)}",
        account=account,
        parent_external_id=parent,
        text=text,
        key=key,
        data=data or {},
    )
    made.external_id = id_format.format(n=10_000_000 + made.pk)
    made.save(update_fields=["external_id"])
    if action:
        _event(platform, action, made.external_id, text)
    return made


def standin_object_find(*, platform: str, key: str) -> StandinObject | None:
    return StandinObject.objects.filter(platform=platform, key=key).exclude(key="").first()


@transaction.atomic
def standin_object_set_state(*, platform: str, external_id: str, state: StandinState) -> None:
    """Hide, show again or remove an object; one the stand-in never saw (demo traffic
    lives only in Kanalvakt's inbox) is recorded as a comment."""
    found, _ = StandinObject.objects.get_or_create(
        platform=platform, external_id=external_id, defaults={"kind": "comment"}
    )
    found.state = state
    found.save(update_fields=["state", "updated_at"])
    action = {StandinState.HIDDEN: "hide", StandinState.VISIBLE: "unhide"}.get(state, "remove")
    _event(platform, action, external_id, found.text)


def standin_object_get(*, platform: str, external_id: str) -> StandinObject | None:
    return StandinObject.objects.filter(platform=platform, external_id=external_id).first()


def standin_secret_put(*, kind: str, key: str, data: dict[str, Any]) -> None:
    StandinObject.objects.create(platform=SECRETS, kind=kind, external_id=key, data=data)


def standin_secret_get(*, kind: str, key: str) -> dict[str, Any] | None:
    found = StandinObject.objects.filter(platform=SECRETS, kind=kind, external_id=key).first()
    return dict(found.data) if found is not None and key else None


@transaction.atomic
def standin_secret_take(*, kind: str, key: str) -> dict[str, Any] | None:
    """The data kept under `key`, once: a second take finds nothing."""
    found = (
        StandinObject.objects.select_for_update()
        .filter(platform=SECRETS, kind=kind, external_id=key)
        .first()
    )
    if found is None or not key:
        return None
    data = dict(found.data)
    found.delete()
    return data


def standin_event_record(*, platform: str, action: str, external_id: str, text: str = "") -> None:
    _event(platform, action, external_id, text)


def _event(platform: str, action: str, external_id: str, text: str) -> None:
    StandinEvent.objects.create(
        platform=platform, action=action, external_id=external_id[:300], summary=text[:300]
    )
