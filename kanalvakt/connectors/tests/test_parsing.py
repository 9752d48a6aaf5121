from datetime import UTC, datetime, timedelta

import pytest

from kanalvakt.connectors.base import IncomingItem, ItemKind, PayloadError
from kanalvakt.connectors.parsing import from_epoch, from_iso, from_twitter, html_to_text


def test_timestamps_in_every_platform_format_are_aware() -> None:
    expected = datetime(2025, 11, 17, 8, 15, 2, tzinfo=UTC)
    assert from_twitter("Mon Nov 17 08:15:02 +0000 2025") == expected
    assert from_twitter("Mon Nov 17 10:15:02 +0200 2025") == expected
    assert from_iso("2025-11-17T08:15:02Z") == expected
    assert from_iso("2025-11-17T08:15:02+0000") == expected
    assert from_iso("2025-11-17T10:15:02+02:00") == expected
    assert from_iso("2025-11-17T08:15:02.000Z") == expected
    assert from_epoch(1763367302) == expected
    assert from_epoch("1763367302000") == expected
    assert from_iso("2025-11-17T10:15:02+02:00").utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("bad", ["", "yesterday", None, "Mon Foo 17 08:15:02 +0000 2025"])
def test_bad_timestamps_are_refused(bad: object) -> None:
    with pytest.raises(PayloadError):
        if isinstance(bad, str) and bad.startswith("Mon"):
            from_twitter(bad)
        else:
            from_iso(bad)


def test_html_becomes_plain_text_and_markup_in_it_stays_text() -> None:
    markup = "<p>Hej &amp; välkommen</p><p>rad ett<br>rad två &lt;b&gt;</p>"
    assert html_to_text(markup) == "Hej & välkommen\n\nrad ett\nrad två <b>"
    assert html_to_text('<a href="x"><script>alert(1)</script></a>') == "alert(1)"


def test_items_refuse_naive_times() -> None:
    with pytest.raises(ValueError, match="aware"):
        IncomingItem(
            platform="x",
            external_id="1",
            kind=ItemKind.MENTION,
            created_at=datetime(2025, 1, 1),  # noqa: DTZ001 - the point of the test
            raw=b"{}",
        )
    item = IncomingItem(
        platform="x",
        external_id="1",
        kind=ItemKind.MENTION,
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
        raw=b"{}",
    )
    assert item.sha256 == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"


def test_items_can_be_kept_in_sets() -> None:
    item = IncomingItem(
        platform="bluesky",
        external_id="at://did:plc:a/app.bsky.feed.post/1",
        kind=ItemKind.REPLY,
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
        raw=b"{}",
        platform_data={"cid": "bafy"},
    )
    assert len({item, item}) == 1
    assert hash(item.ref()) == hash(item.ref())
