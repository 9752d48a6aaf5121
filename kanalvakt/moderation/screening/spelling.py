"""Spelling-tolerant reading of the words that matter (issue 8).

People misspell insults as often as anything else, and some misspell them on
purpose. Before the detectors run, a word that no dictionary knows is read as
the word it almost is, when that word is one screening looks for:

* **typos** (edit distance 1: a letter swapped with its neighbour, left out,
  added or replaced) in a word of five letters or more: "idoit", "löganre",
  "hcyklare", "psäsi", "ignen" (ingen), "msisä" (missä). The word is compared
  with the *heads* (the lexicons' single-word forms, the insult words, harm
  verbs, negations and the discriminating words of the patterns) by a
  deletion index (SymSpell), each prefix of the word against the heads with a
  valid ending after it ("löganre" → lögnare, "hcyklarna" → hycklarna). A
  Finnish word is also read by Voikko: a neighbour swap or a dropped letter
  that Voikko knows as a harm verb or an insult ("hiträn" → hirtän);
* **joined words**: an unknown word that splits into two or three words that
  exist, one of them a head or a pronoun that aims ("dinjävla" → din jävla,
  "senkinidiootti" → senkin idiootti, "jaghatarkvinnor" → jag hatar
  kvinnor);
* **split words**: two or three short pieces that are not all words and make a
  head together ("id iot", "pas ka").

**The frequency guard**: a word that wordfreq knows in Swedish, Finnish,
English, Danish or Norwegian (Zipf ≥ 1.5), or that Voikko knows, is never
changed: "idiom" stays idiom, "horse" stays horse. Corrected tokens keep
their span in the original text, so the evidence still points at what the
writer wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from kanalvakt.moderation.screening import lexicon, morphology, structure, threats
from kanalvakt.moderation.screening.normalise import Normalised, Token, fold_native, squeeze

MIN_WORD = 5  # shorter words are too close to too many others
MIN_HEAD = 5
MAX_PIECE = 6  # a piece of a split word ("id iootti")
JOIN_ZIPF = 3.5  # pieces all this common are words of their own, not a split word
KNOWN_ZIPF = 1.5  # a word wordfreq knows at least this well is a word, not a typo
GUARD_LANGUAGES = ("sv", "fi", "en", "da", "nb")
_MAX_ENDING = 9
_CACHE_SIZE = 100_000
# words that aim what follows at a person, and the first person of hate ("jag hatar")
AIMING = frozenset(
    "du din dina ditt dig ni er sinä sä senkin te olet oot jag vi minä mä me".split()
)
FI_VERB_HEADS = threats.FI_HARM


def _alphabetic(word: str) -> bool:
    return word.isalpha() and len(word) >= MIN_HEAD


@cache
def heads() -> dict[str, frozenset[str]]:
    """Each head word and the languages whose endings it may take."""
    found: dict[str, set[str]] = {}

    def add(words: Iterable[str], languages: Iterable[str]) -> None:
        for word in words:
            if _alphabetic(word):
                found.setdefault(word, set()).update(languages)

    for lex in lexicon.lexicons():
        add(
            (entry.form.casefold() for entry in lex.entries if len(entry.words) == 1),
            [lex.language],
        )
    add(structure.INSULT_NOUNS | structure.INSULT_ADJECTIVES, ["sv", "fi"])
    add(threats.SV_HARM, ["sv"])
    add(threats.FI_HARM, ["fi"])
    add(lexicon.NEGATION | {"mikään", "koskaan", "ikinä", "aldrig"}, ["sv", "fi", "en"])
    add(_pattern_words(), ["sv", "fi", "en"])
    add(AIMING, ["sv", "fi"])
    return {word: frozenset(languages) for word, languages in found.items()}


def _pattern_words() -> set[str]:
    from kanalvakt.moderation.screening import firstpass, patterns

    words: set[str] = set()
    for pattern in patterns.PATTERNS:
        words |= {
            word for word in firstpass._literals(pattern.regex.pattern) if len(word) >= MIN_HEAD
        }
    return words


def _deletions(word: str) -> Iterator[str]:
    for index in range(len(word)):
        yield word[:index] + word[index + 1 :]


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """Each head and each head less one letter → the heads (a SymSpell index, distance 1)."""
    index: dict[str, set[str]] = {}
    for head in heads():
        index.setdefault(head, set()).add(head)
        for variant in _deletions(head):
            index.setdefault(variant, set()).add(head)
    return {variant: tuple(sorted(found)) for variant, found in index.items()}


@cache
def _fi_starts() -> frozenset[str]:
    """First three letters of the heads a Finnish word may be a typo of."""
    return frozenset(head[:3] for head, languages in heads().items() if "fi" in languages)


def distance_one(a: str, b: str) -> bool:
    """True when a and b differ by one edit: a swap of neighbours, a letter in, out or changed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        first, second = diff[0], diff[-1]
        return (
            len(diff) == 2
            and second == first + 1
            and a[first] == b[second]
            and a[second] == b[first]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for index in range(len(long)):
        if long[:index] + long[index + 1 :] == short:
            return True
    return False


def _ending_ok(head: str, ending: str, languages: frozenset[str]) -> bool:
    if not ending:
        return True
    if len(ending) > _MAX_ENDING:
        return False
    return any(lexicon._ENDINGS[language].fullmatch(ending) for language in languages)


def _in_wordfreq(word: str) -> bool:
    return any(morphology.zipf(word, language) >= KNOWN_ZIPF for language in GUARD_LANGUAGES)


def known(word: str) -> bool:
    """A word of some language (wordfreq or Voikko): never changed."""
    return _in_wordfreq(word) or morphology.fi_known(word)


def _first_letter_ok(prefix: str, head: str) -> bool:
    """A changed first letter is another word ("slatten" is not "blatten"), not a typo."""
    if prefix[0] == head[0] or prefix[1:] == head or prefix == head[1:]:
        return True
    return prefix[:2] == head[1] + head[0]


def _by_heads(word: str) -> list[str]:
    index, found = _index(), []
    all_heads = heads()
    if any(word[:cut] in all_heads for cut in range(MIN_HEAD, len(word) + 1)):
        return []  # a head as it is, inflected or in a compound: nothing to correct
    for cut in range(max(MIN_HEAD - 1, len(word) - _MAX_ENDING), len(word) + 1):
        prefix, ending = word[:cut], word[cut:]
        for variant in (prefix, *_deletions(prefix)):
            for head in index.get(variant, ()):
                if (
                    distance_one(prefix, head)
                    and _first_letter_ok(prefix, head)
                    and _ending_ok(head, ending, all_heads[head])
                ):
                    found.append(head + ending)
    return found


def _by_voikko(word: str) -> list[str]:
    """Finnish: a neighbour swap or a dropped letter that Voikko reads as a head."""
    starts = _fi_starts()
    variants = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
    variants += list(_deletions(word))
    all_heads = heads()
    found = []
    for variant in variants:
        if variant[:3] not in starts or variant == word:
            continue
        for analysis in morphology.fi_analyses(variant):
            if analysis.baseform in all_heads:
                found.append(variant)
                break
    return found


_CORRECTED: dict[tuple[str, bool], str] = {}


def correct_word(word: str, finnish: bool = True) -> str:
    """The head-word `word` is a typo of, or "" (cached per word).

    `finnish`: also read the word by Voikko (a Finnish text, or one whose
    language is not known).
    """
    corrected = _CORRECTED.get((word, finnish))
    if corrected is not None:
        return corrected
    if len(_CORRECTED) > _CACHE_SIZE:
        _CORRECTED.clear()
    corrected = _CORRECTED[(word, finnish)] = _correct(word, finnish)
    return corrected


@cache
def _gate() -> tuple[frozenset[str], frozenset[str]]:
    """First four letters of the heads, and those of the heads less one of their first five."""
    fours = frozenset(head[:4] for head in heads())
    near = frozenset(variant[:4] for head in heads() for variant in _deletions(head[:5]))
    return fours, near | frozenset(v for four in fours for v in _deletions(four))


def _near_head(word: str) -> bool:
    """Could one edit make `word` start like a head? (a cheap test before the index)"""
    fours, near = _gate()
    start = word[:4]
    if start in fours or start in near:
        return True
    five = word[:5]
    for index in range(5):
        if five[:index] + five[index + 1 :] in fours:
            return True
    for index in range(4):
        if start[:index] + start[index + 1 :] in near:
            return True
    return False


def _correct(word: str, finnish: bool) -> str:
    if len(word) < MIN_WORD or not word.isalpha() or word in heads():
        return ""
    candidates = _by_heads(word) if _near_head(word) else []
    if (
        not candidates
        and finnish
        and (word[:3] in _fi_starts() or _starts_near(word))
        and not morphology.fi_known(word)  # a word Voikko knows is never changed (cached)
    ):
        candidates = _by_voikko(word)
    # an edit of the last letter is how a case ending or a dialect reads ("hölmöö"), not a typo
    candidates = [c for c in candidates if c[:-1] != word[:-1] and c != word[:-1]]
    if not candidates or known(word):
        return ""
    # a candidate that is itself a word (wordfreq or Voikko) reads best; then the longest head
    return max(candidates, key=lambda c: (known(c), len(c)))


def _starts_near(word: str) -> bool:
    """Could a swap or a dropped letter in the first three letters start a head?"""
    starts = _fi_starts()
    return any(
        variant[:3] in starts
        for variant in (
            word[1] + word[0] + word[2:],
            word[0] + word[2] + word[1] + word[3:],
            *(word[:i] + word[i + 1 :] for i in range(3)),
        )
    )


# ---- joined and split words ------------------------------------------------


def _common(
    word: str, languages: tuple[str, ...] = morphology.LANGUAGES, zipf: float = 3.0
) -> bool:
    return any(morphology.zipf(word, language) >= zipf for language in languages)


def _word_like(part: str) -> bool:
    if part in AIMING or part in heads():
        return True
    # a two-letter piece only when it is among the commonest words ("är", "åt", "on")
    return _common(part) if len(part) >= 3 else len(part) == 2 and _common(part, zipf=5.0)


_SPLIT: dict[str, tuple[str, ...]] = {}


def split_word(word: str) -> tuple[str, ...]:
    """The words an unknown joined word is made of, or () (cached per word)."""
    found = _SPLIT.get(word)
    if found is not None:
        return found
    if len(_SPLIT) > _CACHE_SIZE:
        _SPLIT.clear()
    found = _SPLIT[word] = _split(word)
    return found


def _split(word: str) -> tuple[str, ...]:
    if len(word) < 6 or not word.isalpha() or not _has_head_inside(word) or _in_wordfreq(word):
        return ()
    if _head_like(word):
        return ()  # a word screening looks for as it is ("korkskalle"): nothing to split
    found = [
        parts
        for parts, _ in zip(_segmentations(word, 3), range(24), strict=False)
        if len(parts) > 1 and any(_head_like(part) for part in parts)
    ]
    if not found:
        return ()
    # the reading with the most heads, then the fewest pieces: "kvinnor är ohyra"
    parts = max(found, key=lambda p: (sum(_head_like(part) for part in p), -len(p)))
    # a compound Voikko knows splits only into a pronoun and heads: "senkinpässi"
    if morphology.fi_known(word) and not (
        parts[0] in AIMING and all(_head_like(part) for part in parts[1:])
    ):
        return ()
    return parts


@cache
def _harmful() -> dict[str, frozenset[str]]:
    """The heads that make a joined word worth splitting: insults, swearing, harm, groups."""
    from kanalvakt.moderation.screening import firstpass, patterns

    words = {entry.form.casefold() for lex in lexicon.lexicons() for entry in lex.entries}
    words |= structure.INSULT_NOUNS | structure.INSULT_ADJECTIVES
    words |= threats.SV_HARM | threats.FI_HARM
    for name, fragment in patterns.FRAGMENTS.items():
        if name.endswith(("GROUPS", "DEHUMANISE", "VIOLENCE", "ELIMINATE")):
            words |= firstpass._literals(fragment)
    return {word: languages for word, languages in heads().items() if word in words}


def _head_like(part: str) -> bool:
    """A harmful head, or one with an ending ("muslimer", "idiooteille")."""
    harmful = _harmful()
    if part in harmful:
        return True
    for cut in range(MIN_HEAD, len(part)):
        head = part[:cut]
        if head in harmful and _ending_ok(head, part[cut:], harmful[head]):
            return True
    return False


def _segmentations(word: str, limit: int) -> Iterator[tuple[str, ...]]:
    if _word_like(word):
        yield (word,)
    if limit == 1:
        return
    for cut in range(len(word) - 2, 1, -1):
        first = word[:cut]
        if not _word_like(first):
            continue
        for rest in _segmentations(word[cut:], limit - 1):
            yield (first, *rest)


@cache
def _inside() -> frozenset[str]:
    return frozenset(head[:5] for head in heads() if len(head) >= 5)


def _has_head_inside(word: str) -> bool:
    """Does a head start somewhere inside `word` (after its first letters)?"""
    inside = _inside()
    return any(word[i : i + 5] in inside for i in range(2, len(word) - 4))


@cache
def _head_starts() -> frozenset[str]:
    """Every beginning of a head: two pieces that are one may go on with a third."""
    return frozenset(head[:cut] for head in heads() for cut in range(1, len(head)))


def _join(
    tokens: tuple[Token, ...],
    index: int,
    all_heads: dict[str, frozenset[str]],
    languages: tuple[str, ...],
) -> tuple[str, int]:
    """Two or three short pieces from `index` that make a head together ("id iot").

    At least one piece must not be a common word of the text's language.
    """
    joined = tokens[index].form + tokens[index + 1].form
    count = 2
    if joined not in all_heads:
        if index + 2 >= len(tokens) or joined not in _head_starts():
            return "", 0
        third = tokens[index + 2].form
        if len(third) > MAX_PIECE or joined + third not in all_heads:
            return "", 0
        joined, count = joined + third, 3
    if all(_common(piece.form, languages, JOIN_ZIPF) for piece in tokens[index : index + count]):
        return "", 0
    return joined, count


def _token(form: str, start: int, end: int) -> Token:
    key = squeeze(form)
    return Token(form, key, fold_native(key), start, end, False)


_READ: dict[bool, dict[str, tuple[str, ...]]] = {True: {}, False: {}}


def read(form: str, finnish: bool) -> tuple[str, ...]:
    """How a word is read: () as written, else its correction or the words it joins."""
    seen = _READ[finnish]
    found = seen.get(form)
    if found is None:
        if len(seen) > _CACHE_SIZE:
            seen.clear()
        corrected = correct_word(form, finnish) if len(form) >= MIN_WORD else ""
        found = seen[form] = (corrected,) if corrected else split_word(form)
    return found


@cache
def _join_keys() -> frozenset[str]:
    return _head_starts() | frozenset(heads())


def _unchanged(tokens: tuple[Token, ...], finnish: bool) -> bool:
    """True when no word of the text reads otherwise (the common case, checked fast)."""
    seen = _READ[finnish]
    keys = _join_keys()
    starts = _head_starts()  # a piece that starts no head joins nothing
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        form = token.form
        if len(form) >= MIN_WORD and not token.disguised:
            parts = seen.get(form)
            if parts is None:
                parts = read(form, finnish)
            if parts:
                return False
        if form in starts and index < last and form + tokens[index + 1].form in keys:
            return False
    return True


def correct(normalised: Normalised, language: str = "other") -> Normalised:
    """The text's tokens with typos, joined and split words read as meant."""
    tokens = normalised.tokens
    finnish = language == "fi"
    if _unchanged(tokens, finnish):
        return normalised
    languages = (language,) if language in morphology.LANGUAGES else morphology.LANGUAGES
    out: list[Token] = []
    changed = False
    index = 0
    count = len(tokens)
    all_heads = heads()
    while index < count:
        token = tokens[index]
        form = token.form
        size = len(form)
        if size <= MAX_PIECE and index + 1 < count and len(tokens[index + 1].form) <= MAX_PIECE:
            joined, pieces = _join(tokens, index, all_heads, languages)
            if pieces:
                out.append(_token(joined, token.start, tokens[index + pieces - 1].end))
                index += pieces
                changed = True
                continue
        index += 1
        parts = () if token.disguised or size < MIN_WORD else read(form, finnish)
        if not parts:
            out.append(token)
            continue
        changed = True
        exact = len(parts) > 1 and token.end - token.start == size
        position = token.start
        for part in parts:
            end = position + len(part) if exact else token.end
            out.append(_token(part, position if exact else token.start, end))
            position = end
    if not changed:
        return normalised
    tokens_out = tuple(out)
    return Normalised(tokens_out, " ".join(token.form for token in tokens_out))


def needs_rules(text: str) -> bool:
    """For the first pass: does a word of `text`, or two or three joined, read as a head?"""
    words = [word.strip(".,!?;:\"'()[]") for word in text.casefold().split()]
    all_heads = heads()
    for index, word in enumerate(words):
        if len(word) >= MIN_WORD and read(word, True):
            return True
        if len(word) <= MAX_PIECE and index + 1 < len(words):
            joined = word + words[index + 1]
            if joined in all_heads or (
                index + 2 < len(words) and joined + words[index + 2] in all_heads
            ):
                return True
    return False
