"""DNS rebinding: a name checked as public is never connected to at another address.

The resolver stub answers a public address first and 127.0.0.1 after that,
as a hostile DNS server would. The router connects only to the address it
checked, so the loopback server (which would serve a secret over TLS with a
certificate the capture trusts) is never reached and nothing of it is in the
WARC.
"""

from __future__ import annotations

import gzip
import http.server
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from conftest import OrganisationWorld
from kanalvakt.lib.tests.testca import LoopbackServer, send, serve, stub_resolver, trusted_ca
from kanalvakt.records.models import SnapshotReason
from kanalvakt.records.snapshots import snapshot_capture
from kanalvakt.records.tests.conftest import make_account

SECRET = "HEMLIG-INTERN-UPPGIFT"


def _secret(request: http.server.BaseHTTPRequestHandler) -> None:
    send(request, f"<h1>{SECRET}</h1>".encode(), "text/html")


@pytest.fixture
def internal(tmp_path: Path) -> Iterator[LoopbackServer]:
    """A loopback https server with a certificate for `localhost` the capture trusts."""
    with trusted_ca() as ca:
        server = serve(_secret, tls=ca.issue("localhost", dns="localhost"), tmp=tmp_path)
        yield server
        server.stop()


@pytest.fixture
def rebinding() -> Iterator[None]:
    """`localhost` answers a public address at its first lookup, loopback at every later one."""
    with stub_resolver() as use:
        use({"localhost": [["151.101.1.140"], ["127.0.0.1"]]})
        yield


@pytest.mark.browser
def test_a_name_rebound_to_loopback_after_the_check_gets_no_byte_into_the_warc(
    overkalix: OrganisationWorld,
    settings: Any,
    internal: LoopbackServer,
    rebinding: None,
) -> None:
    inner = f"https://localhost:{internal.port}"
    page = (
        "<!doctype html><html><head><title>Sida</title></head><body><h1>Sida</h1>"
        f'<iframe src="{inner}/frame"></iframe><img src="{inner}/secret.png"></body></html>'
    ).encode()

    def outer(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(page)))
        request.end_headers()
        request.wfile.write(page)

    site = serve(outer)
    try:
        settings.OUTBOUND_ALLOW_HOSTS = [f"127.0.0.1:{site.port}"]
        account = make_account(overkalix, url=f"http://127.0.0.1:{site.port}/page")
        snapshot = snapshot_capture(
            actor=overkalix.registrar, account=account, reason=SnapshotReason.BEFORE_MAJOR_CHANGE
        )
    finally:
        site.stop()
    assert internal.connections == []
    warc_file = snapshot.files.get(kind="warc")
    with default_storage.open(warc_file.name, "rb") as handle:
        warc = gzip.decompress(handle.read()).decode("utf-8", "replace")
    assert "<h1>Sida</h1>" in warc
    assert SECRET not in warc
    event = snapshot.account.organisation.audit_events.get(event_type="record.snapshot_captured")
    assert "127.0.0.1" in "\n".join(event.data["refused"])
