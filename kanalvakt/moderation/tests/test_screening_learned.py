"""The learned scorer: trains, measures itself, serialises, and improves from decisions."""

from __future__ import annotations

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


def test_the_bundled_model_carries_its_evaluation() -> None:
    model = bundled()
    assert model.version == "v2"
    assert {"personal_attack", "advertising", "threat", "self_harm"} <= set(model.classifiers)
    assert {"dkhate_test", "tubespam_test", "gold_test"} <= set(model.evaluation)


def test_a_batch_is_scored_as_each_text_alone() -> None:
    model = bundled()
    texts = ["Tack för hjälpen", "Jag ska döda dig", "Köp billiga klockor på www.rea.example"]
    assert model.score_batch(texts) == [model.score(text) for text in texts]


def test_a_model_stored_in_the_first_format_is_refused_not_misread() -> None:
    old = b'{"format": "kanalvakt/learned-scorer@1", "dim": 65536, "classifiers": {}}'
    try:
        Model.from_bytes(old)
    except ValueError:
        return
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
