"""Voikko's readings of common Finnish words come from the start-up cache as Voikko gives them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kanalvakt.moderation.screening import diskcache, morphology, voikkotable


@pytest.fixture(autouse=True)
def _fresh_tables() -> Iterator[None]:
    voikkotable.table.cache_clear()
    morphology.fi_analyses.cache_clear()
    yield
    voikkotable.table.cache_clear()
    morphology.fi_analyses.cache_clear()


@pytest.fixture
def small_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A table of the most common words only (quick to build), in a cache of its own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KANALVAKT_CACHE_DIR", str(folder))
    monkeypatch.setattr(voikkotable, "TABLE_ZIPF", 5.5)
    return folder


def test_the_tabled_words_read_as_voikko_reads_them() -> None:
    lookup = voikkotable.table(morphology._voikko_analyses)  # the suite's cache (conftest.py)
    words = list(voikkotable._words())
    assert len(words) > 50_000
    sample = words[::40]
    assert all(lookup(word) == morphology._voikko_analyses(word) for word in sample)
    assert any(lookup(word) == () for word in sample)  # words Voikko does not know are tabled too
    assert lookup("kuntaidiootille") is None  # not a common word: Voikko reads it
    assert morphology.fi_analyses("idiootti")[0].baseform == "idiootti"
    assert morphology.fi_analyses("kuntaidiootille")[0].parts == ("kunta", "idiootti")


def test_a_stored_table_is_mapped_by_the_next_process(
    small_table: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    voikkotable.table(morphology._voikko_analyses)
    (path,) = small_table.glob("voikko-*.bin")
    voikkotable.table.cache_clear()

    def never(analyse: object) -> list[bytes]:
        raise AssertionError("a stored table is not built again")

    monkeypatch.setattr(voikkotable, "_payload", never)
    mapped = voikkotable.table(morphology._voikko_analyses)
    for word in ["ja", "on", "ei", "että", "se", "mutta"]:
        assert mapped(word) == morphology._voikko_analyses(word) != ()
    assert path.stat().st_size > 1000


def test_a_damaged_table_is_built_again(small_table: Path) -> None:
    voikkotable.table(morphology._voikko_analyses)
    (path,) = small_table.glob("voikko-*.bin")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    voikkotable.table.cache_clear()
    lookup = voikkotable.table(morphology._voikko_analyses)
    assert lookup("että") == morphology._voikko_analyses("että")
    assert diskcache.read("voikko", path.name.removeprefix("voikko-").removesuffix(".bin"))


def test_without_a_cache_to_keep_it_in_every_word_goes_to_voikko(
    unwritable_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    def never(analyse: object) -> list[bytes]:
        raise AssertionError("the table is not built when it cannot be kept")

    monkeypatch.setattr(voikkotable, "_payload", never)
    assert voikkotable.table(morphology._voikko_analyses)("että") is None
    assert morphology.fi_analyses("että") == morphology._voikko_analyses("että") != ()
