"""Validate policy pack files: YAML with line numbers, the JSON Schema, semantic checks.

`validate_pack_file(path)` returns every error found, each naming the file,
the field path (`rules.accounts.min_admins.value`, list items as
`rules.moderation.categories[2].basis`) and the line in the file. Nothing here
touches the database; the loader in `services.py` calls it first.

Semantic checks beyond the schema:

* every rule has exactly one of `source` and `silent`;
* a rule with `source` has a value (a `value`, or record fields in lists);
* a rule's `source.file` is the pack's own source file or a file in the
  pack directory's `sources/`, and the pack's source file exists there;
* a rule's `section` and `quote` occur in that source file (whitespace and
  Markdown emphasis ignored; `…` separates quoted fragments), so provenance
  cannot drift from the text;
* no key appears twice in a mapping, and record keys (`category`, `key`,
  `what`, `trigger`) are unique within their list;
* the pack id matches the file name.

The work is split by concern: `parsing` (YAML with line numbers),
`schema` (the JSON Schema's errors) and `semantics` (the checks above).
Callers import from here.
"""

from __future__ import annotations

from pathlib import Path

from kanalvakt.policies.validation.parsing import (
    PackError,
    ParsedPack,
    PathKey,
    default_sources_dir,
    format_path,
    parse_pack,
)
from kanalvakt.policies.validation.schema import SCHEMA_PATH, pack_schema, schema_errors
from kanalvakt.policies.validation.semantics import semantic_errors

__all__ = [
    "SCHEMA_PATH",
    "PackError",
    "ParsedPack",
    "PathKey",
    "default_sources_dir",
    "format_path",
    "pack_files",
    "pack_schema",
    "parse_pack",
    "validate_pack_file",
]


def validate_pack_file(path: Path, *, sources_dir: Path | None = None) -> ParsedPack:
    """Parse and check one pack file; the result carries the document and every error."""
    parsed, lines = parse_pack(path)
    if parsed.document is None:
        return parsed
    name = str(path)
    parsed.errors.extend(schema_errors(name, parsed.document, lines))
    parsed.errors.extend(
        semantic_errors(
            name, path, parsed.document, lines, sources_dir or default_sources_dir(path)
        )
    )
    parsed.errors.sort(key=lambda error: (error.line or 0, error.field))
    return parsed


def pack_files(directory: Path) -> list[Path]:
    """The pack files in a directory, in name order (sources/ is not searched)."""
    return sorted(
        candidate
        for pattern in ("*.yaml", "*.yml")
        for candidate in directory.glob(pattern)
        if candidate.is_file()
    )
