"""The pack's JSON Schema and its errors, in Swedish, at the field and line they concern."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from kanalvakt.policies.validation.parsing import Lines, PackError, PathKey, format_path

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "policy-pack.schema.json"


@functools.cache
def pack_schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


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


def schema_errors(name: str, document: dict[str, Any], lines: Lines) -> list[PackError]:
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
