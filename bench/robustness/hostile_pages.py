"""Hostile strings in every field a stranger or a colleague can fill, then every page in
Chromium: nothing may execute and no markup may come through.

    .venv/bin/python bench/robustness/hostile_pages.py [--pages 1500]

Seeds the demo organisations on a fresh SQLite file, then puts each string of
the corpus into comments (text, author name and handle, links), account register
fields, unit and people's names, and runs the normal processing (screening,
inbox, moderation, registration) on them. A real server (waitress) serves the
project; Debian's Chromium logs in as the demo comms lead and visits every page
reachable by links from the dashboards and the public registers (GET only),
counting script executions (a global counter the payloads would raise, and
dialogs), elements carrying the payloads' marker attribute (markup that came
through unescaped) and Content-Security-Policy violations. Prints the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
MARK = "data-kv-pwn"
CORPUS = [
    "<script>window.__kvPwned=(window.__kvPwned||0)+1</script>",
    f'<img src=x {MARK} onerror="window.__kvPwned=(window.__kvPwned||0)+1">',
    f'"><svg {MARK} onload="window.__kvPwned=(window.__kvPwned||0)+1">',
    f"'><b {MARK}>fet</b>",
    f"</textarea></title></style><b {MARK}>ut</b>",
    f'<a {MARK} href="javascript:window.__kvPwned=(window.__kvPwned||0)+1">klicka</a>',
    "javascript:window.__kvPwned=(window.__kvPwned||0)+1//",
    "data:text/html,<script>parent.__kvPwned=1</script>",
    f'<iframe {MARK} srcdoc="&lt;script&gt;parent.__kvPwned=1&lt;/script&gt;"></iframe>',
    f'<math><mtext><table><mglyph><style><img {MARK} src=x onerror="window.__kvPwned=1">',
    "{{ request.user.password }}{% debug %}${7*7}#{7*7}",
    '=HYPERLINK("https://example.invalid","klick")',
    "+46 70 000 00 00 @SUM(1+1)*cmd|' /C calc'!A0",
    "\u202eTXT.exe\u202c ärende",
    "Zalgo Z̸̢̛̤͈ä̷̤l̵̡g̶͙o̷ ​ zero\u200bwidth\u2060joiner",
    "𝕳𝖊𝖏 😀👍🏽 👨‍👩‍👧 emoji",
    "'; DROP TABLE inbox_item; --",
    "%s%s%s%(x)s {0} %n",
    "A" * 5000,
    "<!--",
    "]]><![CDATA[<b " + MARK + ">cdata</b>]]>",
]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def seed() -> int:
    """The demo organisations with the corpus in every field; returns how many inputs."""
    _django()
    from django.core.management import call_command
    from django.utils import timezone

    from kanalvakt.connectors.base import IncomingItem, ItemKind
    from kanalvakt.inbox.services import item_ingest
    from kanalvakt.organisations.models import Unit, User
    from kanalvakt.register.models import Account

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    inputs = 0
    accounts = list(Account.objects.all().select_related("organisation"))
    for index, text in enumerate(CORPUS):
        account = accounts[index % len(accounts)]
        link = CORPUS[6] if index % 2 else CORPUS[7]
        incoming = IncomingItem(
            platform=account.platform,
            external_id=f"hostile-{index}",
            kind=ItemKind.COMMENT,
            created_at=timezone.now(),
            raw=json.dumps({"id": index, "message": text}).encode(),
            text=f"Fråga om bygglov {text}",
            author_name=text[:300],
            author_handle=text[:300],
            platform_data={"permalink_url": link},
        )
        item_ingest(account=account, incoming=incoming)
        inputs += 4
    for index, account in enumerate(accounts):
        text = CORPUS[index % len(CORPUS)]
        Account.objects.filter(pk=account.pk).update(
            display_name=text[:200], purpose=text, audience=text, contact=text[:200]
        )
        inputs += 4
    for index, unit in enumerate(Unit.objects.all()):
        Unit.objects.filter(pk=unit.pk).update(name=CORPUS[index % len(CORPUS)][:200])
        inputs += 1
    for index, user in enumerate(User.objects.exclude(username="demo")):
        User.objects.filter(pk=user.pk).update(first_name=CORPUS[index % len(CORPUS)][:150])
        inputs += 1
    return inputs


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SKIP = re.compile(r"(\.pdf|\.zip|\.csv|\.xml|\.warc(\.gz)?|\.png|/logga-ut/|/admin/|/sprak/)")


def crawl(base: str, limit: int, slugs: list[str]) -> dict[str, int]:
    from playwright.sync_api import Dialog, sync_playwright

    figures = {"pages": 0, "executions": 0, "injected elements": 0, "dialogs": 0, "csp": 0}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("KANALVAKT_CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(locale="sv-SE")

        def on_dialog(dialog: Dialog) -> None:
            figures["dialogs"] += 1
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on(
            "console",
            lambda m: figures.__setitem__("csp", figures["csp"] + ("Content Security" in m.text)),
        )
        page.goto(f"{base}/logga-in/")
        page.fill("#id_username", "demo")
        page.fill("#id_password", "kanalvakt-demo")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        seen: set[str] = set()
        queue = deque([f"{base}/", *(f"{base}/register/{slug}/" for slug in slugs)])
        while queue and figures["pages"] < limit:
            url = queue.popleft()
            if url in seen or SKIP.search(url):
                continue
            seen.add(url)
            try:
                response = page.goto(url, wait_until="load")
            except Exception:  # noqa: BLE001 - a page that fails to load is counted, not fatal
                figures["failed loads"] = figures.get("failed loads", 0) + 1
                continue
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            figures["pages"] += 1
            figures["executions"] += int(page.evaluate("window.__kvPwned || 0"))
            figures["injected elements"] += page.locator(f"[{MARK}]").count()
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                target = urljoin(url, href).split("#")[0]
                if urlsplit(target).netloc == urlsplit(base).netloc and target not in seen:
                    queue.append(target)
        browser.close()
    return figures


def _slugs() -> list[str]:
    from kanalvakt.organisations.models import Organisation

    return list(Organisation.objects.values_list("slug", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1500)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kanalvakt-hostile-"))
    (work / "static").mkdir()
    env = {
        **os.environ,
        "KANALVAKT_VAR_DIR": str(work),
        "KANALVAKT_INSECURE_DEV_KEY": "1",
        "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "kanalvakt.settings",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "PYTHONPATH": str(REPO),
    }
    os.environ.update(env)
    inputs = seed()
    subprocess.run(  # noqa: S603
        [PYTHON, "-m", "kanalvakt.cli", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "waitress", f"--listen=127.0.0.1:{port}", "kanalvakt.wsgi:application"],
        env={**env, "DEBUG": "0"},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        started = time.monotonic()
        figures = crawl(f"http://127.0.0.1:{port}", options.pages, _slugs())
        seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=20)
    print("## Hostile strings through the pages in Chromium\n")
    print("| figure | value |\n|---|---|")
    print(f"| strings in the corpus | {len(CORPUS)} |")
    print(f"| fields filled with them | {inputs} |")
    print(f"| pages visited | {figures['pages']} ({seconds:.0f} s) |")
    print(f"| script executions | {figures['executions']} |")
    print(f"| dialogs opened | {figures['dialogs']} |")
    print(f"| payload elements in the DOM (unescaped markup) | {figures['injected elements']} |")
    print(f"| Content-Security-Policy violations reported | {figures['csp']} |")
    print(f"| pages that failed to load | {figures.get('failed loads', 0)} |")


if __name__ == "__main__":
    main()
