"""The Finnish and English catalogues: complete, compiled, and used by the pages.

The .po files are parsed here with a small reader of our own (no polib), so the
test needs nothing beyond the standard library and Django.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from kanalvakt.organisations.services import organisation_create

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ("fi", "en")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural.get(n, "") for n in range(2)]
        return [self.msgstr]


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """Return the header fields and the live (not obsolete) entries of a .po file."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None
    started = False

    def finish() -> None:
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue  # obsolete entry
        if line.startswith("#,"):
            if started and target is not None and target[0].startswith("msgstr"):
                finish()
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if started and target is not None and target[0].startswith("msgstr"):
                finish()
            continue
        keyword, _sep, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, f"{path}:{number}: string without a keyword"
            keyword, rest = "", line
        else:
            if (
                keyword in {"msgctxt", "msgid"}
                and target is not None
                and target[0].startswith("msgstr")
            ):
                finish()
            index = None
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                keyword, index = "msgstr_plural", int(match.group(1))
            assert keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural"}, (
                f"{path}:{number}: unknown keyword {keyword!r}"
            )
            target = (keyword, index)
            if not started:
                current.line = number
            started = True
        value = ast.literal_eval(rest)
        assert isinstance(value, str)
        assert target is not None
        name, index = target
        if name == "msgstr_plural":
            assert index is not None
            current.msgstr_plural[index] = current.msgstr_plural.get(index, "") + value
        elif keyword:
            setattr(current, name, value)
        else:
            setattr(current, name, (getattr(current, name) or "") + value)
    finish()

    header_entries = [entry for entry in entries if entry.msgid == "" and entry.msgctxt is None]
    assert len(header_entries) == 1, f"{path}: no header entry"
    header = header_entries[0]
    fields = dict(
        (key.strip(), value.strip())
        for key, _sep, value in (
            line.partition(":") for line in header.msgstr.splitlines() if ":" in line
        )
    )
    assert "fuzzy" not in header.flags, f"{path}: the header is marked fuzzy"
    return fields, [entry for entry in entries if entry is not header]


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    header, entries = read_po(po_path(language))
    assert header["Language"] == language
    assert header["Plural-Forms"].rstrip(";") == "nplurals=2; plural=(n != 1)"
    assert len(entries) > 100, "the catalogue is suspiciously small"
    untranslated = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in entries
        if not all(text.strip() for text in entry.translations)
    ]
    fuzzy = [f"line {entry.line}: {entry.msgid!r}" for entry in entries if "fuzzy" in entry.flags]
    assert not untranslated, f"{language}: untranslated entries:\n" + "\n".join(untranslated)
    assert not fuzzy, f"{language}: fuzzy entries:\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_kept(language: str) -> None:
    _header, entries = read_po(po_path(language))
    wrong = []
    for entry in entries:
        sources = (
            [entry.msgid, entry.msgid_plural] if entry.msgid_plural is not None else [entry.msgid]
        )
        for index, text in enumerate(entry.translations):
            source = sources[min(index, len(sources) - 1)]
            expected = sorted(PLACEHOLDER.findall(source))
            # The singular of a plural may leave out the number ("one message").
            if sorted(PLACEHOLDER.findall(text)) != expected and not (
                entry.msgid_plural is not None
                and index == 0
                and set(PLACEHOLDER.findall(text)) <= set(expected)
            ):
                wrong.append(f"line {entry.line}: {source!r} -> {text!r}")
            if source.endswith("\n") != text.endswith("\n"):
                wrong.append(f"line {entry.line}: trailing newline differs in {text!r}")
    assert not wrong, f"{language}: placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language: str) -> None:
    """The committed .mo holds exactly what the .po says: run compilemessages if this fails."""
    _header, entries = read_po(po_path(language))
    with mo_path(language).open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        if entry.msgid_plural is not None:
            got = [
                catalogue.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt
                else catalogue.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
        else:
            got = [
                catalogue.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else catalogue.gettext(entry.msgid)
            ]
        if got != entry.translations:
            stale.append(f"{entry.msgid!r}: .mo has {got!r}, .po has {entry.translations!r}")
    assert not stale, f"{language}: django.mo is out of step with django.po:\n" + "\n".join(
        stale[:20]
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", {"Logga in": "Kirjaudu sisään", "Inkorg": "Saapuneet", "uppdrag": "toimeksianto"}),
        ("en", {"Logga in": "Log in", "Inkorg": "Inbox", "uppdrag": "mandate"}),
    ],
)
def test_known_words(language: str, expected: dict[str, str]) -> None:
    with mo_path(language).open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for swedish, translated in expected.items():
        assert catalogue.gettext(swedish) == translated


def test_login_page_in_finnish_and_english(client: Client) -> None:
    finnish = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="fi")
    assert finnish.status_code == 200
    body = finnish.content.decode()
    assert '<html lang="fi">' in body
    assert "<h1>Kirjaudu sisään</h1>" in body
    assert "Käyttäjänimi" in body and "Salasana" in body
    assert "Logga in" not in body

    english = Client().get("/logga-in/", HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Log in</h1>" in english.content.decode()

    swedish = Client().get("/logga-in/")
    assert "<h1>Logga in</h1>" in swedish.content.decode()


@pytest.mark.django_db
def test_public_register_in_finnish(client: Client) -> None:
    organisation_create(
        actor=None,
        name="Kyrkslätts kommun",
        slug="kyrkslatt-oversattning",
        kind="municipality",
        country="FI",
        name_fi="Kirkkonummen kunta",
        public_languages=["sv", "fi"],
    )

    finnish = client.get("/register/kyrkslatt-oversattning/?sprak=fi").content.decode()
    for heading in ("Alusta", "Tarkoitus", "Kohderyhmä", "Yhteystiedot", "Avattu", "Suljettu"):
        assert f'<th scope="col">{heading}</th>' in finnish, heading
    assert "Viralliset sosiaalisen median tilit – Kirkkonummen kunta" in finnish
    assert '<th scope="col">Plattform</th>' not in finnish

    swedish = client.get("/register/kyrkslatt-oversattning/?sprak=sv").content.decode()
    assert '<th scope="col">Plattform</th>' in swedish
    assert '<th scope="col">Målgrupp</th>' in swedish
