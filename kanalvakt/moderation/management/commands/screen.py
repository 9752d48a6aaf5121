"""`kanalvakt screen --pack PACK_ID`: screen JSON Lines from stdin, one result line each.

`--prepare` builds screening's start-up cache instead (install time) and exits.

Input lines are `{"id": …, "text": …}`. Output, in the same order, one line per
non-blank input line: `{"id": …, "language": …, "action": …, "escalate": …,
"findings": [...]}`, or `{"id": <id or null>, "error": "…"}` for a line that
cannot be screened (`kanalvakt.moderation.screening.stream` holds the
contract). `kanalvakt screen` reads a pack file without starting Django
(`screening/command.py`); this command is the way for a pack that is only in
the database, and for `call_command`.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import IO, Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from kanalvakt.moderation.screening import ScreeningConfig, stream
from kanalvakt.policies.pack import Pack

MAX_TEXT = stream.MAX_TEXT
_PACK_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")


def load_pack(pack_id: str) -> Pack:
    """The pack loaded in the database under `pack_id`, else its YAML file."""
    if not _PACK_ID.fullmatch(pack_id):
        raise CommandError(f"Invalid pack id {pack_id!r}: use the pack's slug, e.g. overkalix.")
    from kanalvakt.policies.models import PolicyVersion

    try:
        version = PolicyVersion.objects.filter(pack_id=pack_id).order_by("-loaded_at").first()
    except DatabaseError:
        version = None
    if version is not None:
        return version.pack
    path = Path(settings.POLICY_PACK_DIR) / f"{pack_id}.yaml"
    if not path.is_file():
        raise CommandError(
            f"Unknown policy pack {pack_id!r}: not loaded in the database and no file {path}."
        )
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CommandError(f"Cannot read policy pack {path}: {error}") from error
    if not isinstance(document, dict) or "pack" not in document:
        raise CommandError(f"{path} is not a policy pack (no 'pack' field).")
    return Pack(document)


def screen_line(line: str | bytes, config: ScreeningConfig) -> dict[str, Any]:
    """The output object for one input line; never raises for bad input."""
    raw = line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass")
    result: dict[str, Any] = json.loads(stream.answer_batch([raw], config)[0])
    return result


class Command(BaseCommand):
    help = "Screen JSON Lines {id, text} from standard input against a policy pack."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pack", help="policy pack id, e.g. overkalix")
        parser.add_argument(
            "--prepare",
            action="store_true",
            help="build the start-up cache now (at install time) and exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["prepare"]:
            from kanalvakt.moderation.screening.startup import prepare_report

            kept, message = prepare_report()
            if not kept:
                raise CommandError(message)
            self.stdout.write(message)
            return
        if not options["pack"]:
            raise CommandError("--pack is required: the policy pack id, e.g. overkalix.")
        config = ScreeningConfig.from_pack(load_pack(options["pack"]))
        given = options.get("stdin")
        source: IO[bytes]
        if given is None:
            source = sys.stdin.buffer
        elif isinstance(given, io.TextIOBase):
            # a test's StringIO: its text as the bytes a pipe would carry
            source = io.BytesIO(given.read().encode("utf-8", "surrogatepass"))
        else:
            source = given
        stream.run(
            config,
            source,
            lambda line: self.stdout.write(line.decode("utf-8").rstrip("\n")),
            self.stdout.flush,
        )
