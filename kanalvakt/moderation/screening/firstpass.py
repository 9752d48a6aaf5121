"""The cheap first pass: does a text need the rules at all? (issue 8)

One Aho-Corasick scan (`pyahocorasick`, in C) over the case-folded text,
looking for any trigger: a lexicon stem or the start of a written form
(native and with å ä ö folded, squeezed and as written), an insult word, a harm verb, a word of a
pattern, of the self-harm signal or of the advert detector; plus a few
regular expressions for what a word list cannot see: digits (identity and
phone numbers, leetspeak), @ and links, masking characters, letters spaced
apart, a letter written three times over, and non-ASCII letters other than
the Nordic ones (look-alikes, accents). A text with no trigger cannot give
a rules finding, so the rules path is skipped; the learned scorer still
reads every text.

The test `test_screening_firstpass` holds this to its promise on every data
set the project has: no text with a rules finding is ever passed over.
"""

from __future__ import annotations

import re
from functools import cache

import ahocorasick

from kanalvakt.moderation.screening import (
    advertising,
    defamation,
    harassment,
    langid,
    lexicon,
    media,
    morphology,
    patterns,
    secrecy,
    selfharm,
    spelling,
    structure,
    threats,
)
from kanalvakt.moderation.screening.normalise import ZERO_WIDTH, fold_native, squeeze

MIN_KEY = 3
_CLASS = re.compile(r"\[([^\]^\\])[^\]]*\]")  # [äa] → ä
_LETTERS = re.compile(r"[^\W\d_]{3,}")
# digits, @, masks, links, three letters spaced apart, a letter three times over
_SUSPECT_CHAR = r"[\d@*#$|]"
_SUSPECT_LINK = (
    r"https?:|www\.|\.(?:com|se|fi|net|org|io|shop|store|biz|info|ly|co|nu|eu"
    r"|xyz|online|site)\b"
)
_SUSPECT_SPACED = r"\b\w[\s.\-_·,/\\]{1,3}\w[\s.\-_·,/\\]{1,3}\w\b"
_SUSPECT_TRIPLE = r"([^\W\d_])\1\1"
_SUSPECT = re.compile("|".join((_SUSPECT_CHAR, _SUSPECT_LINK, _SUSPECT_SPACED, _SUSPECT_TRIPLE)))
# the same alternatives one by one, each behind a cheap test (same answer, faster)
_CHAR = re.compile(_SUSPECT_CHAR)
_LINK = re.compile(_SUSPECT_LINK)
_SPACED = re.compile(_SUSPECT_SPACED)
_TRIPLE_ANY = re.compile(r"(.)\1\1")
_TRIPLE = re.compile(_SUSPECT_TRIPLE)


def _suspect(text: str) -> bool:
    """`_SUSPECT.search(text)`, faster: most texts have no digit, link or long run."""
    return bool(
        _CHAR.search(text)
        or (("." in text or "http" in text) and _LINK.search(text))
        or _SPACED.search(text)
        or (_TRIPLE_ANY.search(text) and _TRIPLE.search(text))
    )


# a letter outside ASCII and the Nordic ones (look-alikes, accents), or a zero-width character
_FOREIGN = re.compile(
    "(?![åäöæøéüÅÄÖÆØÉÜ])[^\\W\\d_\x00-\x7f]|[" + "".join(sorted(ZERO_WIDTH)) + "]"
)
_PUNCTUATION = re.compile(r"[^\w*#@]+")


def _literals(source: str) -> set[str]:
    """Letter runs of a regular expression's source: the words it can match."""
    return {run for run in _LETTERS.findall(_CLASS.sub(r"\1", source.replace("\\w", " ")))}


# Words of patterns that are too common to trigger on (the other words of
# the same patterns do); and phrases made only of common words.
PHRASES = (
    # fourth round: remarks on a body, warnings, a social-services case
    "rumpa",
    " röv ",
    "snygga bröst",
    "fina bröst",
    "stora bröst",
    "akta dig när",
    "akta er när",
    "se dig över axeln",
    "varo vaan",
    "varo vain",
    "varo selustaasi",
    "katso selustaasi",
    "soc tog",
    "soc är",
    "nästa gång",
    "kerralla",
    "hem till dig",
    "kvinnor ska",
    "kvinnor borde",
    "naisten paikka",
    "kom ensam",
    "tuu yksin",
    "tule yksin",
    "socialen tog",
    "vet var du bor",
    "vet vart du bor",
    "vet var ni bor",
    "missä asut",
    "mis asut",
    "know where you live",
    " dö ",
    " do ",
    " die ",
    "dött kött",
    "kuollut mies",
    "tuut kuolemaan",
    "tulet kuolemaan",
    "saat syövän",
    "saatte syövän",
    "toivottavasti kuolet",
    "toivottavasti sä kuolet",
    "toivottavasti sinä kuolet",
    "död man",
    "död kvinna",
    "nakna tjejer",
    "nakna kvinnor",
    # fifth round: veiled threats and calls made of common words
    "watch your back",
    "watch ur back",
    "ur dead",
    "you re dead",
    "youre dead",
    "vore synd om",
    "vore tråkigt om",
    "skulle vara synd om",
    "kommer att ångra",
    "kommer ångra",
    "få betala",
    "vi vet var",
    "jag vet var",
    "ja vet va",
    "vi vet vilk",
    "ikävää jos",
    "ikävä jos",
    "päivät on",
    "oot seuraava",
    "turha itke",
    "olan yli",
    "kävellen",
    "omilla jaloillaan",
    "hengissä",
    "ehjänä",
    "samassa kunnossa",
    "se sig om",
    "du klar",
    "ses snart",
    "tehdä sen",
    "teen sen",
    "junan",
)


def _literal_keys() -> set[str]:
    """Discriminating words of the patterns: no common word (wordfreq), four letters up."""
    words: set[str] = set()
    sources = [pattern.source for pattern in patterns.PATTERNS]
    for source in sources:
        for word in _literals(source):
            if len(word) >= 4 and not any(
                morphology.common(word, language) for language in morphology.LANGUAGES
            ):
                words.add(word[:6])
    # the groups of the hate patterns and the sales words trigger however common
    for source in (
        patterns.FRAGMENTS["SV_GROUPS"],
        patterns.FRAGMENTS["FI_GROUPS"],
        patterns.FRAGMENTS["EN_GROUPS"],
        advertising.SALES.pattern,
        *(regex.pattern for _language, regex in selfharm.PATTERNS),
    ):
        words |= {word[:6] for word in _literals(source) if word not in _FUNCTION_WORDS}
    return words


_FUNCTION_WORDS = frozenset().union(*langid._STOPWORDS.values())


def _uncommon(word: str) -> bool:
    return not any(morphology.common(word, language) for language in morphology.LANGUAGES)


def _keys() -> set[str]:
    words: set[str] = set()
    for lex in lexicon.lexicons():
        for entry in lex.entries:
            words.add(entry.stem or entry.key)
            words.update(word for word in entry.words[1:] if _uncommon(word))
            words.add(entry.words[0])
    words |= {word[:4] for word in structure.INSULT_NOUNS | structure.INSULT_ADJECTIVES}
    words |= {word[:4] for word in threats.SV_HARM | threats.FI_HARM}
    words |= {word[:5] for word in defamation.CRIME_NOUNS | defamation.CRIME_VERBS}
    words |= {phrase.split()[0] for phrase in structure.ABUSE_IMPERATIVES}
    words |= _literal_keys()
    words |= set(media.TRIGGERS)
    words |= set(secrecy.SENSITIVE_STEMS) | set(harassment.SEXUAL_STEMS)
    words |= {"kvinnor", "tjejer", "kärringar", "naiset", "tytöt", "mimmit", "köket", "keittiö"}
    words |= {"look", "looks", "näytät", "alle", "for a"}  # an age: the regex finds the digits
    # written forms too: the text is not squeezed, so "idiooteille" needs "idioo"
    for lex in lexicon.lexicons():
        words |= {entry.form.casefold()[:5] for entry in lex.entries}
    keys = {phrase for phrase in PHRASES} | {squeeze(phrase) for phrase in PHRASES}
    for word in words:
        for variant in (word, fold_native(word)):
            for key in {variant.casefold(), squeeze(variant.casefold())}:
                if len(key) >= MIN_KEY:
                    keys.add(key)
                elif key:
                    keys.add(f" {key} ")  # a short word only as a word of its own: "as"
    return keys


@cache
def automaton() -> ahocorasick.Automaton:
    machine = ahocorasick.Automaton()
    for key in _keys():
        machine.add_word(key, key)
    machine.make_automaton()
    return machine


def needs_rules(text: str) -> bool:
    """False only when no rule can find anything in `text`.

    The tests are independent: the scan goes first, as it answers yes for
    most texts that go on (a benign text takes every test in any order).
    """
    folded = f" {_PUNCTUATION.sub(' ', text.casefold())} "
    for _ in automaton().iter(folded):
        return True
    if _suspect(text) or text.count("\n") >= media.LYRIC_LINES - 1:
        return True
    if not text.isascii() and _FOREIGN.search(text):
        return True
    return spelling.needs_rules(folded)
