"""Issue 9's browser test through the demo's stand-in platform: the real connectors publish
over HTTP to `kanalvakt.demo.standin` on the live server. Runs once the connectors branch
(which brings the stand-in) is merged; until then the module is skipped and
`test_publishing.py` walks the same way with a fake connector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from kanalvakt.publishing.tests.conftest import Kyrkslatt, kyrkslatt  # noqa: F401 - fixture
from tests.browser.test_publishing import walk_through

addresses = pytest.importorskip("kanalvakt.demo.standin.addresses")
connect = pytest.importorskip("kanalvakt.demo.standin.connect")
standin_models = pytest.importorskip("kanalvakt.demo.standin.models")
pytestmark = pytest.mark.usefixtures("media_in_tmp")


@pytest.fixture
def standin(live_server: LiveServer, settings: Any, kyrkslatt: Kyrkslatt) -> None:  # noqa: F811
    """Every connector pointed at the stand-in; Kyrkslätt's accounts connected to it."""
    settings.PLATFORM_API_BASE_URLS = addresses.standin_api_base_urls(live_server.url)
    # The connectors call only addresses the outbound guard allows: the stand-in is one.
    settings.OUTBOUND_ALLOW_HOSTS = [live_server.url.split("//", 1)[1]]
    settings.SITE_URL = live_server.url
    world = kyrkslatt.world
    connect.demo_standin_connect(
        actor=world.comms_lead, site_url=live_server.url, slugs=(world.organisation.slug,)
    )


@pytest.mark.browser
@pytest.mark.urls("kanalvakt.demo.tests.standin_urls")
def test_kyrkslatt_post_goes_out_through_the_standin(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    kyrkslatt: Kyrkslatt,  # noqa: F811
    standin: None,
) -> None:
    def published() -> list[str]:
        received = standin_models.StandinObject.objects.filter(text__contains="#yhdessätillsammans")
        return sorted(received.values_list("platform", flat=True))

    walk_through(browser_page, live_server, browser_login, kyrkslatt, published)
    assert published() == ["facebook", "x"]
