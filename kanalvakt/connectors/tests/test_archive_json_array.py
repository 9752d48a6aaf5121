"""The fast reader for a top-level JSON array: same values as the standard library, in
chunks of any size, and the hostile-input limits (depth, entry size, bad JSON)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from kanalvakt.connectors.archives import ArchiveError
from kanalvakt.connectors.archives.jsonarray import json_array_values

TRICKY: list[Any] = [
    {"text": 'brackets "]}" and {[ in a string', "n": 1},
    {"text": "a backslash at the end \\", "list": [[], {}, [{"a": "]"}]]},
    {"text": 'escaped \\" quote then ] bracket', "deep": [[[["x"]]]]},
    "a bare string with ] in it",
    12345678901234567890123,
    {"id": 98765432109876543210987, "float": 1.5e-7, "ok": True, "none": None},
    {"text": "Snöröjning på Storgatan 🚜 – kirjastoauto ei aja \u2028"},
    [1, 2, 3],
]


def values(data: bytes, read_size: int = 7) -> list[Any]:
    return list(json_array_values(io.BytesIO(data), read_size=read_size))


@pytest.mark.parametrize("read_size", [1, 7, 64, 4096])
def test_same_values_as_the_standard_library_in_chunks_of_any_size(read_size: int) -> None:
    data = json.dumps(TRICKY * 50, ensure_ascii=False, indent=1).encode()
    assert values(data, read_size) == json.loads(data)


def test_empty_array_and_whitespace() -> None:
    assert values(b" \n[ \n ] \n") == []
    assert values(b"\xef\xbb\xbf[{}]") == [{}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"a": 1}', "expected an array"),
        (b"", "empty"),
        (b'[{"a": 1}, {"b": ', "ends inside the array"),
        (b'[{"a": 1} {"b": 2}]', "expected ','"),
        (b'[{"a": 1},]', "comma before"),
        (b'[{"a": 1}] trailing', "follows the array"),
        (b'[{"a": 1}}', "closed with"),
    ],
)
def test_bad_json_is_an_archive_error(data: bytes, message: str) -> None:
    with pytest.raises(ArchiveError, match=message):
        values(data)


def test_a_bad_entry_stops_the_file_after_every_entry_before_it() -> None:
    good = [{"n": n, "text": f"inlägg {n}"} for n in range(200)]
    data = json.dumps(good).encode()[:-1] + b', {"n": 200, "text": nope}, {"n": 201}]'
    seen: list[Any] = []
    with pytest.raises(ArchiveError, match="not valid JSON"):
        for value in json_array_values(io.BytesIO(data)):
            seen.append(value)
    assert seen == good


def test_nesting_deeper_than_64_levels_stops_before_that_entry() -> None:
    deep = b'{"a":' + b"[" * 64 + b"]" * 64 + b"}"
    fine = b'{"a":' + b"[" * 62 + b"]" * 62 + b"}"
    seen: list[Any] = []
    with pytest.raises(ArchiveError, match="nested deeper than 64"):
        for value in json_array_values(io.BytesIO(b"[" + fine + b"," + deep + b"]")):
            seen.append(value)
    assert len(seen) == 1


def test_depth_is_counted_outside_strings_only() -> None:
    # Closing brackets inside strings must not hide real nesting.
    hidden = b'{"a":' + b'["]",' * 70 + b"1" + b"]" * 70 + b"}"
    with pytest.raises(ArchiveError, match="nested deeper than 64"):
        values(b"[" + hidden + b"]", read_size=4096)


def test_an_entry_larger_than_the_cap_is_refused() -> None:
    data = b'[{"text": "' + b"x" * 5000 + b'"}]'
    with pytest.raises(ArchiveError, match="larger than"):
        list(json_array_values(io.BytesIO(data), read_size=256, max_element=1024))


def test_raw_copies_are_the_compact_json_they_were_before() -> None:
    from kanalvakt.connectors.archives import read_x_tweets
    from kanalvakt.connectors.parsing import compact_json
    from kanalvakt.connectors.tests.helpers import fixture

    data = fixture("x", "community-archive-tweets.js")
    tweets = json.loads(data[data.index(b"[") :])
    items = [entry.item for entry in read_x_tweets(io.BytesIO(data))]
    assert [item.raw for item in items] == [compact_json(t["tweet"]) for t in tweets]
