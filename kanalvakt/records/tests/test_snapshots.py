"""REC-3: snapshots in real Chromium of pages served from the test process."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.lib.tests.pinning_fixtures import Allow, Loopback
from kanalvakt.lib.tests.testca import pages
from kanalvakt.records.capture import Capture
from kanalvakt.records.models import Registration, RegistrationStatus, SnapshotReason
from kanalvakt.records.snapshots import (
    accounts_due_for_half_year,
    half_year,
    snapshot_capture,
    snapshots_half_yearly,
)
from kanalvakt.records.storage import stored_sha256
from kanalvakt.records.tests.conftest import make_account, warc_text
from kanalvakt.register.models import Account

PAGES = {
    "/overkalixkommun": (
        200,
        "<!doctype html><html lang=sv><head><title>Överkalix kommun</title>"
        "<link rel=stylesheet href=/style.css></head><body><h1>Överkalix kommun</h1>"
        "<p>Officiellt konto för Överkalix kommun. Växel 0926-740 00.</p></body></html>",
    ),
    "/style.css": (200, "h1 { color: #004b87; }"),
    "/privat": (302, "/login?next=/privat"),
    "/login": (
        200,
        "<!doctype html><html><head><title>Logga in</title></head><body><form method=post>"
        "<label>E-post <input name=email></label><label>Lösenord <input type=password "
        "name=pw></label><button>Logga in</button></form></body></html>",
    ),
}


@pytest.fixture
def site(loopback: Loopback, allow: Allow) -> str:
    # Loopback is refused by the outbound guard unless listed, as the stand-in is.
    return f"http://{allow('127.0.0.1', loopback(pages(PAGES)))}"


@pytest.mark.browser
def test_capture_gives_pdfa_png_and_warc_registered_with_checksums(
    overkalix: OrganisationWorld, site: str
) -> None:
    account = make_account(overkalix, url=f"{site}/overkalixkommun")
    snapshot = snapshot_capture(
        actor=overkalix.registrar, account=account, reason=SnapshotReason.BEFORE_MAJOR_CHANGE
    )
    files = {f.kind: f for f in snapshot.files.all()}
    assert set(files) == {"pdfa", "pdf", "png", "warc"}
    assert snapshot.pdfa_valid, snapshot.pdfa_report
    assert snapshot.title == "Överkalix kommun"
    assert not snapshot.login_wall
    for file in files.values():
        assert stored_sha256(file.name) == file.sha256
    with default_storage.open(files["png"].name, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    warc = warc_text(snapshot)
    assert f"WARC-Target-URI: {site}/overkalixkommun" in warc
    assert f"WARC-Target-URI: {site}/style.css" in warc
    assert "Officiellt konto" in warc
    registration = Registration.objects.get(snapshot=snapshot)
    assert registration.status == RegistrationStatus.PENDING
    assert AuditEvent.objects.filter(event_type="record.snapshot_captured").exists()


@pytest.mark.browser
def test_page_behind_a_login_wall_is_captured_as_seen_and_flagged(
    overkalix: OrganisationWorld, site: str
) -> None:
    account = make_account(overkalix, handle="privat", url=f"{site}/privat")
    snapshot = snapshot_capture(
        actor=None, account=account, reason=SnapshotReason.BEFORE_MAJOR_CHANGE
    )
    assert snapshot.login_wall
    assert snapshot.final_url.startswith(f"{site}/login")
    assert any("lösenordsfält" in signal for signal in snapshot.login_signals)
    assert snapshot.files.filter(kind="pdfa").exists()


def test_half_year_job_captures_each_account_once_per_half_year(
    overkalix: OrganisationWorld, account: Account
) -> None:
    import datetime

    from kanalvakt.records.tests.test_snapshots import fake_capture

    on = datetime.date(2026, 7, 1)
    assert half_year(on) == "2026H2"
    assert accounts_due_for_half_year(on=on) == [account]
    assert snapshots_half_yearly(on=on, capturer=fake_capture) == 1
    assert accounts_due_for_half_year(on=on) == []
    assert snapshots_half_yearly(on=on, capturer=fake_capture) == 0
    assert accounts_due_for_half_year(on=datetime.date(2027, 1, 1)) == [account]


def fake_capture(url: str) -> Capture:
    from kanalvakt.demo.records import render_pdf

    pdf = render_pdf("<h1>Stand-in</h1>")
    return Capture(url=url, final_url=url, title="Stand-in", pdf=pdf, png=b"", warc=b"")
