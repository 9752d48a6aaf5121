"""What a message wants (INB-5): a small rule-based classifier that explains itself.

Intents: question, factual criticism, unfair criticism, praise, hateful or
joking negative (the template policy says: do not answer), misinformation.
Each intent has cues in Swedish, Finnish and English; a cue is a word stem
(matched at the start of a word) or a phrase. The intent whose cues weigh
most wins; ties go to the earlier intent in `PRIORITY`. The words that
decided it are returned, so the page can say why, and a person can correct
the result (`entry_set_intent`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Intent(models.TextChoices):
    QUESTION = "question", _("fråga")
    FACTUAL_CRITICISM = "factual_criticism", _("saklig kritik")
    UNFAIR_CRITICISM = "unfair_criticism", _("osaklig kritik")
    PRAISE = "praise", _("beröm")
    HATEFUL_NEGATIVE = "hateful_negative", _("hatiskt negativt")
    JOKING_NEGATIVE = "joking_negative", _("skämtsamt negativt")
    MISINFORMATION = "misinformation", _("felaktig uppgift att rätta")
    OTHER = "other", _("övrigt")


NEGATIVE_INTENTS = frozenset(
    {
        Intent.FACTUAL_CRITICISM,
        Intent.UNFAIR_CRITICISM,
        Intent.HATEFUL_NEGATIVE,
        Intent.JOKING_NEGATIVE,
    }
)

PRIORITY = (
    Intent.HATEFUL_NEGATIVE,
    Intent.JOKING_NEGATIVE,
    Intent.MISINFORMATION,
    Intent.FACTUAL_CRITICISM,
    Intent.UNFAIR_CRITICISM,
    Intent.QUESTION,
    Intent.PRAISE,
)

# (cue, weight). A cue ending in "*" is a stem; otherwise a whole word or phrase.
CUES: dict[Intent, tuple[tuple[str, int], ...]] = {
    Intent.QUESTION: (
        ("när", 1),
        ("var finns", 1),
        ("hur*", 1),
        ("varför", 1),
        ("vem", 1),
        ("vilk*", 1),
        ("kan man", 1),
        ("kan jag", 1),
        ("finns det", 1),
        ("undrar", 2),
        ("måste man", 1),
        ("milloin", 1),
        ("missä", 1),
        ("miten", 1),
        ("miksi", 1),
        ("kuka", 1),
        ("mikä", 1),
        ("onko", 1),
        ("voiko", 1),
        ("voinko", 1),
        ("saako", 1),
        ("tarvitseeko", 1),
        ("kysy*", 1),
        ("when", 1),
        ("where", 1),
        ("how", 1),
        ("why", 1),
        ("can i", 1),
        ("is there", 1),
        ("wonder*", 2),
    ),
    Intent.FACTUAL_CRITICISM: (
        ("inte plogat", 3),
        ("oplogat", 3),
        ("fungerar inte", 3),
        ("funkar inte", 3),
        ("trasig*", 2),
        ("sönder", 2),
        ("försen*", 2),
        ("väntat", 2),
        ("ingen svarar", 3),
        ("klagomål", 2),
        ("missnöjd", 2),
        ("tyvärr", 1),
        ("dålig*", 1),
        ("hål i", 2),
        ("ei toimi", 3),
        ("rikki", 2),
        ("myöhäs*", 2),
        ("odottanut", 2),
        ("auraamat*", 3),
        ("kukaan ei vastaa", 3),
        ("valitu*", 2),
        ("tyytymätön", 2),
        ("huono*", 1),
        ("broken", 2),
        ("doesn't work", 3),
        ("not working", 3),
        ("delayed", 2),
        ("complain*", 2),
        ("disappointed", 2),
    ),
    Intent.UNFAIR_CRITICISM: (
        ("värdelös*", 2),
        ("inkompetent*", 2),
        ("slöseri", 2),
        ("skandal*", 2),
        ("alltid lika", 2),
        ("som vanligt", 1),
        ("pinsam*", 2),
        ("löjlig*", 2),
        ("hyödytön", 2),
        ("surkea", 2),
        ("tuhlaus", 2),
        ("skandaali", 2),
        ("aina sama", 2),
        ("naurettava", 2),
        ("useless", 2),
        ("incompetent", 2),
        ("waste of", 2),
        ("pathetic", 2),
        ("ridiculous", 2),
    ),
    Intent.PRAISE: (
        ("tack", 2),
        ("tusen tack", 3),
        ("toppen", 2),
        ("bra jobbat", 3),
        ("fantastisk*", 2),
        ("underbar*", 2),
        ("härlig*", 2),
        ("snyggt", 2),
        ("kiitos", 2),
        ("hieno*", 2),
        ("mahtava*", 2),
        ("upea*", 2),
        ("ihana*", 2),
        ("hyvää työtä", 3),
        ("thank*", 2),
        ("great", 2),
        ("love*", 2),
        ("awesome", 2),
        ("well done", 3),
    ),
    Intent.HATEFUL_NEGATIVE: (
        ("idiot*", 3),
        ("jävla", 3),
        ("jävl*", 2),
        ("fan ta", 3),
        ("äckl*", 3),
        ("hata*", 3),
        ("avskum", 4),
        ("dra åt helvete", 4),
        ("kräk", 3),
        ("pack", 2),
        ("idiootti*", 3),
        ("vittu*", 3),
        ("perkele", 2),
        ("saatana", 3),
        ("paska*", 3),
        ("vihaan", 3),
        ("ääliö*", 3),
        ("hate", 3),
        ("fuck*", 3),
        ("scum", 4),
        ("morons", 3),
        ("moron", 3),
    ),
    Intent.JOKING_NEGATIVE: (
        ("haha*", 2),
        ("hehe*", 2),
        ("lol", 2),
        ("skämt*", 2),
        ("typiskt", 1),
        ("😂", 2),
        ("🤣", 2),
        ("vitsi", 2),
        ("lmao", 2),
        ("joke", 2),
        ("jk", 1),
    ),
    Intent.MISINFORMATION: (
        ("har hört att", 3),
        ("det sägs att", 3),
        ("rykte*", 3),
        ("läggs ner", 2),
        ("ska stänga", 2),
        ("stänger för gott", 3),
        ("mörkar", 3),
        ("ljuger", 3),
        ("fake news", 3),
        ("kuulin että", 3),
        ("sanotaan että", 3),
        ("huhu*", 3),
        ("lakkautetaan", 2),
        ("salaa", 2),
        ("valehtel*", 3),
        ("i heard that", 3),
        ("rumou*", 3),
        ("shutting down", 2),
        ("lying", 3),
        ("cover up", 3),
    ),
}

_WORD = re.compile(r"[\w']+|[😂🤣]", re.UNICODE)


@dataclass(frozen=True)
class Classification:
    intent: Intent
    words: list[str] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)

    def explanation(self) -> str:
        if not self.words:
            return "Inga ord i texten pekade ut en avsikt."
        return "Avgjordes av: " + ", ".join(f"”{word}”" for word in self.words)


@functools.cache
def _phrase(cue: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)")


@functools.cache
def _cue_table() -> tuple[tuple[Intent, str, int, str, re.Pattern[str] | None], ...]:
    """Each cue once, ready to test: (intent, cue, weight, what must occur in the text,
    phrase pattern). A stem or phrase whose letters do not occur in the text cannot
    match, so a substring test skips most cues before any per-token or regex work
    (classification runs for every received item, issue 12)."""
    table: list[tuple[Intent, str, int, str, re.Pattern[str] | None]] = []
    for intent, cues in CUES.items():
        for cue, weight in cues:
            if cue.endswith("*"):
                table.append((intent, cue, weight, cue[:-1], None))
            elif " " in cue or not cue.isalnum():
                table.append((intent, cue, weight, cue, _phrase(cue)))
            else:
                table.append((intent, cue, weight, "", None))
    return tuple(table)


def _found(lowered: str) -> list[tuple[Intent, int, list[str]]]:
    """(intent, weight, words) of every cue that occurs, in `CUES` order: what `_matches`
    says for each cue, without testing the cues that cannot occur."""
    tokens = _WORD.findall(lowered)
    token_set = set(tokens)
    found = []
    for intent, cue, weight, needle, phrase in _cue_table():
        if not needle:
            if cue in token_set:
                found.append((intent, weight, [cue]))
        elif needle in lowered:
            if phrase is not None:
                if phrase.search(lowered):
                    found.append((intent, weight, [cue]))
            else:
                words = [token for token in tokens if token.startswith(needle)]
                if words:
                    found.append((intent, weight, words))
    return found


def classify(text: str) -> Classification:
    """The most likely intent of a message and the words that decided it."""
    return decide(text, _found(text.lower()))


def decide(text: str, found: list[tuple[Intent, int, list[str]]]) -> Classification:
    """The intent that the cues `found` in `text` (intent, weight, words) add up to."""
    scores: dict[Intent, int] = {}
    evidence: dict[Intent, list[str]] = {}
    for intent, weight, words in found:
        scores[intent] = scores.get(intent, 0) + weight
        for word in words:
            if word not in evidence.setdefault(intent, []):
                evidence[intent].append(word)
    if "?" in text:
        scores[Intent.QUESTION] = scores.get(Intent.QUESTION, 0) + 2
        evidence.setdefault(Intent.QUESTION, []).append("?")
    # A joke is only a joking *negative* when something negative is said too.
    if Intent.JOKING_NEGATIVE in scores and not (
        scores.keys() & {Intent.UNFAIR_CRITICISM, Intent.FACTUAL_CRITICISM, Intent.HATEFUL_NEGATIVE}
    ):
        scores.pop(Intent.JOKING_NEGATIVE)
    elif Intent.JOKING_NEGATIVE in scores and Intent.HATEFUL_NEGATIVE not in scores:
        for intent in (Intent.UNFAIR_CRITICISM, Intent.FACTUAL_CRITICISM):
            if intent in scores:
                scores[Intent.JOKING_NEGATIVE] += scores[intent]
                evidence[Intent.JOKING_NEGATIVE] += evidence[intent]
    if not scores:
        return Classification(Intent.OTHER)
    best = max(PRIORITY, key=lambda intent: (scores.get(intent, 0), -PRIORITY.index(intent)))
    return Classification(
        best, evidence.get(best, []), {str(key): value for key, value in scores.items()}
    )
