"""Every page a comms lead can reach: zero WCAG 2.1 A/AA violations (axe-core) at 1366 px,
and no sideways scroll at 320 px (WCAG 1.4.10).

The pages are found by following links from the organisation's start page, so
a page someone adds later is checked without touching this test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from kanalvakt.demo.traffic import demo_traffic_generate

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SKIPPED_SUFFIXES = (".zip", ".json", ".csv", ".pdf", ".txt", ".xml", ".svg", ".png", ".jpg")
MAX_PAGES = 70
PER_PATTERN = 2
"""Detail pages of one kind (e.g. /inkorg/<id>/) are checked twice, not once per row."""
EXTRA = ("/o/overkalix/moderering/?visa=avgjorda", "/o/overkalix/inkorg/?due=overdue")


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _wanted(path: str) -> bool:
    if path.endswith(SKIPPED_SUFFIXES) or path.startswith(("/admin/", "/logga-ut", "/static/")):
        return False
    return path.startswith(("/o/overkalix/", "/register/overkalix/", "/aviseringar/"))


def crawl(page: Page, base: str, start: str) -> list[str]:
    """Same-site pages reachable by links from `start`, at most PER_PATTERN of each kind."""
    queue = [start, *EXTRA]
    seen: set[str] = set()
    per_pattern: dict[str, int] = {}
    found: list[str] = []
    while queue and len(found) < MAX_PAGES:
        path = queue.pop(0)
        key = _pattern(path)
        if path in seen or per_pattern.get(key, 0) >= PER_PATTERN:
            continue
        seen.add(path)
        response = page.goto(base + path)
        if (
            response is None
            or response.status != 200
            or "html" not in (response.headers.get("content-type", ""))
        ):
            continue
        per_pattern[key] = per_pattern.get(key, 0) + 1
        found.append(path)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            parts = urlsplit(href)
            if parts.netloc != urlsplit(base).netloc:
                continue
            if _wanted(parts.path) and parts.path not in seen:
                queue.append(parts.path)
    return found


def _violations(page: Page, axe: Axe) -> list[str]:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    found = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(f"{violation['id']}: {violation['help']} at {targets}")
    return found


def _overflow(page: Page) -> str:
    """What sticks out beyond a 320 px viewport, or '' when nothing does."""
    return str(
        page.evaluate(
            """() => {
              const width = document.documentElement.clientWidth;
              if (document.documentElement.scrollWidth <= width) return "";
              const wide = [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .filter(el => el.offsetParent !== null)
                .slice(0, 3)
                .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                  + (el.className && typeof el.className === "string"
                     ? "." + el.className.split(" ").join(".") : ""));
              return document.documentElement.scrollWidth + "px: " + wide.join(" | ");
            }"""
        )
    )


@pytest.mark.browser
def test_every_page_passes_axe_and_fits_320_px(
    browser_page: Page,
    live_server: LiveServer,
    browser_login: Callable[[str, str], None],
    demo: None,
) -> None:
    demo_traffic_generate(count=30, slugs=("overkalix",), seed=10)
    browser_login("karin.lind", "kanalvakt-demo")

    browser_page.set_viewport_size({"width": 1366, "height": 900})
    pages = crawl(browser_page, live_server.url, "/o/overkalix/")
    assert len(pages) > 20, pages
    print("\n".join(pages))  # noqa: T201 - the list shows up in a failure report

    axe = Axe()
    problems: list[str] = []
    for path in pages:
        browser_page.set_viewport_size({"width": 1366, "height": 900})
        browser_page.goto(live_server.url + path)
        problems += [f"{path} axe {v}" for v in _violations(browser_page, axe)]
        browser_page.set_viewport_size({"width": 320, "height": 700})
        browser_page.goto(live_server.url + path)
        wide = _overflow(browser_page)
        if wide:
            problems.append(f"{path} scrolls sideways at 320 px: {wide}")
    assert not problems, f"{len(pages)} pages checked:\n" + "\n".join(problems)
