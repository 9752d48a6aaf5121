"""Read access to a loaded policy pack.

A pack document (see `docs/policy-pack-format.md`) is a tree of sections whose
leaves are *rules*: any mapping with `source` (`{"file": …, "section": …}`) when
the policy says something, or with `silent: "why"` when it does not. A rule's
value is its `value` field, or, for record-like rules in lists (moderation
categories, reply templates), all its other fields.
Code asks for rules by dotted path and learns whether the policy itself
demands them (`enforced`) or the value is only the organisation's default.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    file: str
    section: str
    quote: str = ""

    def __str__(self) -> str:
        return f"{self.file} – {self.section}"


@dataclass(frozen=True)
class Rule:
    path: str
    value: Any
    source: Source | None
    silent: str
    note: str = ""
    advisory: bool = False

    @property
    def enforced(self) -> bool:
        """True when the policy text itself asks for this rule."""
        return self.source is not None and self.value not in (None, False)

    @property
    def strength(self) -> str:
        """'must', or 'advice' where the policy says "bör", "gärna" or "i mån av möjlighet"."""
        return "advice" if self.advisory else "must"

    @property
    def has_value(self) -> bool:
        return self.value is not None


def _is_rule(node: Any) -> bool:
    return isinstance(node, dict) and ("source" in node or "silent" in node)


_RULE_KEYS = {"source", "silent", "value", "note", "advisory"}


def _rule(path: str, node: dict[str, Any]) -> Rule:
    """A rule's value is its `value`, or else every field beside source and silent."""
    source = node.get("source")
    if "value" in node:
        value = node["value"]
    else:
        value = {key: item for key, item in node.items() if key not in _RULE_KEYS} or None
    return Rule(
        path=path,
        value=value,
        source=Source(source["file"], source["section"], source.get("quote", ""))
        if source
        else None,
        silent=node.get("silent", ""),
        note=node.get("note", ""),
        advisory=bool(node.get("advisory", False)),
    )


class Pack:
    """A policy pack document with typed look-ups."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    @property
    def id(self) -> str:
        return str(self.document["pack"])

    @property
    def country(self) -> str:
        return str(self.document["country"])

    @property
    def languages(self) -> list[str]:
        return list(self.document.get("languages", []))

    def rule(self, path: str) -> Rule | None:
        """The rule at a dotted path, or None when the pack has nothing there."""
        node: Any = self.document.get("rules", {})
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return _rule(path, node) if _is_rule(node) else None

    def rule_list(self, path: str) -> list[Rule]:
        """The rules in a list section such as `moderation.categories`."""
        node: Any = self.document.get("rules", {})
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return []
            node = node[part]
        if not isinstance(node, list):
            return []
        return [_rule(f"{path}[{index}]", item) for index, item in enumerate(node)]

    def value(self, path: str, default: Any = None) -> Any:
        rule = self.rule(path)
        return default if rule is None or rule.value is None else rule.value

    def rules(self) -> Iterator[Rule]:
        """Every rule in the pack, in document order."""

        def walk(prefix: str, node: Any) -> Iterator[Rule]:
            if _is_rule(node):
                yield _rule(prefix, node)
            elif isinstance(node, dict):
                for key, child in node.items():
                    yield from walk(f"{prefix}.{key}" if prefix else key, child)
            elif isinstance(node, list):
                for index, child in enumerate(node):
                    yield from walk(f"{prefix}[{index}]", child)

        yield from walk("", self.document.get("rules", {}))
