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
