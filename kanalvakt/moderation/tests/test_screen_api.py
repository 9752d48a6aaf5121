from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.organisations.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

BODY = "\n".join(
    [
        json.dumps({"id": 1, "text": "Mitt personnummer är 19811218-9876, ring mig"}),
        "inte json",
        json.dumps({"id": 3, "text": "Tack för snabbt svar!"}),
        json.dumps({"id": 4}),
    ]
)


def test_screen_api_honours_the_cli_contract(client: Client, world: OrganisationWorld) -> None:
    _token, key = api_token_create(
        actor=world.comms_lead, organisation=world.organisation, name="Diariet"
    )
    response = client.post(
        "/api/screen/?pack=overkalix",
        data=BODY,
        content_type="application/x-ndjson",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.content.decode().splitlines()]
    assert [line.get("id") for line in lines] == [1, None, 3, 4]
    assert lines[0]["action"] in {"remove", "review"}
    assert any(f["category"] == "personal_data" for f in lines[0]["findings"])
    assert "error" in lines[1] and "error" in lines[3]
    assert lines[2]["action"] == "none"


def test_screen_api_refuses_without_a_valid_key(client: Client, world: OrganisationWorld) -> None:
    token, key = api_token_create(
        actor=world.comms_lead, organisation=world.organisation, name="Gammal"
    )
    api_token_revoke(actor=world.comms_lead, token=token)
    for headers in ({}, {"Authorization": f"Bearer {key}"}, {"Authorization": "Bearer nope"}):
        response = client.post(
            "/api/screen/?pack=overkalix", data=BODY, content_type="text/plain", headers=headers
        )
        assert response.status_code == 401


def test_screen_api_unknown_pack(client: Client, world: OrganisationWorld) -> None:
    client.force_login(world.account_owner)
    response = client.post("/api/screen/?pack=finns-inte", data=BODY, content_type="text/plain")
    assert response.status_code == 400
    assert "finns-inte" in response.json()["error"]
