"""DNS rebinding: a name checked as public is never connected to at another address.

The resolver stub answers a public address first and 127.0.0.1 after that,
as a hostile DNS server would. The router connects only to the address it
checked, so the loopback server (which would serve a secret over TLS with a
certificate the capture trusts) is never reached and nothing of it is in the
WARC.
"""

from __future__ import annotations

import http.server

import pytest

from conftest import OrganisationWorld
from kanalvakt.lib.tests.pinning_fixtures import Allow, Loopback, SetAnswers
from kanalvakt.lib.tests.testca import LocalCA, LoopbackServer, send
from kanalvakt.records.models import SnapshotReason
from kanalvakt.records.snapshots import snapshot_capture
from kanalvakt.records.tests.conftest import make_account, warc_text

SECRET = "HEMLIG-INTERN-UPPGIFT"


def _secret(request: http.server.BaseHTTPRequestHandler) -> None:
    send(request, f"<h1>{SECRET}</h1>".encode(), "text/html")


@pytest.fixture
def internal(ca: LocalCA, loopback: Loopback) -> LoopbackServer:
    """A loopback https server with a certificate for `localhost` the capture trusts."""
    return loopback(_secret, tls=ca.issue("localhost", dns="localhost"))


@pytest.fixture
def rebinding(answers: SetAnswers) -> None:
    """`localhost` answers a public address at its first lookup, loopback at every later one."""
    answers({"localhost": [["151.101.1.140"], ["127.0.0.1"]]})


@pytest.mark.browser
def test_a_name_rebound_to_loopback_after_the_check_gets_no_byte_into_the_warc(
    overkalix: OrganisationWorld,
    loopback: Loopback,
    allow: Allow,
    internal: LoopbackServer,
    rebinding: None,
) -> None:
    inner = f"https://localhost:{internal.port}"
    page = (
        "<!doctype html><html><head><title>Sida</title></head><body><h1>Sida</h1>"
        f'<iframe src="{inner}/frame"></iframe><img src="{inner}/secret.png"></body></html>'
    ).encode()

    def outer(request: http.server.BaseHTTPRequestHandler) -> None:
        send(request, page, "text/html; charset=utf-8")

    site = allow("127.0.0.1", loopback(outer))
    account = make_account(overkalix, url=f"http://{site}/page")
    snapshot = snapshot_capture(
        actor=overkalix.registrar, account=account, reason=SnapshotReason.BEFORE_MAJOR_CHANGE
    )
    assert internal.connections == []
    warc = warc_text(snapshot)
    assert "<h1>Sida</h1>" in warc
    assert SECRET not in warc
    event = snapshot.account.organisation.audit_events.get(event_type="record.snapshot_captured")
    assert "127.0.0.1" in "\n".join(event.data["refused"])
