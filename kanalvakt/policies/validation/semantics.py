"""Checks beyond the schema: provenance in the source text, rule markers, unique keys and ids."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kanalvakt.policies.validation.parsing import Lines, PackError, PathKey, format_path
from kanalvakt.policies.validation.schema import pack_schema

_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.txt")
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


def semantic_errors(
    name: str, pack_path: Path, document: dict[str, Any], lines: Lines, sources_dir: Path
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
