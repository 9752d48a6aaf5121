"""Word lists per language with inflection by stem and ending.

Each entry in `kanalvakt/moderation/data/lexicons/<language>.yaml` has a
category and a severity. A word matches an entry when its squeezed key is the
entry's form, or its stem followed by an ending of the language (Swedish
idioterna, idioternas; Finnish idiooteille, idiooteista; English idiots), or,
for entries marked `compound`, when it ends in such a word (kommunidiot).
A stem ending in a consonant takes only endings that begin with a vowel or
are a lone -s, so "hor" never matches "horn".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from kanalvakt.moderation.screening import morphology
from kanalvakt.moderation.screening.normalise import Token, fold_native, normalise, squeeze

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicons"
LANGUAGES = ("sv", "fi", "en")
VOWELS = frozenset("aeiouyåäöæø")

_ENDINGS: dict[str, re.Pattern[str]] = {
    "sv": re.compile(
        r"(?:en|et|er|erna|ernas|ens|ets|ers|ar|arna|arnas|ars|or|orna|ornas|ors"
        r"|n|na|nas|ns|s|a|e|t|r|rna|rnas|ade|at|ande)?"
    ),
    # Finnish: stem vowel, plural/linking i, j or t, case, possessive, clitic
    "fi": re.compile(
        r"[aeiouyäö]{0,2}(?:[jt][aeiouyäö]?)?"
        r"(?:n|t|a|ä|na|nä|ksi|sa|sä|sta|stä|la|lä|lta|ltä|le|ta|tä|ne|in|hin|en|den"
        r"|ten|iden|iten|han|hen|hon|hun|hyn|hän|hön)?"
        r"(?:ni|si|nsa|nsä|mme|ne|an|en|än)?(?:kin|kan|kän|ko|kö|han|hän|pa|pä)?"
    ),
    "en": re.compile(r"(?:s|es|ed|ing|ings|er|ers|y|ish)?"),
}
_MAX_ENDING = 9
CACHE_SIZE = 200_000
# In a text identified as Swedish or English, the Finnish list matches a word by
# its written form (exact, stem or compound); Voikko is asked only about a word
# that matches so (then, as in every text, its base forms decide). Most words
# there are no Finnish word at all, and Voikko's search for one is its slowest call.
_WRITTEN_FORM_ONLY = frozenset({"sv", "en"})

# Words that aim an insult at the person addressed: "du är en idiot".
SECOND_PERSON = frozenset(
    "du din dina ditt dig di sinä sä sää sie sinua sua sinut sut olet oot sun sinun "
    "you u your ur youre yourself ya".split()
)
NEGATION = frozenset(
    "inte ingen inget aldrig icke ej ei et ette mikään not no never nt isnt arent".split()
)
# A slur used of oneself (reclaimed) or mentioned rather than used ("calling people
# X is not okay") is for a person to judge, not for the machine to remove.
SELF_OR_MENTION = frozenset(
    "myself im am we us our ourselves mig själv jag vi oss itseäni minä olen me meitä "
    "calling call called say said saying word words term kalla kallar kallade säga sa ordet "
    "ord sanoa sanoi sana sanaa kutsua kutsuu i me my being proud fellow".split()
)
MENTION_SCORE_CAP = 0.7
# A slur alone is for a person to judge (a homonym, a reclaimed word, a quote);
# aimed at the person addressed it is removed.
UNDIRECTED_SLUR_SCORE = 0.8
SEVERITY_SCORE = {1: 0.55, 2: 0.75, 3: 0.95}
# A mild expletive (jävla, vitun, perkele) is how people stress criticism: it is
# reported only with something else (the score stays under review).
MILD_EXPLETIVE_SCORE = 0.45
NEGATED_SCORE = 0.45
DIRECTED_SCORE = 0.9
_WINDOW = 4


@dataclass(frozen=True)
class Entry:
    form: str
    category: str
    severity: int
    language: str
    source: str
    words: tuple[str, ...]  # folded keys of the words of the form
    key: str  # key of a single-word form, åäö kept
    stem: str  # key of the stem, åäö kept; "" when the entry is not inflected
    compound: bool


_NO_CANDIDATES: list[tuple[Entry, str]] = []


class Hit(NamedTuple):
    entry: Entry
    first: int  # token indices, inclusive
    last: int
    score: float


def _key(text: str) -> str:
    return "".join(token.key for token in normalise(text).tokens)


def _entry(language: str, raw: dict[str, Any]) -> Entry:
    form = str(raw["form"])
    words = tuple(fold_native(token.key) for token in normalise(form).tokens)
    stem = _key(str(raw["stem"])) if raw.get("stem") else ""
    return Entry(
        form=form,
        category=str(raw["category"]),
        severity=int(raw["severity"]),
        language=language,
        source=str(raw.get("source", "kanalvakt")),
        words=words,
        key=_key(form),
        stem=stem,
        compound=bool(raw.get("compound", False)),
    )


class Lexicon:
    """One language's entries, indexed for matching tokens."""

    def __init__(self, language: str, entries: Sequence[Entry]) -> None:
        self.language = language
        self.entries = tuple(entries)
        self._ending = _ENDINGS[language]
        self._exact: dict[str, list[Entry]] = {}
        self._stems: dict[str, list[Entry]] = {}
        self._compounds: list[Entry] = []
        self._phrases: dict[str, list[Entry]] = {}
        # words repeat from comment to comment: the guarded candidates per word,
        # by (text language, disguised) and then the word's form (which fixes its keys)
        self._seen: dict[tuple[str, bool], dict[str, list[tuple[Entry, str]]]] = {}
        self._seen_count = 0
        for entry in self.entries:
            if len(entry.words) > 1:
                self._phrases.setdefault(entry.words[0], []).append(entry)
                continue
            for key in {entry.key, fold_native(entry.key)}:
                self._exact.setdefault(key, []).append(entry)
            if entry.stem:
                for stem in {entry.stem, fold_native(entry.stem)}:
                    self._stems.setdefault(stem, []).append(entry)
            if entry.compound:
                self._compounds.append(entry)
        self._stem_starts = frozenset(stem[:3] for stem in self._stems)

    @classmethod
    def load(cls, language: str) -> Lexicon:
        # libyaml's loader when there is one (the same document, a tenth of the time)
        loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        text = (DATA_DIR / f"{language}.yaml").read_text(encoding="utf-8")
        document = yaml.load(text, Loader=loader)  # noqa: S506
        return cls(language, [_entry(language, raw) for raw in document["entries"]])

    def _ending_ok(self, stem: str, ending: str) -> bool:
        if not ending:
            return True
        if len(ending) > _MAX_ENDING or self._ending.fullmatch(ending) is None:
            return False
        return stem[-1] in VOWELS or ending[0] in VOWELS or ending == "s"

    def _word(self, token: Token, *, fuzzy: bool = True) -> list[tuple[Entry, str]]:
        """Candidate entries with how they matched: exact, stem or compound."""
        key = token.folded_key if token.disguised else token.key
        found = [(entry, "exact") for entry in self._exact.get(key, ())]
        if not fuzzy:
            return found
        # a stem that fits is at least three letters long: its first three must be the word's
        for cut in range(3, len(key)) if key[:3] in self._stem_starts else ():
            for entry in self._stems.get(key[:cut], ()):
                stem = fold_native(entry.stem) if token.disguised else entry.stem
                if stem == key[:cut] and self._ending_ok(stem, key[cut:]):
                    found.append((entry, "stem"))
        if len(key) >= 7:
            for entry in self._compounds:
                stem = entry.stem or entry.key
                stem = fold_native(stem) if token.disguised else stem
                position = key.find(stem, 3)
                if position > 0 and self._ending_ok(stem, key[position + len(stem) :]):
                    found.append((entry, "compound"))
        return found

    def _voikko(self, token: Token) -> list[tuple[Entry, str]] | None:
        """Finnish entries by Voikko's base forms; None when Voikko does not know the word."""
        analyses = morphology.fi_analyses(token.form) if not token.disguised else ()
        if not analyses:
            return None
        found: dict[str, tuple[Entry, str]] = {}
        for analysis in analyses:
            for entry in self._exact.get(squeeze(analysis.baseform), ()):
                found.setdefault(entry.form, (entry, "lemma"))
            last = len(analysis.parts) - 1
            for number, part in enumerate(analysis.parts if last else ()):
                for entry in self._exact.get(squeeze(part), ()):
                    # the head of a compound carries its meaning (kunta+idiootti);
                    # an obscene first part only makes the word coarse (paska+kasa)
                    if number == last or entry.category == "obscenity":
                        found.setdefault(entry.form, (entry, "compound"))
        return list(found.values())

    def candidates(self, token: Token, language: str) -> list[tuple[Entry, str]]:
        """Entries a token matches in a text of `language` (cached per word).

        A token's keys are functions of its form, so the form (with the text's
        language and whether the word is disguised) is the cache key.
        """
        seen = self._seen.get((language, token.disguised))
        if seen is None:
            seen = self._seen[(language, token.disguised)] = {}
        found = seen.get(token.form)
        if found is None:
            if self._seen_count > CACHE_SIZE:
                self._seen.clear()
                self._seen_count = 0
                seen = self._seen[(language, token.disguised)] = {}
            # most words match nothing: they share one empty list (never changed by callers)
            found = seen[token.form] = self._candidates(token, language) or _NO_CANDIDATES
            self._seen_count += 1
        return found

    def _candidates(self, token: Token, language: str) -> list[tuple[Entry, str]]:
        """Entries a token matches in a text of `language`, after the guards.

        A Finnish word known to Voikko matches the Finnish list by its base
        forms and compound parts only (in a Swedish or English text, a word
        whose written form matches no Finnish entry is not looked up).
        Another language's list gives nothing for a word more common in the
        text's language than in the list's ("kys" is kysymys in Finnish,
        "kuka" a pronoun). A fuzzy (stem or compound) match of a common word
        (wordfreq) is dropped unless its lemma (simplemma) is the entry's.
        """
        own = language == self.language
        found = None
        if self.language == "fi":
            if language in _WRITTEN_FORM_ONLY:
                found = self._word(token)
                if not found:
                    return []
            by_lemma = self._voikko(token)
            if by_lemma is not None:
                return by_lemma
        if found is None:
            found = self._word(token)
        if found and not own:
            if morphology.more_common_elsewhere(token.form, self.language, language):
                return []
        return [hit for hit in found if hit[1] == "exact" or self._fuzzy_ok(token, hit[0], own=own)]

    def _fuzzy_ok(self, token: Token, entry: Entry, *, own: bool) -> bool:
        word = token.form
        if not own and self.language != "fi" and morphology.fi_known(word):
            return False  # a Finnish word is not a Swedish or English inflection
        if not morphology.common(word, self.language):
            return True
        if self.language == "sv":
            return squeeze(morphology.sv_lemma_asked(word)) == entry.key
        return False

    def match(self, tokens: Sequence[Token], language: str = "other") -> Iterator[Hit]:
        """This lexicon's hits (`match_all` gives every lexicon's at once)."""
        hits: list[list[Hit]] = [[]]
        for index, token in enumerate(tokens):
            found = (self.candidates(token, language),)
            _collect((self,), found, tokens, index, token.folded_key in self._phrases, hits)
        yield from hits[0]


def _collect(
    lexes: Sequence[Lexicon],
    found: tuple[list[tuple[Entry, str]], ...],
    tokens: Sequence[Token],
    index: int,
    phrase: bool,
    hits: list[list[Hit]],
) -> None:
    """Add the hits of the word at `index` (its candidates, `found`, per lexicon)."""
    for number, lex in enumerate(lexes):
        out = hits[number]
        for entry, _how in found[number] if found else ():
            out.append(Hit(entry, index, index, _score(entry, tokens, index)))
        for entry in lex._phrases.get(tokens[index].folded_key, ()) if phrase else ():
            last = index + len(entry.words) - 1
            words = tuple(other.folded_key for other in tokens[index : last + 1])
            if words == entry.words:
                out.append(Hit(entry, index, last, score_of(entry.category, entry.severity)))


def score_of(category: str, severity: int) -> float:
    """A mild expletive or a mild insult word alone stays under review (0.45)."""
    if category in ("obscenity", "personal_attack") and severity == 1:
        return MILD_EXPLETIVE_SCORE
    return SEVERITY_SCORE[severity]


def _score(entry: Entry, tokens: Sequence[Token], index: int) -> float:
    """Severity, raised when an insult is aimed at the person addressed."""
    score = score_of(entry.category, entry.severity)
    window = {token.form for token in tokens[max(0, index - _WINDOW) : index]}
    if entry.category == "personal_attack" and window & NEGATION:
        return min(score, NEGATED_SCORE)  # "du är ingen idiot"
    if entry.category == "personal_attack" and window & SELF_OR_MENTION - {"ord", "sa"}:
        return min(score, NEGATED_SCORE)  # "sluta kalla folk för pucko"
    if entry.category == "hate_speech" and window & SELF_OR_MENTION:
        return min(score, MENTION_SCORE_CAP)
    if entry.category == "hate_speech" and not window & SECOND_PERSON:
        return min(score, UNDIRECTED_SLUR_SCORE)
    if entry.category != "personal_attack" or entry.severity < 2:
        return score
    if window & SECOND_PERSON and not window & NEGATION:
        return max(score, DIRECTED_SCORE)
    return score


@cache
def lexicons() -> tuple[Lexicon, ...]:
    return tuple(Lexicon.load(language) for language in LANGUAGES)


_NONE: tuple[list[tuple[Entry, str]], ...] = ()
# per text language: a plain word's candidates in every lexicon, _NONE when it has none
_ALL_SEEN: dict[str, dict[str, tuple[list[tuple[Entry, str]], ...]]] = {}


@cache
def _phrase_starts() -> frozenset[str]:
    return frozenset(word for lex in lexicons() for word in lex._phrases)


def match_all(tokens: Sequence[Token], language: str = "other") -> list[tuple[Lexicon, Hit]]:
    """Every lexicon's hits, lexicon by lexicon, as `Lexicon.match` gives them.

    One look-up per word for all the lexicons (a plain word seen before costs
    one dictionary get), and the phrase check only for a word that starts a
    phrase of some lexicon.
    """
    lexes = lexicons()
    seen = _ALL_SEEN.get(language)
    if seen is None or len(seen) > CACHE_SIZE:
        seen = _ALL_SEEN[language] = {}
    starts = _phrase_starts()
    per_lexicon: list[list[Hit]] | None = None
    for index, token in enumerate(tokens):
        found = None if token.disguised else seen.get(token.form)
        if found is None:
            found = tuple(lex.candidates(token, language) for lex in lexes)
            if not any(found):
                found = _NONE
            if not token.disguised:
                seen[token.form] = found
        phrase = token.folded_key in starts
        if found is _NONE and not phrase:
            continue
        if per_lexicon is None:
            per_lexicon = [[] for _ in lexes]
        _collect(lexes, found, tokens, index, phrase, per_lexicon)
    if per_lexicon is None:
        return []
    return [(lex, hit) for lex, hits in zip(lexes, per_lexicon, strict=True) for hit in hits]
