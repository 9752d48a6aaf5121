"""The draft checker (PUB-1): pure functions over a draft and the organisation's pack.

`check(draft, pack)` returns a `Report`: every finding carries the pack clause
it comes from (file, section, quote) and how to fix it. A rule the pack leaves
silent checks nothing and is listed in `Report.silent`; a draft checked without
a pack only gets the platform limits and alt text, which no policy can waive.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kanalvakt.policies.pack import Pack
from kanalvakt.publishing.checker import limits
from kanalvakt.publishing.checker.findings import (
    AccountInfo,
    Clause,
    Draft,
    Finding,
    MediaInfo,
    Report,
    Severity,
)
from kanalvakt.publishing.checker.rules import REPLY_RULES, RULES, Context

__all__ = ["AccountInfo", "Draft", "Finding", "MediaInfo", "Report", "Severity", "check"]

# Keys under `publishing:` that code other than `RULES` reads (see the coverage test).
READ_ELSEWHERE = {
    "publishing.languages_same_post": "checker.writing.languages_required",
    "publishing.approval_required": "publishing.services.approval_required",
}

WCAG_ALT = Clause(
    path="WCAG 2.1 1.1.1",
    section="Icke-textinnehåll",
    quote="All non-text content that is presented to the user has a text alternative",
)


def _platform_findings(draft: Draft) -> list[Finding]:
    findings = []
    for account in draft.accounts:
        limit = limits.LIMITS.get(account.platform)
        if limit is None:
            continue
        text = account.text or draft.text
        if draft.link and draft.link not in text:
            text = f"{text}\n{draft.link}"
        clause = Clause(path=f"platform.{limit.platform}", section=limit.documentation)
        size = limits.length(limit.platform, text)
        if size > limit.maximum:
            findings.append(
                Finding(
                    code="platform_length",
                    severity=Severity.BLOCK,
                    message=_("%(size)s %(unit)s, %(platform)s tillåter %(maximum)s.")
                    % {
                        "size": size,
                        "unit": limit.unit,
                        "platform": limit.platform,
                        "maximum": limit.maximum,
                    },
                    fix=_("Korta texten eller skriv en egen, kortare text för kontot."),
                    clause=clause,
                    account=account.label,
                )
            )
        tags = len(limits.hashtags(text))
        if limit.max_hashtags is not None and tags > limit.max_hashtags:
            findings.append(
                Finding(
                    code="platform_hashtags",
                    severity=Severity.BLOCK,
                    message=_("%(tags)s hashtaggar, %(platform)s tillåter %(maximum)s.")
                    % {"tags": tags, "platform": limit.platform, "maximum": limit.max_hashtags},
                    fix=_("Ta bort hashtaggar."),
                    clause=clause,
                    account=account.label,
                )
            )
        if account.platform == "instagram" and not draft.media and not draft.reply:
            findings.append(
                Finding(
                    code="platform_media",
                    severity=Severity.BLOCK,
                    message=_("Instagram publicerar bara inlägg med bild eller video."),
                    fix=_("Lägg till en bild eller video, eller välj bort Instagram."),
                    clause=clause,
                    account=account.label,
                )
            )
    return findings


def _alt_text_findings(draft: Draft) -> list[Finding]:
    return [
        Finding(
            code="alt_text",
            severity=Severity.BLOCK,
            message=_("Bilden %(name)s saknar alternativtext.") % {"name": media.name},
            fix=_("Beskriv vad bilden visar för den som inte ser den."),
            clause=WCAG_ALT,
        )
        for media in draft.media
        if media.kind == "image" and not media.alt_text.strip()
    ]


def check(draft: Draft, pack: Pack | None, *, own_domains: tuple[str, ...] = ()) -> Report:
    """Every finding for the draft under the pack, with the rules it applied and skipped."""
    report = Report(no_pack=pack is None)
    report.findings += _platform_findings(draft)
    report.findings += _alt_text_findings(draft)
    if pack is None:
        return report
    website = pack.value("publishing.website_link", {})
    domains = [*own_domains, *(website.get("domains", []) if isinstance(website, dict) else [])]
    context = Context(draft=draft, pack=pack, own_domains=domains)
    for path, rule_check in RULES.items():
        if draft.reply and path not in REPLY_RULES:
            continue
        rule = pack.rule(path)
        if rule is None:
            continue
        if not rule.enforced:
            report.silent.append(rule)
            continue
        report.checked.append(path)
        report.findings += rule_check(context, rule)
    order = {Severity.BLOCK: 0, Severity.REVIEW: 1, Severity.ADVICE: 2}
    report.findings.sort(key=lambda finding: order[finding.severity])
    return report
