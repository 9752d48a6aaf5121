"""Pure helpers for publishing: post text, Bluesky facets and record keys, captions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from kanalvakt.connectors.base import MediaKind, OutgoingMedia, OutgoingPost
from kanalvakt.connectors.http import ConnectorError, HttpClient

URL = re.compile(r"https?://[^\s<>\"]+")
HASHTAG = re.compile(r"(?<![\w#])#(\w*[^\W\d_]\w*)")
TRAILING = ".,;:!?)]}'\""
VTT_TAG = re.compile(r"<(?!/?[ibu]>)[^>]*>")
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
LOCALES = {"sv": "sv_SE", "fi": "fi_FI", "en": "en_US"}


def post_text(post: OutgoingPost) -> str:
    """The text with the link after it, unless the text already carries it."""
    if post.link and post.link not in post.text:
        return f"{post.text.rstrip()}\n\n{post.link}" if post.text.strip() else post.link
    return post.text


def images(post: OutgoingPost) -> list[OutgoingMedia]:
    return [m for m in post.media if m.kind == MediaKind.IMAGE]


def videos(post: OutgoingPost) -> list[OutgoingMedia]:
    return [m for m in post.media if m.kind == MediaKind.VIDEO]


def title_of(text: str, limit: int = 100) -> str:
    """The first line, cut at a word, without the angle brackets YouTube refuses."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = line.replace("<", "").replace(">", "")
    if len(line) <= limit:
        return line
    return line[: limit - 1].rsplit(" ", 1)[0] + "…"


def _byte_span(text: str, start: int, end: int) -> dict[str, int]:
    return {
        "byteStart": len(text[:start].encode("utf-8")),
        "byteEnd": len(text[:end].encode("utf-8")),
    }


def bluesky_facets(text: str) -> list[dict[str, Any]]:
    """Link and hashtag facets, located by UTF-8 byte offsets as the lexicon asks."""
    facets: list[dict[str, Any]] = []
    for match in URL.finditer(text):
        uri = match.group().rstrip(TRAILING)
        end = match.start() + len(uri)
        facets.append(
            {
                "index": _byte_span(text, match.start(), end),
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
            }
        )
    taken = [(f["index"]["byteStart"], f["index"]["byteEnd"]) for f in facets]
    for match in HASHTAG.finditer(text):
        span = _byte_span(text, match.start(), match.end())
        if any(s <= span["byteStart"] < e for s, e in taken):
            continue  # a '#' inside a link is the link's fragment
        facets.append(
            {
                "index": span,
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1)}],
            }
        )
    return sorted(facets, key=lambda f: int(f["index"]["byteStart"]))


def tid_for(key: str) -> str:
    """A record key in TID syntax derived from the idempotency key: a retried
    `createRecord` with the same key hits the same record instead of a second post."""
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") >> 1
    return "".join(TID_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(13)))


def vtt_to_srt(vtt: str) -> str:
    """WebVTT cues as SubRip (Facebook takes captions only as .srt)."""
    blocks = [b.strip() for b in vtt.replace("\r\n", "\n").split("\n\n") if b.strip()]
    cues: list[str] = []
    for block in blocks:
        lines = block.splitlines()
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue  # the WEBVTT header, NOTE and STYLE blocks
        start, _, rest = lines[timing].partition("-->")
        end = rest.strip().split(" ")[0]
        times = [_srt_time(start.strip()), _srt_time(end)]
        text = VTT_TAG.sub("", "\n".join(lines[timing + 1 :]))  # SubRip knows only i, b, u
        cues.append(f"{len(cues) + 1}\n{times[0]} --> {times[1]}\n{text}")
    return "\n\n".join(cues) + "\n"


def _srt_time(value: str) -> str:
    parts = value.split(":")
    if len(parts) == 2:
        parts.insert(0, "00")
    return ":".join(p.zfill(2) for p in parts[:2]) + ":" + parts[2].replace(".", ",")


def locale_for(language: str) -> str:
    return LOCALES.get(language, "sv_SE")


def wait_for(
    http: HttpClient,
    check: Callable[[], str],
    *,
    done: frozenset[str],
    failed: frozenset[str],
    attempts: int = 30,
    delay: float = 2.0,
) -> str:
    """Poll a platform's media processing until `check()` gives a done or failed state."""
    state = ""
    for _ in range(attempts):
        state = check()
        if state in done:
            return state
        if state in failed:
            raise ConnectorError(
                f"media processing failed ({state})", platform=http.platform, code="media_failed"
            )
        http.pause(delay)
    raise ConnectorError(
        f"media still processing ({state}); try again later",
        platform=http.platform,
        code="media_timeout",
    )
