"""Platform-shaped ids for demo accounts, posts and comments.

The demo's connections point at the stand-in platform; replies and moderation
then need ids the connectors accept: a LinkedIn comment URN, WordPress numbers
with the post, Bluesky at:// URIs under the account's own DID.
"""

from __future__ import annotations

import random
import re

from kanalvakt.register.models import Account

BSKY_POST = "app.bsky.feed.post"


def standin_bluesky_did(handle: str) -> str:
    """The DID the stand-in gives a Bluesky handle (as `standin_account_id` does)."""
    return f"did:plc:{re.sub(r'[^a-z0-9]', '', handle.lower())}"


def standin_account_id(account: Account) -> str:
    """The account's id on the stand-in (the connection's `external_id`)."""
    slug = re.sub(r"[^a-z0-9]", "", account.handle.lower()) or str(account.pk)
    if account.platform == "bluesky":
        return f"did:plc:{slug}"
    if account.platform == "linkedin":
        return str(10_000_000 + account.pk)
    if account.platform == "wordpress":
        return "1"
    return account.external_id or slug


def _number(rng: random.Random) -> int:
    return rng.randint(10**15, 10**16 - 1)


def _rkey(rng: random.Random) -> str:
    return "3" + "".join(rng.choice("234567abcdefghijklmnopqrstuvwxyz") for _ in range(12))


def post_identity(account: Account, rng: random.Random) -> tuple[str, dict[str, str]]:
    """An id (and platform data) for one of the account's own posts."""
    if account.platform == "bluesky":
        uri = f"at://{standin_account_id(account)}/{BSKY_POST}/{_rkey(rng)}"
        return uri, {"cid": f"bafyrei{rng.getrandbits(128):032x}"}
    if account.platform == "linkedin":
        return f"urn:li:activity:{_number(rng)}", {}
    if account.platform == "wordpress":
        return str(rng.randint(100, 99_999)), {}
    return f"demo-{rng.getrandbits(64):016x}", {}


def comment_identity(
    account: Account, rng: random.Random, *, parent: str, parent_data: dict[str, str]
) -> tuple[str, dict[str, str]]:
    """An id and platform data for a comment by someone else under `parent`."""
    if account.platform == "bluesky":
        did = f"did:plc:demo{rng.getrandbits(40):010x}"
        return f"at://{did}/{BSKY_POST}/{_rkey(rng)}", {
            "cid": f"bafyrei{rng.getrandbits(128):032x}",
            "root_uri": parent,
            "root_cid": parent_data.get("cid", ""),
            "thread": parent,
        }
    if account.platform == "linkedin":
        return f"urn:li:comment:({parent},{_number(rng)})", {"object": parent, "thread": parent}
    if account.platform == "wordpress":
        return str(rng.randint(100_000, 9_999_999)), {"post": parent, "thread": parent}
    return f"demo-{rng.getrandbits(64):016x}", {}
