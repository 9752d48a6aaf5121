"""The one CSV writer: no cell a spreadsheet would read as a formula.

Strangers write the comments that end up in disclosure CSVs and diarium
exports; a comment that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return would run as a formula when a registrar opens the file in Excel or
LibreOffice (CSV injection). Every CSV Kanalvakt writes goes through
`csv_writer` or `csv_dict_writer`, which prefix such text cells with an
apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})


def csv_safe(value: Any) -> Any:
    """`value`, with an apostrophe before text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` that neutralises every cell."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """`csv.DictWriter` that neutralises every cell (the header is ours, not neutralised)."""

    def __init__(self, stream: Any, fieldnames: Sequence[str], **options: Any) -> None:
        self._writer = csv.DictWriter(stream, fieldnames=fieldnames, **options)

    def writeheader(self) -> Any:
        return self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._writer.writerow({key: csv_safe(value) for key, value in row.items()})


def csv_writer(stream: Any, **options: Any) -> SafeWriter:
    return SafeWriter(stream, **options)


def csv_dict_writer(stream: Any, fieldnames: Sequence[str], **options: Any) -> SafeDictWriter:
    return SafeDictWriter(stream, fieldnames, **options)
