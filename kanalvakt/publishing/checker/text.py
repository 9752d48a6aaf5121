"""Text helpers shared by the rules: paragraphs with their language, links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kanalvakt.moderation.screening.langid import identify
from kanalvakt.moderation.screening.normalise import normalise

_PARAGRAPH = re.compile(r"[^\n]+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+", re.IGNORECASE)
_TAG_OR_URL = re.compile(r"(?:https?://|www\.)\S+|[#@]\w+")


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int
    language: str  # sv | fi | en | other


def paragraphs(text: str) -> list[Paragraph]:
    """Each line of the text with the language screening identifies in it."""
    found = []
    for match in _PARAGRAPH.finditer(text):
        words = _TAG_OR_URL.sub(" ", match.group(0))
        if not words.strip():
            continue
        language = identify(normalise(words).tokens)
        found.append(Paragraph(match.group(0), match.start(), language))
    return found


def languages(parts: list[Paragraph]) -> set[str]:
    return {part.language for part in parts if part.language != "other"}


def in_language(parts: list[Paragraph], language: str, *, fallback: bool) -> str:
    """The text of the paragraphs in `language` (all of them when `fallback` and none is)."""
    chosen = [part.text for part in parts if part.language == language]
    if not chosen and fallback:
        chosen = [part.text for part in parts]
    return "\n".join(chosen)


def links(text: str, extra: str = "") -> list[str]:
    found = _URL.findall(text)
    if extra:
        found.append(extra)
    return found


def host(url: str) -> str:
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    return (urlsplit(url).hostname or "").lower()


def on_domains(url: str, domains: list[str]) -> bool:
    name = host(url)
    return any(name == domain or name.endswith("." + domain) for domain in domains)
