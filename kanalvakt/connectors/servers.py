"""Configurable server addresses (a Mastodon instance, a Bluesky PDS) through the outbound guard.

A connection's server address is typed by a person; the access token is sent
there. Every call to it is checked at the moment of the call: public https
only (`kanalvakt.lib.netguard`), so an address that now resolves inward is
refused before the token leaves.
"""

from __future__ import annotations

from kanalvakt.connectors.base import PayloadError
from kanalvakt.lib.netguard import OutboundRefused, check_public_url


def server_url(base_url: str, path: str) -> str:
    """`base_url` + `path`, or PayloadError when the guard refuses the server."""
    url = base_url.rstrip("/") + path
    try:
        return check_public_url(url)
    except OutboundRefused as error:
        raise PayloadError(f"server address refused: {error}") from error
