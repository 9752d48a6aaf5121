"""Platform kind (the register's `Account.platform`) → connector."""

from __future__ import annotations

from kanalvakt.connectors.base import Connector, ConnectorProblem
from kanalvakt.connectors.bluesky.client import BlueskyConnector
from kanalvakt.connectors.facebook.client import FacebookConnector
from kanalvakt.connectors.http import HttpClient
from kanalvakt.connectors.instagram.client import InstagramConnector
from kanalvakt.connectors.linkedin.client import LinkedInConnector
from kanalvakt.connectors.mastodon.client import MastodonConnector
from kanalvakt.connectors.wordpress.client import WordPressConnector
from kanalvakt.connectors.x.client import XConnector
from kanalvakt.connectors.youtube.client import YouTubeConnector

CONNECTORS: dict[str, type[Connector]] = {
    cls.platform: cls
    for cls in (
        FacebookConnector,
        InstagramConnector,
        XConnector,
        YouTubeConnector,
        MastodonConnector,
        BlueskyConnector,
        LinkedInConnector,
        WordPressConnector,
    )
}


class UnknownPlatform(ConnectorProblem, LookupError):
    """No connector for this platform (yet): TikTok, blogs other than WordPress, other."""


def connector_for(platform: str, http: HttpClient | None = None) -> Connector:
    """A ready connector for `platform`; pass `http` to share or mock the client."""
    try:
        cls = CONNECTORS[platform]
    except KeyError:
        raise UnknownPlatform(f"no connector for platform {platform!r}") from None
    return cls(http)


def has_connector(platform: str) -> bool:
    return platform in CONNECTORS
