"""Each platform's own length limits, counted the way the platform counts.

X: weighted length 280 (twitter-text v3: code points in the Latin, general
punctuation ranges weigh 1, others 2; every URL 23). Bluesky: 300 graphemes.
Mastodon: 500 characters, a URL counts 23. Instagram: 2,200 characters and
30 hashtags. LinkedIn: 3,000 characters. Facebook: 63,206 characters.
YouTube: 5,000 characters of description.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

_URL = re.compile(r"https?://\S+")
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
URL_LENGTH = 23


@dataclass(frozen=True)
class Limit:
    platform: str
    maximum: int
    unit: str | Promise  # shown in the finding
    documentation: str
    max_hashtags: int | None = None


LIMITS = {
    "x": Limit("x", 280, gettext_lazy("viktade tecken"), "developer.x.com – Counting characters"),
    "bluesky": Limit(
        "bluesky", 300, gettext_lazy("grafem"), "docs.bsky.app – Posts (app.bsky.feed.post)"
    ),
    "mastodon": Limit("mastodon", 500, gettext_lazy("tecken"), "docs.joinmastodon.org – Statuses"),
    "instagram": Limit(
        "instagram", 2200, gettext_lazy("tecken"), "developers.facebook.com – Instagram Media", 30
    ),
    "linkedin": Limit(
        "linkedin", 3000, gettext_lazy("tecken"), "learn.microsoft.com – LinkedIn Posts API"
    ),
    "facebook": Limit("facebook", 63206, gettext_lazy("tecken"), "Facebook – Page post text limit"),
    "youtube": Limit(
        "youtube", 5000, gettext_lazy("tecken"), "developers.google.com – YouTube Data API"
    ),
}


def _extends(char: str, previous: str, regional_run: int) -> bool:
    """Whether `char` continues the grapheme cluster `previous` ended (UAX #29, simplified:
    combining marks, joiners, variation selectors, skin tones, tags, flag pairs)."""
    point = ord(char)
    if unicodedata.category(char) in ("Mn", "Me", "Mc") or point == 0x200D:
        return True
    if 0xFE00 <= point <= 0xFE0F or 0x1F3FB <= point <= 0x1F3FF or 0xE0020 <= point <= 0xE007F:
        return True
    if previous == "\u200d":
        return True
    return 0x1F1E6 <= point <= 0x1F1FF and regional_run % 2 == 1


# Characters that may join a cluster or weigh 2 on X; text without them is one grapheme
# and one weight per character, which is most Swedish and Finnish text.
_COMPLEX = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
    "\u0e31-\u0e4e\u1100-\U0010ffff]"
)


def _simple(text: str) -> bool:
    return _COMPLEX.search(text) is None


def grapheme_list(text: str) -> list[str]:
    clusters: list[str] = []
    regional_run = 0
    for char in text:
        if clusters and _extends(char, clusters[-1][-1], regional_run):
            clusters[-1] += char
        else:
            clusters.append(char)
        regional_run = regional_run + 1 if 0x1F1E6 <= ord(char) <= 0x1F1FF else 0
    return clusters


def _x_weight(grapheme: str) -> int:
    point = ord(grapheme[0])
    light = any(low <= point <= high for low, high in _X_LIGHT)
    return 1 if light and len(grapheme) == 1 else 2


def x_length(text: str) -> int:
    if _simple(text):
        return len(_URL.sub("x" * URL_LENGTH, text))
    total = 0
    position = 0
    for url in _URL.finditer(text):
        total += sum(_x_weight(g) for g in grapheme_list(text[position : url.start()]))
        total += URL_LENGTH
        position = url.end()
    return total + sum(_x_weight(g) for g in grapheme_list(text[position:]))


def graphemes(text: str) -> int:
    if _simple(text):
        return len(text)
    return len(grapheme_list(text))


def mastodon_length(text: str) -> int:
    return len(_URL.sub("x" * URL_LENGTH, text))


def length(platform: str, text: str) -> int:
    if platform == "x":
        return x_length(text)
    if platform == "bluesky":
        return graphemes(text)
    if platform == "mastodon":
        return mastodon_length(text)
    return len(text)


def hashtags(text: str) -> list[str]:
    return _HASHTAG.findall(text)
