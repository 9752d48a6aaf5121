"""Swedish lemmas from a small table where screening asks about them (speed, issue 8)."""

from __future__ import annotations

import json
import re

from kanalvakt.moderation.screening import gold, morphology
from kanalvakt.moderation.screening.normalise import squeeze
from kanalvakt.moderation.screening.svlemmas import TABLE, asked_about, build


def test_the_table_is_what_simplemma_and_the_current_word_lists_give() -> None:
    """Changing the insult words, the Swedish lexicon or simplemma needs a rebuilt table."""
    assert json.loads(TABLE.read_text(encoding="utf-8")) == build(), (
        "rebuild: python -m kanalvakt.moderation.screening.svlemmas"
    )


def test_every_question_screening_asks_of_a_lemma_gets_simplemmas_answer() -> None:
    insults, keys = asked_about()

    def asked(word: str) -> bool:
        return word in insults or squeeze(word) in keys

    texts = [item.text for split in ("train", "dev") for item in gold.load(split)]
    texts += [case.text for case in gold.hatecheck("sv")]
    words = {word for text in texts for word in re.findall(r"[^\W\d_]+", text.casefold())}
    words |= set(json.loads(TABLE.read_text(encoding="utf-8")))
    words |= {"idioterna", "idiotens", "hörn", "kärringar", "as", "asen", "jävlar", "bdgqv"}
    words |= {"강남스타일", "י", "straße"}  # no capitals: uncased scripts too
    assert len(words) > 10_000
    for word in words:
        real, fast = morphology.sv_lemma(word), morphology.sv_lemma_asked(word)
        assert fast == real or not (asked(real) or asked(fast)), (word, real, fast)
    assert morphology.sv_lemma_asked("idioterna") == "idiot"
    assert morphology.sv_lemma_asked("Idioterna") == morphology.sv_lemma("Idioterna")
