"""The moderation category vocabulary shared by packs, screening and pages."""

from __future__ import annotations

from typing import Final, Literal

Category = Literal[
    "personal_attack",
    "defamation",
    "obscenity",
    "hate_speech",
    "sexual_harassment",
    "threat",
    "incitement",
    "violence_depiction",
    "pornography",
    "copyright",
    "advertising",
    "secrecy",
    "personal_data",
]

CATEGORIES: Final[tuple[str, ...]] = (
    "personal_attack",
    "defamation",
    "obscenity",
    "hate_speech",
    "sexual_harassment",
    "threat",
    "incitement",
    "violence_depiction",
    "pornography",
    "copyright",
    "advertising",
    "secrecy",
    "personal_data",
)

# A signal beside the categories: a person must answer at once with support;
# it never suggests removal (issue 8).
SELF_HARM: Final = "self_harm"

# The statute a category usually rests on when a pack does not name one.
# BBS-lagen 5 § obliges removal of these crimes on an electronic bulletin board.
DEFAULT_STATUTES: Final[dict[str, str]] = {
    "hate_speech": "BBS-lagen 5 §, BrB 16:8 (hets mot folkgrupp)",
    "threat": "BrB 4:5 (olaga hot)",
    "incitement": "BBS-lagen 5 §, BrB 16:5 (uppvigling)",
    "violence_depiction": "BBS-lagen 5 §, BrB 16:10 c (olaga våldsskildring)",
    "pornography": "BBS-lagen 5 §, BrB 16:10 a (barnpornografibrott)",
    "copyright": "BBS-lagen 5 §, URL 53 §",
    "defamation": "BrB 5:1 (förtal)",
    "personal_data": "BrB 4:6 c (olaga integritetsintrång), GDPR",
    "sexual_harassment": "BrB 6:10 (sexuellt ofredande)",
}
