from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kanalvakt.audit.services import audit_verify_chain
from kanalvakt.organisations.models import Organisation
from kanalvakt.register.selectors import account_rows


@pytest.mark.django_db
def test_demo_seeds_five_organisations_with_breaches_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    assert "demo / kanalvakt-demo" in out
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert slugs == {"skelleftea-kraft", "overkalix", "degerfors", "kyrkslatt", "exempel"}
    for organisation in Organisation.objects.all():
        assert organisation.policy_version is not None
        assert organisation.policy_version.pack_id == organisation.slug
        rows = account_rows(organisation=organisation, today=timezone.localdate())
        assert len({row.account.platform for row in rows}) >= 3
        assert any(not row.warnings for row in rows), organisation.slug
        if organisation.slug == "exempel":
            # The generic template says nothing about admins, substitutes,
            # mandates or profiles, so there is nothing to breach.
            assert not any(row.warnings for row in rows)
        else:
            assert any(row.warnings for row in rows), organisation.slug

    call_command("demo")
    assert "fanns redan" in capsys.readouterr().out
    assert Organisation.objects.count() == 5
    assert audit_verify_chain().intact


@pytest.mark.django_db
def test_demo_login_reaches_overkalix(client: Client) -> None:
    call_command("demo")
    assert client.login(username="demo", password="kanalvakt-demo")
    response = client.get("/o/overkalix/")
    assert response.status_code == 200
    assert "overkalixbibliotek" in response.content.decode()
