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

from functools import cache

from kanalvakt.moderation.screening import morphology
from kanalvakt.moderation.screening.compounds import MAX_PIECE, join, split_word
from kanalvakt.moderation.screening.heads import (
    CACHE_SIZE,
    MAX_ENDING,
    MIN_HEAD,
    MIN_WORD,
    deletions,
    ending_ok,
    head_starts,
    heads,
    in_wordfreq,
    known,
)
from kanalvakt.moderation.screening.normalise import Normalised, Token, fold_native, squeeze


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """Each head and each head less one letter → the heads (a SymSpell index, distance 1)."""
    index: dict[str, set[str]] = {}
    for head in heads():
        index.setdefault(head, set()).add(head)
        for variant in deletions(head):
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


def _first_letter_ok(prefix: str, head: str) -> bool:
    """A changed first letter is another word ("slatten" is not "blatten"), not a typo."""
    if prefix[0] == head[0] or prefix[1:] == head or prefix == head[1:]:
        return True
    return prefix[:2] == head[1] + head[0]


@cache
def _index_fives() -> frozenset[str]:
    """The first five letters of the index's keys of five letters or more."""
    return frozenset(key[:5] for key in _index() if len(key) >= 5)


@cache
def _index_starts() -> frozenset[str]:
    """The first four letters of the index's keys (every key has four or more)."""
    return frozenset(key[:4] for key in _index())


def _by_heads(word: str) -> list[str]:
    index = _index()
    found: list[str] = []
    all_heads = heads()
    if any(word[:cut] in all_heads for cut in range(MIN_HEAD, len(word) + 1)):
        return []  # a head as it is, inflected or in a compound: nothing to correct
    # A prefix and its deletions from the fifth letter on start with the word's first
    # four letters; a deletion among the first four starts with four of its first
    # five. Variants that start like no key of the index are never looked up: the
    # same heads in the same order, without most of the look-ups. (A deletion
    # from a four-letter prefix leaves three letters, shorter than every key.)
    starts = _index_starts()
    own = word[:4] in starts
    five = word[:5]
    early = [i for i in range(4) if five[:i] + five[i + 1 :] in starts]
    if not own and not early:
        return found
    # A variant of five letters or more is looked up only when its first five
    # start a key: the prefix and its deletions from the sixth letter on start
    # with the word's first five, the deletion of the fifth with word[:4] + word[5],
    # an early deletion with four of the first five and word[5].
    fives = _index_fives()
    sixth = word[5:6]
    whole = five in fives
    fifth = own and word[:4] + sixth in fives
    early_long = [i for i in early if five[:i] + five[i + 1 :] + sixth in fives]
    for cut in range(max(MIN_HEAD - 1, len(word) - MAX_ENDING), len(word) + 1):
        prefix, ending = word[:cut], word[cut:]
        if cut >= 6:
            variants = [prefix] if whole else []
            variants += [prefix[:i] + prefix[i + 1 :] for i in early_long]
            if fifth:
                variants.append(prefix[:4] + prefix[5:])
            if whole:
                variants += [prefix[:i] + prefix[i + 1 :] for i in range(5, cut)]
        elif cut == 5:  # the prefix is five letters, its deletions four
            variants = [prefix] if whole else []
            variants += [prefix[:i] + prefix[i + 1 :] for i in early]
            if own:
                variants.append(prefix[:4])
        else:  # four letters: the prefix alone
            variants = [prefix] if own else []
        for variant in variants:
            for head in index.get(variant, ()):
                if (
                    distance_one(prefix, head)
                    and _first_letter_ok(prefix, head)
                    and ending_ok(head, ending, all_heads[head])
                ):
                    found.append(head + ending)
    return found


def _by_voikko(word: str) -> list[str]:
    """Finnish: a neighbour swap or a dropped letter that Voikko reads as a head."""
    starts = _fi_starts()
    variants = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
    variants += list(deletions(word))
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
    if len(_CORRECTED) > CACHE_SIZE:
        _CORRECTED.clear()
    corrected = _CORRECTED[(word, finnish)] = _correct(word, finnish)
    return corrected


@cache
def _gate() -> tuple[frozenset[str], frozenset[str]]:
    """First four letters of the heads, and those of the heads less one of their first five."""
    fours = frozenset(head[:4] for head in heads())
    near = frozenset(variant[:4] for head in heads() for variant in deletions(head[:5]))
    return fours, near | frozenset(v for four in fours for v in deletions(four))


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
    if in_wordfreq(word):
        return ""  # a known word is never changed (the end says so too): asked first, it is cheap
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


def _token(form: str, start: int, end: int) -> Token:
    key = squeeze(form)
    return Token(form, key, fold_native(key), start, end, False)


_READ: dict[bool, dict[str, tuple[str, ...]]] = {True: {}, False: {}}


def read(form: str, finnish: bool) -> tuple[str, ...]:
    """How a word is read: () as written, else its correction or the words it joins."""
    seen = _READ[finnish]
    found = seen.get(form)
    if found is None:
        if len(seen) > CACHE_SIZE:
            seen.clear()
        corrected = correct_word(form, finnish) if len(form) >= MIN_WORD else ""
        found = seen[form] = (corrected,) if corrected else split_word(form)
    return found


@cache
def _join_keys() -> frozenset[str]:
    return head_starts() | frozenset(heads())


def _unchanged(tokens: tuple[Token, ...], finnish: bool) -> bool:
    """True when no word of the text reads otherwise (the common case, checked fast)."""
    seen = _READ[finnish]
    keys = _join_keys()
    starts = head_starts()  # a piece that starts no head joins nothing
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
            joined, pieces = join(tokens, index, all_heads, languages)
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
