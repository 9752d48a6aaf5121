"""Threats by structure: a first-person intent, a harm verb and a person (see structure.py).

Swedish: "jag ska / vill / tänker / kommer att / lovar att" (or "vi …") within
the clause before a harm verb, and a person after it: dig, er, henne, din
familj, ditt hus, rektorn, a name. Finnish by Voikko: a harm verb in the
first person (tapan, teurastamme, tappaisin) or its infinitive after
"haluan / aion / meinaan / tulen" (haluan tappaa), with a person object:
sinut, sut, heidät, talosi (a second-person possessive), a role or a name.
A negation right before the verb drops only that verb ("en tapa"), unless it
reads "not only" ("inte bara", "en vain").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kanalvakt.moderation.screening import morphology
from kanalvakt.moderation.screening.normalise import Normalised, Token
from kanalvakt.moderation.screening.structure import (
    NEGATION,
    PERSON_NOUNS,
    THREAT_SCORE,
    StructureHit,
    _clauses,
    _negated,
    _words,
)

SV_HARM = _words(
    """döda mörda skjuta knivhugga hugga spränga strypa hänga misshandla våldta bränna knäcka
    skada krossa skära dränka avrätta slakta tortera plåga spöa slå sparka stampa kväva
    ihjäl sönder""",
)
SV_HARM_PHRASES = ("slå ihjäl", "slå sönder", "sticka ner", "skjuta ihjäl", "sparka ihjäl")
SV_SUBJECT = _words("jag ja vi")
SV_INTENT = _words("ska skall kommer tänker vill ämnar lovar måste borde")
SV_OBJECT = _words(
    """dig er henne honom dem dom hen din ditt dina era hans hennes deras
    dej""",
)
FI_HARM = _words(
    """tappaa ampua puukottaa hakata kuristaa teurastaa lahdata polttaa hirttää murhata
    raiskata tuhota listiä nirhata kiduttaa räjäyttää pahoinpidellä lyödä potkia kolkata
    viiltää silpoa""",
)
FI_INTENT = _words("haluta aikoa meinata tulla luvata")
FI_OBJECT = _words(
    """sinut sut sinua sua teidät teitä hänet häntä heidät heitä sun sinun teidän hänen
    heidän""",
)
EN_OBJECT = _words("you u ya your yall him her them")


def _person_after(text: str, tokens: Sequence[Token], start: int, end: int, language: str) -> bool:
    for token in tokens[start:end]:
        form = token.form
        if form in SV_OBJECT or form in FI_OBJECT or form in PERSON_NOUNS:
            return True
        written = text[token.start : token.end]
        if (
            written[:1].isupper()
            and not written.isupper()
            and not any(morphology.common(form, lang) for lang in morphology.LANGUAGES)
        ):
            return True
        if language != "sv":
            for analysis in morphology.fi_analyses(form):
                if analysis.possessive in ("2s", "2p") or analysis.word_class == "etunimi":
                    return True
                if analysis.baseform in PERSON_NOUNS:
                    return True
    return False


def _sv(text: str, tokens: Sequence[Token], clause: Sequence[int]) -> Iterator[tuple[int, int]]:
    forms = [token.form for token in tokens]
    for index, form in enumerate(forms):
        if form not in SV_HARM or form in ("ihjäl", "sönder"):
            continue
        window = forms[max(clause[index], index - 6) : index]
        if not set(window) & SV_SUBJECT or not set(window) & SV_INTENT:
            continue
        last_intent = max(i for i, word in enumerate(window) if word in SV_INTENT)
        if _negated(window[last_intent:], "sv"):
            continue
        skip = (
            1
            if index + 1 < len(forms) and forms[index + 1] in ("ihjäl", "sönder", "ner", "upp")
            else 0
        )
        if _person_after(text, tokens, index + 1 + skip, index + 3 + skip, "sv"):
            yield (
                max(clause[index], index - 6)
                + min(i for i, word in enumerate(window) if word in SV_SUBJECT),
                min(index + 2 + skip, len(tokens) - 1),
            )


_HARM_READINGS: dict[str, tuple[morphology.Analysis, ...]] = {}


def _harm_readings(form: str) -> tuple[morphology.Analysis, ...]:
    """Voikko's readings of `form` as a harm verb (cached per word: words repeat)."""
    found = _HARM_READINGS.get(form)
    if found is None:
        if len(_HARM_READINGS) > 200_000:
            _HARM_READINGS.clear()
        found = _HARM_READINGS[form] = tuple(
            a for a in morphology.fi_analyses(form) if a.baseform in FI_HARM
        )
    return found


def _fi_candidates(tokens: Sequence[Token]) -> bool:
    return any(not token.disguised and _harm_readings(token.form) for token in tokens)


def _fi(text: str, tokens: Sequence[Token], clause: Sequence[int]) -> Iterator[tuple[int, int]]:
    forms = [token.form for token in tokens]
    for index, token in enumerate(tokens):
        if token.disguised:
            continue
        readings = _harm_readings(token.form)
        if not readings:
            continue
        first_person = any(
            a.person == "1"
            and a.negative == "false"
            and a.mood in ("indicative", "conditional")
            and a.tense != "past_imperfective"  # "ammuin sen" (in a game) is told, not threatened
            for a in readings
        )
        infinitive = any(a.mood == "A-infinitive" for a in readings)
        before = forms[max(clause[index], index - 3) : index]
        if infinitive and not first_person:
            first_person = any(
                a.baseform in FI_INTENT and a.person == "1" and a.negative == "false"
                for word in before
                for a in morphology.fi_analyses(word)
            )
        if not first_person:
            continue
        if before and before[-1] in NEGATION and before[-1] not in ("en", "emme"):
            continue
        if "alas" in forms[index + 1 : index + 4]:
            continue  # "ammumme esityksen alas": a proposal voted down, not a shooting
        lo = max(clause[index], index - 2)
        if _person_after(text, tokens, index + 1, index + 4, "fi") or any(
            form in FI_OBJECT for form in forms[lo:index]
        ):
            yield (
                lo if any(form in FI_OBJECT for form in forms[lo:index]) else index,
                min(index + 1, len(tokens) - 1),
            )


def find(text: str, normalised: Normalised, language: str) -> Iterator[StructureHit]:
    tokens = normalised.tokens
    if not tokens:
        return
    # the clauses only when a harm verb is there (most comments have none)
    swedish = language != "fi" and not SV_HARM.isdisjoint(token.form for token in tokens)
    finnish = language != "sv" and _fi_candidates(tokens)
    if not swedish and not finnish:
        return
    clause = _clauses(text, tokens)
    spans: list[tuple[int, int, str]] = []
    if swedish:
        spans += [(first, last, "sv") for first, last in _sv(text, tokens, clause)]
    if finnish:
        spans += [(first, last, "fi") for first, last in _fi(text, tokens, clause)]
    for first, last, lang in spans:
        yield StructureHit(
            "threat",
            THREAT_SCORE,
            tokens[first].start,
            tokens[last].end,
            f"structure:threat:{lang}",
        )
