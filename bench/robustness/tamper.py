"""The tamperings of issue 11, done as a database administrator would; prints how many are named.

28 in all: the 23 of the issue and 5 forgeries of a checkpoint's stored
RFC 3161 time-stamp (a changed genTime, another checkpoint's token swapped
in, a changed nonce, the stamp deleted, the stamp marked failed and emptied).

    KANALVAKT_INSECURE_DEV_KEY=1 .venv/bin/python bench/robustness/tamper.py
    scripts/with-postgres.sh env KANALVAKT_INSECURE_DEV_KEY=1 \
        .venv/bin/python bench/robustness/tamper.py

Each tampering (kanalvakt/records/tests/tamperings.py) runs on a fresh world
with received items, an edit seen on the platform, a snapshot and a signed
checkpoint published outside the database, with raw SQL past the triggers
(dropped on SQLite, disabled on PostgreSQL). It counts as detected when
`verify_audit` (against the published checkpoint file) or `verify_records`
names it. The stamp forgeries (kanalvakt/records/tests/test_stamp_tamperings.py)
run on two checkpoints stamped by a real time-stamping authority on loopback.
The run goes through pytest so every tampering starts from the same
database and is rolled back afterwards.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TESTS = [
    "kanalvakt/records/tests/test_tamper_evidence.py::test_each_tampering_is_named",
    "kanalvakt/records/tests/test_stamp_tamperings.py::test_each_stamp_forgery_is_named",
]


class Tally:
    def __init__(self) -> None:
        self.results: dict[str, str] = {}
        self.named: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        name = report.nodeid.rsplit("[", 1)[-1].rstrip("]")
        if report.when == "call" or report.outcome != "passed":
            self.results[name] = "detected" if report.outcome == "passed" else report.outcome
            self.named[name] = str(dict(report.user_properties).get("named", ""))[:110]


def main() -> int:
    os.chdir(REPO)
    os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
    tally = Tally()
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        pytest.main([*TESTS, "-p", "no:xdist", "-qq"], plugins=[tally])
    if not tally.results:
        print(quiet.getvalue())
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    width = max(map(len, tally.results), default=10)
    print(f"Tamperings on {database}:")
    for name, outcome in tally.results.items():
        verdict = "detected" if outcome == "detected" else "MISSED: " + outcome
        print(f"  {name:<{width}}  {verdict}")
        if tally.named.get(name):
            print(f"  {'':<{width}}    {tally.named[name]}")
    detected = sum(outcome == "detected" for outcome in tally.results.values())
    print(f"{detected}/{len(tally.results)} detected")
    return 0 if tally.results and detected == len(tally.results) else 1


if __name__ == "__main__":
    sys.exit(main())
