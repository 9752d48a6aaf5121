"""Reading a pack file: YAML with the line of every key, dates kept as text, errors as values."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

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


class Lines:
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


def parse_pack(path: Path) -> tuple[ParsedPack, Lines]:
    """Read and parse a pack file; syntax errors come back as errors, not exceptions."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return ParsedPack(path, "", None, [PackError(name, "", None, f"kan inte läsas: {exc}")]), (
            Lines(None)
        )
    except UnicodeDecodeError:
        return ParsedPack(path, "", None, [PackError(name, "", 1, "filen är inte UTF-8")]), (
            Lines(None)
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
            Lines(None)
        )
    finally:
        loader.dispose()
    lines = Lines(node)
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
