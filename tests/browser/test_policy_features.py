"""Issue 13 end to end: the policy features a comms lead uses in the browser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer


@pytest.mark.browser
def test_comms_lead_switches_crisis_mode_on_and_every_page_shows_it(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    browser_login("tiina.virtanen", "kanalvakt-demo")

    browser_page.goto(live_server.url + "/o/kyrkslatt/kris/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Krisläge")
    expect(browser_page.get_by_text("Stormen Aila")).to_be_visible()  # demo history
    browser_page.get_by_label("Anledning").fill("Vattenläcka i centrum")
    browser_page.get_by_role("button", name="Slå på krisläge").click()

    banner = browser_page.locator(".crisis-banner")
    expect(banner).to_contain_text("Vattenläcka i centrum")
    browser_page.goto(live_server.url + "/o/kyrkslatt/policy/")
    expect(browser_page.locator(".crisis-banner")).to_contain_text("Schemalagda inlägg väntar")

    browser_page.goto(live_server.url + "/o/kyrkslatt/kris/")
    browser_page.get_by_role("button", name="Avsluta krisläget").click()
    expect(browser_page.locator(".crisis-banner")).to_have_count(0)
    expect(browser_page.get_by_role("button", name="Slå på krisläge")).to_be_visible()


@pytest.mark.browser
def test_an_account_owner_reports_a_fake_account_and_the_comms_lead_closes_it(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    browser_login("sanna.korhonen", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/kyrkslatt/incidenter/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Incidenter")
    expect(browser_page.get_by_role("link", name="nätfiske")).to_be_visible()  # demo
    browser_page.get_by_label("Typ").select_option("fake_account")
    browser_page.get_by_label("Vad har hänt?").fill("Ett Instagramkonto kopierar biblioteket.")
    browser_page.get_by_label("Det falska kontots adress").fill(
        "https://www.instagram.com/kirjasto.fake"
    )
    browser_page.get_by_role("button", name="Rapportera").click()
    expect(browser_page.get_by_text("Incidenten är rapporterad.")).to_be_visible()

    browser_login("tiina.virtanen", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/kyrkslatt/incidenter/")
    browser_page.get_by_role("link", name="falskt konto i organisationens namn").first.click()
    expect(browser_page.get_by_text("Ett Instagramkonto kopierar biblioteket.")).to_be_visible()
    browser_page.get_by_label("Status").select_option("resolved")
    browser_page.get_by_label("Uppföljning").fill("Anmält till Instagram; kontot är borta.")
    browser_page.get_by_role("button", name="Spara uppföljning").click()
    expect(browser_page.get_by_text("Uppföljningen är sparad.")).to_be_visible()
    expect(browser_page.get_by_text("Anmält till Instagram; kontot är borta.")).to_be_visible()


@pytest.mark.browser
def test_misinformation_is_corrected_with_a_source_on_the_own_website(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    browser_login("anna.nilsson", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/overkalix/rattelser/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Rättelser")
    browser_page.get_by_role("link", name="simhallen").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Rättelse")
    browser_page.get_by_label("Adress till källan").fill("https://www.overkalix.se/simhallen")
    browser_page.get_by_role("button", name="Spara källan").click()
    expect(browser_page.get_by_text("Källan är sparad.")).to_be_visible()
    expect(browser_page.locator("blockquote.source")).to_contain_text(
        "https://www.overkalix.se/simhallen"
    )
    browser_page.get_by_label("Adress till den publicerade rättelsen").fill(
        "https://www.facebook.com/overkalixkommun/posts/1"
    )
    browser_page.get_by_role("button", name="Markera som rättad").click()
    expect(browser_page.get_by_text("Rättelsen är gjord.")).to_be_visible()


@pytest.mark.browser
def test_the_policy_owner_records_a_review_and_the_comms_lead_reminds_staff(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    browser_login("helena.bostrom", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/skelleftea-kraft/policy/granskning/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(
        "Policyns ägare och granskning"
    )
    expect(browser_page.get_by_text("snart", exact=True)).to_be_visible()  # review in 20 days
    browser_page.get_by_label("Beslut").select_option("revise")
    browser_page.get_by_label("Nästa granskning", exact=True).fill("2099-06-30")
    browser_page.get_by_label("Motivering").fill("Riktlinjen ska nämna TikTok.")
    browser_page.get_by_role("button", name="Registrera granskningen").click()
    expect(browser_page.get_by_text("Granskningen är registrerad.")).to_be_visible()
    expect(browser_page.get_by_text("Riktlinjen ska nämna TikTok.")).to_be_visible()

    browser_login("karin.lind", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/overkalix/policy/granskning/")
    expect(browser_page.get_by_text("Har inte bekräftat")).to_be_visible()
    browser_page.get_by_role("button", name="Påminn nu").click()
    expect(browser_page.get_by_text("Påminnelserna är skickade.")).to_be_visible()


@pytest.mark.browser
def test_an_account_owner_states_the_plan_and_reviews_the_account(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    browser_login("linda.karlsson", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/degerfors/kontoplaner/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(
        "Kontoplaner och årlig översyn"
    )
    expect(browser_page.get_by_text("saknas", exact=True)).to_have_count(1)
    browser_page.locator("tbody tr").last.get_by_role("link").click()
    browser_page.get_by_label("Behov som kontot svarar på").fill("Föräldrar frågar om förskolan.")
    browser_page.get_by_label("Resurser: vem arbetar med kontot och hur mycket tid").fill(
        "Förskolechefen, en timme om dagen"
    )
    browser_page.get_by_role("button", name="Spara planen").click()
    expect(browser_page.get_by_text("Kontoplanen är sparad.")).to_be_visible()
    browser_page.get_by_label("Beslut").select_option("change")
    browser_page.get_by_label("Anteckning").fill("Fler filmer, färre länkar.")
    browser_page.get_by_role("button", name="Registrera översynen").click()
    expect(browser_page.get_by_text("Översynen är registrerad.")).to_be_visible()
    expect(browser_page.get_by_text("Fler filmer, färre länkar.")).to_be_visible()


@pytest.mark.browser
def test_listening_shows_mentions_apart_from_the_inbox_and_one_is_taken_in(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    browser_login("karin.lind", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/overkalix/bevakning/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Omvärldsbevakning")
    mention = browser_page.locator("ul.mentions > li").filter(has_text="cykelvägen till skolan")
    mention.get_by_placeholder("Anteckning").fill("Skickas till gatuenheten")
    mention.get_by_role("button", name="Ta in").click()
    expect(browser_page.get_by_text("Omnämnandet är taget in.")).to_be_visible()
    browser_page.get_by_role("link", name="Intagna").click()
    expect(browser_page.locator("ul.mentions > li")).to_have_count(1)

    browser_page.get_by_label("Källa").select_option("feed")
    browser_page.get_by_label("Sökord, hashtagg eller flödets adress").fill(
        "https://nyheter.example.se/rss"
    )
    browser_page.get_by_label("Ord som ska nämnas i flödet (kommaseparerade)").fill("Överkalix")
    browser_page.get_by_role("button", name="Bevaka", exact=True).click()
    expect(browser_page.get_by_text("Källan bevakas nu.")).to_be_visible()
    expect(
        browser_page.get_by_text("RSS- eller Atom-flöde: https://nyheter.example.se/rss")
    ).to_be_visible()

    browser_login("tiina.virtanen", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/kyrkslatt/bevakning/")
    expect(browser_page.get_by_text("omnämnanden på ett dygn")).to_be_visible()  # the demo spike


@pytest.mark.browser
def test_the_case_officer_answers_a_forwarded_criticism(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    browser_login("jonas.pekkala", "kanalvakt-demo")
    browser_page.goto(live_server.url + "/o/overkalix/vidarebefordrat/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Vidarebefordrade ärenden")
    expect(browser_page.get_by_text("Gatlampan vid skolan")).to_be_visible()
    browser_page.get_by_label("Hur det besvarades").fill("Lampan är lagad; svar i tråden.")
    browser_page.get_by_role("button", name="Besvarat").click()
    expect(browser_page.get_by_text("Ärendet är markerat som besvarat.")).to_be_visible()
    expect(browser_page.get_by_text("Lampan är lagad; svar i tråden.")).to_be_visible()


@pytest.mark.browser
def test_the_learned_review_choice_reads_plainly_on_the_policy_page_at_both_widths(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
    tmp_path: Path,
) -> None:
    from django.conf import settings

    from kanalvakt.organisations.models import Organisation
    from kanalvakt.organisations.services import organisation_select_policy
    from kanalvakt.policies.services import policy_version_load

    text = (Path(settings.POLICY_PACK_DIR) / "overkalix.yaml").read_text(encoding="utf-8")
    choice = "    learned_review:\n      silent: Organisationens val.\n      value: fewer\n"
    pack = tmp_path / "overkalix.yaml"
    text = text.replace("  moderation:\n", "  moderation:\n" + choice, 1)
    pack.write_text(re.sub(r'(?m)^version: "([^"]+)"', r'version: "\1-b"', text, count=1), "utf-8")
    organisation_select_policy(
        actor=None,
        organisation=Organisation.objects.get(slug="overkalix"),
        policy_version=policy_version_load(actor=None, path=pack),
    )
    browser_login("karin.lind", "kanalvakt-demo")
    for width in (1366, 320):
        browser_page.set_viewport_size({"width": width, "height": 900})
        browser_page.goto(live_server.url + "/o/overkalix/policy/")
        row = browser_page.get_by_text("Maskinens egna förslag om granskning")
        expect(row).to_be_visible()
        expect(browser_page.get_by_text("färre: bara där modellen är säkrare")).to_be_visible()
        assert browser_page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
