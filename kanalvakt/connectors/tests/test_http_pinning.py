"""Connector calls go only to the address the outbound guard checked (no DNS rebinding).

The loopback TLS servers here stand in for an internal service; their
certificates are issued by a test CA that the client trusts, so a connection
that reached them would succeed. Each server counts TCP connections before
any TLS handshake.
"""

from __future__ import annotations

import datetime
import http.server
import json
import threading

import pytest

from kanalvakt.connectors import oauth
from kanalvakt.connectors.base import AccountConfig
from kanalvakt.connectors.bluesky import dpop
from kanalvakt.connectors.bluesky import oauth as atproto
from kanalvakt.connectors.http import AddressRefused, ConnectorError, HttpClient, RetryPolicy
from kanalvakt.connectors.mastodon.client import MastodonConnector
from kanalvakt.lib.tests.pinning_fixtures import Allow, Loopback, SetAnswers
from kanalvakt.lib.tests.testca import LocalCA, LoopbackServer, send

SECRET = "hemlig-token-123"


def _json(request: http.server.BaseHTTPRequestHandler) -> None:
    body = json.dumps({"host": request.headers.get("Host"), "path": request.path}).encode()
    send(request, body, "application/json")


@pytest.fixture
def localhost_server(ca: LocalCA, loopback: Loopback) -> LoopbackServer:
    """A TLS server on 127.0.0.1 with a trusted certificate for `localhost`."""
    return loopback(_json, tls=ca.issue("localhost", dns="localhost"))


def _client(platform: str = "mastodon") -> HttpClient:
    return HttpClient(platform=platform, retry=RetryPolicy(attempts=1), sleep=lambda _: None)


def test_a_mastodon_poll_is_refused_when_the_name_rebinds_to_loopback_after_the_check(
    localhost_server: LoopbackServer, answers: SetAnswers
) -> None:
    """The connector checks the server (public), the name then answers 127.0.0.1: no token sent."""
    answers({"localhost": [["151.101.1.140"], ["127.0.0.1"]]})
    account = AccountConfig(
        external_id="1",
        access_token=SECRET,
        base_url=f"https://localhost:{localhost_server.port}",
    )
    with pytest.raises(AddressRefused, match="intern eller reserverad adress"):
        MastodonConnector(_client()).poll(account, None, known_external_ids=[])
    assert localhost_server.connections == []


def test_a_token_exchange_connects_to_the_checked_address_not_to_a_new_lookup(
    localhost_server: LoopbackServer, answers: SetAnswers
) -> None:
    """The guard is told a public address; any other lookup (the system's) says 127.0.0.1.

    The exchange goes to the checked address (which tests may not reach), never
    to the loopback server with the client secret and code.
    """
    answers({"localhost": [["151.101.1.140"]]})
    with pytest.raises(ConnectorError, match="cannot connect"):
        oauth.exchange_code(
            _client(),
            oauth.GRANTS["mastodon"],
            exchange_url=f"https://localhost:{localhost_server.port}/oauth/token",
            client_id="kanalvakt",
            client_secret=SECRET,
            code="kod",
            redirect_uri="https://kanalvakt.example/oauth/klar",
            verifier="v" * 43,
            now=datetime.datetime.now(datetime.UTC),
        )
    assert localhost_server.connections == []


def test_a_bluesky_dpop_refresh_goes_to_the_checked_address_of_the_stored_token_endpoint(
    localhost_server: LoopbackServer, answers: SetAnswers
) -> None:
    """The token endpoint was read from the server's metadata long ago; the refresh token and
    the signed client assertion go only where the guard's lookup says, never to loopback."""
    answers({"localhost": [["151.101.1.140"]]})
    base = f"https://localhost:{localhost_server.port}"
    server = atproto.AuthServer(
        issuer=base,
        authorization_endpoint=f"{base}/oauth/authorize",
        token_endpoint=f"{base}/oauth/token",
        par_endpoint=f"{base}/oauth/par",
    )
    client = atproto.Client(
        client_id="https://kanalvakt.example/oauth/bluesky/client-metadata.json",
        redirect_uri="https://kanalvakt.example/oauth/klar",
        jwks_uri="https://kanalvakt.example/oauth/bluesky/jwks.json",
        key=atproto.ClientKey(dpop.new_key()),
    )
    with pytest.raises(ConnectorError, match="cannot connect"):
        atproto.refresh(
            _client("bluesky"),
            server,
            client,
            refresh_token=SECRET,
            did="did:plc:kanalvakt",
            auth=dpop.DPoPAuth(dpop.new_key(), nonces={}),
            now=datetime.datetime.now(datetime.UTC),
        )
    assert localhost_server.connections == []


def test_a_name_that_resolves_to_a_private_address_is_refused_before_any_connection() -> None:
    with pytest.raises(AddressRefused, match=r"intra\.internal pekar på en intern"):
        _client().request("GET", "https://intra.internal/api/v1/instance", token=SECRET)


def test_plain_http_to_a_public_host_is_refused() -> None:
    with pytest.raises(AddressRefused, match="Bara https-adresser"):
        _client().request("GET", "http://social.example/api/v1/instance", token=SECRET)


def test_the_request_keeps_its_host_name_for_the_header_sni_and_certificate(
    ca: LocalCA, loopback: Loopback, allow: Allow
) -> None:
    server = loopback(_json, tls=ca.issue("social.example", dns="social.example"))
    netloc = allow("social.example", server, ["127.0.0.1"])
    reply = _client().json("GET", f"https://{netloc}/api/v1/instance")
    assert reply == {"host": netloc, "path": "/api/v1/instance"}


def test_a_certificate_for_another_name_is_refused(
    ca: LocalCA, loopback: Loopback, allow: Allow
) -> None:
    server = loopback(_json, tls=ca.issue("other.example", dns="other.example"))
    netloc = allow("social.example", server, ["127.0.0.1"])
    with pytest.raises(ConnectorError):
        _client().request("GET", f"https://{netloc}/", token=SECRET)
    assert len(server.connections) == 1  # reached, and the handshake failed


def test_a_redirect_is_returned_not_followed(loopback: Loopback, allow: Allow) -> None:
    inner = loopback(_json)

    def moved(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(302)
        request.send_header("Location", f"http://127.0.0.1:{inner.port}/hemligt")
        request.send_header("Content-Length", "0")
        request.end_headers()

    netloc = allow("127.0.0.1", loopback(moved))
    response = _client().request("GET", f"http://{netloc}/", token=SECRET)
    assert response.status_code == 302
    assert inner.connections == []


def test_an_outbound_proxy_from_the_environment_is_used_after_the_guard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HTTPS_PROXY still works (the proxy connects); an inward address never reaches it."""
    tunnels: list[str] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_CONNECT(self) -> None:  # noqa: N802
            tunnels.append(self.path)
            self.send_response(502)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
        with pytest.raises(AddressRefused):
            _client().request("GET", "https://intra.internal/api/v1/instance", token=SECRET)
        assert tunnels == []
        with pytest.raises(ConnectorError, match="ProxyError"):
            _client().request("GET", "https://social.example/api/v1/instance", token=SECRET)
        assert tunnels == ["social.example:443"]
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_an_internationalised_host_name_is_pinned_under_its_idna_form(
    loopback: Loopback, allow: Allow
) -> None:
    server = loopback(_json)
    netloc = allow("xn--kvr-rla.example", server, ["127.0.0.1"])
    reply = _client().json("GET", f"http://kvär.example:{server.port}/api")
    assert reply == {"host": netloc, "path": "/api"}


def test_the_next_checked_address_is_tried_when_one_refuses_the_connection(
    loopback: Loopback, allow: Allow
) -> None:
    server = loopback(_json)  # IPv4 only: ::1 refuses
    netloc = allow("dual.example", server, ["::1", "127.0.0.1"])
    reply = _client().json("GET", f"http://{netloc}/api")
    assert reply == {"host": netloc, "path": "/api"}
