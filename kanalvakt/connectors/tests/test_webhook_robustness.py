"""Whatever arrives at a webhook, parsing either gives items or a PayloadError."""

import json
from typing import Any

import pytest

from kanalvakt.connectors.base import PayloadError
from kanalvakt.connectors.registry import CONNECTORS, connector_for
from kanalvakt.connectors.tests.helpers import FIXTURES

WEBHOOK_PLATFORMS = sorted(p for p, cls in CONNECTORS.items() if cls.receives_webhooks)

ODD_VALUES: list[Any] = [None, 0, "", "x", [], {}, [1], {"a": None}, True, -1, 1e300]


def mutations(payload: Any) -> list[Any]:
    """The payload with each nested value replaced by each odd value, one at a time."""
    results: list[Any] = []

    def walk(node: Any, replace: Any) -> None:
        if isinstance(node, dict):
            for key in list(node):
                original = node[key]
                for odd in ODD_VALUES:
                    node[key] = odd
                    results.append(json.loads(json.dumps(replace)))
                node[key] = original
                walk(original, replace)
        elif isinstance(node, list):
            for index, original in enumerate(node):
                for odd in ODD_VALUES:
                    node[index] = odd
                    results.append(json.loads(json.dumps(replace)))
                node[index] = original
                walk(original, replace)

    walk(payload, payload)
    return results


def webhook_fixtures(platform: str) -> list[bytes]:
    folder = FIXTURES / platform
    names = {
        "facebook": ["feed-comment-add-211.json", "messaging-message-basic.json"],
        "instagram": ["wh-comments-2021.json", "wh-mentions.json"],
        "x": ["aaa-tweet-create-mention-sv.json", "aaa-direct-message-sv.json"],
        "mastodon": ["kanalvakt-admin-webhook-status-created.json"],
    }[platform]
    return [(folder / name).read_bytes() for name in names]


@pytest.mark.parametrize("platform", WEBHOOK_PLATFORMS)
def test_mangled_deliveries_never_crash_the_parser(platform: str) -> None:
    connector = connector_for(platform)
    for body in webhook_fixtures(platform):
        for mutated in mutations(json.loads(body)):
            try:
                items = connector.parse_webhook(json.dumps(mutated).encode())
            except PayloadError:
                continue
            assert all(item.created_at.tzinfo is not None for item in items)


@pytest.mark.parametrize("platform", WEBHOOK_PLATFORMS)
@pytest.mark.parametrize(
    "body", [b"", b"not json", b"\xff\xfe", b"[]", b"null", b"42", b'"text"', b"{}"]
)
def test_garbage_is_refused_with_a_reason(platform: str, body: bytes) -> None:
    with pytest.raises(PayloadError) as caught:
        connector_for(platform).parse_webhook(body)
    assert str(caught.value)
