"""Where each platform's API lives.

The default is the platform's real address. The setting
`PLATFORM_API_BASE_URLS` (a mapping platform → base URL) points a platform
somewhere else: the demo's local stand-in platform, or a test server. The
connectors read it here and nowhere else; outside Django the defaults apply.
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULTS: dict[str, str] = {
    "facebook": "https://graph.facebook.com/v23.0",
    "instagram": "https://graph.facebook.com/v23.0",
    "x": "https://api.x.com",
    "youtube": "https://www.googleapis.com",
    "bluesky": "https://bsky.social",
    "linkedin": "https://api.linkedin.com",
}
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def api_base(platform: str) -> str:
    """The base URL for `platform`'s API, without a trailing slash."""
    override = _overrides().get(platform, "")
    return (override or DEFAULTS.get(platform, "")).rstrip("/")


def _overrides() -> dict[str, str]:
    from django.conf import settings

    if not settings.configured:  # a plain script without Django settings
        return {}
    configured = getattr(settings, "PLATFORM_API_BASE_URLS", None) or {}
    return {str(k): str(v) for k, v in dict(configured).items()}


def is_loopback(url: str) -> bool:
    """True for http(s) addresses on this machine (the demo's stand-in platform)."""
    return (urlsplit(url).hostname or "") in LOOPBACK_HOSTS


def parse_base_urls(value: str) -> dict[str, str]:
    """`facebook=http://127.0.0.1:8000/standin/graph,x=…` → a mapping (for settings)."""
    pairs = (part.split("=", 1) for part in value.replace("\n", ",").split(",") if "=" in part)
    return {name.strip(): url.strip() for name, url in pairs if name.strip() and url.strip()}
