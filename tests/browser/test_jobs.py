"""The officer's and the moderator's jobs end to end in Chromium, on a laptop and a phone.

The platform is a fake connector installed in this process (the live server
answers from a thread of it), so replies and removals "reach" the platform
without any network and the test can check what was sent.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kanalvakt.connectors.base import AccountConfig, IncomingItem, ItemKind, ItemRef
from kanalvakt.inbox.models import EntryState, InboxEntry, Item
from kanalvakt.inbox.services import item_ingest
from kanalvakt.register.models import Account

WIDTHS = [pytest.param(1366, id="1366px"), pytest.param(390, id="390px")]


@dataclass
class FakePlatform:
    replies: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)


class FakeConnector:
    platform = "facebook"

    def __init__(self, platform: FakePlatform) -> None:
        self.fake = platform

    def close(self) -> None:
        pass

    def reply(self, account: AccountConfig, ref: ItemRef, text: str) -> str:
        self.fake.replies.append((ref.external_id, text))
        return f"reply-{len(self.fake.replies)}"

    def hide(self, account: AccountConfig, ref: ItemRef) -> None:
        self.fake.hidden.append(ref.external_id)

    def unhide(self, account: AccountConfig, ref: ItemRef) -> None:
        pass

    def remove(self, account: AccountConfig, ref: ItemRef) -> None:
        self.fake.removed.append(ref.external_id)


@pytest.fixture
def fake_platform(monkeypatch: pytest.MonkeyPatch) -> FakePlatform:
    fake = FakePlatform()
    config = AccountConfig(external_id="104857600123456", access_token="test-token")
    for module in ("kanalvakt.inbox.services.replies", "kanalvakt.moderation.platform"):
        monkeypatch.setattr(f"{module}.has_connector", lambda platform: True)
        monkeypatch.setattr(f"{module}.account_config_for", lambda account: config)
        monkeypatch.setattr(f"{module}.connector_for", lambda platform: FakeConnector(fake))
    return fake


def _comment(text: str, *, external_id: str) -> Item:
    account = Account.objects.get(
        organisation__slug="overkalix", handle="overkalixkommun", platform="facebook"
    )
    incoming = IncomingItem(
        platform="facebook",
        external_id=external_id,
        kind=ItemKind.COMMENT,
        created_at=timezone.now() - datetime.timedelta(minutes=5),
        raw=json.dumps({"id": external_id, "message": text}).encode(),
        text=text,
        author_name="Åsa Öberg",
    )
    return item_ingest(account=account, incoming=incoming).item


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_officer_replies_and_the_clock_stops(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    fake_platform: FakePlatform,
    demo: None,
    width: int,
) -> None:
    browser_page.set_viewport_size({"width": width, "height": 900})
    item = _comment("Hur ansöker man om bygglov för en altan?", external_id="job-question")
    entry = InboxEntry.objects.get(item=item)
    assert entry.is_open and entry.due_at is not None

    browser_login("karin.lind", "kanalvakt-demo")
    browser_page.get_by_role("link", name="Inkorg", exact=True).click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Inkorg")
    row = browser_page.get_by_role("row").filter(has_text="bygglov för en altan")
    expect(row.locator("time.time-left")).to_contain_text("kvar")
    row.get_by_role("link", name="Hur ansöker man om bygglov för en altan?").click()

    expect(browser_page.get_by_text("Svar senast")).to_be_visible()
    # By keyboard: ? shows the shortcuts, Esc hides them, r goes to the reply box.
    # The shortcuts are bound when the page has loaded (a deferred script); on a busy
    # machine the text can be visible before that.
    browser_page.wait_for_load_state("load")
    browser_page.locator("main").click(position={"x": 1, "y": 1})
    browser_page.keyboard.press("?")
    expect(browser_page.get_by_role("dialog", name="Kortkommandon")).to_be_visible()
    browser_page.keyboard.press("Escape")
    expect(browser_page.get_by_role("dialog", name="Kortkommandon")).to_be_hidden()
    browser_page.keyboard.press("r")
    reply_box = browser_page.get_by_role("textbox", name="Svar")
    expect(reply_box).to_be_focused()
    # Single-key shortcuts can be turned off (WCAG 2.1.4), and on again.
    shortcuts = browser_page.get_by_role("button", name="Kortkommandon")
    use_them = browser_page.get_by_role("checkbox", name=re.compile("Använd kortkommandona"))
    shortcuts.click()
    use_them.uncheck()
    browser_page.get_by_role("button", name="Stäng").click()
    browser_page.keyboard.press("r")
    expect(reply_box).not_to_be_focused()
    shortcuts.click()
    use_them.check()
    browser_page.get_by_role("button", name="Stäng").click()
    browser_page.get_by_role("textbox", name="Svar").fill(
        "Hej! Ansökan görs i e-tjänsten för bygglov."
    )
    browser_page.get_by_role("button", name="Skicka svaret").click()

    expect(browser_page.get_by_text("Svaret är skickat.")).to_be_visible()
    expect(browser_page.get_by_text("Svar senast")).to_have_count(0)
    expect(browser_page.get_by_text("Hanterat")).to_be_visible()
    entry.refresh_from_db()
    assert entry.state == EntryState.ANSWERED
    assert entry.handled_by is not None and entry.handled_by.username == "karin.lind"
    assert fake_platform.replies[0][0] == "job-question"
    assert "e-tjänsten för bygglov" in fake_platform.replies[0][1]


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_moderator_removes_a_comment_and_its_inbox_entry_closes(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    fake_platform: FakePlatform,
    demo: None,
    width: int,
) -> None:
    browser_page.set_viewport_size({"width": width, "height": 900})
    item = _comment("Jag vet var du bor och jag ska döda dig", external_id="job-threat")
    assert InboxEntry.objects.get(item=item).is_open

    browser_login("karin.lind", "kanalvakt-demo")
    browser_page.get_by_role("link", name="Moderering", exact=True).click()
    browser_page.get_by_role("link", name="Jag vet var du bor och jag ska döda dig").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Modereringsärende")

    browser_page.get_by_label("ta bort", exact=True).check()
    browser_page.get_by_label("Skäl").fill("Olaga hot mot en anställd.")
    browser_page.get_by_role("button", name="Spara beslut").click()
    expect(browser_page.get_by_text("Beslutet är sparat.")).to_be_visible()

    browser_page.get_by_role("link", name="Meddelandet i inkorgen").click()
    expect(browser_page.get_by_text("Borttagen – inget svar behövs.")).to_be_visible()
    expect(browser_page.get_by_text("Svar senast")).to_have_count(0)
    browser_page.get_by_role("link", name="Se modereringsbeslutet").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Modereringsärende")

    entry = InboxEntry.objects.get(item=item)
    assert entry.state == EntryState.NO_ANSWER_NEEDED
    assert fake_platform.removed == ["job-threat"]
