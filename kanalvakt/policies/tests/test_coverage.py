"""Every key in every pack is read by code or marked "visas – kontrolleras inte" (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.policies.coverage import DISPLAY_ONLY, READERS, base_path, is_skipped
from kanalvakt.policies.pack import Pack
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.policies.validation import pack_files, validate_pack_file

PACK_DIR = Path(settings.POLICY_PACK_DIR)
ROOT = Path(settings.BASE_DIR).parent


def packs() -> list[Pack]:
    found = []
    for path in pack_files(PACK_DIR):
        parsed = validate_pack_file(path)
        assert parsed.document is not None, path
        found.append(Pack(parsed.document))
    return found


def test_every_key_of_every_pack_is_read_by_code_or_marked_display_only() -> None:
    unaccounted = {
        f"{pack.id}: {rule.path}"
        for pack in packs()
        for rule in pack.rules()
        if not is_skipped(rule.path)
        and base_path(rule.path) not in READERS
        and base_path(rule.path) not in DISPLAY_ONLY
    }
    assert unaccounted == set()


def test_a_key_is_either_read_or_display_only_never_both() -> None:
    assert set(READERS) & set(DISPLAY_ONLY) == set()


@pytest.mark.parametrize("path", sorted(READERS))
def test_the_named_reader_really_reads_the_key(path: str) -> None:
    reader = READERS[path]
    source = (ROOT / reader.module).read_text(encoding="utf-8")
    assert reader.needle in source, f"{reader.module} does not contain {reader.needle}"


def test_the_policy_page_marks_display_only_rules(
    world: OrganisationWorld, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every key of the five packs is read today; a key nothing reads is marked like this.
    monkeypatch.setitem(
        DISPLAY_ONLY, "mandates.publishers_appointed_by", "Kontrolleras inte i den här versionen."
    )
    use_pack(world.organisation, "skelleftea-kraft")
    client.force_login(world.comms_lead)
    page = client.get(f"/o/{world.organisation.slug}/policy/").content.decode()
    assert "visas – kontrolleras inte" in page
    assert "Kontrolleras inte i den här versionen." in page
    # An advisory rule ("Det bör finnas ett uppdrag") is shown as advice.
    assert "Råd i policyn" in page
