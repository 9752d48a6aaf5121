"""Normalisation against evasion (MOD-6), keeping a map back to the original text.

A comment is turned into word *tokens*. Each token knows the span of the
original text it came from, so evidence can be highlighted where the writer
put it. On the way:

* NFKC (full-width letters, ligatures) and case folding;
* zero-width characters, soft hyphens and joiners are dropped;
* Cyrillic and Greek look-alikes become the Latin letter they imitate;
* leetspeak inside words (1d10t, $h1t, j4vla) becomes letters;
* accents are stripped (ïdïöt is idiot), but Swedish and Finnish å, ä and ö
  stay letters in an ordinary word, so "höra" never becomes "hora". A word
  that shows signs of disguise (a foreign accent, a look-alike, a leet digit)
  is folded all the way; the lexicon then compares it with folded entries;
* runs of one letter repeated three or more times are cut to one
  (iiiidiooot → idiot) in `form`; `key` squeezes every run, so the Finnish
  gradation idiootti/idiootit/idiooteille shares one key stem;
* single letters spaced or dotted apart (i d i o t, i.d.i.o.t) are joined.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

ZERO_WIDTH = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c"
    "\u206d\u206e\u206f\u3164\ufeff\uffa0"
)

# Letters of the Swedish and Finnish (and Danish/Norwegian) alphabets that
# carry a mark but are not accented variants.
NATIVE = frozenset("åäöæø")
NATIVE_FOLD = {"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o"}

HOMOGLYPHS = {
    # Cyrillic (lower case; input is case-folded first)
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m",
    "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
    "ь": "b", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ɡ": "g", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s", "σ": "o",
    "μ": "u",
    # Latin look-alikes outside ASCII
    "ı": "i", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss",
}  # fmt: skip

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "|": "i"}

# What may stand between spaced-out letters: i d i o t, i.d.i.o.t, i-d-i-o-t.
_SPACER = re.compile(r"[\s.\-_*·,/\\]{1,3}")
_SQUEEZE_LONG = re.compile(r"(.)\1{2,}")
_SQUEEZE_ALL = re.compile(r"(.)\1+")


class Token(NamedTuple):
    """A word as screening sees it, with its span in the original text.

    A named tuple rather than a dataclass: a comment makes a dozen of them and
    screening makes millions (issue 8, speed).
    """

    form: str  # folded word, runs of 3+ letters cut to one
    key: str  # `form` with every run of a letter squeezed to one
    folded_key: str  # `key` with å ä ö folded to a and o
    start: int
    end: int
    disguised: bool  # accents, look-alikes or leet: compare with fully folded entries


class _Unit(NamedTuple):
    native: str  # å ä ö kept
    folded: str  # everything folded to a-z
    start: int
    end: int
    kind: str  # letter | leet | at | space | other
    disguised: bool


class Normalised:
    """The tokens of a text and a flat string of their forms for patterns."""

    __slots__ = ("_token_at", "joined", "tokens")

    def __init__(self, tokens: tuple[Token, ...], joined: str) -> None:
        self.tokens = tokens
        self.joined = joined  # token forms separated by single spaces
        self._token_at: tuple[int, ...] | None = None

    @property
    def token_at(self) -> tuple[int, ...]:
        """For each char of `joined`, the index of its token (built when a match asks)."""
        if self._token_at is None:
            token_at: list[int] = []
            for number, token in enumerate(self.tokens):
                if number:
                    token_at.append(number - 1)
                token_at.extend([number] * len(token.form))
            self._token_at = tuple(token_at)
        return self._token_at

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the tokens a match on `joined` covers."""
        end = max(end, start + 1)
        token_at = self.token_at
        first = self.tokens[token_at[start]]
        last = self.tokens[token_at[end - 1]]
        return first.start, last.end


def squeeze(word: str) -> str:
    return _SQUEEZE_ALL.sub(r"\1", word)


_FOLD_TABLE = str.maketrans(NATIVE_FOLD)


def fold_native(word: str) -> str:
    return word.translate(_FOLD_TABLE)


def _units(text: str) -> list[_Unit]:
    if text.isascii() or not any(map(unicodedata.combining, set(text))):
        # no combining marks: every character is a cluster of its own
        cluster = _cluster
        return [
            _Unit(native, folded, index, index + 1, kind, disguised)
            for index, char in enumerate(text)
            for native, folded, kind, disguised in cluster(char)
        ]
    units: list[_Unit] = []
    index = 0
    length = len(text)
    while index < length:
        end = index + 1
        # a base character owns the combining marks after it
        while end < length and unicodedata.combining(text[end]):
            end += 1
        for native, folded, kind, disguised in _cluster(text[index:end]):
            units.append(_Unit(native, folded, index, end, kind, disguised))
        index = end
    return units


@lru_cache(maxsize=8192)
def _cluster(cluster: str) -> tuple[tuple[str, str, str, bool], ...]:
    """What one character with its combining marks becomes (cached: text repeats)."""
    if cluster[0] in ZERO_WIDTH:
        return ()
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", cluster).casefold())
    out: list[tuple[str, str, str, bool]] = []
    position = 0
    while position < len(decomposed):
        base = decomposed[position]
        position += 1
        marks = ""
        while position < len(decomposed) and unicodedata.combining(decomposed[position]):
            marks += decomposed[position]
            position += 1
        out.extend(_classify(base, marks))
    return tuple(out)


def _classify(base: str, marks: str) -> list[tuple[str, str, str, bool]]:
    composed = unicodedata.normalize("NFC", base + marks)
    if composed in NATIVE:
        return [(composed, NATIVE_FOLD[composed], "letter", False)]
    if base in HOMOGLYPHS:
        mapped = HOMOGLYPHS[base]
        return [(char, char, "letter", True) for char in mapped]
    if base.isalpha():
        disguised = bool(marks) or not base.isascii()
        return [(base, base, "letter", disguised)]
    if base in LEET:
        kind = "at" if base == "@" else "leet"
        return [(LEET[base], LEET[base], kind, True)]
    if base.isspace():
        return [(" ", " ", "space", False)]
    return [(base, base, "other", False)]


def _raw_tokens(units: list[_Unit]) -> list[list[_Unit]]:
    """Runs of letters and leet characters that contain at least one letter."""
    runs: list[list[_Unit]] = []
    current: list[_Unit] = []

    def close() -> None:
        # a leading '@' marks a mention, not a disguised "a"
        while current and current[0].kind == "at":
            current.pop(0)
        if any(unit.kind == "letter" for unit in current):
            runs.append(list(current))
        current.clear()

    for unit in units:
        if unit.kind in ("letter", "leet", "at"):
            current.append(unit)
        elif current:  # closing nothing does nothing
            close()
    close()
    return runs


def _join_spaced(runs: list[list[_Unit]], text: str) -> list[list[_Unit]]:
    """Join three or more single letters spaced or dotted apart into one word."""
    joined: list[list[_Unit]] = []
    index = 0
    while index < len(runs):
        end = index
        while (
            end + 1 < len(runs)
            and len(runs[end]) == 1
            and len(runs[end + 1]) == 1
            and _SPACER.fullmatch(text[runs[end][0].end : runs[end + 1][0].start]) is not None
        ):
            end += 1
        if end - index >= 2:
            joined.append([run[0] for run in runs[index : end + 1]])
            index = end + 1
        else:
            joined.append(runs[index])
            index += 1
    return joined


_FORMS: dict[str, tuple[str, str, str]] = {}


def _token(run: list[_Unit]) -> Token:
    disguised = any(unit.disguised for unit in run) or any(unit.kind != "letter" for unit in run)
    word = "".join(unit.folded if disguised else unit.native for unit in run)
    forms = _FORMS.get(word)
    if forms is None:
        if len(_FORMS) > 200_000:
            _FORMS.clear()
        form = _SQUEEZE_LONG.sub(r"\1", word)
        key = squeeze(form)
        forms = _FORMS[word] = (form, key, fold_native(key))
    return Token(*forms, run[0].start, run[-1].end, disguised)


# Plain text (ASCII and å ä ö letters, no digit next to a letter, no leet, nothing
# spaced apart, no letter three times over) gives the same tokens by one regular
# expression; a number standing alone is no word in either.
_NOT_PLAIN = re.compile(
    r"[^\W\d_]\d|\d[^\W\d_]|[@$|]|\b\w[\s.\-_*·,/\\]{1,3}\w[\s.\-_*·,/\\]{1,3}\w\b|([^\W\d_])\1\1"
)
_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_PLAIN_NON_ASCII = frozenset("åäöÅÄÖ")
_PLAIN_CATEGORIES = frozenset({"So", "Sk", "Sm", "Sc", "Pd", "Pi", "Pf", "Po", "Ps", "Pe", "Zs"})
# an emoji's variation selectors ("❤️") separate words in the full normalisation too
_VARIATION_SELECTORS = frozenset("\ufe0e\ufe0f")


@lru_cache(maxsize=4096)
def _plain_char(char: str) -> bool:
    if char in _PLAIN_NON_ASCII or char in _VARIATION_SELECTORS:
        return True
    return (
        char not in ZERO_WIDTH
        and unicodedata.category(char) in _PLAIN_CATEGORIES
        and unicodedata.normalize("NFKC", char) == char
    )


# _NOT_PLAIN's alternatives one by one, each behind a cheap test (same answer, faster)
_NOT_PLAIN_CHAR = re.compile(r"[@$|]")
_DIGIT = re.compile(r"\d")
_DIGIT_LETTER = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")
_SPACED = re.compile(r"\b\w[\s.\-_*·,/\\]{1,3}\w[\s.\-_*·,/\\]{1,3}\w\b")
_TRIPLE_ANY = re.compile(r"(.)\1\1")  # run over the lower-cased text: "xxX" is cut as "xxx" is
_TRIPLE_LETTER = re.compile(r"([^\W\d_])\1\1", re.IGNORECASE)


NOT_PLAIN, PLAIN, PLAIN_LONG_RUNS = 0, 1, 2


def _plainness(text: str) -> int:
    """PLAIN, PLAIN_LONG_RUNS (plain but for a letter three times over) or NOT_PLAIN.

    A letter three times over ("jaaaa", "(ddd)") is the one disguise the fast
    tokeniser can take as well: it cuts such runs in the word as the full
    normalisation does (`_SQUEEZE_LONG`).
    """
    if _NOT_PLAIN_CHAR.search(text) or (_DIGIT.search(text) and _DIGIT_LETTER.search(text)):
        return NOT_PLAIN
    if _SPACED.search(text):
        return NOT_PLAIN
    if not text.isascii() and not all(_plain_char(char) for char in set(_NON_ASCII.findall(text))):
        return NOT_PLAIN
    if _TRIPLE_ANY.search(text.lower()) and _TRIPLE_LETTER.search(text):
        return PLAIN_LONG_RUNS
    return PLAIN


def _plain(text: str) -> bool:
    return _plainness(text) == PLAIN


_PLAIN_WORDS: dict[str, tuple[str, str, str]] = {}
_PLAIN_WORDS_MAX = 200_000


def _plain_word(word: str) -> tuple[str, str, str]:
    """form, key and folded key of a plain word (cached: words repeat)."""
    form = word.lower()
    key = squeeze(form)
    found = _PLAIN_WORDS[word] = (form, key, key.translate(_FOLD_TABLE))
    return found


_LONG_RUN_WORDS: dict[str, tuple[str, str, str]] = {}


def _long_run_word(word: str) -> tuple[str, str, str]:
    """`_plain_word` with runs of three or more of a letter cut to one (iiidiot)."""
    found = _LONG_RUN_WORDS.get(word)
    if found is None:
        if len(_LONG_RUN_WORDS) > _PLAIN_WORDS_MAX:
            _LONG_RUN_WORDS.clear()
        form = _SQUEEZE_LONG.sub(r"\1", word.lower())
        key = squeeze(form)
        found = _LONG_RUN_WORDS[word] = (form, key, key.translate(_FOLD_TABLE))
    return found


def _plain_tokens(text: str, long_runs: bool = False) -> tuple[Token, ...]:
    if len(_PLAIN_WORDS) > _PLAIN_WORDS_MAX:
        _PLAIN_WORDS.clear()
    words = _PLAIN_WORDS
    new = tuple.__new__
    tokens = []
    end = 0
    for word in _WORD.findall(text):
        # only non-letters lie between two words: the next occurrence is this one
        start = text.find(word, end)
        end = start + len(word)
        forms = words.get(word) or _plain_word(word)
        if long_runs and _TRIPLE_ANY.search(forms[0]):
            forms = _long_run_word(word)
        tokens.append(new(Token, (*forms, start, end, False)))
    return tuple(tokens)


@lru_cache(maxsize=4096)
def normalise(text: str) -> Normalised:
    plainness = _plainness(text)
    if plainness:
        tokens = _plain_tokens(text, plainness == PLAIN_LONG_RUNS)
    else:
        tokens = tuple(_token(run) for run in _join_spaced(_raw_tokens(_units(text)), text))
    return Normalised(tokens, " ".join([token.form for token in tokens]))


def clean(text: str) -> tuple[str, list[int]]:
    """NFKC text without zero-width characters, and the original offset of each char.

    Used by detectors of numbers and addresses, which must not see leetspeak.
    """
    if unicodedata.is_normalized("NFKC", text) and not ZERO_WIDTH.intersection(text):
        return text, list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char in ZERO_WIDTH:
            continue
        for mapped in unicodedata.normalize("NFKC", char):
            out.append(mapped)
            offsets.append(index)
    return "".join(out), offsets
