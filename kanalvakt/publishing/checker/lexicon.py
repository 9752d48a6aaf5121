"""Words that make a post take a political or religious stance (PUB-1, neutrality).

Swedish and Finnish parliamentary parties (names and abbreviations), religious
terms, and phrases that tell the reader how to vote. A hit is flagged for a
person to review; naming a party in a neutral notice is often fine.
"""

from __future__ import annotations

import re

PARTIES = (
    # Sweden
    r"socialdemokrat\w*",
    r"moderat(?:erna|erna?s|ern)\b",
    r"sverigedemokrat\w*",
    r"centerpartie\w*",
    r"vänsterpartie\w*",
    r"kristdemokrat\w*",
    r"liberalerna\w*",
    r"miljöpartie\w*",
    r"\b(?:S|M|SD|C|V|KD|L|MP)-?(?:politiker|ledamot|ledamöter)\b",
    # Finland (fi and sv names)
    r"kokoomu\w*",
    r"perussuomalai\w*",
    r"sosialidemokraat\w*",
    r"keskusta(?:puolue)?\b",
    r"vihreä\w* liitto",
    r"vasemmistoliit\w*",
    r"kristillisdemokraat\w*",
    r"svenska folkpartiet",
    r"\bSFP\b",
    r"\bRKP\b",
    r"samlingspartiet",
    r"sannfinländar\w*",
    r"\bSDP\b",
)
RELIGION = (
    r"\bgud\w*",
    r"\bjesus\b",
    r"\bkristus\b",
    r"\ballah\b",
    r"\bbön(?:en|er)?\b",
    r"\bbe för\b",
    r"\bjumala\w*",
    r"\brukoil\w*",
    r"\bfrälsning\w*",
    r"\bpelastu\w*",
)
VOTING = (
    r"rösta på",
    r"rösta inte på",
    r"lägg din röst på",
    r"äänestä\w*",
    r"\bvalj? (?:rätt|oss)\b",
)

_PATTERN = re.compile(
    "|".join(
        f"(?P<{kind}{index}>{regex})"
        for kind, group in (("party", PARTIES), ("religion", RELIGION), ("vote", VOTING))
        for index, regex in enumerate(group)
    ),
    re.IGNORECASE,
)


def stances(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) for each party name, religious term or voting advice."""
    found = []
    for match in _PATTERN.finditer(text):
        kind = (match.lastgroup or "").rstrip("0123456789")
        found.append((kind, match.start(), match.end()))
    return found
