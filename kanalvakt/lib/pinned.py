"""Fetch an address at the IP the outbound guard checked, never resolving its name again.

`check_public_url` resolves a name and checks every address; a client that
then resolves the name itself may be given another answer (DNS rebinding: a
public address at check time, 127.0.0.1 a moment later). `pinned_request`
resolves once through the guard (`netguard.checked_addresses`) and connects to
those addresses only. The request still carries the original `Host` header,
and over https the TLS handshake uses the host name for SNI and the
certificate is verified for the host name, so pinning changes where the
connection goes and nothing else.

The body is read in blocks and the request is given up past `max_bytes`
(decoded size, so a compressed bomb stops too) or past `deadline`.
"""

from __future__ import annotations

import ipaddress
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from kanalvakt.lib.netguard import checked_addresses

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


_tls_context: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    """Certificates verified against certifi's roots (as httpx does), host names checked."""
    global _tls_context
    if _tls_context is None:
        _tls_context = ssl.create_default_context(cafile=certifi.where())
    return _tls_context


def set_tls_context(context: ssl.SSLContext | None) -> ssl.SSLContext | None:
    """Trust other roots (tests: a CA of their own); returns the previous one. None restores."""
    global _tls_context
    previous = _tls_context
    _tls_context = context
    return previous


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
    addresses = checked_addresses(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port or (443 if scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {k: v for k, v in (headers or {}).items() if k.lower() not in _HOP_BY_HOP}
    sent["Host"] = parts.netloc
    sent["Accept-Encoding"] = "gzip, deflate"
    failure: Exception | None = None
    for address in addresses:
        pool = _pool(scheme, address, port, host, timeout)
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
        except (
            urllib3.exceptions.NewConnectionError,
            urllib3.exceptions.ConnectTimeoutError,
        ) as error:
            failure = error
            pool.close()
            continue
        except (Urllib3Error, OSError) as error:
            pool.close()
            raise FetchFailed(f"{host}: {error}") from error
        try:
            data = _read(response, max_bytes, deadline)
        except (Urllib3Error, OSError) as error:
            raise FetchFailed(f"{host}: {error}") from error
        finally:
            response.release_conn()
            pool.close()
        kept = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return PinnedResponse(response.status, response.reason or "", kept, data, address)
    raise FetchFailed(f"{host}: {failure or 'no address'}")


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
