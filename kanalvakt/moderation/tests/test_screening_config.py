"""A screening configuration is the pack's moderation rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from kanalvakt.moderation.screening import CATEGORIES, ScreeningConfig, screen
from kanalvakt.policies.pack import Pack

PACK = Pack(
    yaml.safe_load(
        (Path(__file__).parent / "fixtures" / "packs" / "screening-test.yaml").read_text(
            encoding="utf-8"
        )
    )
)


def test_rules_come_from_the_packs_moderation_categories() -> None:
    config = ScreeningConfig.from_pack(PACK)
    assert config.pack_id == "screening-test"
    assert set(config.rules) == {
        "threat",
        "hate_speech",
        "personal_attack",
        "personal_data",
        "advertising",
        "obscenity",
    }
    threat = config.rules["threat"]
    assert (threat.action, threat.basis, threat.statute) == ("remove", "law", "BrB 4:5")
    assert "test.txt – Olagligt innehåll" in threat.reference
    assert config.rules["obscenity"].action == "review"
    assert config.public_events_exempt is True


def test_the_packs_action_decides_between_remove_and_review() -> None:
    config = ScreeningConfig.from_pack(PACK, use_learned=False)
    # obscenity is "review" in this pack, so even strong obscenity is only reviewed
    assert screen("Knulla", config=config).action == "review"
    assert screen("Du är en idiot", config=config).action == "remove"


def test_thresholds_are_settings_of_the_config() -> None:
    strict = ScreeningConfig.from_pack(PACK, use_learned=False, remove_threshold=0.99)
    assert screen("Du är en idiot", config=strict).action == "review"


def test_the_default_config_covers_every_category() -> None:
    assert set(ScreeningConfig.default().rules) == set(CATEGORIES)


@pytest.mark.parametrize("path", sorted(Path(settings.POLICY_PACK_DIR).glob("*.yaml")))
def test_every_shipped_pack_gives_a_config(path: Path) -> None:
    pack = Pack(yaml.safe_load(path.read_text(encoding="utf-8")))
    config = ScreeningConfig.from_pack(pack, use_learned=False)
    assert set(config.rules) <= set(CATEGORIES)
    assert all(rule.action in ("remove", "review") for rule in config.rules.values())
    threat = screen("Jag ska döda dig", config=config)
    # a pack silent on moderation (the template) leaves every finding to a person
    expected = (
        "remove"
        if config.rules.get("threat", None) and (config.rules["threat"].action == "remove")
        else "review"
    )
    assert threat.action == expected


def _with_learned_review(level: str) -> Pack:
    document = yaml.safe_load(
        (Path(__file__).parent / "fixtures" / "packs" / "screening-test.yaml").read_text(
            encoding="utf-8"
        )
    )
    document["rules"]["moderation"]["learned_review"] = {
        "value": level,
        "silent": "Policyn säger inget; organisationens val.",
    }
    return Pack(document)


# The review head alone sends both to review at the model's own threshold: the
# first just over it, the second far over it.
HESITANT = "Kukaan ei halua teidän rumia naamojanne täällä"
SURE = "Sådana som du borde inte få bo här"


def _reviewed_by_the_head_alone(config: ScreeningConfig) -> list[str]:
    return [
        text
        for text in (HESITANT, SURE)
        if any(f.detector.endswith(":review") for f in screen(text, config=config).findings)
    ]


def test_the_pack_says_how_often_the_learned_scorer_alone_suggests_review() -> None:
    assert ScreeningConfig.from_pack(PACK).learned_review == "normal"
    normal = ScreeningConfig.from_pack(_with_learned_review("normal"))
    fewer = ScreeningConfig.from_pack(_with_learned_review("fewer"))
    never = ScreeningConfig.from_pack(_with_learned_review("never"))
    assert _reviewed_by_the_head_alone(normal) == [HESITANT, SURE]
    assert _reviewed_by_the_head_alone(fewer) == [SURE]
    assert _reviewed_by_the_head_alone(never) == []
    assert screen(HESITANT, config=never).action == "none"


def test_the_learned_review_setting_leaves_the_rules_and_category_heads_alone() -> None:
    never = ScreeningConfig.from_pack(_with_learned_review("never"))
    assert screen("Jag vet var du bor", config=never).action == "remove"
    learned = screen("Snart får ni se vad som händer", config=never).findings
    assert [(f.category, f.detector) for f in learned] == [("threat", "learned:v3")]
