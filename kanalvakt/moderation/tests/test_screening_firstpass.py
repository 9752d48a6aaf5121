"""The first pass never passes over a text in which the rules find something."""

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, datasets, gold
from kanalvakt.moderation.screening.engine import _rules_path
from kanalvakt.moderation.screening.firstpass import needs_rules
from kanalvakt.moderation.screening.langid import identify
from kanalvakt.moderation.screening.normalise import normalise

RULES = ScreeningConfig.default(use_learned=False)


def _texts() -> list[str]:
    texts = [item.text for item in gold.load()]
    for language in ("sv", "fi"):
        texts += [case.text for case in gold.hatecheck(language)]
    texts += [text for text, _ in datasets.dkhate("test")]
    texts += [text for text, _ in datasets.tubespam("test")]
    texts += [text for text, _ in datasets.seed()]
    return texts


def test_every_text_with_a_rules_finding_passes_the_first_pass() -> None:
    missed = []
    for text in _texts():
        if needs_rules(text):
            continue
        language = identify(normalise(text).tokens)
        found = [r for r in _rules_path(text, RULES, language) if r.score >= 0.5]
        if found:
            missed.append((text, found))
    assert missed == []


@pytest.mark.parametrize(
    "text",
    [
        "Du är en död man",
        "Nakna tjejer här",
        "Toivottavasti saat syövän",
        "Åk hem till ditt eget land",
        "Vänta du bara tills jag hittar dig",
        "Det vore bäst om alla muslimer dog",
        "Muslimer är inte människor",
        "Hoppas någon skjuter honom",
        "Per har tagit mutor",
    ],
)
def test_phrasings_of_common_words_still_go_on_to_the_rules(text: str) -> None:
    assert needs_rules(text)
    assert [r for r in _rules_path(text, RULES, identify(normalise(text).tokens)) if r.score >= 0.5]


@pytest.mark.parametrize(
    "text",
    ["id\u200biot", "ïdïöt", "1d10t", "i d i o t", "p***a", "Ring 070-123 45 67", "www.x.xyz"],
)
def test_disguises_always_go_on_to_the_rules(text: str) -> None:
    assert needs_rules(text)


def test_most_ordinary_comments_stop_at_the_first_pass() -> None:
    plain = [
        "Tack för att ni fixade gatlyset så snabbt!",
        "Milloin kirjasto aukeaa?",
        "Bra jobbat med skolgården",
        "Kiitos hyvästä palvelusta",
    ]
    assert sum(needs_rules(text) for text in plain) <= 1


def test_the_fast_tokeniser_agrees_with_the_full_normalisation_on_plain_text() -> None:
    from kanalvakt.moderation.screening import normalise as module

    plain = long_runs = 0
    texts = _texts()
    # letters three times over, also in other case: "Aaaa", "(ddd)", "jaaaa"
    texts += [f"{text} (ddd) Jaaaa Aaa" for text in texts[::7]] + ["Ååå nää ÖÖÖö"]
    texts += ["video: youtu.be/xxXtappelu", "IIdiot aaAA"]  # a run in mixed case
    for text in texts:
        plainness = module._plainness(text)
        if not plainness:
            continue
        plain += plainness == module.PLAIN
        long_runs += plainness == module.PLAIN_LONG_RUNS
        slow = tuple(
            module._token(run)
            for run in module._join_spaced(module._raw_tokens(module._units(text)), text)
        )
        fast = module._plain_tokens(text, plainness == module.PLAIN_LONG_RUNS)
        assert fast == slow, text
    assert plain > 1000 and long_runs > 100
