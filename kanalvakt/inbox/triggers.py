"""What makes an item an escalation (INB-6), until the moderation screening feeds in.

A deliberately small pattern set per trigger, in Swedish, Finnish and English.
The triggers are the pack vocabulary: `threat_to_staff`, `harassment_of_staff`,
`bullying`, `crime`, `harmful_criticism`. Every match says which words fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    THREAT_TO_STAFF = "threat_to_staff", _("hot mot personal")
    HARASSMENT_OF_STAFF = "harassment_of_staff", _("trakasserier mot personal")
    BULLYING = "bullying", _("mobbning")
    CRIME = "crime", _("brott")
    HARMFUL_CRITICISM = "harmful_criticism", _("kritik som kan skada organisationen")
    SECURITY_INCIDENT = "security_incident", _("säkerhetsincident")


PATTERNS: dict[Trigger, tuple[str, ...]] = {
    Trigger.THREAT_TO_STAFF: (
        r"\b(ska|kommer att?) (döda|slå ihjäl|skjuta|knivhugga|spränga)\b",
        r"\bvet var (du|ni|hon|han) bor\b",
        r"\b(akta dig|du ska få se)\b",
        r"\b(tapan|tapamme|ammun|ammumme|puukotan)\w*\b",
        r"\btiedän missä (asut|asutte|hän asuu)\b",
        r"\b(i|we)('ll| will) (kill|shoot|hurt|find) (you|her|him)\b",
        r"\bknow where (you|she|he) lives?\b",
    ),
    Trigger.HARASSMENT_OF_STAFF: (
        r"\b(hora|fitta|slyna|subba)\b",
        r"\b(huora|lutka)\b",
        r"\b(whore|slut|bitch)\b",
    ),
    Trigger.BULLYING: (
        r"\bmobb\w*\b",
        r"\bkiusa\w*\b",
        r"\bbull(y|ied|ying)\b",
    ),
    Trigger.CRIME: (
        r"\b(säljer|köpa) (knark|narkotika|vapen)\b",
        r"\bbarnporr\w*\b",
        r"\b(myyn|ostaa) (huumeita|aseita)\b",
        r"\bselling (drugs|guns)\b",
    ),
    Trigger.HARMFUL_CRITICISM: (
        r"\b(mutor|mutad\w*|korrupt\w*|jävig\w*|jäv|förskingr\w*)\b",
        r"\b(lahjon\w*|korruptio\w*|kavallu\w*|lahjus\w*)\b",
        r"\b(bribe\w*|corrupt\w*|embezzl\w*)\b",
    ),
}
_COMPILED = {
    trigger: [re.compile(pattern, re.IGNORECASE | re.UNICODE) for pattern in patterns]
    for trigger, patterns in PATTERNS.items()
}

_ANY = re.compile(
    "|".join(f"(?:{pattern})" for patterns in PATTERNS.values() for pattern in patterns),
    re.IGNORECASE | re.UNICODE,
)
"""Every pattern at once: most texts fire none, and one search says so (issue 12)."""


@dataclass(frozen=True)
class TriggerMatch:
    trigger: Trigger
    words: list[str]


def detect(text: str) -> list[TriggerMatch]:
    """Every trigger the text fires, with the words that fired it."""
    if not _ANY.search(text):
        return []
    found = []
    for trigger, patterns in _COMPILED.items():
        words = [match.group(0) for pattern in patterns for match in pattern.finditer(text)]
        if words:
            found.append(TriggerMatch(trigger, list(dict.fromkeys(words))))
    return found
