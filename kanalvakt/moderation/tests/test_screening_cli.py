"""The `kanalvakt screen --pack` contract: JSON Lines in, one line out per line in, in order."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

PACKS = Path(__file__).parent / "fixtures" / "packs"


def _run(lines: list[str], pack: str = "screening-test") -> list[dict[str, Any]]:
    stdout = StringIO()
    with override_settings(POLICY_PACK_DIR=PACKS):
        call_command("screen", pack=pack, stdin=StringIO("\n".join(lines) + "\n"), stdout=stdout)
    return [json.loads(line) for line in stdout.getvalue().splitlines()]


@pytest.mark.django_db
def test_good_and_bad_lines_get_one_answer_each_in_order() -> None:
    lines = [
        json.dumps({"id": 1, "text": "Du är en idiot"}),
        "this is not json",
        json.dumps({"id": "b", "note": "no text here"}),
        json.dumps({"id": 4, "text": 42}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": 6, "text": "Kommunen sköter snöröjningen uselt"}),
        json.dumps({"id": 7, "text": "Mitt personnummer är 19811218-9876"}),
    ]
    out = _run(lines)
    assert [line.get("id") for line in out] == [1, None, "b", 4, None, 6, 7]
    assert out[0]["action"] == "remove"
    assert out[0]["language"] == "sv"
    assert "error" in out[1] and "error" in out[2] and "error" in out[3] and "error" in out[4]
    assert out[5] == {
        "id": 6,
        "language": "sv",
        "action": "none",
        "escalate": False,
        "findings": [],
    }
    assert out[6]["action"] == "remove"


@pytest.mark.django_db
def test_findings_carry_the_contract_fields_and_the_packs_ground() -> None:
    text = "Jag ska döda dig"
    (line,) = _run([json.dumps({"id": "x1", "text": text})])
    (finding,) = line["findings"]
    assert {"category", "score", "start", "end", "detector", "basis"} <= set(finding)
    assert finding["category"] == "threat"
    assert finding["basis"] == "law"
    assert "BrB 4:5" in finding["reference"]
    assert text[finding["start"] : finding["end"]] == "Jag ska döda dig"
    assert 0 <= finding["score"] <= 1


@pytest.mark.django_db
def test_a_category_the_pack_does_not_list_is_only_reviewed() -> None:
    # the test pack does not list incitement
    (line,) = _run([json.dumps({"id": 1, "text": "Någon borde bränna ner kommunhuset"})])
    assert line["action"] == "review"
    assert line["findings"][0]["basis"] == "none"


@pytest.mark.django_db
def test_blank_lines_are_skipped_and_unicode_is_kept() -> None:
    out = _run(["", json.dumps({"id": "å", "text": "Tack så mycket!"}), "   "])
    assert out == [
        {"id": "å", "language": "sv", "action": "none", "escalate": False, "findings": []}
    ]


@pytest.mark.django_db
def test_an_unknown_pack_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="Unknown policy pack 'no-such-pack'"):
        _run([json.dumps({"id": 1, "text": "hej"})], pack="no-such-pack")


@pytest.mark.django_db
def test_a_pack_id_cannot_name_a_path() -> None:
    with pytest.raises(CommandError, match="Invalid pack id"):
        _run([json.dumps({"id": 1, "text": "hej"})], pack="../secrets")


@pytest.mark.django_db
def test_a_pack_loaded_in_the_database_is_used() -> None:
    import yaml

    from kanalvakt.policies.models import PolicyVersion

    document = yaml.safe_load((PACKS / "screening-test.yaml").read_text(encoding="utf-8"))
    document["pack"] = "db-only"
    PolicyVersion.objects.create(
        pack_id="db-only",
        version="1",
        title="t",
        organisation_name="o",
        document=document,
        sha256="0" * 64,
    )
    (line,) = _run([json.dumps({"id": 1, "text": "Jag ska döda dig"})], pack="db-only")
    assert line["action"] == "remove"
