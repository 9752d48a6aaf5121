"""Which code reads each pack key, and which keys are only shown (issue 13).

Every rule path a pack can hold is either in `READERS` — the module that reads
it and the text in that module that does (a test checks the text is there, so
this table cannot claim a reader that does not exist) — or in `DISPLAY_ONLY`
with the reason the product does not check it. The policy page marks the
latter "visas – kontrolleras inte" with that reason; a test fails on a key in
any pack that is in neither.

`publishing.*` is the publishing app's and `self_harm.*` the screening's
(MOD-8); each is checked by its owner's own test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise

SKIPPED_SECTIONS = ("publishing", "self_harm")


@dataclass(frozen=True)
class Reader:
    module: str  # path from the repository root
    needle: str  # text in the module that reads the key
    what: str  # what the code does with it, for docs/policy-coverage.md


READERS: dict[str, Reader] = {
    "calendar": Reader(
        "kanalvakt/inbox/services/deadlines.py",
        'pack.value("calendar")',
        "arbetstid och helgdagar i klockan",
    ),
    "response_times.default": Reader(
        "kanalvakt/inbox/services/deadlines.py", '"response_times.default"', "svarstid i inkorgen"
    ),
    "response_times.platforms": Reader(
        "kanalvakt/inbox/services/deadlines.py",
        'f"response_times.platforms.{pack_channel(platform)}"',
        "svarstid per plattform i inkorgen",
    ),
    "response_times.negative": Reader(
        "kanalvakt/inbox/services/deadlines.py",
        '"response_times.negative"',
        "svarstid för negativa",
    ),
    "moderation.deadline_hours": Reader(
        "kanalvakt/moderation/services/rules.py",
        '"moderation.deadline_hours"',
        "tidsgräns i modereringskön",
    ),
    "moderation.categories": Reader(
        "kanalvakt/moderation/screening/config.py",
        '"moderation.categories"',
        "granskningens kategorier, lagstöd och åtgärd",
    ),
    "moderation.advertising_public_events_allowed": Reader(
        "kanalvakt/moderation/screening/config.py",
        '"moderation.advertising_public_events_allowed"',
        "undantag för offentliga evenemang",
    ),
    "moderation.learned_review": Reader(
        "kanalvakt/moderation/screening/config.py",
        '"moderation.learned_review"',
        "hur ofta den inlärda modellen ensam föreslår granskning",
    ),
    "moderation.never_auto_hide": Reader(
        "kanalvakt/moderation/services/rules.py",
        '"moderation.never_auto_hide"',
        "maskinen döljer aldrig de avsikterna",
    ),
    "mandates.publishers_appointed_by": Reader(
        "kanalvakt/register/selectors.py",
        '"mandates.publishers_appointed_by"',
        "bara uppdrag från den roll som utser publicister ger rätt att publicera",
    ),
    "moderation.self_harm": Reader(
        "kanalvakt/moderation/services/rules.py",
        '"moderation.self_harm"',
        "vem som larmas om möjlig självskada och stödsvaret",
    ),
    "moderation.notice": Reader(
        "kanalvakt/moderation/notices.py", '"moderation.notice"', "moderationstext per konto"
    ),
    "registration.register": Reader(
        "kanalvakt/records/registration.py",
        'f"registration.{section}"',
        "registratorns kö och förslag",
    ),
    "registration.exempt": Reader(
        "kanalvakt/records/registration.py", '"exempt"', "undantag från diarieföring"
    ),
    "snapshots.half_yearly": Reader(
        "kanalvakt/records/snapshots.py", '"snapshots.half_yearly"', "ögonblicksbild varje halvår"
    ),
    "snapshots.before_major_change": Reader(
        "kanalvakt/records/snapshots.py",
        '"snapshots.before_major_change"',
        "ögonblicksbild före förändring",
    ),
    "disposal.decision": Reader(
        "kanalvakt/records/disposal.py", '"disposal.decision"', "gallring enligt beslutet"
    ),
    "accounts.min_admins": Reader(
        "kanalvakt/register/warnings.py", '"accounts.min_admins"', "varning per konto"
    ),
    "accounts.web_manager_admin": Reader(
        "kanalvakt/register/warnings.py", '"accounts.web_manager_admin"', "varning per konto"
    ),
    "accounts.substitute_required": Reader(
        "kanalvakt/register/warnings.py", '"accounts.substitute_required"', "varning per konto"
    ),
    "accounts.passive_after_days": Reader(
        "kanalvakt/register/warnings.py", '"accounts.passive_after_days"', "passiva konton flaggas"
    ),
    "accounts.password_max_age_days": Reader(
        "kanalvakt/register/warnings.py", '"accounts.password_max_age_days"', "lösenordets ålder"
    ),
    "accounts.two_factor_required": Reader(
        "kanalvakt/register/warnings.py", '"accounts.two_factor_required"', "tvåstegsverifiering"
    ),
    "accounts.shared_credentials": Reader(
        "kanalvakt/register/warnings.py", '"accounts.shared_credentials"', "var uppgifterna finns"
    ),
    "accounts.work_email": Reader(
        "kanalvakt/register/warnings.py", '"accounts.work_email"', "kontots e-postadress"
    ),
    "accounts.not_network_password": Reader(
        "kanalvakt/register/attestations.py",
        '"accounts.not_network_password"',
        "bekräftas per konto, varnar tills det är gjort",
    ),
    "accounts.unique_passwords": Reader(
        "kanalvakt/register/attestations.py",
        '"accounts.unique_passwords"',
        "bekräftas per konto, varnar tills det är gjort",
    ),
    "accounts.no_fake_accounts": Reader(
        "kanalvakt/register/attestations.py",
        '"accounts.no_fake_accounts"',
        "bekräftas per konto, varnar tills det är gjort",
    ),
    "accounts.public_register": Reader(
        "kanalvakt/register/public.py",
        '"accounts.public_register"',
        "vilka fält den offentliga förteckningen visar",
    ),
    "mandates.required": Reader(
        "kanalvakt/register/warnings.py", '"mandates.required"', "konto utan giltigt uppdrag"
    ),
    "mandates.granted_by": Reader(
        "kanalvakt/register/services/mandates.py", '"mandates.granted_by"', "vem som får ge uppdrag"
    ),
    "mandates.anchored_with": Reader(
        "kanalvakt/register/services/mandates.py",
        '"mandates.anchored_with"',
        "uppdraget måste ange förankring",
    ),
    "lifecycle.open_steps": Reader(
        "kanalvakt/register/steps.py", '"lifecycle.open_steps"', "steg för att öppna ett konto"
    ),
    "lifecycle.close_steps": Reader(
        "kanalvakt/register/steps.py", '"lifecycle.close_steps"', "steg för att stänga ett konto"
    ),
    "profile": Reader(
        "kanalvakt/register/warnings.py", 'pack.rule_list("profile")', "profilkontroll per konto"
    ),
    "inbox.reply_signature": Reader(
        "kanalvakt/inbox/services/replies.py", '"inbox.reply_signature"', "underskrift i svar"
    ),
    "inbox.do_not_answer": Reader(
        "kanalvakt/inbox/services/deadlines.py", '"inbox.do_not_answer"', "besvaras inte"
    ),
    "inbox.publisher_answers_own_posts": Reader(
        "kanalvakt/inbox/routing.py",
        '"inbox.publisher_answers_own_posts"',
        "svaret går till den som publicerade",
    ),
    "reply_templates": Reader(
        "kanalvakt/inbox/services/replies.py", 'pack.rule_list("reply_templates")', "svarsmallar"
    ),
    "crisis.response_time": Reader(
        "kanalvakt/inbox/services/deadlines.py",
        "crisis_response_time(",
        "svarstid för nya meddelanden i krisläge",
    ),
    "crisis.holding_message": Reader(
        "kanalvakt/policies/crisis.py",
        '"crisis.holding_message"',
        "avvaktande meddelande, förslag och svarsmall",
    ),
    "security.incident_report_to": Reader(
        "kanalvakt/incidents/services.py",
        '"security.incident_report_to"',
        "incidentloggen rapporterar genast till dem",
    ),
    "inbox.correct_misinformation": Reader(
        "kanalvakt/corrections/services.py",
        '"inbox.correct_misinformation"',
        "felaktig information blir en rättelseuppgift med tidsgräns",
    ),
    "acknowledgement.required": Reader(
        "kanalvakt/policies/lifecycle.py",
        '"acknowledgement.required"',
        "påminnelser till den som inte kvitterat, lista över dem",
    ),
    "listening.enabled": Reader(
        "kanalvakt/listening/services.py",
        '"listening.enabled"',
        "omvärldsbevakning av källor som organisationen inte äger",
    ),
    "inbox.forward_to_case_officer": Reader(
        "kanalvakt/governance/forwarding.py",
        '"inbox.forward_to_case_officer"',
        "vidarebefordrat ärende följs upp med tidsgräns och påminnelse",
    ),
    "escalations": Reader(
        "kanalvakt/inbox/services/escalations.py",
        'pack.rule_list("escalations")',
        "eskalering per anledning",
    ),
}

DISPLAY_ONLY: dict[str, Promise] = {}


def base_path(path: str) -> str:
    """`response_times.platforms.x` → `response_times.platforms`; list indices dropped."""
    path = re.sub(r"\[\d+\]", "", path)
    if path.startswith("response_times.platforms."):
        return "response_times.platforms"
    return path


def is_skipped(path: str) -> bool:
    return path.split(".", 1)[0].split("[", 1)[0] in SKIPPED_SECTIONS


def display_only_reason(path: str) -> str:
    """The reason a key is shown but not checked, or '' when code reads it."""
    reason = DISPLAY_ONLY.get(base_path(path))
    return str(reason) if reason is not None else ""
