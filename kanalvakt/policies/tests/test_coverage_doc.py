"""docs/policy-coverage.md is exactly what the packs and coverage.py say (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from kanalvakt.policies.coverage import DISPLAY_ONLY, READERS
from kanalvakt.policies.coverage_doc import render

DOC = Path(settings.BASE_DIR).parent / "docs" / "policy-coverage.md"


def test_the_coverage_document_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(Path(settings.POLICY_PACK_DIR)), (
        "docs/policy-coverage.md is stale: run `kanalvakt policy_coverage`"
    )


def test_every_clause_is_accounted_for(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every key of the five packs is read today; a key nothing reads is listed like this.
    monkeypatch.delitem(READERS, "mandates.publishers_appointed_by")
    monkeypatch.setitem(DISPLAY_ONLY, "mandates.publishers_appointed_by", "Ej kontrollerad.")
    text = render(Path(settings.POLICY_PACK_DIR))
    assert "not accounted for" not in text
    for pack in ("skelleftea-kraft", "overkalix", "degerfors", "kyrkslatt", "exempel"):
        assert f"`{pack}`" in text
    assert "unsupported: " in text
    assert "visas – kontrolleras inte" in text
