"""Where an outbound connection may go: only to an address the guard checked, once.

`check_public_url` resolves a name and checks every address; a client that
then resolves the name itself may be given another answer (DNS rebinding: a
public address at check time, 127.0.0.1 a moment later). The two outbound
clients therefore resolve once through the guard (`destination`), connect to
those addresses in turn and to nothing else (`connect_first`), and keep the
host name for everything else: the `Host` header, SNI and the certificate
check (`tls_context`). So pinning changes where the connection goes and
nothing more.

The clients: `kanalvakt.lib.pinned` (urllib3, one exchange at a time for
snapshots and time stamps) and `kanalvakt.lib.pinned_transport` (an httpx
transport for the connectors' `HttpClient`).
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi

from kanalvakt.lib.netguard import checked_addresses


@dataclass(frozen=True)
class Destination:
    """A URL's scheme, host and port, and the addresses the guard checked for it."""

    scheme: str
    host: str
    """As in the URL, without brackets (urlsplit's `hostname`)."""
    port: int
    addresses: tuple[str, ...]


def default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def destination(url: str) -> Destination:
    """Resolve `url`'s host once and check every address (raises `OutboundRefused`)."""
    addresses = checked_addresses(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return Destination(
        scheme=scheme,
        host=parts.hostname or "",
        port=parts.port or default_port(scheme),
        addresses=tuple(addresses),
    )


class Unreachable(Exception):
    """None of the checked addresses took the connection; `last` is the last refusal."""

    def __init__(self, last: BaseException | None) -> None:
        super().__init__(str(last) if last is not None else "no address")
        self.last = last


def connect_first[T](
    addresses: Iterable[str],
    connect: Callable[[str], T],
    *,
    unreachable: tuple[type[BaseException], ...],
) -> T:
    """`connect(address)` for each address in turn until one answers.

    Only the `unreachable` errors move on to the next address; any other error
    is the caller's. Raises `Unreachable` when no address answered.
    """
    failure: BaseException | None = None
    for address in addresses:
        try:
            return connect(address)
        except unreachable as error:
            failure = error
    raise Unreachable(failure)


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
