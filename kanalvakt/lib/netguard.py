"""The one outbound guard: Kanalvakt only calls out to public https addresses.

Every address a person can type that Kanalvakt later fetches (an account's
page for a snapshot and every request that page makes, a Mastodon instance,
a Bluesky server) passes `check_public_url` first. The host is resolved and
every address it resolves to must be globally routable: loopback, link-local,
private, shared (CGNAT), multicast, reserved and documentation ranges are
refused, and so are IPv4-mapped IPv6 forms of them. Only `https` is allowed.

The setting `OUTBOUND_ALLOW_HOSTS` (comma-separated `host:port`) names the
only exceptions: hosts that may be loopback or private and plain http, for
the demo's local stand-in platform and for tests. Nothing else bypasses it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

Resolver = Callable[[str, int], list[str]]

# Host names the platforms serve official accounts' pages from. A snapshot of
# an account on a known platform must stay on that platform's hosts (their
# subdomains included); blogs, Mastodon instances and "other" may be anywhere public.
PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook.com", "fb.com"),
    "instagram": ("instagram.com",),
    "x": ("x.com", "twitter.com"),
    "youtube": ("youtube.com", "youtu.be"),
    "bluesky": ("bsky.app",),
    "linkedin": ("linkedin.com",),
    "tiktok": ("tiktok.com",),
}


class OutboundRefused(ValueError):
    """Kanalvakt will not call this address; the message says why (in Swedish, shown to users)."""


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


_resolver: Resolver = _system_resolver


def set_resolver(resolver: Resolver | None) -> Resolver:
    """Replace the DNS lookup (tests have no DNS); returns the previous one. None restores."""
    global _resolver
    previous = _resolver
    _resolver = resolver or _system_resolver
    return previous


def allowed_hosts() -> set[tuple[str, int]]:
    """OUTBOUND_ALLOW_HOSTS as (host, port) pairs, host in lower case."""
    pairs = set()
    for entry in getattr(settings, "OUTBOUND_ALLOW_HOSTS", []) or []:
        host, _, port = str(entry).strip().rpartition(":")
        if host and port.isdigit():
            pairs.add((host.strip("[]").lower(), int(port)))
    return pairs


def _port(scheme: str, port: int | None) -> int:
    return port if port is not None else (443 if scheme == "https" else 80)


def is_allowed_host(url: str) -> bool:
    """The address is one of OUTBOUND_ALLOW_HOSTS (the stand-in platform, tests)."""
    parts = urlsplit(url)
    try:
        port = _port(parts.scheme.lower(), parts.port)
    except ValueError:
        return False
    return ((parts.hostname or "").lower(), port) in allowed_hosts()


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return is_public_address(str(mapped))
    return bool(ip.is_global) and not ip.is_multicast


def check_public_url(url: str) -> str:
    """Return `url` if Kanalvakt may fetch it, else raise `OutboundRefused`.

    Allowed: https to a host all of whose addresses are public; or any http(s)
    address on a host:port listed in OUTBOUND_ALLOW_HOSTS.
    """
    _checked(url, resolve_allowed=False)
    return url


def checked_addresses(url: str) -> list[str]:
    """The addresses `url`'s host resolved to, once, each checked as `check_public_url` does.

    Connect to these and to nothing else (`kanalvakt.lib.pinned`): resolving the
    name again could give a different answer (DNS rebinding). Raises
    `OutboundRefused` when the address may not be fetched.
    """
    return _checked(url, resolve_allowed=True)


def _checked(url: str, *, resolve_allowed: bool) -> list[str]:
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = _port(scheme, parts.port)
    except ValueError as error:
        raise OutboundRefused(_("Ogiltig adress: %(url)s") % {"url": url[:200]}) from error
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        raise OutboundRefused(_("Bara https-adresser kan hämtas: %(url)s") % {"url": url[:200]})
    if parts.username or parts.password:
        raise OutboundRefused(_("Adressen får inte innehålla användarnamn eller lösenord."))
    if (host, port) in allowed_hosts():
        return _addresses(host, port) if resolve_allowed else []
    if scheme != "https":
        raise OutboundRefused(_("Bara https-adresser kan hämtas: %(url)s") % {"url": url[:200]})
    addresses = _addresses(host, port)
    for address in addresses:
        if not is_public_address(address):
            raise OutboundRefused(
                _(
                    "%(host)s pekar på en intern eller reserverad adress (%(address)s) "
                    "och hämtas inte."
                )
                % {"host": host, "address": address}
            )
    return addresses


def _addresses(host: str, port: int) -> list[str]:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [host]
    try:
        addresses = _resolver(host, port)
    except (OSError, UnicodeError) as error:
        raise OutboundRefused(_("%(host)s kan inte slås upp.") % {"host": host}) from error
    if not addresses:
        raise OutboundRefused(_("%(host)s kan inte slås upp.") % {"host": host})
    return addresses


def host_matches(host: str, domains: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def check_platform_url(url: str, platform: str) -> str:
    """`check_public_url`, and on a known platform the host must be that platform's own."""
    check_public_url(url)
    domains = PLATFORM_HOSTS.get(platform)
    if domains and not is_allowed_host(url):
        host = urlsplit(url).hostname or ""
        if not host_matches(host, domains):
            raise OutboundRefused(
                _("Ett konto på %(platform)s måste ha en adress på %(domains)s, inte %(host)s.")
                % {"platform": platform, "domains": ", ".join(domains), "host": host}
            )
    return url
