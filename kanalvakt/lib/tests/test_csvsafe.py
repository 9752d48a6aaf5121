"""The one CSV writer neutralises formulas."""

from __future__ import annotations

import csv
import io

import pytest

from kanalvakt.lib.csvsafe import csv_dict_writer, csv_safe, csv_writer


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+46 70", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x")'],
)
def test_text_that_a_spreadsheet_reads_as_a_formula_gets_an_apostrophe(value: str) -> None:
    assert csv_safe(value) == "'" + value


def test_ordinary_text_and_numbers_are_left_alone() -> None:
    assert csv_safe("Hej = då") == "Hej = då"
    assert csv_safe("") == ""
    assert csv_safe(-5) == -5


def test_both_writers_neutralise_every_cell() -> None:
    buffer = io.StringIO()
    csv_writer(buffer, delimiter=";").writerow(["=1+1", "ok", 3])
    dict_buffer = io.StringIO()
    writer = csv_dict_writer(dict_buffer, fieldnames=["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "@x", "b": "fine"})
    assert next(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";")) == ["'=1+1", "ok", "3"]
    assert list(csv.reader(io.StringIO(dict_buffer.getvalue())))[1] == ["'@x", "fine"]
