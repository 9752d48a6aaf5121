"""The team's labelled Swedish and Finnish set and its frozen test split (issue 8)."""

from collections import Counter

import pytest

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


def test_the_splits_are_kept_apart_by_template_in_both_languages() -> None:
    items = gold.load()
    by_template: dict[tuple[str, str], set[str]] = {}
    for item in items:
        by_template.setdefault((item.language, item.template), set()).add(item.split)
    assert all(len(splits) == 1 for splits in by_template.values())
    for language in gold.LANGUAGES:
        dev = [item for item in items if item.language == language and item.split == "dev"]
        assert len(dev) >= 500  # the retired first test split
        assert any(not item.labels for item in dev) and any(item.labels for item in dev)


def test_the_frozen_test_split_v2_is_hand_written_and_covers_every_category() -> None:
    for language in gold.LANGUAGES:
        test = gold.load("test", language)
        assert len(test) >= 100
        assert all(item.template.startswith("v2") for item in test)
        labels = {label for item in test for label in item.labels}
        assert labels == {*CATEGORIES, "self_harm"}
        benign = [item for item in test if not item.labels]
        assert len(benign) >= len(test) / 3
        tags = {tag for item in benign for tag in item.tags}
        assert {"criticism", "dialect", "slang", "typo", "masked", "emoji"} <= tags
        assert {"quote", "counter", "negation"} <= tags


def test_hatecheck_is_translated_into_both_languages() -> None:
    for language in ("sv", "fi"):
        cases = gold.hatecheck(language)
        assert len({case.functionality for case in cases}) == 29
        assert any(not case.hateful for case in cases)


def test_every_gold_item_has_a_unique_id_and_only_known_labels() -> None:
    items = gold.load()
    assert len({item.id for item in items}) == len(items)
    allowed = {*CATEGORIES, "self_harm"}
    for item in items:
        assert set(item.labels) <= allowed, (item.id, item.labels)
        assert len(set(item.labels)) == len(item.labels), item.id
        assert item.text.strip() and "{" not in item.text, item.id


def test_nothing_learns_from_the_frozen_test_splits() -> None:
    from kanalvakt.moderation.screening import datasets

    learned_from = {text for text, _ in datasets.training_examples()}
    frozen = gold.load("test") + gold.load("test-v3") + gold.load("test-v4")
    assert not [item.id for item in frozen if item.text in learned_from]


HARD_BENIGN = "criticism dialect slang typo masked emoji swearing"


@pytest.mark.parametrize(
    ("split", "least", "per_label", "most_benign", "tags"),
    [
        ("test-v3", 250, 8, 0.6, "quote counter negation news selfjoke phone link"),
        ("test-v4", 300, 10, 0.5, "quote counter negation news idiom homonym irony"),
    ],
)
def test_each_blind_frozen_split_covers_both_languages_every_label_and_hard_benign_text(
    split: str, least: int, per_label: int, most_benign: float, tags: str
) -> None:
    for language in gold.LANGUAGES:
        blind = gold.load(split, language)
        assert len(blind) >= least
        assert all(item.template.startswith(split.removeprefix("test-")) for item in blind)
        labels = Counter(label for item in blind for label in item.labels)
        assert set(labels) == {*CATEGORIES, "self_harm"}
        assert min(labels.values()) >= per_label
        benign = [item for item in blind if not item.labels]
        assert 0.4 <= len(benign) / len(blind) <= most_benign
        assert sum("criticism" in item.tags for item in benign) >= len(benign) / 3
        benign_tags = {tag for item in benign for tag in item.tags}
        assert set(f"{HARD_BENIGN} {tags}".split()) <= benign_tags


def test_the_frozen_split_v4_imitates_outside_text_with_a_fifth_from_municipal_pages() -> None:
    for language in gold.LANGUAGES:
        blind = gold.load("test-v4", language)
        municipal = sum("municipal" in item.tags for item in blind)
        assert 0.15 <= municipal / len(blind) <= 0.25
