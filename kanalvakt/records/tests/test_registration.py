"""Registration (REC-2): the pack decides, the registrar numbers, forwards, exports."""

from __future__ import annotations

import json
import threading
from xml.etree import ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.connectors.base import ItemKind
from kanalvakt.organisations.services import api_token_create
from kanalvakt.records.models import RecordSeries, Registration, RegistrationStatus
from kanalvakt.records.registration import (
    record_number_allocate,
    record_series_ensure,
    registration_exempt,
    registration_register,
)
from kanalvakt.records.tests.conftest import Receive


def test_factual_criticism_waits_for_the_registrar_with_its_rule(receive: Receive) -> None:
    item = receive("Det är fel att snöröjningen inte fungerar på Storgatan, det är dåligt skött.")
    registration = Registration.objects.get(item=item)
    assert registration.status == RegistrationStatus.PENDING
    assert registration.record_kind == "factual_criticism"
    assert registration.rule_path == "registration.register[0]"
    assert "Diarieför" in registration.rule_source
    assert registration.forward_required


def test_plain_comment_on_the_public_forum_is_exempt_under_the_pack(receive: Receive) -> None:
    item = receive("Så fina bilder från midsommarfirandet!")
    registration = Registration.objects.get(item=item)
    assert registration.status == RegistrationStatus.EXEMPT
    assert registration.record_kind == "public_forum_chronological"
    assert registration.rule_path == "registration.exempt[0]"


def test_direct_message_without_a_rule_is_recorded_as_not_required(receive: Receive) -> None:
    item = receive("Tack för hjälpen igår!", kind=ItemKind.DIRECT_MESSAGE)
    registration = Registration.objects.get(item=item)
    assert registration.status == RegistrationStatus.NOT_REQUIRED
    assert registration.rule_path == ""


def test_register_gives_numbers_in_the_organisations_format_without_gaps(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    first = Registration.objects.get(item=receive("Felaktig faktura, det är fel belopp."))
    second = Registration.objects.get(item=receive("Gatlampan är trasig och fungerar inte."))
    first = registration_register(actor=overkalix.registrar, registration=first)
    second = registration_register(actor=overkalix.registrar, registration=second)
    year = first.registered_at.year  # type: ignore[union-attr]
    assert first.record_number == f"KS {year}/1"
    assert second.record_number == f"KS {year}/2"
    with pytest.raises(ValidationError):
        registration_register(actor=overkalix.registrar, registration=first)
    assert AuditEvent.objects.filter(event_type="record.registered").count() == 2


def test_series_format_is_configurable(overkalix: OrganisationWorld) -> None:
    series = record_series_ensure(
        actor=overkalix.registrar,
        organisation=overkalix.organisation,
        year=2026,
        prefix="KLK",
        format="{prefix}-{year}-{number:04d}",
    )
    assert series.render(7) == "KLK-2026-0007"


def test_only_the_registrar_or_comms_lead_registers(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    registration = Registration.objects.get(item=receive("Det är fel och dåligt."))
    with pytest.raises(PermissionDenied):
        registration_register(actor=overkalix.publisher, registration=registration)


def test_exempt_needs_a_reason(overkalix: OrganisationWorld, receive: Receive) -> None:
    registration = Registration.objects.get(item=receive("Det är fel och dåligt."))
    with pytest.raises(ValidationError):
        registration_exempt(actor=overkalix.registrar, registration=registration, reason=" ")
    registration = registration_exempt(
        actor=overkalix.registrar, registration=registration, reason="Dubblett av KS 2026/4"
    )
    assert registration.status == RegistrationStatus.EXEMPT


def test_queue_page_registers_with_one_click_and_forwards(
    overkalix: OrganisationWorld, receive: Receive, client: Client
) -> None:
    item = receive("Fel i bygglovet <script>alert(1)</script> det fungerar inte")
    registration = Registration.objects.get(item=item)
    client.force_login(overkalix.registrar)
    page = client.get("/o/overkalix/diarium/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    assert "Registrera" in body
    response = client.post(
        f"/o/overkalix/diarium/{registration.pk}/registrera/",
        {"case_officer": overkalix.case_officer.pk},
        follow=True,
    )
    assert "Diarienummer: KS " in response.content.decode()
    registration.refresh_from_db()
    assert registration.forwarded_to_user == overkalix.case_officer
    assert AuditEvent.objects.filter(event_type="record.forwarded").exists()
    assert "Kön är tom" in client.get("/o/overkalix/diarium/").content.decode()


def test_another_organisation_sees_nothing(
    overkalix: OrganisationWorld, outsider: object, receive: Receive, client: Client
) -> None:
    registration = Registration.objects.get(item=receive("Det är fel och dåligt."))
    client.force_login(outsider)  # type: ignore[arg-type]
    assert client.get("/o/overkalix/diarium/").status_code == 404
    assert client.post(f"/o/degerfors/diarium/{registration.pk}/registrera/").status_code in (
        403,
        404,
    )


def test_exports_and_api_carry_the_record_number(
    overkalix: OrganisationWorld, other_world: OrganisationWorld, receive: Receive, client: Client
) -> None:
    registration = registration_register(
        actor=overkalix.registrar,
        registration=Registration.objects.get(item=receive("Felaktigt beslut, det är fel.")),
    )
    client.force_login(overkalix.registrar)
    csv_body = client.get("/o/overkalix/diarium/export.csv").content.decode("utf-8-sig")
    assert registration.record_number in csv_body
    xml_body = client.get("/o/overkalix/diarium/export.xml").content
    root = ET.fromstring(xml_body)  # noqa: S314 - our own export
    number = root.find("registration/record_number")
    assert number is not None
    assert number.text == registration.record_number
    client.logout()
    assert client.get("/api/records/overkalix/registrations/").status_code == 401
    _, key = api_token_create(
        actor=overkalix.comms_lead, organisation=overkalix.organisation, name="Diariet"
    )
    answer = client.get("/api/records/overkalix/registrations/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200
    assert answer.json()["results"][0]["record_number"] == registration.record_number
    _, other_key = api_token_create(
        actor=other_world.comms_lead, organisation=other_world.organisation, name="x"
    )
    assert (
        client.get(
            "/api/records/overkalix/registrations/", HTTP_AUTHORIZATION=f"Bearer {other_key}"
        ).status_code
        == 404
    )
    schema = client.get("/api/records/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/records/{slug}/registrations/" in schema["paths"]
    json.dumps(schema)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers with one database lock; concurrency is tested on PostgreSQL",
)
def test_parallel_registrars_get_distinct_numbers_without_gaps(world: OrganisationWorld) -> None:
    series = record_series_ensure(actor=None, organisation=world.organisation, year=2031)
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        from django.db import connections, transaction

        try:
            for _ in range(25):
                with transaction.atomic():
                    number = record_number_allocate(series=series)
                with lock:
                    numbers.append(number)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 201))
    assert RecordSeries.objects.get(pk=series.pk).next_number == 201
