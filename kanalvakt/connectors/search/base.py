"""What a search client returns, and the guard against fetching internal addresses."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from kanalvakt.connectors.http import ConnectorError


@dataclass(frozen=True)
class FoundMention:
    """One post or article that mentions the organisation, as its source gave it."""

    external_id: str
    url: str
    author: str
    text: str
    published_at: datetime | None


class UnsafeAddress(ConnectorError):
    """A URL the organisation listed points at a private or internal address."""


Resolver = Callable[[str], list[str]]


def resolve_host(host: str) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None)]


def require_public_url(url: str, *, resolve: Resolver = resolve_host) -> str:
    """Refuse anything but http(s) to a host that resolves only to public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeAddress(f"not an http(s) address: {url!r}", platform="feed")
    try:
        addresses = resolve(parts.hostname)
    except OSError as error:
        raise UnsafeAddress(f"cannot resolve {parts.hostname}", platform="feed") from error
    if not addresses:
        raise UnsafeAddress(f"cannot resolve {parts.hostname}", platform="feed")
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global:
            raise UnsafeAddress(f"{parts.hostname} is not a public address", platform="feed")
    return url


def when(value: object) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime, None when absent or unreadable."""
    from kanalvakt.connectors.base import PayloadError
    from kanalvakt.connectors.parsing import from_iso

    try:
        return from_iso(value)
    except PayloadError:
        return None
