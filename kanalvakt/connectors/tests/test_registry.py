import pytest

from kanalvakt.connectors.base import Connector
from kanalvakt.connectors.registry import CONNECTORS, UnknownPlatform, connector_for, has_connector
from kanalvakt.register.models import Platform


def test_every_connector_is_a_platform_of_the_register() -> None:
    assert set(CONNECTORS) <= set(Platform.values)
    assert set(CONNECTORS) == {
        "facebook",
        "instagram",
        "x",
        "youtube",
        "mastodon",
        "bluesky",
        "linkedin",
        "wordpress",
    }


@pytest.mark.parametrize("platform", sorted(CONNECTORS))
def test_connector_for_each_platform(platform: str) -> None:
    connector = connector_for(platform)
    assert isinstance(connector, Connector)
    assert connector.platform == platform
    assert connector.receives_webhooks or connector.polls


def test_platforms_without_a_connector_say_so() -> None:
    assert not has_connector("tiktok")
    with pytest.raises(UnknownPlatform, match="tiktok"):
        connector_for("tiktok")
