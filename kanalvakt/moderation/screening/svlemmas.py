"""Swedish lemmas without loading simplemma's dictionary (speed of `kanalvakt screen`).

Screening asks simplemma for a Swedish lemma in two places, and each asks one
question of it: is the lemma an insult word (`structure._lemma_of`), and is
it, squeezed, the key of a Swedish lexicon entry (`lexicon._fuzzy_ok`).
Loading simplemma's Swedish dictionary costs about 0.45 s of CPU and each
new word about 10 µs, for an answer that is "no" for nearly every word.

`data/lemmas-sv.json` holds, for every alphabetic word without capitals that
simplemma's dictionary lemmatises, the lemma whenever the lemma or the word
itself is *asked about* (an insult word, or a Swedish lexicon key once
squeezed). `morphology.sv_lemma_asked` answers from it: the lemma for a
listed word, the word itself otherwise. For such a word simplemma's
answer is the dictionary's lemma for the word, else for its capitalised form,
else the word (Swedish has no rules, prefixes or affix search in simplemma,
and the word has no hyphen), so the two questions get the same answers
(`test_screening_svlemmas` checks the table against `build()` and simplemma).

Rebuild the table after changing the insult words, the Swedish lexicon or
simplemma:

    python -m kanalvakt.moderation.screening.svlemmas
"""

from __future__ import annotations

import json
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "data" / "lemmas-sv.json"


def asked_about() -> tuple[frozenset[str], frozenset[str]]:
    """The insult words, and the Swedish lexicon's keys (what callers compare a lemma with)."""
    from kanalvakt.moderation.screening import lexicon, structure

    insults = frozenset(structure.INSULT_NOUNS | structure.INSULT_ADJECTIVES)
    swedish = next(lex for lex in lexicon.lexicons() if lex.language == "sv")
    return insults, frozenset(entry.key for entry in swedish.entries)


def build() -> dict[str, str]:
    """word → lemma for every dictionary word whose lemma or itself is asked about."""
    from simplemma.lemmatizer import _legacy_dictionary_factory

    from kanalvakt.moderation.screening import morphology
    from kanalvakt.moderation.screening.normalise import squeeze

    insults, keys = asked_about()

    def asked(word: str) -> bool:
        return word in insults or squeeze(word) in keys

    dictionary = _legacy_dictionary_factory.get_dictionary("sv")
    table: dict[str, str] = {}
    for key in dictionary:
        word = key.lower()
        if not (word.isalpha() and word.lower() == word) or word in table:
            continue
        # simplemma reads a lower-case word by its own entry, else its capitalised one
        found = {dictionary.get(word), dictionary.get(word.capitalize())} - {None}
        if not asked(word) and not any(asked(str(lemma).lower()) for lemma in found):
            continue
        lemma = morphology.sv_lemma(word)
        if asked(lemma) or asked(word):
            table[word] = lemma
    return dict(sorted(table.items()))


def write() -> None:
    text = json.dumps(build(), ensure_ascii=False, indent=0, sort_keys=True)
    TABLE.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
