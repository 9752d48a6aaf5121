"""Every rule under `publishing:` in every pack is read by code."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings

from kanalvakt.publishing.checker import READ_ELSEWHERE
from kanalvakt.publishing.checker.rules import RULES


def publishing_keys() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(Path(settings.POLICY_PACK_DIR).glob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        for key in document["rules"]["publishing"]:
            found.add((path.stem, f"publishing.{key}"))
    return found


def test_every_publishing_rule_in_every_pack_is_read_by_code() -> None:
    keys = publishing_keys()
    assert len({key for _, key in keys}) >= 13
    unread = sorted(
        (pack, key) for pack, key in keys if key not in RULES and key not in READ_ELSEWHERE
    )
    assert unread == [], f"rules nothing reads: {unread}"


def test_what_is_said_to_be_read_elsewhere_is_read_there() -> None:
    sources = {
        "checker.writing.languages_required": Path(__file__).parents[1] / "checker" / "writing.py",
        "publishing.services.approval_required": Path(__file__).parents[1] / "services.py",
    }
    for key, reader in READ_ELSEWHERE.items():
        assert f'"{key}"' in sources[reader].read_text(), key
