"""The learned scorer's words hashed many at once give each word's own buckets."""

from kanalvakt.moderation.screening.hashing import NGRAM_MAX_WORD, word_buckets
from kanalvakt.moderation.screening.ngrams import batch_buckets

WORDS = [
    "",
    "a",
    "du",
    "hej",
    "idiot",
    "idiootti",
    "kommunen",
    "hölmö",  # letters outside ASCII: hashed one by one
    "bdgqz",
    "x" * (NGRAM_MAX_WORD + 7),  # a keyboard smash: its start and end
    "ÅÄÖ" * 12,
    "2026",
    "luusereita",
]


def test_many_words_hashed_at_once_give_each_words_own_buckets() -> None:
    flat, sizes = batch_buckets(WORDS)
    assert sizes == [len(word_buckets(word)) for word in WORDS]
    assert flat == [bucket for word in WORDS for bucket in word_buckets(word)]


def test_no_words_give_no_buckets() -> None:
    assert batch_buckets([]) == ([], [])
    assert batch_buckets(["ä"]) == (word_buckets("ä"), [1])
