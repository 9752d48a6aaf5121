"""Pinned fetches: connect to the address the guard checked, with the host's own TLS identity."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kanalvakt.lib.netguard import OutboundRefused
from kanalvakt.lib.pinned import FetchFailed, TooLarge, pinned_request
from kanalvakt.lib.tests.testca import (
    LocalCA,
    LoopbackServer,
    send,
    serve,
    stub_resolver,
    trusted_ca,
)

SECRET = "HEMLIG-INTERN-UPPGIFT"


def _answer(request: http.server.BaseHTTPRequestHandler) -> None:
    body = f"{SECRET} host={request.headers.get('Host')} path={request.path}".encode()
    send(request, body, "text/plain")


@pytest.fixture
def ca() -> Iterator[LocalCA]:
    with trusted_ca() as authority:
        yield authority


@pytest.fixture
def tls_server(ca: LocalCA, tmp_path: Path) -> Iterator[LoopbackServer]:
    server = serve(_answer, tls=ca.issue("pinned.example", dns="pinned.example"), tmp=tmp_path)
    yield server
    server.stop()


@pytest.fixture
def resolver() -> Iterator[Any]:
    """Names in the table get their answers in turn; any other name a public address."""
    with stub_resolver(lambda host, port: ["151.101.1.140"]) as use:
        yield use


def test_https_goes_to_the_checked_address_with_the_host_name_for_sni_and_certificate(
    settings: Any, tls_server: LoopbackServer, resolver: Any
) -> None:
    settings.OUTBOUND_ALLOW_HOSTS = [f"pinned.example:{tls_server.port}"]
    resolver({"pinned.example": [["127.0.0.1"]]})
    response = pinned_request("GET", f"https://pinned.example:{tls_server.port}/sida?a=1")
    assert response.status == 200
    assert response.address == "127.0.0.1"
    assert f"host=pinned.example:{tls_server.port} path=/sida?a=1" in response.body.decode()


def test_a_certificate_for_another_name_is_refused(
    settings: Any, ca: LocalCA, tmp_path: Path, resolver: Any
) -> None:
    server = serve(_answer, tls=ca.issue("other.example", dns="other.example"), tmp=tmp_path)
    try:
        settings.OUTBOUND_ALLOW_HOSTS = [f"pinned.example:{server.port}"]
        resolver({"pinned.example": [["127.0.0.1"]]})
        with pytest.raises(FetchFailed):
            pinned_request("GET", f"https://pinned.example:{server.port}/")
    finally:
        server.stop()


def test_a_name_that_rebinds_to_loopback_after_the_check_is_never_connected_to(
    tls_server: LoopbackServer, resolver: Any
) -> None:
    """Public at the check, 127.0.0.1 at any later lookup: the loopback server sees nothing."""
    resolver({"localhost": [["151.101.1.140"], ["127.0.0.1"]]})
    with pytest.raises(FetchFailed, match="Tests may not reach the network"):
        pinned_request("GET", f"https://localhost:{tls_server.port}/secret")
    assert tls_server.connections == []
    # The next lookup gives loopback, which the guard refuses before any connection.
    with pytest.raises(OutboundRefused):
        pinned_request("GET", f"https://localhost:{tls_server.port}/secret")
    assert tls_server.connections == []


def test_a_body_past_the_cap_is_not_kept(settings: Any) -> None:
    server = serve(_answer)
    try:
        settings.OUTBOUND_ALLOW_HOSTS = [f"127.0.0.1:{server.port}"]
        with pytest.raises(TooLarge):
            pinned_request("GET", f"http://127.0.0.1:{server.port}/", max_bytes=10)
        small = pinned_request("GET", f"http://127.0.0.1:{server.port}/", max_bytes=1000)
        assert small.body.startswith(SECRET.encode())
    finally:
        server.stop()
