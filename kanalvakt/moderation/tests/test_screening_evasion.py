"""Disguised words are still found, and the evidence is highlighted where the writer put it."""

from __future__ import annotations

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, screen

CONFIG = ScreeningConfig.default(use_learned=False)


def _attack(text: str) -> str:
    """The evidence of the personal-attack finding, as a page would highlight it."""
    findings = [f for f in screen(text, config=CONFIG).findings if f.category == "personal_attack"]
    assert findings, f"nothing found in {text!r}"
    finding = findings[0]
    assert text[finding.start : finding.end] == finding.evidence
    return finding.evidence


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Ni är idiooteille verrattavissa", "idiooteille"),
        ("Tämä on idiooteista kotoisin", "idiooteista"),
        ("Alla idioterna på bygglov", "idioterna"),
        ("Idioternas kommun", "Idioternas"),
        ("Sä oot idiootti", "idiootti"),
        ("Du är en 1d10t", "1d10t"),
        ("Du är en i.d.i.o.t!", "i.d.i.o.t"),
        ("Du är en i d i o t.", "i d i o t"),
        ("Du är en i-d-i-o-t", "i-d-i-o-t"),
        ("Du är en iiiidiooot", "iiiidiooot"),
        ("Du är en ÏDÏÖT", "ÏDÏÖT"),
        ("Du är en \u0456d\u0456\u043et", "\u0456d\u0456\u043et"),  # Cyrillic і and о
        ("Du är en id\u200biot", "id\u200biot"),  # zero-width space
        ("Du är en idi\u00adot", "idi\u00adot"),  # soft hyphen
        ("Du är en ＩＤＩＯＴ", "ＩＤＩＯＴ"),  # full-width letters
        ("Ditt jävla k0mmun1d10t", "k0mmun1d10t"),
    ],
)
def test_disguised_insults_are_found_with_their_span(text: str, evidence: str) -> None:
    assert _attack(text) == evidence


def test_swedish_letters_are_not_folded_into_other_words() -> None:
    # "höra" (to hear) must not become "hora"; "horn" is not an inflection of it
    result = screen("Vill du höra hur man blåser i ett horn?", config=CONFIG)
    assert result.action == "none"


def test_disguise_with_foreign_accents_is_folded_all_the_way() -> None:
    assert _attack("Du är en ïdïöt") == "ïdïöt"


def test_offsets_point_into_the_original_text_after_wide_characters() -> None:
    text = "😀😀 Hej! Du är en ｉｄｉｏｔ och 811218-9876 är ditt nummer"
    findings = screen(text, config=CONFIG).findings
    spans = {f.category: text[f.start : f.end] for f in findings}
    assert spans["personal_attack"] == "ｉｄｉｏｔ"
    assert spans["personal_data"] == "811218-9876"


def test_directed_insult_is_suggested_for_removal_and_undirected_only_reviewed() -> None:
    assert screen("Du är en idiot", config=CONFIG).action == "remove"
    assert screen("Sinä olet idiootti", config=CONFIG).action == "remove"
    assert screen("You are an idiot", config=CONFIG).action == "remove"
    assert screen("Vilka idioter som planerade detta", config=CONFIG).action == "review"
