"""The pinning both outbound clients share: next checked address only when one refuses."""

from __future__ import annotations

import http.server

import httpx
import pytest

from kanalvakt.lib.pinned import pinned_request
from kanalvakt.lib.pinned_transport import PinnedTransport
from kanalvakt.lib.pinning import Unreachable, connect_first, destination
from kanalvakt.lib.tests.pinning_fixtures import Allow, Loopback
from kanalvakt.lib.tests.testca import LoopbackServer


def _ok(request: http.server.BaseHTTPRequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Length", "2")
    request.end_headers()
    request.wfile.write(b"ok")


@pytest.fixture
def two_addresses(loopback: Loopback, allow: Allow) -> tuple[str, LoopbackServer]:
    """`two.example` resolves to 127.0.0.2, where nothing listens, then to the server."""
    server = loopback(_ok)
    netloc = allow("two.example", server, ["127.0.0.2", "127.0.0.1"])
    return f"http://{netloc}/", server


def test_connect_first_moves_on_only_when_an_address_is_unreachable() -> None:
    tried: list[str] = []

    def connect(address: str) -> str:
        tried.append(address)
        if address == "a":
            raise ConnectionRefusedError(address)
        if address == "c":
            raise ValueError(address)
        return address

    assert connect_first(["a", "b"], connect, unreachable=(ConnectionRefusedError,)) == "b"
    with pytest.raises(ValueError, match="c"):  # any other error is the caller's, at once
        connect_first(["c", "b"], connect, unreachable=(ConnectionRefusedError,))
    with pytest.raises(Unreachable, match="a") as caught:
        connect_first(["a", "a"], connect, unreachable=(ConnectionRefusedError,))
    assert isinstance(caught.value.last, ConnectionRefusedError)
    assert tried == ["a", "b", "c", "a", "a"]


def test_the_destination_is_resolved_once_with_the_scheme_s_port(
    two_addresses: tuple[str, LoopbackServer],
) -> None:
    url, server = two_addresses
    to = destination(url)
    assert (to.scheme, to.host, to.port) == ("http", "two.example", server.port)
    assert to.addresses == ("127.0.0.2", "127.0.0.1")


def test_both_clients_reach_the_second_checked_address(
    two_addresses: tuple[str, LoopbackServer],
) -> None:
    url, server = two_addresses
    assert pinned_request("GET", url).address == "127.0.0.1"
    with httpx.Client(transport=PinnedTransport(), trust_env=False) as client:
        assert client.get(url).text == "ok"
    assert len(server.connections) == 2
