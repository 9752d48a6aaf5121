"""The outbound guard: only public https, except the hosts OUTBOUND_ALLOW_HOSTS lists."""

from __future__ import annotations

from typing import Any

import pytest

from kanalvakt.lib.netguard import (
    OutboundRefused,
    check_platform_url,
    check_public_url,
    set_resolver,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",
        "https://127.8.9.10:8443/x",
        "https://localhost/",
        "https://[::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/",
        "https://172.16.5.4/",
        "https://192.168.1.1/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://[fe80::1]/",
        "https://[fc00::1]/",
        "https://224.0.0.1/",
        "https://240.0.0.1/",
        "https://intranet.internal/",
        "http://www.facebook.com/overkalix",
        "ftp://example.org/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://user:pw@example.org/",
        "https:///nohost",
    ],
)
def test_internal_reserved_and_non_https_addresses_are_refused(url: str) -> None:
    with pytest.raises(OutboundRefused):
        check_public_url(url)


def test_a_public_https_address_passes() -> None:
    assert check_public_url("https://mastodon.social/api") == "https://mastodon.social/api"
    assert check_public_url("https://151.101.1.140/") == "https://151.101.1.140/"


def test_a_name_that_resolves_to_one_private_address_among_public_ones_is_refused() -> None:
    previous = set_resolver(lambda host, port: ["151.101.1.140", "10.0.0.7"])
    try:
        with pytest.raises(OutboundRefused, match="10.0.0.7"):
            check_public_url("https://rebind.example/")
    finally:
        set_resolver(previous)


def test_a_name_that_does_not_resolve_is_refused() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("no such name")

    previous = set_resolver(fail)
    try:
        with pytest.raises(OutboundRefused, match="slås upp"):
            check_public_url("https://nowhere.example/")
    finally:
        set_resolver(previous)


def test_only_the_listed_host_and_port_may_be_loopback_and_plain_http(settings: Any) -> None:
    settings.OUTBOUND_ALLOW_HOSTS = ["127.0.0.1:8000"]
    assert check_public_url("http://127.0.0.1:8000/standin/fb/1")
    with pytest.raises(OutboundRefused):
        check_public_url("http://127.0.0.1:8001/")
    with pytest.raises(OutboundRefused):
        check_public_url("http://localhost:8000/")


def test_an_account_on_a_known_platform_must_be_on_that_platforms_hosts() -> None:
    assert check_platform_url("https://www.facebook.com/overkalix", "facebook")
    assert check_platform_url("https://m.facebook.com/overkalix", "facebook")
    with pytest.raises(OutboundRefused, match="facebook.com"):
        check_platform_url("https://facebook.com.evil.example/overkalix", "facebook")
    with pytest.raises(OutboundRefused):
        check_platform_url("https://www.youtube.com/@overkalix", "facebook")
    # Blogs and self-hosted servers may be on any public host.
    assert check_platform_url("https://blogg.overkalix.se/", "blog")
    assert check_platform_url("https://social.kyrkslatt.fi/@kunta", "mastodon")
