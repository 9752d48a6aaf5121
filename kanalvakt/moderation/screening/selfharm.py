"""Self-harm: a writer who says they want to die or hurt themselves (issue 8).

This is never a reason to remove a comment. It is a `self_harm` finding
that asks a person to answer at once, with the pack's supportive reply
(Självmordslinjen 90101 / 1177; MIELI kriisipuhelin 09 2525 0111): the
result says `escalate`. Only first-person statements count: "jag orkar inte
leva", "pitäisi tappaa itseni", "I want to kill myself". Someone else's death
("han tog livet av sig"), the helplines themselves, idioms ("jag dör av
skratt", "hettan tar livet av mig", "tää helle tappaa mut") and "kill
yourself" (an attack, not self-harm) do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kanalvakt.moderation.screening.normalise import Normalised
from kanalvakt.moderation.screening.prefilter import Gate

SCORE = 0.9

_SV_I = r"(?:jag|ja|jaa)"
_SV = (
    # jag ska / vill / borde / tänker ta livet av mig, ta mitt liv, döda mig själv
    rf"{_SV_I}(?: \w+){{0,3}} (?:ska|skall|vill|borde|tänker|kommer att|kommer|tar|måste)"
    r"(?: \w+){0,2} (?:ta livet av mig|ta livet av mej|ta mitt liv|ta mitt eget liv"
    r"|döda mig själv|döda mej själv|skada mig själv|skada mej|hoppa framför|hänga mig"
    r"|skära mig|avsluta (?:allt|mitt liv)|försvinna för alltid)",
    rf"{_SV_I} (?:tar|tog nästan) (?:livet av mig|mitt liv)",
    rf"{_SV_I}(?: \w+)? (?:orkar|vill|klarar) (?:inte|int|itte|inte längre)(?: \w+)?"
    r" (?:leva|leva längre|mer|finnas|vara kvar)",
    rf"{_SV_I}(?: \w+)? vill (?:bara |helst )?(?:dö|inte leva|sluta leva|inte finnas)",
    rf"{_SV_I}(?: \w+){{0,3}} (?:tänkt på|tänker på|planerar) (?:självmord|att ta mitt liv"
    r"|att ta livet av mig|att dö)",
    rf"{_SV_I} (?:skär|skadar) mig(?: själv)?(?: igen)?",
    r"ingen skulle (?:märka|sakna mig|bry sig) om jag (?:försvann|dog|var borta)",
    r"(?:självmordstankar|mina självmordsplaner)",
)
_FI = (
    r"(?:tapan|tappaisin|pitäisi tappaa|pitäis tappaa|haluan tappaa|aion tappaa|meinaan tappaa"
    r"|voisin tappaa) itseni",
    r"(?:en|mä en|minä en) (?:jaksa|halua|kestä) (?:enää )?(?:elää|olla olemassa|tätä elämää)",
    r"(?:haluan|haluisin|haluaisin) (?:vain |vaan )?kuolla",
    r"(?:aion|meinaan|haluan|pitäisi) (?:päättää|lopettaa) (?:päiväni|elämäni|kaiken)",
    r"(?:päätän|lopetan) (?:päiväni|elämäni)",
    r"(?:olen|oon) (?:miettinyt|ajatellut|suunnitellut) itsemurhaa",
    r"(?:viiltelen|satutan itseäni|viillän itseäni)",
    r"kukaan ei (?:huomaisi|kaipaisi|välittäisi) (?:jos|vaikka)"
    r" (?:katoaisin|kuolisin|olisin poissa)",
    r"itsetuhoiset ajatukset|itsemurha-ajatuksia|itsemurha ajatuksia",
)
_EN = (
    r"i (?:want to|wanna|m going to|am going to|will|ll|should|might) (?:kill myself"
    r"|end my life|end it all|hurt myself)",
    r"i (?:want to|wanna) die",
    r"i don t want to (?:live|be alive)|i can t go on living",
    r"(?:suicidal thoughts|i m suicidal|i am suicidal)",
)
PATTERNS = tuple(
    (language, re.compile(rf"(?<!\w){pattern}(?!\w)"))
    for language, patterns in (("sv", _SV), ("fi", _FI), ("en", _EN))
    for pattern in patterns
)


@dataclass(frozen=True)
class SelfHarmHit:
    start: int
    end: int
    language: str


@cache
def _gate() -> Gate:
    """One scan for the patterns' required words first: most comments have none of them."""
    return Gate([regex for _language, regex in PATTERNS])


def find(normalised: Normalised) -> Iterator[SelfHarmHit]:
    joined = normalised.joined
    if not joined:
        return
    for index in _gate().candidates(joined):
        language, pattern = PATTERNS[index]
        for found in pattern.finditer(joined):
            start, end = normalised.span(found.start(), found.end())
            yield SelfHarmHit(start, end, language)
