"""Issue 9 end to end: a Kyrkslätt post fails the draft checker, is fixed, approved and
published by a person with a mandate to two accounts, and is kept as a record; the writer,
who has no mandate, cannot publish.

The platforms are a fake connector registered for the test (the live server runs in
this process), until the demo's local stand-in platform lands.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kanalvakt.publishing.models import PublishedRecord
from kanalvakt.publishing.tests.conftest import (  # noqa: F401 - fixtures
    GOOD_TEXT,
    FakePlatform,
    Kyrkslatt,
    kyrkslatt,
    platform,
)
from kanalvakt.publishing.tests.test_workflow import PNG

PASSWORD = "demo-lösenord-123"
pytestmark = pytest.mark.usefixtures("media_in_tmp")


@pytest.mark.browser
def test_kyrkslatt_post_is_checked_fixed_approved_published_and_recorded(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    kyrkslatt: Kyrkslatt,  # noqa: F811
    platform: FakePlatform,  # noqa: F811
) -> None:
    def published() -> list[str]:
        return sorted(handle for handle, _ in platform.published)

    walk_through(browser_page, live_server, browser_login, kyrkslatt, published)
    assert published() == ["kirkkonummenkunta", "kirkkonummi"]


def walk_through(
    page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    kyrkslatt: Kyrkslatt,  # noqa: F811
    published: Callable[[], list[str]],
) -> None:
    """Write, fail the checker, fix, submit; approve and publish with a mandate; the record.

    `published()` lists what the platforms have received so far."""
    world = kyrkslatt.world
    slug = world.organisation.slug

    # The writer has no mandate: drafts, sees the checker, submits.
    browser_login(world.case_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/o/{slug}/publicering/nytt/")
    page.get_by_label("Text:", exact=True).fill(
        "Biblioteket har öppet hus på lördag. Ring 131052-308T."
    )
    page.get_by_label("kirkkonummenkunta").check()
    page.get_by_label("X (Twitter) – kirkkonummi").check()
    findings = page.locator("#findings")
    expect(findings.locator('[data-code="personal_id_number"]')).to_be_visible()
    expect(findings.locator('[data-code="hashtags"]').first).to_contain_text("#yhdessätillsammans")
    expect(findings.locator('[data-code="languages_required"]').first).to_contain_text("finska")
    expect(findings).to_contain_text("003_c812241455402087.txt")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara utkastet").click()

    page.get_by_label("Bild eller video").set_input_files(
        {"name": "bibliotek.png", "mimeType": "image/png", "buffer": PNG}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till filen").click()
    expect(findings.locator('[data-code="alt_text"]')).to_be_visible()
    expect(page.get_by_role("button", name="Publicera nu")).to_have_count(0)
    expect(page.get_by_text("inget giltigt uppdrag").first).to_be_visible()

    # Fix it: both languages, the hashtags, no identity number, alt text and rights.
    page.locator("#post-form").get_by_label("Text:", exact=True).fill(GOOD_TEXT)
    expect(findings.locator('[data-code="personal_id_number"]')).to_have_count(0)
    expect(findings.locator('[data-code="languages_required"]')).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Spara utkastet").click()
    media = page.locator("article", has_text="bibliotek")
    media.get_by_label("Alternativtext").fill("Barn läser i bibliotekets sagohörna")
    media.get_by_label("Fotograf eller rättighetsinnehavare").fill("Kyrkslätts kommun")
    media.get_by_label("Vi har rätt att publicera filen").check()
    with page.expect_navigation():
        media.get_by_role("button", name="Spara filens uppgifter").click()
    expect(findings.locator(".warning-red")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka för godkännande").click()
    expect(page.locator("#post-state")).to_have_text("väntar på godkännande")
    post_url = page.url
    assert published() == []

    # The publisher, with a mandate and the policy acknowledged, approves and publishes.
    page.context.clear_cookies()
    browser_login(world.publisher.username, PASSWORD)
    page.goto(post_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Godkänn").click()
    expect(page.locator("#post-state")).to_have_text("godkänt")
    with page.expect_navigation():
        page.get_by_role("button", name="Publicera nu").click()
    outcomes = page.locator("#outcomes li")
    expect(outcomes).to_have_count(2)
    for index in range(2):
        expect(outcomes.nth(index)).to_have_attribute("data-state", "published")

    # Found as a record with the exact payload that went out.
    with page.expect_navigation():
        page.get_by_role("link", name="Handlingen för").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publicerad handling")
    expect(page.locator("pre").first).to_contain_text("Barn läser i bibliotekets sagohörna")
    expect(page.locator("#registration")).to_contain_text("diarieföring")
    assert PublishedRecord.objects.count() == 2
