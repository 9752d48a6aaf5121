"""One function per pack rule under `publishing:`; each returns its findings.

`RULES` maps the pack path to the function: the checker applies a rule only
when the pack states it (`Rule.enforced`); a silent rule checks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kanalvakt.moderation.screening import lexicon as screening_lexicon
from kanalvakt.moderation.screening import pii
from kanalvakt.moderation.screening.normalise import Normalised, normalise
from kanalvakt.moderation.screening.patterns import match as screening_match
from kanalvakt.policies.pack import Pack, Rule
from kanalvakt.publishing.checker import lexicon, readability
from kanalvakt.publishing.checker.findings import (
    AccountInfo,
    Clause,
    Draft,
    Finding,
    Severity,
)
from kanalvakt.publishing.checker.text import (
    Paragraph,
    in_language,
    languages,
    links,
    on_domains,
    paragraphs,
)

LANGUAGE_NAMES = {
    "sv": gettext_lazy("svenska"),
    "fi": gettext_lazy("finska"),
    "en": gettext_lazy("engelska"),
}
_NI = re.compile(r"(?<!\w)(?:[Nn]i|[Ee]r|[Ee]rt|[Ee]ra)(?!\w)")
_ID_KINDS = {"personnummer", "samordningsnummer", "henkilotunnus"}


@dataclass
class Context:
    draft: Draft
    pack: Pack
    own_domains: list[str] = field(default_factory=list)

    @cached_property
    def parts(self) -> list[Paragraph]:
        return paragraphs(self.draft.text)

    @cached_property
    def normalised(self) -> Normalised:
        return normalise(self.draft.text)

    def texts(self) -> list[tuple[AccountInfo | None, str]]:
        """The post's text, and each account's own variant where it has one."""
        found: list[tuple[AccountInfo | None, str]] = [(None, self.draft.text)]
        found += [(account, account.text) for account in self.draft.accounts if account.text]
        return found


Check = Callable[[Context, Rule], list[Finding]]


def _finding(
    rule: Rule,
    code: str,
    severity: Severity,
    message: str,
    fix: str,
    *,
    account: str = "",
    span: tuple[int, int] | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        message=message,
        fix=fix,
        clause=Clause.of(rule),
        account=account,
        start=span[0] if span else None,
        end=span[1] if span else None,
    )


def website_link(context: Context, rule: Rule) -> list[Finding]:
    domains = [str(domain) for domain in rule.value.get("domains", [])]
    draft = context.draft
    if draft.reply or any(on_domains(url, domains) for url in links(draft.text, draft.link)):
        return []
    return [
        _finding(
            rule,
            "website_link",
            Severity.REVIEW,
            _("Inlägget länkar inte till organisationens webbplats (%(domains)s).")
            % {"domains": ", ".join(domains)},
            _("Länka till ursprungskällan på webbplatsen, i texten eller i länkfältet."),
        )
    ]


def _same_post_platforms(context: Context) -> set[str] | None:
    rule = context.pack.rule("publishing.languages_same_post")
    if rule is None or not rule.enforced:
        return None
    return {str(platform) for platform in rule.value}


def languages_required(context: Context, rule: Rule) -> list[Finding]:
    required = [str(language) for language in rule.value]
    draft = context.draft
    same_post = _same_post_platforms(context)
    findings = []
    targets = list(draft.accounts) or [AccountInfo(label="", platform="")]
    texts = {account.label: account.text for account in draft.accounts if account.text}
    cache: dict[str, set[str]] = {}
    for account in targets:
        text = texts.get(account.label, draft.text)
        if text not in cache:
            cache[text] = languages(context.parts if text == draft.text else paragraphs(text))
        missing = [language for language in required if language not in cache[text]]
        if not missing:
            continue
        separate_allowed = (
            same_post is not None and bool(account.platform) and account.platform not in same_post
        )
        if separate_allowed and draft.other_language_separately:
            continue
        names = ", ".join(str(LANGUAGE_NAMES.get(language, language)) for language in missing)
        fix = _("Skriv texten också på %(languages)s.") % {"languages": names}
        if separate_allowed:
            fix += " " + _(
                "På det här kontot får det andra språket också vara ett eget inlägg: kryssa i det."
            )
        findings.append(
            _finding(
                rule,
                "languages_required",
                Severity.BLOCK,
                _("Texten saknar %(languages)s.") % {"languages": names},
                fix,
                account=account.label,
            )
        )
    return findings


def hashtags(context: Context, rule: Rule) -> list[Finding]:
    if context.draft.reply:
        return []
    required = [str(tag) for tag in rule.value]
    findings = []
    for account, text in context.texts():
        present = {tag.casefold() for tag in re.findall(r"(?<!\w)#\w+", text)}
        missing = [tag for tag in required if tag.casefold() not in present]
        if missing:
            findings.append(
                _finding(
                    rule,
                    "hashtags",
                    Severity.BLOCK,
                    _("Hashtaggar saknas: %(tags)s.") % {"tags": " ".join(missing)},
                    _("Lägg till %(tags)s i texten.") % {"tags": " ".join(missing)},
                    account=account.label if account else "",
                )
            )
    return findings


def address_du(context: Context, rule: Rule) -> list[Finding]:
    findings = []
    for part in context.parts:
        if part.language not in ("sv", "other"):
            continue
        for found in _NI.finditer(part.text):
            span = (part.start + found.start(), part.start + found.end())
            findings.append(
                _finding(
                    rule,
                    "address_du",
                    Severity.REVIEW,
                    _("”%(word)s”: policyn vill att läsaren tilltalas med ”du”.")
                    % {"word": found.group(0)},
                    _("Skriv ”du”, ”dig” och ”din” i stället."),
                    span=span,
                )
            )
    return findings


def plain_language(context: Context, rule: Rule) -> list[Finding]:
    limit = rule.value.get("lix_max")
    only_swedish = "sv" in languages(context.parts) or not context.pack.languages
    swedish = in_language(context.parts, "sv", fallback=not only_swedish)
    findings = []
    score = readability.lix(swedish) if readability.judgeable(swedish) else None
    if score is not None and limit is not None and score > limit:
        findings.append(
            _finding(
                rule,
                "plain_language",
                Severity.REVIEW,
                _("LIX %(score)s är över policyns gräns %(limit)s.")
                % {"score": f"{score:.0f}", "limit": limit},
                _("Skriv kortare meningar och byt långa ord mot enklare."),
            )
        )
    finnish = in_language(context.parts, "fi", fallback=False)
    fi_limit = rule.value.get("fi_max")
    fi_score = readability.finnish_index(finnish) if readability.judgeable(finnish) else None
    if fi_score is not None and fi_limit is not None and fi_score > fi_limit:
        findings.append(
            _finding(
                rule,
                "plain_language_fi",
                Severity.REVIEW,
                _("Den finska texten har läsbarhetsindex %(score)s, över gränsen %(limit)s.")
                % {"score": f"{fi_score:.0f}", "limit": fi_limit},
                _("Skriv kortare meningar och kortare ord i den finska texten."),
            )
        )
    return findings


def no_personal_id_numbers(context: Context, rule: Rule) -> list[Finding]:
    findings = []
    for hit in pii.find(context.draft.text):
        if hit.kind in _ID_KINDS:
            findings.append(
                _finding(
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
                _finding(
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
            _finding(
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
        _finding(
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
        _finding(
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


_PLACEHOLDER = re.compile(r"\{\w+\}")


def fill_signature(format_: str, organisation: str, name: str) -> str:
    return format_.replace("{organisation}", organisation).replace("{name}", name)


def signature_pattern(filled: str) -> re.Pattern[str]:
    """The signature with any placeholder left (e.g. `{role}`) matching whatever the writer
    put there."""
    parts = _PLACEHOLDER.split(filled)
    return re.compile(r".+?".join(re.escape(part) for part in parts), re.IGNORECASE)


def signature(context: Context, rule: Rule) -> list[Finding]:
    draft = context.draft
    if draft.reply:
        return []  # replies are signed when they are sent
    wanted = fill_signature(str(rule.value.get("format", "")), draft.organisation, draft.writer)
    if signature_pattern(wanted).search(draft.text):
        return []
    return [
        _finding(
            rule,
            "signature",
            Severity.BLOCK,
            _("Underskriften saknas."),
            _("Avsluta med ”%(signature)s”.") % {"signature": wanted},
        )
    ]


def video_captions(context: Context, rule: Rule) -> list[Finding]:
    return [
        _finding(
            rule,
            "video_captions",
            Severity.BLOCK,
            _("Videon %(name)s saknar textning.") % {"name": media.name},
            _("Ladda upp en textfil (WebVTT eller SRT) eller skriv videons innehåll som text."),
        )
        for media in context.draft.media
        if media.kind == "video" and not media.has_captions and not media.accompanying_text.strip()
    ]


def image_rights(context: Context, rule: Rule) -> list[Finding]:
    return [
        _finding(
            rule,
            "image_rights",
            Severity.BLOCK,
            _("Rätten att publicera bilden %(name)s är inte registrerad.") % {"name": media.name},
            _("Ange fotograf eller rättighetsinnehavare och bekräfta att ni får publicera bilden."),
        )
        for media in context.draft.media
        if media.kind == "image" and not (media.rights_confirmed and media.rights_holder.strip())
    ]


def cross_post_main_account(context: Context, rule: Rule) -> list[Finding]:
    accounts = context.draft.accounts
    if context.draft.reply or not accounts or any(account.main for account in accounts):
        return []
    return [
        _finding(
            rule,
            "cross_post_main_account",
            Severity.ADVICE,
            _("Inlägget går bara till enheters konton."),
            _("Är ämnet av stort intresse för invånarna? Publicera det också på huvudkontot."),
        )
    ]


def web_news_facebook(context: Context, rule: Rule) -> list[Finding]:
    draft = context.draft
    if draft.reply or not draft.web_news:
        return []
    findings = []
    if not any(account.platform == "facebook" for account in draft.accounts):
        findings.append(
            _finding(
                rule,
                "web_news_facebook",
                Severity.REVIEW,
                _("Nyheter från webbplatsen ska också publiceras på Facebook."),
                _("Välj enhetens Facebook-sida, och vid behov kommunens huvudsida."),
            )
        )
    if rule.value.get("pin_important_only"):
        findings.append(
            _finding(
                rule,
                "web_news_pin",
                Severity.ADVICE,
                _("Fäst inlägget bara om ärendet är aktuellt och viktigt."),
                _("Kryssa i ”aktuellt och viktigt” så fästs inlägget på Facebook-sidan."),
            )
        )
    return findings


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
        _finding(
            rule,
            f"tone_{kind}",
            Severity.REVIEW,
            _("”%(word)s”: %(what)s") % {"word": text[start:end], "what": what},
            _("Håll en trevlig och saklig ton, även när inlägget du svarar på inte gör det."),
            span=(start, end),
        )
        for kind, what, start, end in sorted(unique.values(), key=lambda hit: hit[2])
    ]


RULES: dict[str, Check] = {
    "publishing.website_link": website_link,
    "publishing.languages_required": languages_required,
    "publishing.hashtags": hashtags,
    "publishing.address_du": address_du,
    "publishing.plain_language": plain_language,
    "publishing.no_personal_id_numbers": no_personal_id_numbers,
    "publishing.no_secret_information": no_secret_information,
    "publishing.children_consent": children_consent,
    "publishing.adults_consent": adults_consent,
    "publishing.political_neutrality": political_neutrality,
    "publishing.signature": signature,
    "publishing.video_captions": video_captions,
    "publishing.image_rights": image_rights,
    "publishing.cross_post_main_account": cross_post_main_account,
    "publishing.web_news_facebook": web_news_facebook,
    "publishing.friendly_tone": friendly_tone,
}

REPLY_RULES = (
    "publishing.address_du",
    "publishing.plain_language",
    "publishing.no_personal_id_numbers",
    "publishing.no_secret_information",
    "publishing.political_neutrality",
    "publishing.friendly_tone",
)
