"""`kanalvakt screen --pack PACK_ID`, the fast way: no Django, no database, no secret key.

`kanalvakt screen --prepare` builds the start-up cache (`startup.py`) and exits.

`kanalvakt.cli` hands `screen` here before Django starts. The pack is read
from `POLICY_PACK_DIR/<PACK_ID>.yaml` (`KANALVAKT_POLICY_DIR`); a pack that
exists only in the database is left to the Django management command, which
`fast_main` signals by returning None.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from typing import Any

import yaml

_PACK_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")


def fast_main(argv: list[str]) -> int | None:
    """Run the command; None when it needs Django (the pack is not a file)."""
    if argv == ["--prepare"]:
        return prepare_main()
    parser = argparse.ArgumentParser(prog="kanalvakt screen", add_help=False)
    parser.add_argument("--pack", required=True)
    known, rest = parser.parse_known_args(argv)
    if rest or not _PACK_ID.fullmatch(known.pack):
        return None  # Django's command gives the full help and error messages
    from kanalvakt.moderation.screening import stream

    path = os.path.join(stream.pack_dir(), f"{known.pack}.yaml")
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        sys.stderr.write(f"CommandError: Cannot read policy pack {path}: {error}\n")
        return 1
    if not isinstance(document, dict) or "pack" not in document:
        sys.stderr.write(f"CommandError: {path} is not a policy pack (no 'pack' field).\n")
        return 1
    from kanalvakt.moderation.screening.config import ScreeningConfig
    from kanalvakt.policies.pack import Pack

    config = ScreeningConfig.from_pack(Pack(document))
    out = sys.stdout.buffer
    # Screening makes few reference cycles but many objects that live as long as
    # the process (word lists, the model, each new word's cached readings): with a
    # collection every 2,000 allocations the collector walked them again and again
    # (about 0.4 s of CPU per 50,000 lines). What a batch leaves is frozen out of
    # its way after each batch (O(1)), so a collection walks one batch's objects.
    gc.set_threshold(*_GC_THRESHOLDS)
    stream.run(config, sys.stdin.buffer, out.write, out.flush, after_batch=gc.freeze)
    return 0


def prepare_main() -> int:
    """`kanalvakt screen --prepare`: build the start-up cache (install time) and say where."""
    from kanalvakt.moderation.screening.startup import prepare_report

    kept, message = prepare_report()
    (sys.stdout if kept else sys.stderr).write(message + "\n")
    return 0 if kept else 1


_GC_THRESHOLDS = (100_000, 20, 10)
# libyaml's safe loader when PyYAML has it: 6 ms for a pack instead of 33
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
