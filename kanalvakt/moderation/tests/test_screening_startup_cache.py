"""The start-up tables kept on disk (diskcache.py) answer exactly as those built in memory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kanalvakt.moderation.screening import diskcache, frequencies, morphology


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KANALVAKT_CACHE_DIR", str(folder))
    return folder


def test_a_stored_payload_is_read_back_whole(cache_dir: Path) -> None:
    assert diskcache.read("thing", "k1") is None
    assert diskcache.write("thing", "k1", lambda: [b"abc", b"def"])
    found = diskcache.read("thing", "k1")
    assert found is not None and bytes(found) == b"abcdef"
    assert diskcache.read("thing", "k2") is None  # another key: another source


def test_a_table_that_cannot_be_derived_leaves_no_file(cache_dir: Path) -> None:
    def broken() -> list[bytes]:
        raise ValueError("a figure that is no band's figure")

    assert not diskcache.write("thing", "k1", broken)
    assert list(cache_dir.iterdir()) == []


def test_a_damaged_or_cut_file_is_ignored(cache_dir: Path) -> None:
    diskcache.write("thing", "k1", lambda: [b"x" * 1000])
    (path,) = cache_dir.glob("thing-*.bin")
    data = bytearray(path.read_bytes())
    data[500] ^= 1
    path.write_bytes(bytes(data))
    assert diskcache.read("thing", "k1") is None
    path.write_bytes(bytes(data[:300]))
    assert diskcache.read("thing", "k1") is None
    path.write_bytes(b"")
    assert diskcache.read("thing", "k1") is None


def test_a_directory_that_cannot_be_written_is_no_error(unwritable_cache: Path) -> None:
    built: list[str] = []

    def build() -> list[bytes]:
        built.append("derived")
        return [b"abc"]

    assert not diskcache.write("thing", "k1", build)
    assert not built  # nothing is derived for a file that cannot be written
    assert diskcache.read("thing", "k1") is None


def test_a_folder_others_may_write_is_neither_read_nor_written(cache_dir: Path) -> None:
    assert diskcache.write("thing", "k1", lambda: [b"abc"])
    cache_dir.chmod(0o777)  # anyone could have put a file there
    assert diskcache.read("thing", "k1") is None
    assert not diskcache.write("thing", "k2", lambda: [b"abc"])
    cache_dir.chmod(0o700)
    assert diskcache.read("thing", "k1") is not None


def test_the_folder_is_the_configured_one_else_the_users_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANALVAKT_CACHE_DIR", str(tmp_path / "mine"))
    assert diskcache.directory() == tmp_path / "mine"
    monkeypatch.delenv("KANALVAKT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert diskcache.directory() == tmp_path / "xdg" / "kanalvakt"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert diskcache.directory() == tmp_path / "home" / ".cache" / "kanalvakt"
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home folder at all
    assert diskcache.directory() is None
    assert not diskcache.write("thing", "k1", lambda: [b"abc"])
    assert diskcache.read("thing", "k1") is None


def test_old_copies_under_other_keys_are_removed_new_ones_kept(cache_dir: Path) -> None:
    diskcache.write("thing", "old", lambda: [b"1"])
    diskcache.write("thing", "other", lambda: [b"2"])
    week_ago = os.stat(cache_dir / "thing-old.bin").st_mtime - diskcache.STALE_SECONDS - 60
    os.utime(cache_dir / "thing-old.bin", (week_ago, week_ago))
    diskcache.write("thing", "new", lambda: [b"3"])
    assert sorted(path.name for path in cache_dir.iterdir()) == ["thing-new.bin", "thing-other.bin"]


def test_the_key_changes_with_what_a_file_derives_from() -> None:
    assert diskcache.key("a", 1, b"x") == diskcache.key("a", 1, b"x")
    assert diskcache.key("a", 1, b"x") != diskcache.key("a", 2, b"x")


def _sample() -> list[str]:
    """Words of every band of every tabled language, and words of none."""
    words: set[str] = set()
    for language in morphology.TABLED:
        by_figure: dict[float, list[str]] = {}
        for word, figure in morphology._figures(language).items():
            by_figure.setdefault(figure, []).append(word)
        for band in by_figure.values():
            words.update(band[:3])
    return sorted(words) + ["qxzvbnmkjh", "kissa2", "e-post", "Hej", "ä", ""]


def _clear() -> None:
    frequencies.table.cache_clear()
    morphology._row.cache_clear()
    morphology.zipf.cache_clear()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder with the figures file, built once for these tests (it takes seconds)."""
    folder = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KANALVAKT_CACHE_DIR", str(folder))
        _clear()
        assert frequencies.table().tables  # this process answers from the dicts it built
        _clear()
    yield folder
    _clear()


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    _clear()
    yield
    _clear()


def _in_memory_row(word: str) -> tuple[float, ...]:
    return tuple(morphology._figures(language).get(word, 0.0) for language in morphology.TABLED)


def _figure_or_tokeniser(word: str, language: str) -> float:
    if word.isalpha() and word.islower():
        return morphology._figures(language).get(word, 0.0)
    from wordfreq import zipf_frequency

    figure = float(zipf_frequency(word, language))
    return figure if figure >= morphology.MIN_ZIPF else 0.0


def test_the_figures_file_answers_as_wordfreqs_lists_do(
    built: Path, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANALVAKT_CACHE_DIR", str(built))
    mapped = frequencies.table()
    assert not mapped.tables  # read from the file, no dicts
    sample = _sample()
    assert len(sample) > 2000
    for word in sample:
        assert mapped.row(word) == _in_memory_row(word), word
    # and through the guards' own questions
    for word in sample[::7]:
        for languages in (("sv", "fi", "en"), morphology.TABLED, ("fi",), ("da", "nb")):
            expected = max(_figure_or_tokeniser(word, language) for language in languages)
            assert morphology.top_zipf(word, languages) == expected, (word, languages)
        assert morphology.zipf(word, "da") == _figure_or_tokeniser(word, "da")


def test_a_damaged_figures_file_is_built_again(
    built: Path, fresh: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (original,) = built.glob("frequencies-*.bin")
    path = tmp_path / original.name
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    monkeypatch.setenv("KANALVAKT_CACHE_DIR", str(tmp_path))
    rebuilt = frequencies.table()
    assert rebuilt.tables  # not read from the damaged file: built in memory, and stored again
    assert rebuilt.row("hund") == _in_memory_row("hund")
    assert path.read_bytes() == original.read_bytes()
    _clear()
    assert not frequencies.table().tables  # the next process maps the new file


def test_a_file_of_other_wordfreq_lists_is_not_read(
    built: Path, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANALVAKT_CACHE_DIR", str(built))
    first = frequencies.stored_path()
    assert first is not None and first.exists()
    real = diskcache.file_stamp

    def replaced(path: str | Path) -> tuple[str, int, int]:
        name, size, mtime = real(path)
        return (name, size, mtime + 1)  # as if wordfreq's lists had been replaced

    monkeypatch.setattr(diskcache, "file_stamp", replaced)
    second = frequencies.stored_path()
    assert second is not None and second != first and not second.exists()


def test_without_a_writable_cache_the_figures_are_built_in_memory(
    fresh: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("KANALVAKT_CACHE_DIR", str(blocker))
    assert frequencies.table().tables
    assert morphology.top_zipf("hund", morphology.TABLED) == max(_in_memory_row("hund"))
    assert not blocker.read_text()


def test_the_patterns_anchors_come_back_from_the_cache_as_derived(cache_dir: Path) -> None:
    from kanalvakt.moderation.screening import patterns, prefilter

    regexes = [pattern.regex for pattern in patterns.PATTERNS]
    derived = [prefilter.anchors(regex) for regex in regexes]
    assert prefilter.stored_anchors(regexes) == derived  # derived and stored
    assert len(list(cache_dir.glob("anchors-*.bin"))) == 1
    assert prefilter.stored_anchors(regexes) == derived  # read back
    text = "jag ska döda dig och alla invandrare ska ut"
    assert prefilter.Gate(regexes).candidates(text) == [
        index
        for index, strings in enumerate(derived)
        if strings is None or any(anchor in text for anchor in strings)
    ]


def test_a_changed_pattern_or_a_damaged_file_derives_the_anchors_anew(cache_dir: Path) -> None:
    import re

    from kanalvakt.moderation.screening import prefilter

    first = [re.compile(r"(?:jag|vi) ska d[öo]da"), re.compile(r"\w+")]
    changed = [re.compile(r"(?:jag|vi) ska sl[åa]"), re.compile(r"\w+")]
    expected_first = [prefilter.anchors(regex) for regex in first]
    expected_changed = [prefilter.anchors(regex) for regex in changed]
    assert expected_first[0] and "jag ska döda" in expected_first[0]
    assert prefilter.stored_anchors(first) == expected_first
    assert prefilter.stored_anchors(changed) == expected_changed
    assert len(list(cache_dir.glob("anchors-*.bin"))) == 2  # one file per set of expressions
    for path in cache_dir.glob("anchors-*.bin"):
        path.write_bytes(path.read_bytes()[:-3])
    assert prefilter.stored_anchors(first) == expected_first
    assert prefilter.stored_anchors(changed) == expected_changed
    stored = [diskcache.read("anchors", path.stem.split("-", 1)[1]) for path in cache_dir.iterdir()]
    assert all(payload is not None for payload in stored)  # written whole again


def _same_model(model: object, reference: object) -> None:
    import numpy as np

    from kanalvakt.moderation.screening.learned import Model

    assert isinstance(model, Model) and isinstance(reference, Model)
    assert np.array_equal(model.weights, reference.weights)
    assert np.array_equal(model.biases, reference.biases)
    assert np.array_equal(model.thresholds, reference.thresholds)
    assert (model.version, model.categories) == (reference.version, reference.categories)
    assert (model.evaluation, model.trained_on) == (reference.evaluation, reference.trained_on)
    texts = ["du är en idiot", "kuole pois", "tack för hjälpen", "köp billigt här www.x.se"]
    assert model.score_batch(texts) == reference.score_batch(texts)


def test_the_bundled_model_read_from_the_cache_is_the_same_model(cache_dir: Path) -> None:
    from kanalvakt.moderation.screening import learned, modelcache

    data = learned.MODEL_PATH.read_bytes()
    reference = learned.Model.from_bytes(data)
    _same_model(modelcache.load(data), reference)  # decoded, and stored
    (path,) = cache_dir.glob("model-*.bin")
    payload = diskcache.read("model", path.stem.split("-", 1)[1])
    assert payload is not None
    stored = modelcache._read(payload)
    assert stored is not None
    _same_model(stored, reference)
    _same_model(modelcache.load(data), reference)
    path.write_bytes(path.read_bytes()[:-1] + b"?")  # damaged: decoded again
    _same_model(modelcache.load(data), reference)
    assert diskcache.read("model", path.stem.split("-", 1)[1]) is not None  # and stored again


def test_another_model_is_not_read_from_the_bundled_models_file(cache_dir: Path) -> None:
    import json

    import numpy as np

    from kanalvakt.moderation.screening import learned, modelcache

    data = learned.MODEL_PATH.read_bytes()
    modelcache.load(data)
    document = json.loads(data)
    document["thresholds"][0] = 0.123
    changed = json.dumps(document).encode()
    assert modelcache.load(changed).thresholds[0] == np.float32(0.123)
    assert len(list(cache_dir.glob("model-*.bin"))) == 2


def test_compiled_expressions_from_the_cache_are_pythons_own(cache_dir: Path) -> None:
    import re

    from kanalvakt.moderation.screening import patterns, regexcache

    sources = [(pattern.regex.pattern, pattern.regex.flags) for pattern in patterns.PATTERNS]
    sources += [(r"(?P<who>du|ni) är (?:en )?(\w+)", re.IGNORECASE), (r"^a|b$", re.MULTILINE)]
    first = regexcache.compile_all(sources)  # compiled by re, and stored
    digest = regexcache._key(sources)
    path = cache_dir / f"regexes-{digest}.bin"
    payload = diskcache.read("regexes", digest)
    assert payload is not None
    stored = regexcache._stored(payload, sources)
    assert stored is not None
    re.purge()
    for (pattern, flags), regex, again in zip(sources, first, stored, strict=True):
        expected = re.compile(pattern, flags)
        assert regex == expected and again == expected  # the same program, flags and groups
        assert (again.groupindex, again.groups) == (expected.groupindex, expected.groups)
    found = stored[-2].search("Ja, DU är en pajas.")
    assert found is not None and found.group("who", 2) == ("DU", "pajas")
    path.write_bytes(path.read_bytes()[:-5])  # damaged: compiled again
    assert regexcache.compile_all(sources) == first


def test_expressions_compiled_by_another_python_are_not_read(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from kanalvakt.moderation.screening import regexcache

    sources = [(r"d[öo]da (?:dig|er)", 0)]
    regexcache.compile_all(sources)
    before = regexcache._key(sources)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert regexcache._key(sources) != before


def test_a_figures_file_whose_parts_do_not_fit_is_not_read() -> None:
    head = frequencies._COUNTS.pack(3, 64)  # three words, a trie of 64 bytes
    width = len(morphology.TABLED)
    rows = bytes(2 * width * 3)
    fitting = head + rows + diskcache.padding(len(head) + len(rows)) + b"not a trie" * 6 + b"!!!!"
    for payload in (b"", head, head + rows, head + rows + bytes(80), fitting):
        assert frequencies._mapped(memoryview(payload)) is None
