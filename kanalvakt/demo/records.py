"""Demo data for records (`kanalvakt demo_records`), idempotent.

For each demo organisation: a few received items (criticism, questions,
praise, one with a personal identity number) processed through the normal
processing steps, so the registrar's queue fills by the pack's rules; a few
registered; one snapshot per account; one finished records request.

The demo machine has no internet, so a snapshot cannot show the real
platform page. Each account's snapshot captures a stand-in page, rendered
locally from the account's register entry and served on 127.0.0.1, that says
plainly that it is a demo stand-in. If Chromium is missing, the stand-in is
rendered straight to PDF with WeasyPrint.
"""

from __future__ import annotations

import datetime
import http.server
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from html import escape

from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.models import Item
from kanalvakt.inbox.processing import item_process_once
from kanalvakt.inbox.services import item_ingest
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.records.capture import Capture, CaptureError, capture_session
from kanalvakt.records.disclosure import (
    records_request_create,
    records_request_disclose,
    records_request_select,
    redaction_suggestions_accept,
)
from kanalvakt.records.models import (
    RecordsRequest,
    Registration,
    RegistrationStatus,
    SnapshotReason,
)
from kanalvakt.records.registration import item_decide_registration, registration_register
from kanalvakt.records.snapshots import snapshot_capture
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)

DEMO_SLUGS = ("overkalix", "degerfors", "kyrkslatt", "skelleftea-kraft", "exempel")
STAND_IN_NOTE = "Demo: ersättningssida renderad lokalt (demomaskinen har inget internet)."

MESSAGES: tuple[tuple[str, str, str, str], ...] = (
    # (kind, author, language, text)
    (
        "comment",
        "Kalle Ek",
        "sv",
        "Det är fel att gatlyktorna på Storgatan inte fungerar sedan i oktober. Dåligt skött!",
    ),
    ("comment", "Maja Lind", "sv", "Vilka fina bilder från höstmarknaden!"),
    (
        "direct_message",
        "Per Olofsson",
        "sv",
        "Hur ansöker jag om bygglov för en carport? Mitt personnummer är 19121212-1212 "
        "och ni når mig på per.olofsson@example.se.",
    ),
    ("comment", "Aino Virtanen", "fi", "Lumityöt ovat huonoja, tie on rikki. Milloin korjaatte?"),
    ("comment", "Sven Berg", "sv", "Fakturan för vatten är felaktig, ni har debiterat dubbelt."),
)


def render_pdf(html: str) -> bytes:
    import weasyprint  # type: ignore[import-untyped]

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def stand_in_html(account: Account) -> str:
    return (
        "<!doctype html><html lang=sv><head><meta charset=utf-8>"
        f"<title>{escape(account.display_name or account.handle)} – demo</title></head>"
        "<body style='font-family:sans-serif;margin:2em'>"
        "<p style='border:3px solid #b00;padding:1em;font-weight:bold'>Lokal "
        "ersättningsplattform – inte en riktig tjänst. Detta är inte kontots riktiga "
        "startsida: demomaskinen har inget internet, så Kanalvakt har fotograferat en sida "
        "som den själv har byggt av uppgifterna i förteckningen.</p>"
        f"<h1>{escape(account.display_name or account.handle)}</h1>"
        f"<p>{escape(account.get_platform_display())} · {escape(account.handle)} · "
        f"{escape(account.url)}</p>"
        f"<p>{escape(account.purpose)}</p>"
        f"<p>Officiellt konto för {escape(account.organisation.name)}.</p>"
        "</body></html>"
    )


@contextmanager
def _stand_in_server(pages: dict[str, str]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path)
            data = (body or "saknas").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _allow_stand_in(base: str) -> Iterator[None]:
    """The demo's own stand-in server is loopback: the outbound guard lets it through only
    as an entry of OUTBOUND_ALLOW_HOSTS, for as long as the demo captures it."""
    entry = base.removeprefix("http://")
    with override_settings(OUTBOUND_ALLOW_HOSTS=[*settings.OUTBOUND_ALLOW_HOSTS, entry]):
        yield


def _registrar(organisation: Organisation) -> User | None:
    for role in (Role.REGISTRAR, Role.COMMS_LEAD):
        user = User.objects.filter(
            memberships__organisation=organisation, memberships__role=role
        ).first()
        if user is not None:
            return user
    return None


@dataclass
class DemoReport:
    items: int = 0
    registered: int = 0
    snapshots: int = 0
    requests: int = 0
    notes: list[str] = field(default_factory=list)


def _items(organisation: Organisation, report: DemoReport) -> list[Item]:
    account = (
        Account.objects.filter(organisation=organisation, status="active").order_by("pk").first()
    )
    if account is None:
        return []
    items = []
    start = timezone.now() - datetime.timedelta(days=20)
    for number, (kind, author, language, text) in enumerate(MESSAGES, start=1):
        incoming = IncomingItem(
            platform=account.platform,
            external_id=f"demo-records-{organisation.slug}-{number}",
            kind=ItemKind(kind),
            created_at=start + datetime.timedelta(days=number, hours=number),
            raw=f'{{"demo": true, "n": {number}, "text": "{text}"}}'.encode(),
            text=text,
            author_name=author,
            language=language,
        )
        result = item_ingest(account=account, incoming=incoming)
        report.items += int(result.created)
        item_process_once(item_id=result.item.pk)
        item_decide_registration(item=result.item)  # when processing ran before this app
        items.append(result.item)
    return items


def _register_some(organisation: Organisation, registrar: User, report: DemoReport) -> None:
    if Registration.objects.filter(
        organisation=organisation, status=RegistrationStatus.REGISTERED
    ).exists():
        return
    for registration in Registration.objects.filter(
        organisation=organisation, status=RegistrationStatus.PENDING, item__isnull=False
    )[:2]:
        registration_register(actor=registrar, registration=registration)
        report.registered += 1


@contextmanager
def _browser() -> Iterator[Callable[[str], Capture] | None]:
    stack = ExitStack()
    session: Callable[[str], Capture] | None
    try:
        session = stack.enter_context(capture_session())
    except CaptureError:
        session = None
    with stack:
        yield session


def _demo_capture(html: str) -> Capture:
    return Capture(url="", pdf=render_pdf(html), title="Demo")


def _snapshots(organisation: Organisation, report: DemoReport) -> None:
    accounts = [
        a for a in Account.objects.filter(organisation=organisation) if not a.snapshots.exists()
    ]
    if not accounts:
        return
    pages = {f"/{a.pk}": stand_in_html(a) for a in accounts}
    with (
        _stand_in_server(pages) as base,
        _allow_stand_in(base),
        _browser() as session,
    ):
        for account in accounts:
            url = f"{base}/{account.pk}"
            try:
                if session is None:
                    raise CaptureError("Chromium kunde inte startas")
                snapshot_capture(
                    actor=None,
                    account=account,
                    reason=SnapshotReason.DEMO,
                    url=url,
                    note=STAND_IN_NOTE,
                    capturer=session,
                )
            except (CaptureError, OSError) as error:
                report.notes.append(f"Chromium: {error}; stand-in rendered with WeasyPrint.")
                html = pages[f"/{account.pk}"]

                def capturer(target: str, html: str = html) -> Capture:
                    capture = _demo_capture(html)
                    capture.url = capture.final_url = target
                    return capture

                snapshot_capture(
                    actor=None,
                    account=account,
                    reason=SnapshotReason.DEMO,
                    url=url,
                    note=STAND_IN_NOTE,
                    capturer=capturer,
                )
            report.snapshots += 1


def _request(
    organisation: Organisation, registrar: User, items: list[Item], report: DemoReport
) -> None:
    if RecordsRequest.objects.filter(organisation=organisation).exists() or not items:
        return
    with transaction.atomic():
        request = records_request_create(
            actor=registrar,
            organisation=organisation,
            requester="Journalist, lokaltidningen",
            requester_contact="redaktion@example.se",
            description="Alla kommentarer och meddelanden till kommunens konton senaste månaden.",
            query="",
        )
        records_request_select(actor=registrar, request=request, items=items)
        redaction_suggestions_accept(actor=registrar, request=request)
    records_request_disclose(actor=registrar, request=request)
    report.requests += 1


def demo_records(slugs: tuple[str, ...] = DEMO_SLUGS) -> DemoReport:
    report = DemoReport()
    for slug in slugs:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            report.notes.append(f"{slug} finns inte (kör kanalvakt demo först).")
            continue
        registrar = _registrar(organisation)
        if registrar is None:
            report.notes.append(f"{slug} har ingen registrator.")
            continue
        items = _items(organisation, report)
        _register_some(organisation, registrar, report)
        _snapshots(organisation, report)
        _request(organisation, registrar, items, report)
    return report
