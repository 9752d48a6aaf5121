"""The team's labelled Swedish and Finnish set and its frozen test split (issue 8)."""

from collections import Counter

from kanalvakt.moderation.screening import gold
from kanalvakt.moderation.screening.categories import CATEGORIES


def test_the_shipped_set_is_exactly_what_the_templates_generate() -> None:
    assert gold.generate() == gold.load()


def test_the_set_covers_every_category_self_harm_and_much_benign_text() -> None:
    items = gold.load()
    assert len(items) >= 4000
    labels = Counter(label for item in items for label in item.labels)
    assert set(labels) == {*CATEGORIES, "self_harm"}
    benign = [item for item in items if not item.labels]
    assert len(benign) >= len(items) / 3
    tags = Counter(tag for item in benign for tag in item.tags)
    for tag in ("criticism", "dialect", "slang", "typo", "emoji", "quote", "counter", "negation"):
        assert tags[tag] > 0, tag


def test_the_test_split_is_frozen_by_template_in_both_languages() -> None:
    items = gold.load()
    by_template: dict[tuple[str, str], set[str]] = {}
    for item in items:
        by_template.setdefault((item.language, item.template), set()).add(item.split)
    assert all(len(splits) == 1 for splits in by_template.values())
    for language in gold.LANGUAGES:
        test = [item for item in items if item.language == language and item.split == "test"]
        assert len(test) >= 500
        assert any(not item.labels for item in test) and any(item.labels for item in test)


def test_hatecheck_is_translated_into_both_languages() -> None:
    for language in ("sv", "fi"):
        cases = gold.hatecheck(language)
        assert len({case.functionality for case in cases}) == 29
        assert any(not case.hateful for case in cases)
