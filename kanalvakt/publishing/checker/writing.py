"""Rules on the writing: link, languages, hashtags, "du", readability, signature."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kanalvakt.policies.pack import Rule
from kanalvakt.publishing.checker import readability
from kanalvakt.publishing.checker.context import Context, make_finding
from kanalvakt.publishing.checker.findings import (
    AccountInfo,
    Finding,
    Severity,
)
from kanalvakt.publishing.checker.text import (
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


def website_link(context: Context, rule: Rule) -> list[Finding]:
    domains = [str(domain) for domain in rule.value.get("domains", [])]
    draft = context.draft
    if draft.reply or any(on_domains(url, domains) for url in links(draft.text, draft.link)):
        return []
    return [
        make_finding(
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
            make_finding(
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
                make_finding(
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
                make_finding(
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
            make_finding(
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
            make_finding(
                rule,
                "plain_language_fi",
                Severity.REVIEW,
                _("Den finska texten har läsbarhetsindex %(score)s, över gränsen %(limit)s.")
                % {"score": f"{fi_score:.0f}", "limit": fi_limit},
                _("Skriv kortare meningar och kortare ord i den finska texten."),
            )
        )
    return findings


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
        make_finding(
            rule,
            "signature",
            Severity.BLOCK,
            _("Underskriften saknas."),
            _("Avsluta med ”%(signature)s”.") % {"signature": wanted},
        )
    ]
