"""An httpx transport that connects only to the addresses the outbound guard checked.

`kanalvakt.lib.pinning` holds the rule (resolve once through the guard,
connect only to the checked addresses, the host name for everything else);
`kanalvakt.lib.pinned` applies it to urllib3 for snapshots, this module to
httpx, which the connectors use (`kanalvakt.connectors.http.HttpClient`).
httpx would otherwise resolve a name itself after `check_public_url` had
resolved and checked it, and a name that answers a public address at the
check and 127.0.0.1 a moment later (DNS rebinding) would receive the request
and the token it carries.

`PinnedTransport.handle_request` resolves the request's host once through the
guard (`pinning.destination`: https and public addresses only, except the
hosts `OUTBOUND_ALLOW_HOSTS` lists) and hands those addresses to the
connection pool's network backend for the duration of the request. The
backend (`PinnedBackend`) connects to one of them and never resolves a name;
a connection it was not given addresses for is refused. TLS is started by
httpcore as usual, with the host name for SNI and the certificate verified
for the host name (`pinning.tls_context`), so only where the connection goes
changes. Redirects are not followed here: `HttpClient` returns them, and any
next hop is a new request, checked again.

Where the environment names an outbound proxy (`HTTPS_PROXY`, `NO_PROXY`, as
httpx reads them), `environment_mounts` keeps using it: the guard still
checks each address first, but the proxy resolves the name and connects, so
such a proxy must itself refuse internal destinations.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
from httpx._utils import get_environment_proxies

from kanalvakt.lib.netguard import check_public_url
from kanalvakt.lib.pinning import Unreachable, connect_first, destination, tls_context

# (host in lower case, port) → the addresses the guard checked for this request.
_PINS: contextvars.ContextVar[dict[tuple[str, int], list[str]] | None] = contextvars.ContextVar(
    "kanalvakt_pinned_addresses", default=None
)


LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's defaults


def _key(host: str, port: int) -> tuple[str, int]:
    return host.strip("[]").lower(), port


class PinnedBackend(httpcore.SyncBackend):
    """Connects to an address the guard checked for the current request, never to a name."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = (_PINS.get() or {}).get(_key(host, port))
        if not addresses:
            raise httpcore.ConnectError(f"{host}: no address checked by the outbound guard")

        def connect(address: str) -> httpcore.NetworkStream:
            return super(PinnedBackend, self).connect_tcp(
                address,
                port,
                timeout=timeout,
                local_address=local_address,
                socket_options=socket_options,
            )

        try:
            return connect_first(
                addresses, connect, unreachable=(httpcore.ConnectError, httpcore.ConnectTimeout)
            )
        except Unreachable as error:
            if isinstance(error.last, httpcore.ConnectTimeout):
                raise error.last from None
            raise httpcore.ConnectError(f"{host}: {error}") from error.last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not an outbound destination")


class PinnedTransport(httpx.HTTPTransport):
    """`httpx.HTTPTransport` whose connections go only to guard-checked addresses.

    Raises `netguard.OutboundRefused` (before any connection) when the guard
    refuses the request's address.
    """

    def __init__(self, *, limits: httpx.Limits = LIMITS) -> None:
        super().__init__(verify=tls_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=tls_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        to = destination(str(request.url))
        # httpcore connects to the raw (IDNA-encoded) host name: pin under that.
        host = request.url.raw_host.decode("ascii")
        token = _PINS.set({_key(host, to.port): list(to.addresses)})
        try:
            return super().handle_request(request)
        finally:
            _PINS.reset(token)


class GuardedProxyTransport(httpx.HTTPTransport):
    """Through an outbound proxy from the environment, after the guard has checked the address."""

    def __init__(self, proxy: str) -> None:
        super().__init__(verify=tls_context(), trust_env=False, proxy=proxy)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        check_public_url(str(request.url))
        return super().handle_request(request)


def environment_mounts() -> dict[str, httpx.BaseTransport | None]:
    """httpx `mounts` for the proxies the environment names (None: no proxy, pinned)."""
    return {
        pattern: None if proxy is None else GuardedProxyTransport(proxy)
        for pattern, proxy in get_environment_proxies().items()
    }
