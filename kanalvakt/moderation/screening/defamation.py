"""Accusations of a crime against a person: for a person to judge (förtal), issue 8.

A person — a role (rektorn, kunnanjohtaja), a pronoun or a name — as the
subject of a crime noun ("är en pedofil", "on huumediileri") or a crime verb
("har förskingrat", "tar mutor", "on varastanut", "ottaa lahjuksia") in the
same clause. The finding is `defamation` at 0.6: never removal by the
machine, since only a person can tell a lie from a reported fact.
"""

from __future__ import annotations

from collections.abc import Iterator

from kanalvakt.moderation.screening.normalise import Normalised
from kanalvakt.moderation.screening.structure import (
    PERSON_NOUNS,
    StructureHit,
    _clauses,
    _negated,
    _person_subject,
    _words,
)

SCORE = 0.6
CRIME_NOUNS = _words(
    """pedofil pedofilen pedo tjuv tjuven brottsling mördare våldtäktsman knarklangare langare
    bedragare svindlare mutkolv förskingrare kvinnomisshandlare hustrumisshandlare djurplågare
    skattefuskare
    pedofiili pedo varas rikollinen murhaaja raiskaaja huumediileri diileri huijari kavaltaja
    lahjuksenottaja
    pedophile paedophile thief criminal murderer rapist fraudster crook""",
)
CRIME_VERBS = _words(
    """stulit snott förskingrat misshandlat våldtagit mördat langar fuskat mutor mutat
    varastanut kavaltanut hakannut raiskannut murhannut pahoinpidellyt lahjuksia lahjukset
    huumeita
    stole stolen embezzled raped murdered bribes""",
)

_CRIME_WORDS = CRIME_NOUNS | CRIME_VERBS


def find(text: str, normalised: Normalised, language: str) -> Iterator[StructureHit]:
    tokens = normalised.tokens
    if not tokens:
        return
    forms = [token.form for token in tokens]
    if _CRIME_WORDS.isdisjoint(forms):
        return
    clause = _clauses(text, tokens)
    for index, form in enumerate(forms):
        if form not in CRIME_NOUNS and form not in CRIME_VERBS:
            continue
        window = forms[max(clause[index], index - 5) : index]
        if not window or _negated(window, language):
            continue
        if set(window) & PERSON_NOUNS or _person_subject(text, tokens, window, index):
            first = max(clause[index], index - len(window))
            yield StructureHit(
                "defamation",
                SCORE,
                tokens[first].start,
                tokens[index].end,
                f"structure:defamation:{language}",
            )
