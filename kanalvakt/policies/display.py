"""Swedish labels for rule paths and readable renderings of rule values.

The policy page shows every rule of a pack grouped by section. `LABELS` names
each rule path from docs/policy-pack-format.md; `describe()` turns a rule's
value into lines of plain text (the template escapes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kanalvakt.organisations.models import Role
from kanalvakt.policies.coverage import display_only_reason
from kanalvakt.policies.pack import Pack, Rule, Source

SECTIONS: dict[str, Promise] = {
    "calendar": _("Kalender och arbetstid"),
    "response_times": _("Svarstider"),
    "moderation": _("Moderering"),
    "registration": _("Diarieföring"),
    "snapshots": _("Ögonblicksbilder"),
    "disposal": _("Gallring"),
    "accounts": _("Konton"),
    "mandates": _("Uppdrag"),
    "lifecycle": _("Öppna och stänga konton"),
    "profile": _("Krav på kontots profil"),
    "publishing": _("Publicering"),
    "inbox": _("Inkorg och svar"),
    "reply_templates": _("Svarsmallar"),
    "escalations": _("Eskalering"),
    "security": _("Säkerhet"),
    "listening": _("Omvärldsbevakning"),
    "acknowledgement": _("Kvittens"),
    "crisis": _("Krisläge"),
}

LABELS: dict[str, Promise] = {
    "calendar": _("Kalender, helgdagar och arbetstid"),
    "response_times.default": _("Svarstid"),
    "response_times.platforms": _("Svarstid per plattform"),
    "response_times.negative": _("Svarstid för negativa meddelanden"),
    "moderation.deadline_hours": _("Olämpliga inlägg tas bort inom"),
    "moderation.categories": _("Skäl att ta bort inlägg"),
    "moderation.advertising_public_events_allowed": _(
        "Reklam för offentliga evenemang får ligga kvar"
    ),
    "moderation.never_auto_hide": _("Döljs aldrig automatiskt"),
    "moderation.notice": _("Moderationstext som varje konto visar"),
    "registration.register": _("Ska diarieföras"),
    "registration.exempt": _("Behöver inte diarieföras"),
    "snapshots.half_yearly": _("Ögonblicksbild vid varje halvårsskifte"),
    "snapshots.before_major_change": _("Ögonblicksbild inför stora förändringar"),
    "disposal.decision": _("Gallringsbeslut"),
    "accounts.min_admins": _("Minsta antal administratörer per konto"),
    "accounts.web_manager_admin": _("Webbansvarig ska vara administratör"),
    "accounts.substitute_required": _("Ersättare ska vara utsedd"),
    "accounts.passive_after_days": _("Kontot räknas som passivt efter"),
    "accounts.password_max_age_days": _("Lösenordet byts senast efter"),
    "accounts.two_factor_required": _("Tvåstegsverifiering"),
    "accounts.shared_credentials": _("Inloggningsuppgifter där flera når dem"),
    "accounts.work_email": _("Kontot registrerat med e-postadress hos organisationen"),
    "accounts.not_network_password": _("Annat lösenord än i organisationens nät"),
    "accounts.unique_passwords": _("Olika lösenord för varje tjänst"),
    "accounts.no_fake_accounts": _("Inga fejkkonton"),
    "accounts.public_register": _("Förteckning över kontona"),
    "mandates.required": _("Uppdrag krävs för att publicera"),
    "mandates.granted_by": _("Uppdraget ges av"),
    "mandates.anchored_with": _("Uppdraget förankras hos"),
    "mandates.publishers_appointed_by": _("Publicister utses av"),
    "lifecycle.open_steps": _("Steg för att öppna ett konto"),
    "lifecycle.close_steps": _("Steg för att stänga ett konto"),
    "profile": _("Profilkrav"),
    "publishing.website_link": _("Länk till webbplatsen som ursprungskälla"),
    "publishing.languages_required": _("Språk som alltid ska finnas med"),
    "publishing.hashtags": _("Hashtaggar"),
    "publishing.address_du": _("Läsaren tilltalas med ”du”"),
    "publishing.plain_language": _("Klarspråk"),
    "publishing.no_personal_id_numbers": _("Inga personnummer"),
    "publishing.no_secret_information": _("Inga sekretessbelagda uppgifter"),
    "publishing.children_consent": _(
        "Barn och vuxna fotograferas och namnges bara med skriftligt medgivande"
    ),
    "publishing.political_neutrality": _("Inga ställningstaganden i politik eller religion"),
    "publishing.signature": _("Underskrift i inlägg"),
    "publishing.video_captions": _("Textning av video"),
    "publishing.image_rights": _("Bara material som man har rätt till"),
    "publishing.cross_post_main_account": _("Viktiga ärenden också på huvudkontot"),
    "publishing.languages_same_post": _("Båda språken i samma inlägg på"),
    "publishing.adults_consent": _("Vuxna fotograferas och namnges bara med medgivande"),
    "publishing.approval_required": _("Inlägg godkänns innan de publiceras"),
    "publishing.web_news_facebook": _("Webbnyheter också på Facebook"),
    "publishing.friendly_tone": _("Trevlig och saklig ton"),
    "inbox.reply_signature": _("Underskrift i svar"),
    "inbox.forward_to_case_officer": _("Frågor skickas vidare till rätt handläggare"),
    "inbox.do_not_answer": _("Besvaras inte"),
    "inbox.publisher_answers_own_posts": _(
        "Den som publicerade ett inlägg svarar på kommentarerna"
    ),
    "inbox.correct_misinformation": _("Felaktigheter rättas"),
    "reply_templates": _("Svarsmall"),
    "escalations": _("Eskalering"),
    "security.incident_report_to": _("Säkerhetsincidenter rapporteras till"),
    "listening.enabled": _("Bevaka vad som sägs om organisationen"),
    "acknowledgement.required": _("Medarbetare bekräftar att de läst policyn"),
    "crisis.response_time": _("Svarstid i krisläge"),
    "crisis.holding_message": _("Avvaktande meddelande i krisläge"),
}

PLATFORMS: dict[str, str | Promise] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X (Twitter)",
    "youtube": "YouTube",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "blog": _("bloggar"),
    "other": _("andra kanaler"),
}

CATEGORIES: dict[str, Promise] = {
    "personal_attack": _("personangrepp"),
    "defamation": _("förtal"),
    "obscenity": _("oanständigheter"),
    "hate_speech": _("hets mot folkgrupp"),
    "sexual_harassment": _("sexuella trakasserier och sexism"),
    "threat": _("hot"),
    "incitement": _("uppmaning till brott"),
    "violence_depiction": _("våldsskildring"),
    "pornography": _("pornografi"),
    "copyright": _("upphovsrättsintrång"),
    "advertising": _("reklam"),
    "secrecy": _("sekretessbelagda uppgifter"),
    "personal_data": _("integritetskränkande uppgifter"),
}

INTENTS: dict[str, Promise] = {
    "question": _("frågor"),
    "factual_criticism": _("saklig kritik"),
    "unfair_criticism": _("osaklig kritik"),
    "praise": _("beröm"),
    "hateful_negative": _("hatiska negativa kommentarer"),
    "joking_negative": _("skämtsamma negativa kommentarer"),
    "negative_feedback": _("negativ respons"),
    "misinformation": _("felaktig information"),
    "advertising": _("reklam"),
    "other": _("övrigt"),
}

STEPS: dict[str, Promise] = {
    "stated_need": _("behov, mål, målgrupp och innehåll beskrivs"),
    "manager_approval": _("närmaste chef godkänner"),
    "management_anchoring": _("förankras i ledningen"),
    "notify_information_unit": _("informationsenheten underrättas"),
    "closing_announcement": _("avslutet meddelas i kanalen"),
}

RECORD_KINDS: dict[str, Promise] = {
    "incoming_message": _("meddelanden som kommer in"),
    "factual_criticism": _("saklig kritik"),
    "service_matter": _("ärenden i tjänsten"),
    "question": _("frågor"),
    "complaint": _("klagomål"),
    "snapshot": _("ögonblicksbilder av kontot"),
    "public_forum_chronological": _(
        "kommentarer i ett öppet officiellt forum som sparas i kronologisk ordning"
    ),
    "own_content": _("eget publicerat innehåll"),
    "comments_received": _("inkomna kommentarer och svar"),
}

TRIGGERS: dict[str, Promise] = {
    "threat_to_staff": _("hot mot medarbetare"),
    "harassment_of_staff": _("trakasserier mot medarbetare"),
    "bullying": _("nätmobbning"),
    "crime": _("brott"),
    "harmful_criticism": _("kritik som skadar organisationen"),
    "security_incident": _("säkerhetsincident (identitetsstöld, nätfiske, skadeprogram)"),
}

RECIPIENTS: dict[str, Any] = {
    **{role.value: role.label for role in Role},
    "it": _("IT / informationsförvaltningen"),
    "police": _("polisen"),
}

PUBLIC_FIELDS: dict[str, Promise] = {
    "platform": _("plattform"),
    "name": _("namn"),
    "handle": _("kontonamn"),
    "url": _("adress"),
    "unit": _("ansvarig enhet"),
    "purpose": _("syfte"),
    "audience": _("målgrupp"),
    "responsible": _("ansvarig"),
    "contact": _("kontakt"),
    "languages": _("språk"),
}

LANGUAGES: dict[str, Promise] = {"sv": _("svenska"), "fi": _("finska"), "en": _("engelska")}

COUNTRIES: dict[str, Promise] = {"SE": _("Sverige"), "FI": _("Finland")}

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: dict[str, Promise] = {
    "mon": _("måndag"),
    "tue": _("tisdag"),
    "wed": _("onsdag"),
    "thu": _("torsdag"),
    "fri": _("fredag"),
    "sat": _("lördag"),
    "sun": _("söndag"),
}

PLACEHOLDERS: dict[str, Promise] = {
    "{organisation}": _("[organisationen]"),
    "{name}": _("[ditt namn]"),
    "{role}": _("[din roll]"),
    "{cause}": _("[orsaken]"),
    "{fix}": _("[åtgärden]"),
    "{channel}": _("[kanalen]"),
    "{source_link}": _("[länk till källan]"),
}


def _name(table: dict[str, Any], key: Any) -> str:
    return str(table.get(str(key), key))


def _join(items: list[str]) -> str:
    return ", ".join(items)


def describe_deadline(value: dict[str, Any]) -> str:
    kind = value.get("kind")
    if kind == "hours":
        amount = value.get("amount")
        if value.get("clock") == "working":
            return str(_("inom %(amount)s timmar räknat i arbetstid") % {"amount": amount})
        if value.get("clock") == "weekdays":
            return str(_("inom %(amount)s timmar räknat på vardagar") % {"amount": amount})
        return str(_("inom %(amount)s timmar") % {"amount": amount})
    if kind == "working_days":
        amount = value.get("amount")
        if amount == 1:
            return str(_("inom en arbetsdag"))
        return str(_("inom %(amount)s arbetsdagar") % {"amount": amount})
    if kind == "next_working_day":
        return str(_("senast nästa arbetsdag"))
    if kind == "asap":
        return str(_("så snabbt som möjligt"))
    return str(value)


def _days(days: list[str]) -> str:
    ordered = [day for day in DAYS if day in days]
    indices = [DAYS.index(day) for day in ordered]
    if len(ordered) > 2 and indices == list(range(indices[0], indices[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]}–{DAY_NAMES[ordered[-1]]}"
    return _join([str(DAY_NAMES[day]) for day in ordered])


def fill_placeholders(text: str) -> str:
    for placeholder, label in PLACEHOLDERS.items():
        text = text.replace(placeholder, str(label))
    return text


def _texts(value: dict[str, Any]) -> list[str]:
    return [f"{_name(LANGUAGES, code).capitalize()}: {text}" for code, text in value.items()]


def _yes_no(value: bool) -> str:
    return str(_("Ja")) if value else str(_("Nej"))


def describe(path: str, value: Any) -> list[str]:
    """The value of the rule at `path` as lines of readable Swedish text."""
    base = path.split("[", 1)[0]
    if value is None:
        return []
    if base == "calendar":
        hours = value.get("working_hours", {})
        return [
            str(
                _("Helgdagar i %(country)s; arbetstid %(start)s–%(end)s, %(days)s")
                % {
                    "country": _name(COUNTRIES, value.get("country")),
                    "start": hours.get("start"),
                    "end": hours.get("end"),
                    "days": _days(value.get("working_days", [])),
                }
            )
        ]
    if base.startswith("response_times.") or base == "crisis.response_time":
        return [describe_deadline(value)]
    if base == "moderation.deadline_hours":
        return [str(_("%(hours)s timmar") % {"hours": value})]
    if base == "moderation.categories":
        lines = [
            f"{_name(CATEGORIES, value.get('category'))} – "
            + str(_("i policyn: ”%(wording)s”") % {"wording": value.get("wording")})
        ]
        if value.get("basis") == "law":
            lines.append(str(_("Lagstöd: %(statute)s") % {"statute": value.get("statute")}))
        else:
            lines.append(str(_("Grund: policyn (inte ett lagkrav)")))
            if value.get("statute"):
                lines.append(str(_("Lagrum för brottet: %(statute)s") % value))
        if value.get("action") == "remove":
            lines.append(str(_("Åtgärd: tas bort")))
        else:
            lines.append(str(_("Åtgärd: bedöms av en person")))
        if value.get("notify_poster"):
            lines.append(str(_("Den som skrev inlägget underrättas.")))
        return lines
    if base in ("moderation.never_auto_hide", "inbox.do_not_answer"):
        return [_join([_name(INTENTS, intent) for intent in value])]
    if base in ("moderation.notice", "crisis.holding_message"):
        return _texts(value)
    if base in ("registration.register", "registration.exempt"):
        line = _name(RECORD_KINDS, value.get("what")).capitalize()
        if value.get("forward"):
            line += " – " + str(_("skickas vidare till rätt instans"))
        return [line]
    if base == "snapshots.half_yearly":
        lines = [
            str(
                _("%(scope)s sparas som %(format)s")
                % {
                    "scope": _("Kontots startsida")
                    if value.get("scope") == "start_page"
                    else _("Kontots sidor"),
                    "format": str(value.get("format", "")).upper(),
                }
            )
        ]
        if value.get("send_to"):
            lines.append(
                str(_("Skickas till %(role)s") % {"role": _name(RECIPIENTS, value["send_to"])})
            )
        return lines
    if base == "disposal.decision":
        lines = []
        if value.get("keep_years") == 0:
            lines.append(str(_("Får gallras fortlöpande")))
        elif value.get("keep_years") is not None:
            lines.append(str(_("Bevaras i %(years)s år") % {"years": value["keep_years"]}))
        if value.get("what"):
            lines.append(
                str(
                    _("Gäller: %(what)s")
                    % {"what": _join([_name(RECORD_KINDS, w) for w in value["what"]])}
                )
            )
        lines.append(
            str(
                _("Beslut: %(ref)s")
                % {"ref": value.get("reference") or _("inte angivet i policyn")}
            )
        )
        return lines
    if base in ("accounts.passive_after_days", "accounts.password_max_age_days"):
        return [str(_("%(days)s dagar") % {"days": value})]
    if base in ("mandates.granted_by", "mandates.publishers_appointed_by"):
        return [_name(RECIPIENTS, value)]
    if base in ("lifecycle.open_steps", "lifecycle.close_steps"):
        return [f"{index}. {_name(STEPS, step)}" for index, step in enumerate(value, start=1)]
    if base == "profile":
        lines = [str(value.get("label"))]
        if value.get("label_fi"):
            lines.append(f"{_name(LANGUAGES, 'fi').capitalize()}: {value['label_fi']}")
        return lines
    if base == "publishing.website_link":
        return [_join(value.get("domains", []))]
    if base == "publishing.languages_same_post":
        return [_join([str(PLATFORMS.get(platform, platform)) for platform in value])]
    if base == "publishing.web_news_facebook":
        if value.get("pin_important_only"):
            return [str(_("Fästs bara när ärendet är aktuellt och viktigt"))]
        return [_yes_no(True)]
    if base == "publishing.languages_required":
        return [_join([_name(LANGUAGES, code) for code in value])]
    if base == "publishing.hashtags":
        return [" ".join(value)]
    if base == "publishing.plain_language":
        return [str(_("LIX högst %(lix)s") % {"lix": value.get("lix_max")})]
    if base in ("publishing.signature", "inbox.reply_signature"):
        return [fill_placeholders(str(value.get("format", "")))]
    if base == "reply_templates":
        lines = [str(value.get("title"))]
        if value.get("intents"):
            lines.append(
                str(
                    _("Används för: %(intents)s")
                    % {"intents": _join([_name(INTENTS, i) for i in value["intents"]])}
                )
            )
        lines.extend(_texts({k: fill_placeholders(v) for k, v in value.get("body", {}).items()}))
        return lines
    if base == "escalations":
        lines = [
            str(
                _("%(trigger)s → %(to)s")
                % {
                    "trigger": _name(TRIGGERS, value.get("trigger")).capitalize(),
                    "to": _join([_name(RECIPIENTS, r) for r in value.get("to", [])]),
                }
            ),
            str(_("Genast")) if value.get("urgency") == "immediate" else str(_("Samma dag")),
        ]
        if value.get("evidence_export"):
            lines.append(str(_("Med bevisexport")))
        return lines
    if base == "accounts.public_register" and isinstance(value, dict):
        fields = [_name(PUBLIC_FIELDS, field) for field in value.get("fields", [])]
        return [str(_("Offentligt: %(fields)s") % {"fields": _join(fields)})]
    if base == "security.incident_report_to":
        return [_join([_name(RECIPIENTS, r) for r in value])]
    if isinstance(value, bool):
        return [_yes_no(value)]
    if isinstance(value, list):
        return [_join([str(item) for item in value])]
    if isinstance(value, dict):
        return [f"{key}: {item}" for key, item in value.items()]
    return [str(value)]


@dataclass(frozen=True)
class RuleView:
    """One rule as the policy page shows it."""

    path: str
    label: str
    lines: list[str]
    source: Source | None
    silent: str
    note: str
    unchecked: str = ""
    advisory: bool = False

    @property
    def is_default(self) -> bool:
        """A silent rule with a value: the organisation's default, not the policy's."""
        return self.source is None and bool(self.lines)


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    rules: list[RuleView]


def label_for(path: str) -> str:
    """The Swedish label of a rule path (list indices and platform keys handled)."""
    base = path.split("[", 1)[0]
    if base.startswith("response_times.platforms."):
        platform = base.rsplit(".", 1)[1]
        return str(
            _("Svarstid på %(platform)s") % {"platform": str(PLATFORMS.get(platform, platform))}
        )
    label = LABELS.get(base)
    return str(label) if label is not None else base


def _item_label(rule: Rule) -> str:
    """Items of list sections are named by what they are about."""
    base = rule.path.split("[", 1)[0]
    value = rule.value if isinstance(rule.value, dict) else {}
    if not value or "[" not in rule.path:
        return label_for(rule.path)
    if base == "moderation.categories":
        name = _name(CATEGORIES, value.get("category"))
        return str(_("Tas bort: %(category)s") % {"category": name})
    if base == "reply_templates":
        return str(_("Svarsmall: %(title)s") % {"title": value.get("title", "")})
    if base == "escalations":
        trigger = _name(TRIGGERS, value.get("trigger"))
        return str(_("Eskalering: %(trigger)s") % {"trigger": trigger})
    return label_for(rule.path)


def _rule_view(rule: Rule) -> RuleView:
    return RuleView(
        path=rule.path,
        label=_item_label(rule),
        lines=describe(rule.path, rule.value),
        source=rule.source,
        silent=rule.silent,
        note=rule.note,
        unchecked=display_only_reason(rule.path) if rule.value not in (None, False) else "",
        advisory=rule.advisory,
    )


def pack_sections(pack: Pack) -> list[SectionView]:
    """Every rule of the pack grouped by section, in document order."""
    rules_doc: dict[str, Any] = pack.document.get("rules", {})
    grouped: dict[str, list[RuleView]] = {}
    for rule in pack.rules():
        section = rule.path.split(".", 1)[0].split("[", 1)[0]
        grouped.setdefault(section, []).append(_rule_view(rule))
    return [
        SectionView(key=key, title=str(SECTIONS.get(key, key)), rules=grouped[key])
        for key in rules_doc
        if key in grouped
    ]
