"""Fetch an address at the IP the outbound guard checked, never resolving its name again.

`pinned_request` takes its destination from `kanalvakt.lib.pinning` (resolved
once, every address checked) and connects to those addresses only. The
request still carries the original `Host` header, and over https the TLS
handshake uses the host name for SNI and the certificate is verified for the
host name, so pinning changes where the connection goes and nothing else.

The body is read in blocks and the request is given up past `max_bytes`
(decoded size, so a compressed bomb stops too) or past `deadline`.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from kanalvakt.lib.pinning import (
    Unreachable,
    connect_first,
    destination,
    set_tls_context,
    tls_context,
)

__all__ = [
    "FetchFailed",
    "PinnedResponse",
    "TooLarge",
    "TooSlow",
    "pinned_request",
    "set_tls_context",
    "tls_context",
]

CHUNK = 64 * 1024
# Headers a client must not forward: urllib3 writes its own framing and Host.
_HOP_BY_HOP = {
    "host",
    "connection",
    "content-length",
    "transfer-encoding",
    "keep-alive",
    "proxy-connection",
    "proxy-authorization",
    "te",
    "upgrade",
    "accept-encoding",
}


_UNREACHABLE = (
    urllib3.exceptions.NewConnectionError,
    urllib3.exceptions.ConnectTimeoutError,
)


class FetchFailed(OSError):
    """No connection to any of the checked addresses, or the exchange failed."""


class TooLarge(Exception):
    """The response is larger than the caller allows."""


class TooSlow(Exception):
    """The response did not arrive before the caller's deadline."""


@dataclass(frozen=True)
class PinnedResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    """As received (decoded body: no Content-Encoding/Length, no Transfer-Encoding)."""
    body: bytes
    address: str
    """The IP address the response came from (one the guard checked)."""

    def header(self, name: str) -> str:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), "")


def _bracketed(address: str) -> str:
    return (
        f"[{address}]"
        if isinstance(ipaddress.ip_address(address), ipaddress.IPv6Address)
        else address
    )


def _pool(
    scheme: str, address: str, port: int, host: str, timeout: float
) -> urllib3.HTTPConnectionPool:
    limits = urllib3.Timeout(connect=min(timeout, 10.0), read=timeout)
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            _bracketed(address),
            port,
            timeout=limits,
            retries=False,
            server_hostname=host,
            assert_hostname=host,
            ssl_context=tls_context(),
        )
    return urllib3.HTTPConnectionPool(_bracketed(address), port, timeout=limits, retries=False)


def pinned_request(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30.0,
    max_bytes: int = 50 * 1024 * 1024,
    deadline: float | None = None,
) -> PinnedResponse:
    """One HTTP exchange with `url`, connected only to addresses the guard checked.

    Raises `OutboundRefused` (the guard said no), `FetchFailed`, `TooLarge` or
    `TooSlow`. Redirects are returned, not followed: the caller checks the
    next address with the guard.
    """
    to = destination(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {k: v for k, v in (headers or {}).items() if k.lower() not in _HOP_BY_HOP}
    sent["Host"] = parts.netloc
    sent["Accept-Encoding"] = "gzip, deflate"

    def send(address: str) -> tuple[str, urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
        pool = _pool(to.scheme, address, to.port, to.host, timeout)
        try:
            response = pool.urlopen(
                method,
                target,
                body=body,
                headers=sent,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
        except _UNREACHABLE:
            pool.close()
            raise
        except (Urllib3Error, OSError) as error:
            pool.close()
            raise FetchFailed(f"{to.host}: {error}") from error
        return address, pool, response

    try:
        address, pool, response = connect_first(to.addresses, send, unreachable=_UNREACHABLE)
    except Unreachable as error:
        raise FetchFailed(f"{to.host}: {error}") from error.last
    try:
        data = _read(response, max_bytes, deadline)
    except (Urllib3Error, OSError) as error:
        raise FetchFailed(f"{to.host}: {error}") from error
    finally:
        response.release_conn()
        pool.close()
    kept = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return PinnedResponse(response.status, response.reason or "", kept, data, address)


def _read(response: urllib3.BaseHTTPResponse, max_bytes: int, deadline: float | None) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise TooLarge
    blocks: list[bytes] = []
    size = 0
    for block in response.stream(CHUNK, decode_content=True):
        size += len(block)
        if size > max_bytes:
            raise TooLarge
        if deadline is not None and time.monotonic() > deadline:
            raise TooSlow
        blocks.append(block)
    return b"".join(blocks)
