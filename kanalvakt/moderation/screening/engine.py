"""`screen(text, config=…)`: findings with evidence, and a suggested action."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from kanalvakt.moderation.screening import (
    advertising,
    defamation,
    firstpass,
    harassment,
    lexicon,
    masked,
    media,
    patterns,
    pii,
    prefilter,
    secrecy,
    selfharm,
    spelling,
    structure,
    threats,
)
from kanalvakt.moderation.screening.categories import SELF_HARM
from kanalvakt.moderation.screening.config import ScreeningConfig
from kanalvakt.moderation.screening.langid import Language, identify
from kanalvakt.moderation.screening.learned import bundled
from kanalvakt.moderation.screening.normalise import Token, normalise

PII_SCORES = {
    "personnummer": 0.99,
    "samordningsnummer": 0.99,
    "henkilotunnus": 0.99,
    "email": 0.6,
    "phone": 0.55,
}


@dataclass(frozen=True)
class Finding:
    """One piece of evidence: what, where in the original text, how sure, on what ground."""

    category: str
    score: float
    start: int
    end: int
    detector: str  # lexicon:sv, pattern:threat:sv, personnummer, learned:v1, …
    evidence: str  # the original text from start to end
    basis: str = "none"  # law | policy | none (the pack does not list the category)
    reference: str = ""  # statute or policy clause
    action: str = "review"  # remove | review

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "score": round(self.score, 3),
            "start": self.start,
            "end": self.end,
            "detector": self.detector,
            "basis": self.basis,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class ScreeningResult:
    language: Language
    action: str  # remove | review | none
    findings: list[Finding]
    escalate: bool = False  # a person must answer at once (self-harm); never removal

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "action": self.action,
            "escalate": self.escalate,
            "findings": [finding.as_dict() for finding in self.findings],
        }


class _Raw(NamedTuple):  # a named tuple: made for every hit of every rule (speed)
    category: str
    score: float
    start: int
    end: int
    detector: str
    preferred: bool = False


def _unmask(text: str) -> tuple[str, list[masked.MaskedHit]]:
    """The text with each masked word of the same length written out ("p*ska" → "paska").

    Offsets stay the same, so every detector sees the word and its evidence
    still points into the original text. Masks of another length stay findings
    of their own.
    """
    hits = list(masked.find(text))
    others = []
    for hit in hits:
        if hit.end - hit.start == len(hit.word):
            text = text[: hit.start] + hit.word + text[hit.end :]
        else:
            others.append(hit)
    return text, others


# One mild expletive or mild insult word is how people stress criticism (not
# reported); two or more different ones in one comment read as abuse: review.
MILD_WORDS = 2
ACCUMULATED_SCORE = 0.55


def _mild(hit: lexicon.Hit) -> bool:
    return hit.entry.severity == 1 and hit.entry.category in ("obscenity", "personal_attack")


def _abbreviation(text: str, token: Token, single: bool) -> bool:
    """A word of three letters or fewer written with a full stop: "Kys." is kysymys."""
    return single and token.end - token.start <= 3 and text[token.end : token.end + 1] == "."


def _rules_path(text: str, config: ScreeningConfig, language: Language) -> list[_Raw]:
    unmasked, hidden_words = (
        _unmask(text)
        if "*" in text or "#" in text or ".." in text
        else (
            text,
            [],
        )
    )
    normalised = spelling.correct(normalise(unmasked), language)
    tokens = normalised.tokens
    raw: list[_Raw] = []
    hits = [
        (lex, hit)
        for lex, hit in lexicon.match_all(tokens, language)
        if not _abbreviation(text, tokens[hit.first], hit.first == hit.last)
    ]
    mild = {hit.entry.form for _lex, hit in hits if _mild(hit)}
    for lex, hit in hits:
        if len(mild) >= MILD_WORDS and _mild(hit):
            hit = hit._replace(score=ACCUMULATED_SCORE)  # "vitun tyhmä perkele"
        raw.append(
            _Raw(
                hit.entry.category,
                hit.score,
                tokens[hit.first].start,
                tokens[hit.last].end,
                f"lexicon:{lex.language}",
                lex.language == language,
            )
        )
    for shaped in [
        *structure.insults(text, normalised, language),
        *threats.find(text, normalised, language),
        *defamation.find(text, normalised, language),
        *media.find(text, normalised),
        *secrecy.find(text, normalised, language),
        *harassment.find(text, normalised),
    ]:
        raw.append(_Raw(shaped.category, shaped.score, shaped.start, shaped.end, shaped.detector))
    for harm in selfharm.find(normalised):
        raw.append(
            _Raw(SELF_HARM, selfharm.SCORE, harm.start, harm.end, f"self_harm:{harm.language}")
        )
    for hidden in hidden_words:
        raw.append(
            _Raw(
                hidden.category,
                lexicon.score_of(hidden.category, hidden.severity),
                hidden.start,
                hidden.end,
                f"masked:{hidden.language}",
            )
        )
    for found in patterns.match(normalised):
        raw.append(
            _Raw(
                found.pattern.category,
                found.pattern.score,
                found.start,
                found.end,
                f"pattern:{found.pattern.name}",
            )
        )
    for number in pii.find(text, language):
        raw.append(
            _Raw("personal_data", PII_SCORES[number.kind], number.start, number.end, number.kind)
        )
    advert = advertising.find(text, normalised, public_events_exempt=config.public_events_exempt)
    if advert:
        raw.append(_Raw("advertising", advert.score, advert.start, advert.end, "advertising"))
    return raw


def _learned(texts: Sequence[str], config: ScreeningConfig) -> list[tuple[list[_Raw], _Raw | None]]:
    """The learned scorer's findings for a batch of texts, scored at once.

    Per text: the category heads' findings, and the review head's finding
    (detector `learned:<version>:review`; used when the rules find nothing).
    """
    model = config.model or bundled()
    detector = f"learned:{model.version}"
    floor = config.learned_review_floor(model.review_threshold)
    out: list[tuple[list[_Raw], _Raw | None]] = []
    for text, assessed in zip(texts, model.assess_batch(texts), strict=True):
        found = [_learned_raw(text, finding, detector) for finding in assessed.found]
        review = (
            _learned_raw(text, assessed.review, f"{detector}:review")
            if assessed.review and assessed.review[1] >= floor
            else None
        )
        out.append((found, review))
    return out


def _learned_raw(text: str, finding: tuple[str, float, int | None], detector: str) -> _Raw:
    category, score, token = finding
    if token is None:
        return _Raw(category, score, 0, len(text), detector)
    at = normalise(text).tokens[token]
    return _Raw(category, score, at.start, at.end, detector)


def _deduplicate(raw: Iterable[_Raw]) -> list[_Raw]:
    """Of overlapping findings of one category keep the strongest rule's.

    A rule explains itself better than the learned scorer, so where both see
    the same thing the rule's finding stands.
    """
    ordered = sorted(
        raw, key=lambda r: (r.detector.startswith("learned"), -r.score, not r.preferred)
    )
    kept: list[_Raw] = []
    for candidate in ordered:
        if not any(
            other.category == candidate.category
            and other.start < candidate.end
            and candidate.start < other.end
            for other in kept
        ):
            kept.append(candidate)
    return sorted(kept, key=lambda r: (r.start, r.end, r.category))


# Quoted words are often reported or condemned speech ("saying 'X are vermin' is
# hateful"): a person decides, the machine does not suggest removal.
_QUOTED = re.compile(r'"[^"]{1,400}"|“[^”]{1,400}”|”[^”]{1,400}”|«[^»]{1,400}»|„[^“”]{1,400}[“”]')
_QUOTE_SENSITIVE = frozenset(
    {"hate_speech", "threat", "incitement", "personal_attack", "sexual_harassment", "obscenity"}
)
QUOTED_SCORE_CAP = 0.7
# Quoted words the writer reports or condemns ("han skrev 'X'", "joku kirjoitti 'X'.
# Ilmoitettu") are not the writer's own: below the review threshold.
REPORTED_SCORE = 0.45
_REPORTING = re.compile(
    r"(?i)(?<!\w)(?:skrev|skriver|sa|sade|sägs|ropade|skrek|kallade|kallar|säger|anmäl\w*"
    r"|polisanmäl\w*|meddelandet|kirjoitti|kirjoittaa|sanoi|sanoo|huusi|huutaa|kutsui"
    r"|ilmoitettu|ilmoitin|viestin|viesti|wrote|said|says|called|shouted|reported"
    r"|if you say|om du säger|jos sanot)(?!\w)"
)


# what every quotation _QUOTED finds contains (its marks, read from the expression)
_QUOTE_MARKS = tuple(sorted(prefilter.anchors(_QUOTED, min_length=1) or ("",)))


def _unquote(text: str, raw: list[_Raw]) -> list[_Raw]:
    if not any(mark in text for mark in _QUOTE_MARKS):
        return raw
    quoted = [found.span() for found in _QUOTED.finditer(text)]
    if not quoted:
        return raw
    outside = text
    for start, end in reversed(quoted):
        outside = outside[:start] + " " + outside[end:]
    cap = REPORTED_SCORE if _REPORTING.search(outside) else QUOTED_SCORE_CAP
    return [
        item._replace(score=min(item.score, cap))
        if item.category in _QUOTE_SENSITIVE
        and any(start < item.start < end for start, end in quoted)
        else item
        for item in raw
    ]


def _finding(text: str, raw: _Raw, config: ScreeningConfig) -> Finding:
    rule = config.rule(raw.category)
    removable = (
        raw.category != SELF_HARM
        and rule is not None
        and rule.action == "remove"
        and raw.score >= config.remove_threshold
        and (config.learned_may_remove or not raw.detector.startswith("learned:"))
    )
    return Finding(
        category=raw.category,
        score=round(min(max(raw.score, 0.0), 1.0), 4),
        start=raw.start,
        end=raw.end,
        detector=raw.detector,
        evidence=text[raw.start : raw.end],
        basis=rule.basis if rule else "none",
        reference=rule.reference if rule else "",
        action="remove" if removable else "review",
    )


def screen(text: str, *, config: ScreeningConfig, learned: bool | None = None) -> ScreeningResult:
    """Screen one comment. `learned=False` runs the rules path alone."""
    return screen_many([text], config=config, learned=learned)[0]


def screen_many(
    texts: Sequence[str], *, config: ScreeningConfig, learned: bool | None = None
) -> list[ScreeningResult]:
    """Screen a batch of comments: the rules one by one, the learned scorer in one go."""
    languages = [identify(normalise(text).tokens) for text in texts]
    raws = [
        _rules_path(text, config, language) if firstpass.needs_rules(text) else []
        for text, language in zip(texts, languages, strict=True)
    ]
    if config.use_learned if learned is None else learned:
        for raw, (found, review) in zip(raws, _learned(texts, config), strict=True):
            if review is not None and not any(r.score >= config.review_threshold for r in raw):
                found.append(review)  # "a moderator should look at this": the rules saw nothing
            raw.extend(found)
    return [
        _result(text, raw, config, language)
        for text, raw, language in zip(texts, raws, languages, strict=True)
    ]


def _result(
    text: str, raw: list[_Raw], config: ScreeningConfig, language: Language
) -> ScreeningResult:
    if not raw:
        return ScreeningResult(language=language, action="none", findings=[], escalate=False)
    findings = [
        _finding(text, item, config)
        for item in _deduplicate(_unquote(text, raw))
        if item.score >= config.review_threshold
    ]
    if any(finding.action == "remove" for finding in findings):
        action = "remove"
    elif findings:
        action = "review"
    else:
        action = "none"
    escalate = any(finding.category == SELF_HARM for finding in findings)
    return ScreeningResult(language=language, action=action, findings=findings, escalate=escalate)
