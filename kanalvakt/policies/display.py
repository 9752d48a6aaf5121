"""Swedish labels for rule paths and readable renderings of rule values.

The policy page shows every rule of a pack grouped by section. `LABELS`
(in `vocabulary.py`) names each rule path from docs/policy-pack-format.md;
`describe()` turns a rule's
value into lines of plain text (the template escapes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from kanalvakt.policies.coverage import display_only_reason
from kanalvakt.policies.pack import Pack, Rule, Source
from kanalvakt.policies.vocabulary import (
    CATEGORIES,
    COUNTRIES,
    DAY_NAMES,
    DAYS,
    INTENTS,
    LABELS,
    LANGUAGES,
    LEARNED_REVIEW,
    PLACEHOLDERS,
    PLATFORMS,
    PUBLIC_FIELDS,
    RECIPIENTS,
    RECORD_KINDS,
    SECTIONS,
    STEPS,
    TRIGGERS,
)


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
    if base == "moderation.learned_review":
        return [_name(LEARNED_REVIEW, value)]
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
