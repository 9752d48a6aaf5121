"""Where the demo's stand-in platform answers, per platform (no Django imports: settings use it)."""

from __future__ import annotations

PREFIX = "standin"
API_PATHS: dict[str, str] = {
    "facebook": "graph",
    "instagram": "graph",
    "x": "x",
    "youtube": "youtube",
    "bluesky": "bluesky",
    "linkedin": "linkedin",
}
"""Platforms whose API address is global (`PLATFORM_API_BASE_URLS`)."""
ACCOUNT_PATHS: dict[str, str] = {"mastodon": "mastodon", "wordpress": "wordpress"}
"""Platforms whose address is the account's own server or blog (the connection's `base_url`)."""


def standin_root(site_url: str) -> str:
    return f"{site_url.rstrip('/')}/{PREFIX}"


def standin_api_base_urls(site_url: str) -> dict[str, str]:
    """`PLATFORM_API_BASE_URLS` pointing every platform at the stand-in on `site_url`."""
    root = standin_root(site_url)
    return {platform: f"{root}/{path}" for platform, path in API_PATHS.items()}


def standin_account_base_url(site_url: str, platform: str, handle: str) -> str:
    """The connection's `base_url` for a demo account ("" where the platform needs none)."""
    root = standin_root(site_url)
    if platform == "mastodon":
        return f"{root}/mastodon"
    if platform == "wordpress":
        return f"{root}/wordpress/{handle}"
    if platform == "bluesky":
        return f"{root}/bluesky"
    return ""


def standin_public_url(site_url: str, platform: str, handle: str) -> str:
    """The account's public page on the stand-in (what a snapshot captures)."""
    return f"{standin_root(site_url)}/p/{platform}/{handle}/"
