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
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "policy-pack.schema.json"

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class PackError:
    """One problem in one pack file."""

    file: str
    field: str
    line: int | None
    message: str

    def __str__(self) -> str:
        line = self.line if self.line is not None else "?"
        return f"{self.file}:{line}: {self.field or '(fil)'}: {self.message}"


@dataclass
class ParsedPack:
    """A pack file read from disk: its text, its document and what is wrong with it."""

    path: Path
    text: str
    document: dict[str, Any] | None
    errors: list[PackError] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def valid(self) -> bool:
        return self.document is not None and not self.errors


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so a document is plain JSON."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@functools.cache
def pack_schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def format_path(path: Iterable[str | int]) -> str:
    """`("rules", "moderation", "categories", 2)` → `rules.moderation.categories[2]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def default_sources_dir(pack_path: Path) -> Path:
    """`sources/` beside the pack, else the repository's `policies/sources/`."""
    beside = pack_path.parent / "sources"
    if beside.is_dir():
        return beside
    return Path(settings.POLICY_PACK_DIR) / "sources"


class _Lines:
    """Line numbers (1-based) of every key and list item in a composed YAML tree."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.lines: dict[PathKey, int] = {}
        self.duplicates: list[tuple[PathKey, int]] = []
        self.recursive: list[tuple[PathKey, int]] = []
        self._open: set[int] = set()
        if root is not None:
            self.lines[()] = root.start_mark.line + 1
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: PathKey) -> None:
        if id(node) in self._open:
            self.recursive.append((path, node.start_mark.line + 1))
            return
        self._open.add(id(node))
        try:
            self._walk_children(node, path)
        finally:
            self._open.discard(id(node))

    def _walk_children(self, node: yaml.Node, path: PathKey) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                child = (*path, key)
                if key in seen:
                    self.duplicates.append((child, key_node.start_mark.line + 1))
                    continue
                seen.add(key)
                self.lines[child] = key_node.start_mark.line + 1
                self._walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*path, index)
                self.lines[child] = item.start_mark.line + 1
                self._walk(item, child)

    def line(self, path: Iterable[str | int]) -> int | None:
        """The line of the path, or of its nearest ancestor present in the file."""
        parts = tuple(path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get(())


def parse_pack(path: Path) -> tuple[ParsedPack, _Lines]:
    """Read and parse a pack file; syntax errors come back as errors, not exceptions."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return ParsedPack(path, "", None, [PackError(name, "", None, f"kan inte läsas: {exc}")]), (
            _Lines(None)
        )
    except UnicodeDecodeError:
        return ParsedPack(path, "", None, [PackError(name, "", 1, "filen är inte UTF-8")]), (
            _Lines(None)
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        document = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return ParsedPack(path, text, None, [PackError(name, "", line, f"YAML-fel: {problem}")]), (
            _Lines(None)
        )
    finally:
        loader.dispose()
    lines = _Lines(node)
    if lines.recursive:
        errors = [
            PackError(name, format_path(where), line, "en YAML-referens pekar på sig själv")
            for where, line in lines.recursive
        ]
        return ParsedPack(path, text, None, errors), lines
    if not isinstance(document, dict):
        error = PackError(name, "", 1, "filen ska innehålla en YAML-mappning (ett policypaket)")
        return ParsedPack(path, text, None, [error]), lines
    return ParsedPack(path, text, document), lines


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """Expand oneOf/anyOf failures to the branch that came closest to matching."""
    if error.validator in ("oneOf", "anyOf") and isinstance(error.schema, dict):
        if error.schema.get("$comment") == "provenance":
            return  # reported by the semantic check with a clearer message
        if error.context:
            branches: dict[int, list[ValidationError]] = {}
            for sub in error.context:
                branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)

            def depth(errors: list[ValidationError]) -> int:
                return max(len(sub.absolute_path) for sub in errors)

            closest = max(branches.values(), key=depth)
            if depth(closest) > len(error.absolute_path):
                for sub in closest:
                    yield from _leaf_errors(sub)
                return
    yield error


_QUOTED = re.compile(r"'([^']+)'")
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.txt")


def _schema_message(error: ValidationError) -> tuple[PathKey, str]:
    path: PathKey = tuple(error.absolute_path)
    instance = error.instance
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(
        instance, dict
    ):
        extras = [name for name in _QUOTED.findall(error.message) if name in instance]
        if extras:
            return (*path, extras[0]), "okänt fält; " + ", ".join(extras) + " får inte finnas här"
    if error.validator == "propertyNames":
        return path, f"okänt namn: {error.message}"
    if error.validator == "required":
        missing = _QUOTED.findall(error.message)
        if missing:
            return path, f"fältet '{missing[0]}' saknas"
    if error.validator == "enum" and isinstance(error.validator_value, list):
        allowed = ", ".join(str(item) for item in error.validator_value)
        hint = " – YAML läser yes/no/on/off som sant/falskt; skriv värdet inom citattecken"
        return path, (
            f"{instance!r} är inte ett tillåtet värde (tillåtna: {allowed})"
            + (hint if isinstance(instance, bool) else "")
        )
    if error.validator == "type":
        return path, f"{instance!r} har fel typ (ska vara {error.validator_value})"
    if error.validator == "pattern":
        return path, f"{instance!r} har fel form (mönster {error.validator_value})"
    if error.validator == "const":
        return path, f"ska vara {error.validator_value!r}"
    return path, error.message


def _schema_errors(name: str, document: dict[str, Any], lines: _Lines) -> list[PackError]:
    validator = Draft202012Validator(pack_schema())
    found: list[PackError] = []
    seen: set[tuple[str, str]] = set()
    for top in validator.iter_errors(document):
        for error in _leaf_errors(top):
            path, message = _schema_message(error)
            key = (format_path(path), message)
            if key in seen:
                continue
            seen.add(key)
            found.append(PackError(name, key[0], lines.line(path), message))
    return found


_RULE_MARKERS = ("source", "silent")
_RECORD_IDS = ("category", "key", "what", "trigger")
_NOT_VALUES = {"source", "silent", "note"}


def _normalise(text: str) -> str:
    text = text.replace("**", "").replace("\u00a0", " ")
    text = text.replace("”", '"').replace("“", '"').replace("„", '"')
    return " ".join(text.split()).casefold()


@functools.cache
def _source_text(path: Path) -> str | None:
    try:
        return _normalise(path.read_text(encoding="utf-8"))
    except OSError:
        return None


def _walk_rules(node: Any, path: PathKey) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    if isinstance(node, dict):
        if any(marker in node for marker in _RULE_MARKERS):
            yield path, node
            return
        for key, child in node.items():
            yield from _walk_rules(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _walk_rules(child, (*path, index))


def _semantic_errors(
    name: str, pack_path: Path, document: dict[str, Any], lines: _Lines, sources_dir: Path
) -> list[PackError]:
    errors: list[PackError] = []

    def add(path: PathKey, message: str) -> None:
        errors.append(PackError(name, format_path(path), lines.line(path), message))

    for path, line in lines.duplicates:
        errors.append(PackError(name, format_path(path), line, "nyckeln förekommer två gånger"))

    pack_id = document.get("pack")
    if isinstance(pack_id, str) and pack_id != pack_path.stem:
        add(("pack",), f"paket-id '{pack_id}' ska vara samma som filnamnet '{pack_path.stem}'")

    pack_source = document.get("source")
    pack_file = pack_source.get("file") if isinstance(pack_source, dict) else None
    if not isinstance(pack_file, str) or not _SAFE_NAME.fullmatch(pack_file):
        pack_file = None
    elif not (sources_dir / pack_file).is_file():
        add(("source", "file"), f"källfilen finns inte i {sources_dir}")

    def check_source(path: PathKey, source: Any) -> None:
        if not isinstance(source, dict):
            return
        file = source.get("file")
        if not isinstance(file, str) or not _SAFE_NAME.fullmatch(file):
            return  # the schema reports a missing or malformed file name
        if file != pack_file and not (sources_dir / file).is_file():
            add((*path, "source", "file"), f"källfilen '{file}' finns inte i {sources_dir}")
            return
        text = _source_text(sources_dir / file)
        if text is None:
            return
        section = source.get("section")
        if isinstance(section, str) and _normalise(section) not in text:
            add((*path, "source", "section"), f"rubriken finns inte i {file}")
        quote = source.get("quote")
        if isinstance(quote, str):
            for fragment in quote.split("…"):
                if fragment.strip() and _normalise(fragment) not in text:
                    add((*path, "source", "quote"), f"citatet finns inte ordagrant i {file}")
                    break

    rules = document.get("rules")
    for path, rule in _walk_rules(rules, ("rules",)):
        has_source, has_silent = "source" in rule, "silent" in rule
        if has_source and has_silent:
            add(path, "en regel har antingen 'source' eller 'silent', inte båda")
        if has_source:
            check_source(path, rule["source"])
            values = [key for key in rule if key not in _NOT_VALUES]
            if not values or rule.get("value", True) is None:
                add(path, "en regel med 'source' måste ha ett värde ('value')")
    # Nodes under rules that look like rules but carry neither marker.
    _check_unmarked(rules, ("rules",), add)

    unsupported = document.get("unsupported")
    for index, item in enumerate(unsupported if isinstance(unsupported, list) else []):
        if isinstance(item, dict):
            check_source(("unsupported", index), item.get("source"))

    for path, items in _lists(rules, ("rules",)):
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            for id_key in _RECORD_IDS:
                if id_key in item and isinstance(item[id_key], str):
                    ident = item[id_key]
                    if ident in seen:
                        add((*path, index, id_key), f"'{ident}' finns redan i listan")
                    seen[ident] = index
                    break
    return errors


def _lists(node: Any, path: PathKey) -> Iterator[tuple[PathKey, list[Any]]]:
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _lists(child, (*path, key))
    elif isinstance(node, list):
        yield path, node


_SECTION_OBJECTS = {
    ("rules",),
    ("rules", "response_times"),
    ("rules", "response_times", "platforms"),
    ("rules", "moderation"),
    ("rules", "registration"),
    ("rules", "snapshots"),
    ("rules", "disposal"),
    ("rules", "accounts"),
    ("rules", "mandates"),
    ("rules", "lifecycle"),
    ("rules", "publishing"),
    ("rules", "inbox"),
    ("rules", "security"),
    ("rules", "listening"),
    ("rules", "acknowledgement"),
    ("rules", "crisis"),
}


def _known_keys(path: PathKey) -> set[str] | None:
    """Property names the schema allows in a section (None: any), so unknown keys report once."""
    node: Any = pack_schema()
    for part in path:
        if not isinstance(node, dict):
            return None
        if "$ref" in node and "properties" not in node:
            node = pack_schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
        properties = node.get("properties")
        if not isinstance(properties, dict) or part not in properties:
            return None
        node = properties[part]
    if isinstance(node, dict) and "$ref" in node and "properties" not in node:
        node = pack_schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    properties = node.get("properties") if isinstance(node, dict) else None
    if not isinstance(properties, dict) or node.get("additionalProperties") is not False:
        return None
    return set(properties)


def _check_unmarked(node: Any, path: PathKey, add: Any) -> None:
    """A leaf mapping or list item under `rules` without source or silent is an error."""
    if isinstance(node, dict):
        if any(marker in node for marker in _RULE_MARKERS):
            return
        if path in _SECTION_OBJECTS:
            known = _known_keys(path)
            for key, child in node.items():
                if known is None or key in known:
                    _check_unmarked(child, (*path, key), add)
            return
        add(path, "regeln saknar både 'source' och 'silent'")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            _check_unmarked(child, (*path, index), add)
    elif path not in _SECTION_OBJECTS and len(path) > 1:
        add(path, "regeln saknar både 'source' och 'silent'")


def validate_pack_file(path: Path, *, sources_dir: Path | None = None) -> ParsedPack:
    """Parse and check one pack file; the result carries the document and every error."""
    parsed, lines = parse_pack(path)
    if parsed.document is None:
        return parsed
    name = str(path)
    parsed.errors.extend(_schema_errors(name, parsed.document, lines))
    parsed.errors.extend(
        _semantic_errors(
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
