"""REC-5: search in Swedish and Finnish, redaction, disclosure without the withheld text."""

from __future__ import annotations

import csv
import io

import pypdf
from django.core.files.storage import default_storage
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.records import redaction
from kanalvakt.records.disclosure import (
    records_request_disclose,
    redaction_add_phrase,
    redaction_suggestions_accept,
)
from kanalvakt.records.models import Disclosure
from kanalvakt.records.search import item_search
from kanalvakt.records.tests.conftest import Receive, requested

PNR = "19121212-1212"


def test_search_finds_swedish_and_finnish_items(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    swedish = receive("Snöröjningen på Storgatan är dålig i år.")
    finnish = receive("Lumityöt Kirkkonummella ovat huonoja.", language="fi")
    receive("Helt annat ämne om badhuset.")
    organisation = overkalix.organisation
    assert list(item_search(organisation=organisation, query="snöröjningen")) == [swedish]
    assert list(item_search(organisation=organisation, query="lumityöt")) == [finnish]
    assert list(item_search(organisation=organisation, query="Storgata")) == [swedish]
    assert not item_search(organisation=organisation, query='") OR (*').exists()


def test_suggestions_find_personal_data_and_author_names(receive: Receive) -> None:
    item = receive(f"Jag heter Kalle Ek, pnr {PNR}, mejla kalle@example.se", author="Kalle Ek")
    kinds = {span.kind for span in redaction.suggest(item)}
    assert {"personnummer", "email", "name"} <= kinds
    secret = receive("Enligt den sekretessbelagda rapporten är bron farlig.")
    assert "secrecy" in {span.kind for span in redaction.suggest(secret)}
    assert redaction.apply("abc 123 def", [(4, 7)]) == f"abc {redaction.MARKER} def"


def test_disclosure_pdf_and_csv_lack_the_redacted_text(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    item = receive(f"Fel i min faktura, mitt personnummer är {PNR}. Ring Berit.", author="Kalle Ek")
    request = requested(
        overkalix,
        item,
        requester="Journalist på Norrbottens-Kuriren",
        description="Alla kommentarer i mars",
    )
    assert redaction_suggestions_accept(actor=overkalix.registrar, request=request) >= 2
    redaction_add_phrase(actor=overkalix.registrar, request=request, item=item, phrase="Berit")
    disclosure = records_request_disclose(actor=overkalix.registrar, request=request)
    with default_storage.open(disclosure.pdf_name, "rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    assert "Fel i min faktura" in pdf_text
    assert "MASKERAT" in pdf_text
    assert "1212" not in pdf_text
    assert "Berit" not in pdf_text
    assert "Kalle" not in pdf_text
    with default_storage.open(disclosure.csv_name, "rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    body = "\n".join(",".join(row) for row in rows)
    assert PNR not in body and "Berit" not in body and "Kalle" not in body
    assert redaction.MARKER in rows[1][-1]
    assert AuditEvent.objects.filter(event_type="record.disclosed").count() == 1


def test_review_screen_flow(overkalix: OrganisationWorld, receive: Receive, client: Client) -> None:
    item = receive(f"Klagomål: fel i taxan, pnr {PNR}")
    client.force_login(overkalix.registrar)
    response = client.post(
        "/o/overkalix/begaran/",
        {"requester": "Anna Reporter", "description": "Klagomål om taxan", "requester_contact": ""},
    )
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url, {"q": "taxan"}).content.decode()
    assert "Klagomål: fel i taxan" in page
    client.post(url, {"action": "select", "items": [str(item.pk)], "q": "taxan"})
    client.post(url, {"action": "suggest"})
    page = client.get(url).content.decode()
    assert 'class="redacted"' in page
    client.post(f"{url}lamna-ut/")
    disclosure = Disclosure.objects.get()
    download = client.get(f"{url}utlamning/{disclosure.pk}/csv/")
    assert PNR not in b"".join(download.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
