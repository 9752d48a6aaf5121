"""The fast paths of screening give what the plain ones give (issue 8, speed)."""

from kanalvakt.moderation.screening import gold, lexicon
from kanalvakt.moderation.screening.langid import identify
from kanalvakt.moderation.screening.normalise import normalise


def test_all_lexicons_at_once_match_as_each_lexicon_alone() -> None:
    texts = [item.text for item in gold.load()][::3]
    texts += ["Du är en jävla idiot", "senkin pässi", "p***a", "kuka hinta", "Kys. idioterna"]
    hits = 0
    for text in texts:
        tokens = normalise(text).tokens
        language = identify(tokens)
        one_by_one = [
            (lex.language, hit) for lex in lexicon.lexicons() for hit in lex.match(tokens, language)
        ]
        at_once = [(lex.language, hit) for lex, hit in lexicon.match_all(tokens, language)]
        assert at_once == one_by_one, text
        hits += len(at_once)
    assert hits > 300


def test_the_first_pass_checks_one_by_one_agree_with_its_one_expression() -> None:
    from kanalvakt.moderation.screening import firstpass

    texts = [item.text for item in gold.load()]
    texts += ["www.x", "http:x", "a.com", "i d i o t", "jaaaa", "X1", "tel 070", "(ddd)", "."]
    for text in texts:
        assert firstpass._suspect(text) == bool(firstpass._SUSPECT.search(text)), text


def test_a_text_with_a_quotation_holds_one_of_the_marks_checked_first() -> None:
    from kanalvakt.moderation.screening import engine

    texts = [item.text for item in gold.load()]
    texts += ['han skrev "ni är djur"', "«idiot»", "„hej“", "”jo”", "inga citat här"]
    quoted = 0
    for text in texts:
        if engine._QUOTED.search(text):
            quoted += 1
            assert any(mark in text for mark in engine._QUOTE_MARKS), text
    assert quoted > 4
