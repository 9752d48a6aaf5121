"""Pinned fetches: connect to the address the guard checked, with the host's own TLS identity."""

from __future__ import annotations

import http.server

import pytest

from kanalvakt.lib.netguard import OutboundRefused
from kanalvakt.lib.pinned import FetchFailed, TooLarge, pinned_request
from kanalvakt.lib.tests.pinning_fixtures import Allow, Loopback, SetAnswers
from kanalvakt.lib.tests.testca import LocalCA, send

SECRET = "HEMLIG-INTERN-UPPGIFT"


def _answer(request: http.server.BaseHTTPRequestHandler) -> None:
    body = f"{SECRET} host={request.headers.get('Host')} path={request.path}".encode()
    send(request, body, "text/plain")


def test_https_goes_to_the_checked_address_with_the_host_name_for_sni_and_certificate(
    ca: LocalCA, loopback: Loopback, allow: Allow
) -> None:
    server = loopback(_answer, tls=ca.issue("pinned.example", dns="pinned.example"))
    netloc = allow("pinned.example", server, ["127.0.0.1"])
    response = pinned_request("GET", f"https://{netloc}/sida?a=1")
    assert response.status == 200
    assert response.address == "127.0.0.1"
    assert f"host={netloc} path=/sida?a=1" in response.body.decode()


def test_a_certificate_for_another_name_is_refused(
    ca: LocalCA, loopback: Loopback, allow: Allow
) -> None:
    server = loopback(_answer, tls=ca.issue("other.example", dns="other.example"))
    netloc = allow("pinned.example", server, ["127.0.0.1"])
    with pytest.raises(FetchFailed):
        pinned_request("GET", f"https://{netloc}/")


def test_a_name_that_rebinds_to_loopback_after_the_check_is_never_connected_to(
    ca: LocalCA, loopback: Loopback, answers: SetAnswers
) -> None:
    """Public at the check, 127.0.0.1 at any later lookup: the loopback server sees nothing."""
    server = loopback(_answer, tls=ca.issue("pinned.example", dns="pinned.example"))
    answers({"localhost": [["151.101.1.140"], ["127.0.0.1"]]})
    with pytest.raises(FetchFailed, match="Tests may not reach the network"):
        pinned_request("GET", f"https://localhost:{server.port}/secret")
    assert server.connections == []
    # The next lookup gives loopback, which the guard refuses before any connection.
    with pytest.raises(OutboundRefused):
        pinned_request("GET", f"https://localhost:{server.port}/secret")
    assert server.connections == []


def test_a_body_past_the_cap_is_not_kept(loopback: Loopback, allow: Allow) -> None:
    netloc = allow("127.0.0.1", loopback(_answer))
    with pytest.raises(TooLarge):
        pinned_request("GET", f"http://{netloc}/", max_bytes=10)
    small = pinned_request("GET", f"http://{netloc}/", max_bytes=1000)
    assert small.body.startswith(SECRET.encode())
