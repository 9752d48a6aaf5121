"""Rules on files and channels: captions, image rights, the main account, web news."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kanalvakt.policies.pack import Rule
from kanalvakt.publishing.checker.context import Context, make_finding
from kanalvakt.publishing.checker.findings import (
    Finding,
    Severity,
)


def video_captions(context: Context, rule: Rule) -> list[Finding]:
    return [
        make_finding(
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
        make_finding(
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
        make_finding(
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
            make_finding(
                rule,
                "web_news_facebook",
                Severity.REVIEW,
                _("Nyheter från webbplatsen ska också publiceras på Facebook."),
                _("Välj enhetens Facebook-sida, och vid behov kommunens huvudsida."),
            )
        )
    if rule.value.get("pin_important_only"):
        findings.append(
            make_finding(
                rule,
                "web_news_pin",
                Severity.ADVICE,
                _("Fäst inlägget bara om ärendet är aktuellt och viktigt."),
                _("Kryssa i ”aktuellt och viktigt” så fästs inlägget på Facebook-sidan."),
            )
        )
    return findings
