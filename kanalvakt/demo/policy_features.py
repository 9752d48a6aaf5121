"""Demo data for the policy features of issue 13: crisis mode history, and more as they land.

Called once from `seed_demo` for the organisations it has just created, so the
demo shows each feature with data in the organisations whose policy asks for it.
"""

from __future__ import annotations

import datetime
import json

from django.utils import timezone

from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.connectors.search.base import FoundMention
from kanalvakt.corrections.models import Correction
from kanalvakt.governance.forwarding import forwarded_matters_track
from kanalvakt.governance.models import AccountPlan, ForwardedMatter
from kanalvakt.governance.services import account_plan_record, account_review_record
from kanalvakt.inbox.models import Item
from kanalvakt.inbox.processing import item_process_once
from kanalvakt.inbox.services import item_ingest
from kanalvakt.incidents.models import Incident
from kanalvakt.incidents.services import incident_follow_up, incident_report
from kanalvakt.listening.models import ListeningSource
from kanalvakt.listening.services import (
    listening_source_add,
    listening_spike_check,
    mentions_store,
)
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.selectors import users_with_role
from kanalvakt.policies.crisis import crisis_end, crisis_start
from kanalvakt.policies.lifecycle import policy_review_decide, policy_stewardship_set
from kanalvakt.policies.models import CrisisPeriod, PolicyReview, PolicyStewardship
from kanalvakt.records.models import Registration
from kanalvakt.records.registration import registration_register
from kanalvakt.register.attestations import attested_rules
from kanalvakt.register.models import Account
from kanalvakt.register.services import profile_check_record
from kanalvakt.register.warnings import account_warnings


def _comms_lead(organisation: Organisation) -> User | None:
    return users_with_role(organisation=organisation, role=Role.COMMS_LEAD).order_by("pk").first()


def _crisis_history(organisation: Organisation) -> None:
    """Kyrkslätt (003) went into crisis mode for a storm and back out."""
    lead = _comms_lead(organisation)
    if lead is None or CrisisPeriod.objects.filter(organisation=organisation).exists():
        return
    crisis_start(
        actor=lead,
        organisation=organisation,
        reason="Stormen Aila: elavbrott och stängda vägar i Kyrkslätt.",
    )
    period = crisis_end(actor=lead, organisation=organisation, note="Elen tillbaka, vägarna röjda.")
    # Put the demo's storm in the past, so the history reads naturally.
    started = timezone.now() - datetime.timedelta(days=40)
    CrisisPeriod.objects.filter(pk=period.pk).update(
        started_at=started, ended_at=started + datetime.timedelta(hours=19)
    )


def _attestations(organisation: Organisation) -> None:
    """The owner confirmed the password rules on every account but one that has gaps anyway."""
    lead = _comms_lead(organisation)
    pack = organisation.policy_version.pack if organisation.policy_version else None
    rules = attested_rules(pack)
    if lead is None or not rules:
        return
    today = timezone.localdate()
    left_open = False
    for account in Account.objects.filter(organisation=organisation).order_by("pk"):
        gaps = any(
            not warning.code.startswith("attested.")
            for warning in account_warnings(account, pack=pack, today=today)
        )
        for rule in rules:
            if gaps and not left_open and rule.path == "accounts.no_fake_accounts":
                left_open = True
                continue
            profile_check_record(actor=lead, account=account, requirement=rule.path, satisfied=True)


def _incidents(organisation: Organisation) -> None:
    """Kyrkslätt (003): a phishing attempt followed up and closed, a fake account still open."""
    lead = _comms_lead(organisation)
    owner = users_with_role(organisation=organisation, role=Role.ACCOUNT_OWNER).first()
    if lead is None or owner is None or Incident.objects.filter(organisation=organisation).exists():
        return
    account = Account.objects.filter(organisation=organisation, platform="facebook").first()
    phishing = incident_report(
        actor=owner,
        organisation=organisation,
        kind="phishing",
        account=account,
        description="Ett meddelande från ”Meta Support” bad om sidans inloggning via en länk.",
    )
    incident_follow_up(
        actor=lead,
        incident=phishing,
        status="resolved",
        note="Länken öppnades inte. Lösenordet byttes ändå och IT informerades.",
    )
    incident_report(
        actor=owner,
        organisation=organisation,
        kind="fake_account",
        account=account,
        description="En Facebooksida med kommunens logotyp säljer ”biljetter” till evenemang.",
        fake_account_url="https://www.facebook.com/kirkkonummi.tapahtumat.liput",
    )


MISINFORMATION = {
    "overkalix": "Jag har hört att simhallen i Överkalix stänger för gott efter sommaren?!",
    "kyrkslatt": "Kuulin että pääkirjasto suljetaan ensi vuonna, onko totta?",
    "exempel": "Det sägs att ni lägger ner kundtjänsten i januari.",
}


def _ingest(organisation: Organisation, key: str, text: str) -> Item | None:
    account = Account.objects.filter(organisation=organisation, status="active").order_by("pk")
    first = account.first()
    if first is None:
        return None
    external_id = f"demo-{key}-{organisation.slug}"
    incoming = IncomingItem(
        platform=first.platform,
        external_id=external_id,
        kind=ItemKind.COMMENT,
        created_at=timezone.now() - datetime.timedelta(hours=3),
        raw=json.dumps({"id": external_id, "message": text}).encode(),
        text=text,
        author_name="Demo Invånare",
    )
    result = item_ingest(account=first, incoming=incoming)
    item_process_once(item_id=result.item.pk)
    return result.item


def _forwarded(organisation: Organisation) -> None:
    """Överkalix (001): factual criticism registered and forwarded, followed up by date."""
    registrar = users_with_role(organisation=organisation, role=Role.REGISTRAR).first()
    officer = users_with_role(organisation=organisation, role=Role.CASE_OFFICER).first()
    if registrar is None or officer is None:
        return
    if ForwardedMatter.objects.filter(organisation=organisation).exists():
        return
    item = _ingest(
        organisation, "criticism", "Gatlampan vid skolan är trasig och fungerar inte sedan i maj."
    )
    registration = Registration.objects.filter(item=item, status="pending").first()
    if registration is None:
        return
    registration_register(actor=registrar, registration=registration, case_officer=officer)
    forwarded_matters_track()


def _misinformation(organisation: Organisation, pack_id: str) -> None:
    """An item the inbox reads as misinformation, processed: a correction task opens."""
    account = Account.objects.filter(organisation=organisation, status="active").order_by("pk")
    first = account.first()
    if first is None or Correction.objects.filter(organisation=organisation).exists():
        return
    external_id = f"demo-misinformation-{organisation.slug}"
    incoming = IncomingItem(
        platform=first.platform,
        external_id=external_id,
        kind=ItemKind.COMMENT,
        created_at=timezone.now() - datetime.timedelta(hours=3),
        raw=json.dumps({"id": external_id, "message": MISINFORMATION[pack_id]}).encode(),
        text=MISINFORMATION[pack_id],
        author_name="Demo Invånare",
    )
    result = item_ingest(account=first, incoming=incoming)
    item_process_once(item_id=result.item.pk)


REVIEW_IN_DAYS = {"skelleftea-kraft": 20, "overkalix": 200, "degerfors": 320}


def _policy_life_cycle(organisation: Organisation, pack_id: str) -> None:
    """Owner and review date (000, 002); Degerfors reviewed its policy last year."""
    lead = _comms_lead(organisation)
    if lead is None or PolicyStewardship.objects.filter(organisation=organisation).exists():
        return
    today = timezone.localdate()
    policy_stewardship_set(
        actor=lead,
        organisation=organisation,
        owner=lead,
        review_on=today + datetime.timedelta(days=REVIEW_IN_DAYS[pack_id]),
    )
    if pack_id == "degerfors":
        review = policy_review_decide(
            actor=lead,
            organisation=organisation,
            decision="keep",
            next_review_on=today + datetime.timedelta(days=REVIEW_IN_DAYS[pack_id]),
            note="Policyn gäller oförändrad; svarstiderna stämmer med hur vi arbetar.",
        )
        PolicyReview.objects.filter(pk=review.pk).update(
            decided_on=today - datetime.timedelta(days=45)
        )


def _account_plans(organisation: Organisation) -> None:
    """Degerfors (002) and Kyrkslätt (003) state need, goals, audience and resources."""
    owner = users_with_role(organisation=organisation, role=Role.ACCOUNT_OWNER).first()
    if owner is None or AccountPlan.objects.filter(account__organisation=organisation).exists():
        return
    accounts = list(Account.objects.filter(organisation=organisation).order_by("pk"))
    for index, account in enumerate(accounts[:-1]):  # the last one still lacks a plan
        account_plan_record(
            actor=owner,
            account=account,
            need=f"Invånarna finns på {account.get_platform_display()} och frågar där.",
            goals=account.purpose or "Information och dialog.",
            audience=account.audience or "Invånare",
            resources="Kontoansvarig och ersättare, cirka fyra timmar i veckan.",
        )
        if index == 0:
            account_review_record(
                actor=owner,
                account=account,
                purpose_still_valid=True,
                outcome="keep",
                note="Syftet gäller; kontot används varje vecka.",
            )


LISTENING = {
    "overkalix": (
        "#överkalix",
        [
            "Överkalix kommun borde ploga cykelvägen till skolan tidigare.",
            "Fin kväll på Överkalix bibliotek i går!",
            "Någon som vet om simhallen i Överkalix har öppet i jul?",
        ],
    ),
    "degerfors": (
        "#degerfors",
        [
            "Degerfors kommun har bäst skolmat i länet.",
            "Varför är det så mörkt på gång- och cykelvägen i Degerfors?",
        ],
    ),
    "kyrkslatt": ("#kirkkonummi", ["Kirkkonummen kunta järjesti hienon joulutorin."]),
    "skelleftea-kraft": ("#skellefteåkraft", ["Elavbrott i Kåge igen, Skellefteå Kraft?"]),
    "exempel": ("#exempel", ["Exempelorganisationen svarade snabbt på min fråga."]),
}


def _listening(organisation: Organisation, pack_id: str) -> None:
    """A source per organisation with a few mentions; Kyrkslätt had a spike after a storm."""
    lead = _comms_lead(organisation)
    if lead is None or ListeningSource.objects.filter(organisation=organisation).exists():
        return
    tag, texts = LISTENING[pack_id]
    source = listening_source_add(
        actor=lead,
        organisation=organisation,
        kind="mastodon_hashtag",
        query=tag,
        instance="mastodon.social",
    )
    if pack_id == "kyrkslatt":
        texts = texts + [f"Myrsky Kirkkonummella, sähköt poikki ({n})" for n in range(1, 13)]
    now = timezone.now()
    found = [
        FoundMention(
            external_id=f"demo-{organisation.slug}-{index}",
            url=f"https://mastodon.social/@demo/{index + 1}",
            author="demo@mastodon.social",
            text=text,
            published_at=now - datetime.timedelta(hours=index + 1),
        )
        for index, text in enumerate(texts)
    ]
    mentions_store(source=source, found=found)
    listening_spike_check(organisation=organisation)


def seed_policy_features(*, slugs: list[str]) -> None:
    """Demo data for crisis mode and the other policy features, per organisation."""
    for organisation in Organisation.objects.filter(slug__in=slugs).select_related(
        "policy_version"
    ):
        pack_id = organisation.policy_version.pack_id if organisation.policy_version else ""
        _attestations(organisation)
        if pack_id in ("degerfors", "kyrkslatt"):
            _account_plans(organisation)
        if pack_id in REVIEW_IN_DAYS:
            _policy_life_cycle(organisation, pack_id)
        if pack_id in LISTENING:
            _listening(organisation, pack_id)
        if pack_id == "overkalix":
            _forwarded(organisation)
        if pack_id in MISINFORMATION:
            _misinformation(organisation, pack_id)
        if pack_id == "kyrkslatt":
            _crisis_history(organisation)
            _incidents(organisation)
