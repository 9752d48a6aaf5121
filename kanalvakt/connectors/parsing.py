"""Small pure helpers shared by the platform parsers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from kanalvakt.connectors.base import PayloadError


def from_epoch(value: Any) -> datetime:
    """Seconds or milliseconds since the epoch (int or digit string) as aware UTC."""
    try:
        number = int(value)
        if number > 10**11:  # milliseconds
            return datetime.fromtimestamp(number / 1000, tz=UTC)
        return datetime.fromtimestamp(number, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise PayloadError(f"not a timestamp: {value!r}") from exc


def from_iso(value: Any) -> datetime:
    """ISO 8601 as platforms write it (`Z`, `+0000`, fractions) as an aware datetime."""
    if not isinstance(value, str) or not value:
        raise PayloadError(f"not a timestamp: {value!r}")
    text = value.strip().replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit() and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise PayloadError(f"not a timestamp: {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}


def from_twitter(value: Any) -> datetime:
    """The legacy Twitter format, `Thu Dec 19 11:27:49 +0000 2019` (fast path for `+0000`)."""
    parts = str(value).split()
    try:
        if len(parts) == 6 and parts[4] == "+0000":
            hour, minute, second = (int(p) for p in parts[3].split(":"))
            return datetime(
                int(parts[5]), MONTHS[parts[1]], int(parts[2]), hour, minute, second, tzinfo=UTC
            )
        return datetime.strptime(str(value), "%a %b %d %H:%M:%S %z %Y")
    except (KeyError, ValueError) as exc:
        raise PayloadError(f"not a timestamp: {value!r}") from exc


def compact_json(value: Any) -> bytes:
    """One object re-serialised as compact UTF-8 JSON (for per-item `raw`)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(f"body is not JSON: {exc}") from exc


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 (Meta exports), only where that round-trips.

    `'Ã¥'` becomes `'å'`; text that is already right (or not repairable)
    comes back unchanged.
    """
    if not text or text.isascii():
        return text
    try:
        repaired = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return repaired


class _TextExtractor(HTMLParser):
    BREAKS = frozenset({"br", "p", "div", "li"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "div", "li"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of a Mastodon status or YouTube `textDisplay`; nothing is kept as markup."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return "".join(extractor.parts).strip()


def obj(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (for optional nesting)."""
    return value if isinstance(value, dict) else {}
