"""The learned scorer: trains, measures itself, serialises, and improves from decisions."""

from __future__ import annotations

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, screen
from kanalvakt.moderation.screening.learned import Model, bundled, evaluate, retrain, train

ACCEPTABLE = [
    "Tack för hjälpen med bygglovet",
    "När öppnar simhallen igen?",
    "Snöröjningen fungerar dåligt på vår gata",
    "Bra jobbat med nya lekplatsen",
    "Kiitos nopeasta vastauksesta",
    "Milloin kirjasto aukeaa?",
    "Bussen var sen igen i morse",
    "Var hittar jag protokollet från mötet?",
]
SPAM = [
    "Köp billiga solglasögon på www.sol-rea.example",
    "Tjäna pengar hemifrån, klicka här www.pengar.example",
    "Gratis presentkort på www.kort.example köp nu",
    "Billiga klockor rabatt www.klockor.example",
    "Osta halvat kengät www.kengat.example alennus",
    "Rabattkod på www.rea.example köp idag",
    "Beställ nu på www.shop.example rabatt",
    "Klicka här för gratis pengar www.gratis.example",
]


def _examples(copies: int = 3) -> list[tuple[str, str | None]]:
    examples: list[tuple[str, str | None]] = []
    for number in range(copies):
        examples += [(f"{text} {number}", None) for text in ACCEPTABLE]
        examples += [(f"{text} {number}", "advertising") for text in SPAM]
    return examples


def test_a_trained_model_tells_spam_from_ordinary_comments() -> None:
    model = train(_examples(), epochs=4)
    figures = evaluate(model, _examples(1))
    assert figures["categories"]["advertising"]["f1"] >= 0.9
    assert model.predict("Köp billiga klockor på www.rea.example")["advertising"] > 0.5
    assert model.predict("När öppnar biblioteket?")["advertising"] < 0.5


def test_a_model_survives_a_round_trip_through_bytes() -> None:
    model = train(_examples(), epochs=2)
    model.evaluation = {"note": "x"}
    copy = Model.from_bytes(model.to_bytes())
    text = "Gratis presentkort på www.kort.example"
    assert copy.predict(text) == model.predict(text)
    assert (copy.version, copy.evaluation) == (model.version, {"note": "x"})
    assert copy.classifiers == model.classifiers
    assert copy.review_threshold == model.review_threshold


def test_the_per_word_cache_scores_as_the_plain_matrix_product(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np

    from kanalvakt.moderation.screening import learned
    from kanalvakt.moderation.screening.hashing import vectorise

    model = train(_examples(), epochs=2)
    texts = ["Köp köp billiga klockor www.rea.example", "", "Tack", "tack tack för hjälpen"]
    texts += [f"ord{number} " * (number % 5) for number in range(3000)]  # the cache grows
    plain = vectorise(texts).matrix() @ model.weights.T + model.biases
    expected = 1 / (1 + np.exp(-plain))
    assert np.allclose(model.probabilities(texts), expected, atol=1e-5)
    assert np.allclose(model.probabilities(texts), expected, atol=1e-5)  # from the cache
    monkeypatch.setattr(learned, "WORD_CACHE", 10)  # a full cache starts again
    assert np.allclose(model.probabilities(texts[:50]), expected[:50], atol=1e-5)
    assert len(model._cache) < 3000


def test_retraining_on_decisions_returns_a_better_model_only() -> None:
    weak = train([(text, None) for text in ACCEPTABLE] + [(SPAM[0], "advertising")], version="v1")
    decisions = _examples(4)
    better = retrain(weak, decisions, base=[])
    assert better is not None
    assert better.version == "v2"
    assert (
        better.evaluation["holdout"]["macro_f1"] > better.evaluation["previous_holdout"]["macro_f1"]
    )
    # a model that is already right is not replaced by one that is no better
    assert retrain(better, decisions, base=[]) is None


def test_the_bundled_model_carries_its_evaluation_on_held_out_writers() -> None:
    model = bundled()
    assert model.version == "v3"
    assert {"personal_attack", "advertising", "threat", "self_harm"} <= set(model.classifiers)
    assert {"dkhate_test", "tubespam_test", "leave_one_writer_out"} <= set(model.evaluation)
    held_out = model.evaluation["leave_one_writer_out"]
    assert abs(held_out["threshold"] - model.review_threshold) < 1e-6
    assert {"sv", "fi"} <= set(held_out["languages"])


def test_a_batch_is_scored_as_each_text_alone() -> None:
    model = bundled()
    texts = ["Tack för hjälpen", "Jag ska döda dig", "Köp billiga klockor på www.rea.example"]
    assert model.score_batch(texts) == [model.score(text) for text in texts]


def test_a_model_stored_in_an_earlier_format_is_refused_not_misread() -> None:
    first = b'{"format": "kanalvakt/learned-scorer@1", "dim": 65536, "classifiers": {}}'
    second = (
        b'{"format": "kanalvakt/learned-scorer@2", "dim": 262144, "categories": [],'
        b' "biases": [], "thresholds": [], "weights": ""}'
    )
    for old in (first, second):
        try:
            Model.from_bytes(old)
        except ValueError:
            continue
        raise AssertionError("an old model was read as a new one")


def test_learned_findings_are_reviewed_never_removed_by_default() -> None:
    config = ScreeningConfig.default(model=train(_examples(), epochs=4))
    # a link without sales words: no rule fires, the learned scorer does
    result = screen("Solglasögon och klockor på www.solglas.example", config=config)
    learned = [f for f in result.findings if f.detector.startswith("learned:")]
    assert [f.category for f in learned] == ["advertising"]
    assert all(f.action == "review" and 0.0 <= f.score <= 1.0 for f in learned)
    assert result.action == "review"


def test_the_fast_hashing_gives_the_buckets_of_the_feature_strings() -> None:
    from kanalvakt.moderation.screening.hashing import _buckets, _hash_of, features

    for text in (
        "Kommunen borde skämmas, ni är patetiska",
        "id\u200biot KÖP NU på www.example.com!!! idiooteille",
        "",
        "Ääliö ääliö ääliö " * 12,
        "Spermaviemäri 😀 ja 1d10t",
    ):
        assert _buckets(text) == [_hash_of(feature) for feature in features(text)]


def test_letter_ngrams_carry_a_learned_word_to_an_inflection_never_seen() -> None:
    insults = ["Du är en idiot", "Ni är idioter", "Vilken idiot", "Så korkat, idiot"]
    examples = _examples()
    for number in range(3):
        examples += [(f"{text} {number}", "personal_attack") for text in insults]
    model = train(examples, thresholds={"review": 0.5})
    stranger, plain = model.assess_batch(["Idioterna i nämnden", "Mötet i nämnden"])
    found = stranger.found or [stranger.review] if stranger.review else stranger.found
    assert found
    category, _score, evidence = found[0]
    assert (category, evidence) == ("personal_attack", 0)  # the word that carried it
    assert not plain.found and plain.review is None


def test_the_review_head_finds_a_strangers_insult_and_names_a_category() -> None:
    # phrasing in no rule and in no training text
    texts = [
        "Ni är ena förbannade idiotfasoner allihop",
        "Sånna som du borde hålla käften för alltid",
    ]
    config = ScreeningConfig.default()
    for text in texts:
        assert screen(text, config=config, learned=False).action == "none", text
        result = screen(text, config=config)
        assert result.action == "review", text
        finding = result.findings[0]
        assert finding.detector.startswith("learned:")
        assert finding.category != "self_harm" and finding.action == "review"
        assert 0.5 <= finding.score <= 1.0


def test_sharp_criticism_is_never_removed_and_learned_findings_stay_reviews() -> None:
    config = ScreeningConfig.default()
    for text in (
        "Kommunstyrelsen har totalt misslyckats med skolan, avgå!",
        "Ni borde skämmas över hur ni sköter äldreomsorgen",
        "Valtuusto on täysin epäpätevä, tämä päätös on skandaali",
        "Surkeaa johtamista, erotkaa jo",
    ):
        result = screen(text, config=config)
        assert result.action != "remove", text
        assert all(
            f.action == "review" for f in result.findings if f.detector.startswith("learned:")
        )


def _review_only_model(word: str) -> Model:
    """A model whose review head alone fires, on `word`; personal_attack is the likelier head."""
    import numpy as np

    from kanalvakt.moderation.screening.hashing import DIM, word_buckets

    weights = np.zeros((3, DIM), dtype=np.float32)
    weights[2, word_buckets(word)] = 8.0
    return Model(
        version="v9",
        categories=["advertising", "personal_attack"],
        weights=weights,
        biases=np.array([-6.0, -3.0, -4.0], dtype=np.float32),
        thresholds=np.array([0.99, 0.99, 0.5], dtype=np.float32),
    )


def test_the_review_head_speaks_only_when_the_rules_find_nothing() -> None:
    config = ScreeningConfig.default(model=_review_only_model("kvackelibrum"))
    alone = screen("Ett sånt kvackelibrum i nämnden", config=config)
    assert alone.action == "review"
    [finding] = alone.findings
    assert (finding.category, finding.detector) == ("personal_attack", "learned:v9:review")
    assert finding.evidence == "kvackelibrum" and finding.score >= 0.5
    with_rule = screen("Du är en jävla idiot, kvackelibrum", config=config)
    assert with_rule.findings
    assert not [f for f in with_rule.findings if f.detector.endswith(":review")]
    assert screen("Ett bra beslut i nämnden", config=config).action == "none"
