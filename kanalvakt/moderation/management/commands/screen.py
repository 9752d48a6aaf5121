"""`kanalvakt screen --pack PACK_ID`: screen JSON Lines from stdin, one result line each.

Input lines are `{"id": …, "text": …}`. Output, in the same order and flushed
per line: `{"id": …, "language": …, "action": …, "findings": [...]}`, or
`{"id": <id or null>, "error": "…"}` for a line that cannot be screened.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import IO, Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from kanalvakt.moderation.screening import ScreeningConfig, screen
from kanalvakt.policies.pack import Pack

MAX_TEXT = 100_000
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


def screen_line(line: str, config: ScreeningConfig) -> dict[str, Any]:
    """The output object for one input line; never raises for bad input."""
    try:
        item = json.loads(line)
    except ValueError as error:
        return {"id": None, "error": f"invalid JSON: {error}"}
    if not isinstance(item, dict):
        return {"id": None, "error": "a line must be a JSON object with id and text"}
    item_id = item.get("id")
    text = item.get("text")
    if "text" not in item:
        return {"id": item_id, "error": "missing text"}
    if not isinstance(text, str):
        return {"id": item_id, "error": "text must be a string"}
    if len(text) > MAX_TEXT:
        return {"id": item_id, "error": f"text longer than {MAX_TEXT} characters"}
    try:
        result = screen(text, config=config)
    except Exception as error:  # one broken item must not stop the stream
        return {"id": item_id, "error": f"screening failed: {type(error).__name__}"}
    return {"id": item_id, **result.as_dict()}


class Command(BaseCommand):
    help = "Screen JSON Lines {id, text} from standard input against a policy pack."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pack", required=True, help="policy pack id, e.g. overkalix")

    def handle(self, *args: Any, **options: Any) -> None:
        config = ScreeningConfig.from_pack(load_pack(options["pack"]))
        stdin: IO[str] = options.get("stdin") or sys.stdin
        for line in stdin:
            if not line.strip():
                continue
            output = screen_line(line, config)
            self.stdout.write(json.dumps(output, ensure_ascii=False))
            self.stdout.flush()
