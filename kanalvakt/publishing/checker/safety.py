"""Rules on what must not be published: identity numbers, secrets, people without
consent, stances, an unfriendly tone."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from kanalvakt.moderation.screening import lexicon as screening_lexicon
from kanalvakt.moderation.screening import pii
from kanalvakt.moderation.screening.patterns import match as screening_match
from kanalvakt.policies.pack import Rule
from kanalvakt.publishing.checker import lexicon
from kanalvakt.publishing.checker.context import Context, make_finding
from kanalvakt.publishing.checker.findings import (
    Finding,
    Severity,
)

_ID_KINDS = {"personnummer", "samordningsnummer", "henkilotunnus"}


def no_personal_id_numbers(context: Context, rule: Rule) -> list[Finding]:
    findings = []
    for hit in pii.find(context.draft.text):
        if hit.kind in _ID_KINDS:
            findings.append(
                make_finding(
                    rule,
                    "personal_id_number",
                    Severity.BLOCK,
                    _("Texten innehåller ett personnummer eller en personbeteckning."),
                    _("Ta bort numret; publicera aldrig personnummer."),
                    span=(hit.start, hit.end),
                )
            )
        elif hit.kind in ("email", "phone"):
            value = context.draft.text[hit.start : hit.end]
            domain = value.rsplit("@", 1)[-1].lower() if hit.kind == "email" else ""
            if domain and any(domain == d or domain.endswith("." + d) for d in context.own_domains):
                continue
            what = _("en e-postadress") if hit.kind == "email" else _("ett telefonnummer")
            findings.append(
                make_finding(
                    rule,
                    f"private_{hit.kind}",
                    Severity.REVIEW,
                    _("Texten innehåller %(what)s (%(value)s).") % {"what": what, "value": value},
                    _("Ta bort uppgiften om den är en privatpersons; organisationens går bra."),
                    span=(hit.start, hit.end),
                )
            )
    return findings


# Stems of the screening's secrecy patterns: without one of them no pattern can match, so
# the (costlier) normalisation is skipped. Staff drafts do not disguise words as leet.
_SECRECY_STEMS = (
    "sekretess",
    "hemligst",
    "läckt",
    "lackt",
    "salassa",
    "salaiseksi",
    "vuodettu",
    "classified",
    "leaked",
)


def no_secret_information(context: Context, rule: Rule) -> list[Finding]:
    folded = context.draft.text.casefold()
    if not any(stem in folded for stem in _SECRECY_STEMS):
        return []
    findings = []
    for hit in screening_match(context.normalised):
        if hit.pattern.category != "secrecy":
            continue
        findings.append(
            make_finding(
                rule,
                "secret_information",
                Severity.BLOCK,
                _("Texten ser ut att handla om sekretessbelagda uppgifter."),
                _("Publicera inte uppgifter under sekretess eller tystnadsplikt; fråga din chef."),
                span=(hit.start, hit.end),
            )
        )
    return findings


def _consent(context: Context, rule: Rule, who: str, label: str) -> list[Finding]:
    draft = context.draft
    if draft.people != who or draft.consent_recorded:
        return []
    return [
        make_finding(
            rule,
            f"{who}_consent",
            Severity.BLOCK,
            _("Inlägget nämner eller visar %(who)s och inget skriftligt samtycke är registrerat.")
            % {"who": label},
            _("Registrera var det skriftliga samtycket finns, eller ta bort namn och bilder."),
        )
    ]


def children_consent(context: Context, rule: Rule) -> list[Finding]:
    return _consent(context, rule, "children", _("barn"))


def adults_consent(context: Context, rule: Rule) -> list[Finding]:
    return _consent(context, rule, "adults", _("vuxna"))


def political_neutrality(context: Context, rule: Rule) -> list[Finding]:
    labels = {
        "party": _("ett partinamn"),
        "religion": _("ett religiöst begrepp"),
        "vote": _("en uppmaning om hur man röstar"),
    }
    return [
        make_finding(
            rule,
            f"neutrality_{kind}",
            Severity.REVIEW,
            _("”%(word)s” är %(what)s: granska att inlägget är neutralt.")
            % {"word": context.draft.text[start:end], "what": labels[kind]},
            _("Undvik att ta ställning i politik eller religion; beskriv sakligt."),
            span=(start, end),
        )
        for kind, start, end in lexicon.stances(context.draft.text)
    ]


_SHOUTING = re.compile(
    r"(?<!\w)[A-ZÅÄÖ]{5,}(?:\s+[A-ZÅÄÖ]{2,})*(?!\w)|(?:[A-ZÅÄÖ]{2,}\s+){2,}[A-ZÅÄÖ]{2,}"
)
_PUNCTUATION = re.compile(r"[!?]{3,}")
_SARCASM = re.compile(
    r"(?<!\w)(?:ja,? visst|jo,? säkert|grattis till er|lol|/s|haha+|just det,? ja"
    r"|niin varmaan|joo joo|aivan varmasti)(?!\w)|🙄|😏|🙃",
    re.IGNORECASE,
)
_INSULTS = frozenset({"personal_attack", "obscenity", "hate_speech"})


def friendly_tone(context: Context, rule: Rule) -> list[Finding]:
    """Signs of an unfriendly tone: shouting, insults, sarcasm markers. A person judges."""
    text = context.draft.text
    found: list[tuple[str, str, int, int]] = []
    found += [
        ("shouting", _("Versaler läses som att du skriker."), *m.span())
        for m in _SHOUTING.finditer(text)
    ]
    found += [
        ("shouting", _("Många utropstecken eller frågetecken läses som upprörda."), *m.span())
        for m in _PUNCTUATION.finditer(text)
    ]
    found += [
        ("sarcasm", _("Det kan läsas som ironi."), *m.span()) for m in _SARCASM.finditer(text)
    ]
    tokens = context.normalised.tokens
    for lex in screening_lexicon.lexicons():
        for hit in lex.match(tokens):
            if hit.entry.category in _INSULTS:
                found.append(
                    (
                        "insult",
                        _("Ett nedsättande ord."),
                        tokens[hit.first].start,
                        tokens[hit.last].end,
                    )
                )
    unique = {(start, end): (kind, what, start, end) for kind, what, start, end in found}
    return [
        make_finding(
            rule,
            f"tone_{kind}",
            Severity.REVIEW,
            _("”%(word)s”: %(what)s") % {"word": text[start:end], "what": what},
            _("Håll en trevlig och saklig ton, även när inlägget du svarar på inte gör det."),
            span=(start, end),
        )
        for kind, what, start, end in sorted(unique.values(), key=lambda hit: hit[2])
    ]
