"""What Facebook Pages and Instagram share: Meta's webhook envelope and Graph API."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

from kanalvakt.connectors.base import (
    AccountConfig,
    Connector,
    ItemRef,
    PayloadError,
    constant_time_equal,
    header,
    hub_signature_valid,
)
from kanalvakt.connectors.http import HttpClient, NotFound, TokenExpired
from kanalvakt.connectors.parsing import compact_json, from_epoch, load_json, obj

GRAPH_URL = "https://graph.facebook.com/v23.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"


def verify_signature(headers: Mapping[str, str], body: bytes, app_secret: str) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, body)>`."""
    return hub_signature_valid(header(headers, SIGNATURE_HEADER), body, app_secret)


def handshake(query_params: Mapping[str, str], verify_token: str) -> str | None:
    """Answer Meta's subscription check: echo `hub.challenge` if the token matches."""
    if query_params.get("hub.mode") != "subscribe" or not verify_token:
        return None
    if not constant_time_equal(query_params.get("hub.verify_token", ""), verify_token):
        return None
    return query_params.get("hub.challenge")


def entries(body: bytes, expected_object: str) -> Iterator[dict[str, Any]]:
    """The `entry` objects of a delivery for `object: page` or `object: instagram`."""
    payload = load_json(body)
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise PayloadError("not a Meta webhook delivery: no entry list")
    if payload.get("object") != expected_object:
        raise PayloadError(f"expected object {expected_object!r}, got {payload.get('object')!r}")
    for entry in payload["entry"]:
        if isinstance(entry, dict):
            yield entry


def event_count(delivered: list[dict[str, Any]]) -> int:
    return sum(
        len(entry.get("changes") or []) + len(entry.get("messaging") or []) for entry in delivered
    )


def single_event(expected_object: str, entry: dict[str, Any], key: str, event: Any) -> bytes:
    """One change or messaging event as a delivery of its own: the item's raw copy.

    The envelope keeps the entry's id and time, so the parser reads the same
    item back from it; the exact bytes of the whole delivery stay with the
    delivery (kept once, with its SHA-256). A delivery of a single event is
    its own fragment: its item keeps the exact bytes.
    """
    head = {k: v for k, v in entry.items() if k not in ("changes", "messaging")}
    return compact_json({"object": expected_object, "entry": [{**head, key: [event]}]})


def token_expires_at(
    http: HttpClient, account: AccountConfig, *, base: str = GRAPH_URL
) -> datetime | None:
    """Ask Graph API's `debug_token` about the account's own token.

    Page tokens made from a long-lived user token report `expires_at: 0`
    (no expiry) but still carry `data_access_expires_at` (90 days); user
    tokens last 60 days. The earliest non-zero time is returned.
    """
    result = http.json(
        "GET",
        f"{base}/debug_token",
        token=account.access_token,
        params={"input_token": account.access_token},
    )
    data = obj(obj(result).get("data"))
    if data.get("is_valid") is False:
        raise TokenExpired("access token is no longer valid", platform="meta", status=200)
    moments = [
        from_epoch(data[key])
        for key in ("expires_at", "data_access_expires_at")
        if isinstance(data.get(key), int) and data[key] > 0
    ]
    return min(moments) if moments else None


class GraphConnector(Connector):
    """A Meta platform on Graph API: signed webhooks, the token check, reads of one
    object, and hiding or removing a comment. Subclasses parse and publish."""

    receives_webhooks = True
    polls = True
    hidden_field: ClassVar[str]
    """The field that hides a comment (`is_hidden` on Facebook, `hide` on Instagram)."""

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return verify_signature(headers, body, secret)

    def webhook_handshake(self, query_params: Mapping[str, str], verify_token: str) -> str | None:
        return handshake(query_params, verify_token)

    def token_expires_at(self, account: AccountConfig) -> datetime | None:
        return token_expires_at(self.http, account, base=self.api_base)

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._set_hidden(account, ref, hidden=True)

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        self._set_hidden(account, ref, hidden=False)

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        self._check_moderable(ref, "remove")
        self.http.request(
            "DELETE", f"{self.api_base}/{ref.external_id}", token=account.access_token
        )

    @abstractmethod
    def _check_moderable(self, ref: ItemRef, action: str) -> None:
        """Raise `ActionNotSupported` for an item this platform cannot hide or remove."""

    def _set_hidden(self, account: AccountConfig, ref: ItemRef, *, hidden: bool) -> None:
        self._check_moderable(ref, "hide" if hidden else "unhide")
        self.http.request(
            "POST",
            f"{self.api_base}/{ref.external_id}",
            token=account.access_token,
            data={self.hidden_field: "true" if hidden else "false"},
            idempotent=True,
        )

    def _get(self, account: AccountConfig, path: str, **params: str) -> dict[str, Any]:
        result = self.http.json(
            "GET", f"{self.api_base}/{path}", token=account.access_token, params=params
        )
        if not isinstance(result, dict):
            raise PayloadError(f"{self.platform}: unexpected response for {path}")
        return result

    def _gone(self, account: AccountConfig, known: Collection[str]) -> list[str]:
        """The known ids that Graph API no longer finds (deleted on the platform)."""
        gone = []
        for external_id in known:
            try:
                self._get(account, external_id, fields="id")
            except NotFound:
                gone.append(external_id)
        return gone
