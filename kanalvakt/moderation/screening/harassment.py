"""Sexual harassment by its vocabulary and its target (issue 8, fifth round).

A sexual word about a body, nakedness or sex ("pattar", "nakenbilder",
"trosor", "panotavaraa", "tissejä", "sänkyyn", "nudes") in a comment that
points at a person — the reader ("du", "sä", "u"), a woman or a girl ("hon",
"tjejen", "mimmi", "se uus ope"), a role or a name — is sexual harassment for
a person to judge (0.75). A demand for pictures aimed at the reader ("lähetä
kuva sun tisseist", "skicka nakenbilder", "send me a pic in ur bikini"), a
sexual remark on a child's age ("u look 14", "oot vaa 15 … 😏") and "women
belong in the kitchen" are clearer (0.9). A sexual word alone — sex
education, a health question, an art exhibition — has no target and is left
alone; pornography adverts are `pornography`, not harassment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kanalvakt.moderation.screening import gates
from kanalvakt.moderation.screening.normalise import Normalised
from kanalvakt.moderation.screening.structure import (
    MENTION,
    NEGATION,
    PERSON_NOUNS,
    StructureHit,
    _words,
)

SCORE = 0.75
CLEAR_SCORE = 0.9

# word starts and phrases over the normalised words (lower case, å ä ö kept), "|" between
SEXUAL_STEMS = tuple(
    stem.strip()
    for stem in """pattar|tuttar|nakenbild|nakna|naken|nudes|nude|nudet|nudebild|trosor|sexig
    |kåt|kåta|knullbar|milf|tafsa|privatlektion|ligga med|legat med|i sängen|utan baddräkt
    |utan kläder|utan uniform|utan trosor|i bikini|kortare kjol|på knä framför|göra saker med
    |tissit|tissejä|tissiä|tisseillä|tisseist|tissei|panon näköinen|pantava|panotavara|seksikä
    |seksikas|seksii|seksiä|alastonkuv|alasti|pikkuhousu|sänkyyn|sängyssä|bikineissä|bikinit
    |kopeloi|neitsyt|ilman paitaa|ilman uikkareita|ilman vaatteita|vähemmillä vaatteilla
    |lyhyempi|lyhyeen hameeseen|suihkussa|takapuoli|perseiden|persettä|reikiä
    |sexy|smash|in ur bikini|in your bikini""".split("|")
)
_SEXUAL = re.compile(
    r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(SEXUAL_STEMS, key=len, reverse=True))) + ")"
)
TARGETS = PERSON_NOUNS | _words(
    """du dig din dina ditt dej sä sua sun sut sinua sinun oot olet ootko ootsä sulla sulle
    you u ur your
    hon henne hennes tjejen tjejer tjejerna kvinnan kvinnor kvinnliga brudar kärringar
    vikarien rektor skolchefen kommunikatören sköterskan fritidsledaren tränaren
    se sen sil sillä sille siltä mimmi mimmit mimmin mimmejä mimmeist tyttö tytöt tytön
    tyttöjä nainen naiset naisten ope opettaja opettajan terkkari hoitsu tiedottaja
    tiedottajan valtuutettu ohjaaja sisko siskos girl girls she her""",
)
_DEMAND = re.compile(
    r"(?<!\w)(?:l[äa]het[äa]|laita|skicka|send|dm)(?: \w+){0,3} (?:kuva|kuvan|kuvia|nude"
    r"|nudes|nudet|video|pic|pics|nakenbild|nakenbilder|bild|bilder|snäppii)(?!\w)"
)
_AGE = re.compile(
    r"(?<!\w)(?:look|looks|näytät|oot|ootsä|ootko|olet|oletko|ur|you re|are u|r u|alle|for a"
    r"|vaa|vain|bara) "
    r"(?:vaa |vain |bara |only |just )?(?:1[0-6])(?: ?yo| ?v| ?vuotias| ?år)?(?!\w)"
)
_KITCHEN = re.compile(
    r"(?<!\w)(?:kvinnor|tjejer|kärringar|hon|naiset|tytöt|mimmit|akat|ne|niiden|de|dom)"
    r"(?: \w+){0,4} (?:ska|borde|b[öo]r|h[öo]r hemma|kuuluu|kuuluvat|pit[äa]is|pit[äa]isi)"
    r"(?: \w+){0,3} (?:i k[öo]ket|vid spisen|st[åa] i k[öo]ket|f[öo]da barn|keitti[öo][öo]n"
    r"|keitti[öo]ss[äa]|hellan [äa][äa]ress[äa]|kotona keitt[äa]m[äa]ss[äa]"
    r"|kotiin lapsia)(?!\w)"
    r"|(?:tillbaka|tebax) till k[öo]ket|g[åa] hem och f[öo]d barn"
)
_REPORTING = _words(
    """skrev tycker tror menar påstår väittää väitti kirjoitti luulee ajattelee sanotaan""",
)
# words that start a word before the expressions are run (gates.py)
SEXUAL_STARTS = tuple(stem.split()[0] for stem in SEXUAL_STEMS)
KITCHEN_STARTS = tuple(
    "köket|koket|spisen|föda barn|föd barn|foda barn|keittiö|keittio|hellan|kotona keitt"
    "|kotiin lapsia".split("|")
)
_TEEN = re.compile(r"1[0-6]")
_CHILD_CUE = re.compile(r"😍|😏|😘|🥵|\b(?:pic|dm|kuva|nähää|nähdään|ses|träffas)\b")


def _hit(normalised: Normalised, found: re.Match[str], score: float) -> StructureHit:
    start, end = normalised.span(found.start(), found.end())
    return StructureHit("sexual_harassment", score, start, end, "structure:harassment")


def _refused(joined: str, found: re.Match[str]) -> bool:
    """Negated, reported or quoted: "ei naisten paikka ole keittiössä", "han sa att …"."""
    before = set(joined[: found.start()].split()[-4:])
    return not before.isdisjoint(MENTION | _REPORTING) or not NEGATION.isdisjoint(
        found.group(0).split()[-4:]  # "ei kuulu keittiöön"; not "ei kuulu X:ään, vaan kotiin"
    )


def _age(text: str) -> re.Match[str] | None:
    lower = text.lower()
    return _AGE.search(lower) if len(lower) == len(text) else None


def find(text: str, normalised: Normalised) -> Iterator[StructureHit]:
    joined = normalised.joined
    if not joined:
        return
    if gates.candidates(joined, gates.KITCHEN):
        kitchen = _KITCHEN.search(joined)
        if kitchen and not _refused(joined, kitchen):
            yield _hit(normalised, kitchen, SCORE)  # sexism, often argued: a person decides
    sexual = bool(gates.candidates(joined, gates.SEXUAL))
    age = _age(text) if _TEEN.search(text) else None  # digits: not in the normalised words
    if age and (sexual or _CHILD_CUE.search(text)):
        yield StructureHit(
            "sexual_harassment", CLEAR_SCORE, age.start(), age.end(), "structure:harassment"
        )
    if not sexual:
        return
    found = _SEXUAL.search(joined)
    if found is None:
        return
    demand = _DEMAND.search(joined)
    if demand:  # "lähetä mulle kuva ilman paitaa": the reader is told to
        yield _hit(normalised, demand, CLEAR_SCORE)
        return
    if not TARGETS.isdisjoint(joined.split()) or "@" in text:
        yield _hit(normalised, found, SCORE)
