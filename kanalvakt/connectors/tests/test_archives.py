import io
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import libipld
import pytest

from kanalvakt.connectors.archives import (
    ArchiveError,
    read_bluesky_car,
    read_facebook_comments,
    read_facebook_posts,
    read_instagram_comments,
    read_meta_messages,
    read_x_direct_messages,
    read_x_tweets,
)
from kanalvakt.connectors.base import ItemKind
from kanalvakt.connectors.parsing import repair_mojibake
from kanalvakt.connectors.tests.helpers import fixture


def open_fixture(platform: str, name: str) -> io.BytesIO:
    return io.BytesIO(fixture(platform, name))


# ----------------------------------------------------------------------------- X


def test_x_tweets_from_a_real_archive() -> None:
    entries = list(
        read_x_tweets(open_fixture("x", "community-archive-tweets.js"), handle="exGenesis")
    )
    assert len(entries) == 7
    assert [e.position for e in entries] == list(range(7))
    first = entries[0].item
    assert first.external_id == "1627031510963441664"
    assert first.kind == ItemKind.REPLY
    assert first.parent_external_id == "1627019761950375936"
    assert first.created_at == datetime(2023, 2, 18, 19, 45, 15, tzinfo=UTC)
    assert first.text.startswith("Another lesson is: there's a lot of trash")
    assert first.by_account
    photos = entries[1].item.attachments
    assert len(photos) == 4
    assert photos[0] == "https://pbs.twimg.com/media/FpRUnGtX0AEvwY1.jpg"


def test_x_tweets_in_swedish_and_finnish_with_a_trailing_semicolon() -> None:
    data = fixture("x", "tweets-sv.js").rstrip() + b";\n"
    post, reply = (e.item for e in read_x_tweets(io.BytesIO(data), account_id="15"))
    assert post.text == "Vi lagar belysningen på Storgatan i veckan. Tack för tipset!"
    assert post.kind == ItemKind.POST and post.language == "sv"
    assert reply.text == "@paivi_makela Kiitos! Korjaamme katuvalot tällä viikolla. /Kim"
    assert reply.kind == ItemKind.REPLY and reply.language == "fi"


def test_x_reader_resumes_where_it_stopped() -> None:
    entries = list(read_x_tweets(open_fixture("x", "community-archive-tweets.js"), start=5))
    assert [e.position for e in entries] == [5, 6]
    all_ids = [
        e.item.external_id for e in read_x_tweets(open_fixture("x", "community-archive-tweets.js"))
    ]
    assert [e.item.external_id for e in entries] == all_ids[5:]


@pytest.mark.parametrize(
    "content",
    [
        b'alert("never run"); window.YTD.tweets.part0 = []',
        b"[]",
        b'window.YTD.tweets.part0 = [ {"tweet": ',
    ],
    ids=["script-first", "no-prefix", "truncated"],
)
def test_x_reader_refuses_what_is_not_an_archive_file(content: bytes) -> None:
    with pytest.raises(ArchiveError):
        list(read_x_tweets(io.BytesIO(content)))


def test_x_direct_messages() -> None:
    ours, theirs = (
        e.item
        for e in read_x_direct_messages(
            open_fixture("x", "direct-messages-sv.js"), account_id="1500000000000000001"
        )
    )
    assert ours.by_account and not theirs.by_account
    assert theirs.kind == ItemKind.DIRECT_MESSAGE
    assert theirs.text.startswith("Hej, jag vill anmäla en trasig lyktstolpe")
    assert theirs.thread_id == "1500000000000000001-1600000000000000002"
    assert theirs.platform_data["recipient_id"] == "1600000000000000002"


def write_big_archive(path: Path, count: int) -> None:
    template = (
        '  {"tweet": {"id_str": "%d", "id": "%d", "created_at": "Mon Nov 17 08:30:00 +0000 2025",'
        ' "full_text": "Tweet nummer %d: snöröjning, återvinning och'
        ' öppettider i kommunen. Mer information finns på webbplatsen.",'
        ' "lang": "sv", "entities": {"hashtags": [], "user_mentions": [], "urls": []}}}'
    )
    with path.open("w", encoding="utf-8") as out:
        out.write("window.YTD.tweets.part0 = [\n")
        for n in range(count):
            tweet_id = 10**18 + n
            out.write(template % (tweet_id, tweet_id, n))
            out.write(",\n" if n < count - 1 else "\n")
        out.write("]\n")


def test_x_reader_streams_a_big_archive_in_constant_memory(tmp_path: Path) -> None:
    archive = tmp_path / "tweets.js"
    write_big_archive(archive, 15_000)
    assert archive.stat().st_size > 3_000_000
    tracemalloc.start()
    try:
        count = 0
        last = ""
        with archive.open("rb") as stream:
            for entry in read_x_tweets(stream):
                count += 1
                last = entry.item.external_id
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 15_000
    assert last == str(10**18 + 14_999)
    # The whole file is over 3 MB; a streaming reader needs a small fraction of it.
    assert peak < 1_500_000


# ----------------------------------------------------------------------- Bluesky


def test_bluesky_car_gives_every_post_with_its_uri() -> None:
    data = fixture("bluesky", "repo.car")
    entries = list(read_bluesky_car(io.BytesIO(data)))
    _, blocks = libipld.decode_car(data)
    post_cids = {
        libipld.encode_cid(cid)
        for cid, block in blocks.items()
        if isinstance(block, dict) and block.get("$type") == "app.bsky.feed.post"
    }
    assert {e.item.platform_data["cid"] for e in entries} == post_cids
    assert len(entries) == 37
    for entry in entries:
        item = entry.item
        assert item.external_id.startswith(
            "at://did:plc:iijrtk7ocored6zuziwmqq3c/app.bsky.feed.post/"
        )
        assert item.created_at.tzinfo is not None
        assert item.by_account
        assert libipld.decode_dag_cbor(item.raw)["text"] == item.text
    replies = [e.item for e in entries if e.item.kind == ItemKind.REPLY]
    assert len(replies) == 4
    assert all(r.parent_external_id and r.thread_id for r in replies)


def test_bluesky_car_resumes() -> None:
    data = fixture("bluesky", "repo.car")
    all_ids = [e.item.external_id for e in read_bluesky_car(io.BytesIO(data))]
    rest = list(read_bluesky_car(io.BytesIO(data), start=30))
    assert [e.item.external_id for e in rest] == all_ids[30:]
    assert rest[0].position == 30


def test_bluesky_car_refuses_other_files() -> None:
    with pytest.raises(ArchiveError):
        list(read_bluesky_car(io.BytesIO(b"")))
    data = fixture("bluesky", "repo.car")
    with pytest.raises(ArchiveError):
        list(read_bluesky_car(io.BytesIO(data[: len(data) // 2])))


# -------------------------------------------------------------- Facebook, Instagram


def test_mojibake_repair_only_where_it_round_trips() -> None:
    assert repair_mojibake("Hej \u00c3\u0085sa") == "Hej Åsa"
    assert repair_mojibake("\u00f0\u009f\u0091\u008d") == "👍"
    assert repair_mojibake("Hej Åsa") == "Hej Åsa"  # already right: left alone
    assert repair_mojibake("Mäkelä €") == "Mäkelä €"
    assert repair_mojibake("plain") == "plain"


def test_facebook_comments_export_is_repaired() -> None:
    entries = list(read_facebook_comments(open_fixture("exports", "facebook-comments.json")))
    assert [e.item.text for e in entries] == [
        "Hej Åsa! Återvinningscentralen öppnar måndag kl. 7. /Kim",
        "Kiitos palautteesta! Korjaamme asian 👍",
    ]
    first = entries[0].item
    assert first.platform_data["title"] == "Degerfors kommun kommenterade Åsa Öbergs inlägg."
    assert first.created_at == datetime.fromtimestamp(1763370000, tz=UTC)
    again = list(read_facebook_comments(open_fixture("exports", "facebook-comments.json")))
    assert [e.item.external_id for e in again] == [e.item.external_id for e in entries]
    assert len({e.item.external_id for e in entries}) == 2


def test_facebook_posts_export() -> None:
    first, second = (
        e.item for e in read_facebook_posts(open_fixture("exports", "facebook-posts.json"))
    )
    assert first.text == "Snöröjningen har börjat i hela kommunen. Tack för ert tålamod! ❄️"
    assert first.kind == ItemKind.POST
    assert second.text == "Lumityöt on aloitettu."


def test_messenger_export() -> None:
    ours, theirs = (
        e.item
        for e in read_meta_messages(
            open_fixture("exports", "messenger-message_1.json"),
            platform="facebook",
            account_name="Degerfors kommun",
        )
    )
    assert ours.by_account and not theirs.by_account
    assert theirs.author_name == "Göran Ärlig"
    assert theirs.text == "Hej, lyktstolpen vid skolan på Strömtorpsvägen är trasig."
    assert theirs.attachments == ("messages/inbox/goranarlig_123/photos/1.jpg",)
    assert theirs.created_at == datetime(2025, 11, 17, 9, 20, 0, 456000, tzinfo=UTC)
    assert ours.thread_id == theirs.thread_id
    assert theirs.platform_data["participants"] == "Göran Ärlig"


def test_instagram_comments_export_both_layouts() -> None:
    new = [
        e.item
        for e in read_instagram_comments(open_fixture("exports", "instagram-post_comments_1.json"))
    ]
    assert [i.text for i in new] == [
        "Kiitos kaikille jotka osallistuivat! 💙",
        "Välkommen till biblioteket på lördag!",
    ]
    assert new[0].platform_data["media_owner"] == "kirkkonummi"
    old = [
        e.item
        for e in read_instagram_comments(open_fixture("exports", "instagram-comments-old.json"))
    ]
    assert old[0].external_id == new[0].external_id


def test_broken_export_is_refused() -> None:
    with pytest.raises(ArchiveError):
        list(read_facebook_posts(io.BytesIO(b'[{"timestamp": 1, "data": [')))


def test_x_deleted_tweets_file_marks_items_deleted() -> None:
    content = (
        b'window.YTD.deleted_tweets.part0 = [ { "tweet" : { "id_str" : "17", "id" : "17",'
        b' "created_at" : "Mon Nov 17 08:30:00 +0000 2025",'
        b' "full_text" : "Fel datum, r\xc3\xa4ttat",'
        b' "deleted_at" : "Mon Nov 17 08:35:00 +0000 2025" } } ]'
    )
    [entry] = read_x_tweets(io.BytesIO(content))
    assert entry.item.deleted
    assert entry.item.text == "Fel datum, rättat"
