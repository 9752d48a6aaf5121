"""Misreadings of the policies (issue 13), each tested against the source's own words.

Every test quotes the clause it reads and first checks that the quote stands in
the source file, so the test cannot drift from the text.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings

from conftest import OrganisationWorld
from kanalvakt.connectors.base import ItemKind
from kanalvakt.inbox.models import InboxEntry
from kanalvakt.inbox.services import escalation_raise, reply_signature
from kanalvakt.inbox.tests.conftest import Receive
from kanalvakt.organisations.models import Membership, Role
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.tests.factories import entered_account

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SOURCES = Path(settings.POLICY_PACK_DIR) / "sources"


def in_source(file: str, quote: str) -> bool:
    text = " ".join((SOURCES / file).read_text(encoding="utf-8").split())
    return " ".join(quote.split()) in text


def test_degerfors_answers_within_24_hours_on_weekdays(
    world: OrganisationWorld, receive: Receive
) -> None:
    quote = "vi bör alltid kunna svara inom det närmast dygnet på vardagar"
    assert in_source("002_90ac9c8ec83248bc.txt", quote)
    use_pack(world.organisation, "degerfors")
    page = entered_account(world, platform="instagram", staffed=True)
    monday = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(monday, tick=False):
        item = receive(page, "När öppnar simhallen igen?")
    entry = InboxEntry.objects.get(item=item)
    assert entry.deadline_rule == "response_times.default"
    # A day (dygn) on weekdays: Tuesday 09:00, not the end of Tuesday's working day.
    assert entry.due_at == datetime.datetime(2026, 11, 24, 9, 0, tzinfo=STOCKHOLM)
    friday = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(friday, tick=False):
        item = receive(page, "Har ni öppet på lördag?")
    entry = InboxEntry.objects.get(item=item)
    assert entry.due_at == datetime.datetime(2026, 11, 30, 9, 0, tzinfo=STOCKHOLM)


def test_overkalix_harmful_criticism_goes_to_one_of_manager_or_information_chief(
    world: OrganisationWorld, receive: Receive
) -> None:
    quote = (
        "Informera gärna din närmaste chef eller Överkalix kommunens informationschef "
        "(kommunchefen)"
    )
    assert in_source("001_a3d89b8332877af7.txt", quote)
    use_pack(world.organisation, "overkalix")
    page = entered_account(world, staffed=True)
    item = receive(page, "Kommunen sköter snöröjningen uselt, alla borde veta det.")
    entry = InboxEntry.objects.get(item=item)
    escalation = escalation_raise(
        actor=world.account_owner, entry=entry, trigger="harmful_criticism"
    )
    assert escalation.recipients == ["manager"]


def test_exempel_signature_says_your_role(world: OrganisationWorld) -> None:
    quote = "Använd ditt riktiga namn och var tydlig med var du jobbar och din roll."
    assert in_source("004_300add39754bd56e.txt", quote)
    use_pack(world.organisation, "exempel")
    Membership.objects.filter(user=world.account_owner, role=Role.ACCOUNT_OWNER).update(
        title="Kommunikatör"
    )
    signature = reply_signature(organisation=world.organisation, writer=world.account_owner)
    assert signature == "Anna Nilsson, Kommunikatör, Överkalix kommun"


def test_mentions_are_not_given_a_deadline_where_the_pack_is_silent(
    world: OrganisationWorld, receive: Receive
) -> None:
    use_pack(world.organisation, "skelleftea-kraft")
    page = entered_account(world, staffed=True)
    item = receive(page, "Varför är elpriset så högt?", kind=ItemKind.COMMENT)
    assert InboxEntry.objects.get(item=item).due_at is None


def test_exempel_suggests_registering_a_discussion_but_does_not_demand_it(
    world: OrganisationWorld, receive: Receive
) -> None:
    quote = (
        "ger du dig in i en diskussion på nätet så kan det komma att betraktas som ett ärende "
        "som ska diarieföras. Bedömningen är densamma som för till exempel e-post."
    )
    assert in_source("004_300add39754bd56e.txt", quote)
    from kanalvakt.records.models import Decision, Registration
    from kanalvakt.records.selectors import registration_queue, registration_suggestions

    use_pack(world.organisation, "exempel")
    page = entered_account(world, staffed=True)
    item = receive(page, "Hur ansöker jag om bygglov för ett förråd?")
    registration = Registration.objects.get(item=item)
    assert registration.record_kind == "service_matter"
    assert registration.decision == Decision.NOT_REQUIRED
    assert registration.rule_path.startswith("registration.register")
    assert registration not in registration_queue(organisation=world.organisation)
    assert registration in registration_suggestions(organisation=world.organisation)


def test_a_pack_silent_on_a_moderation_deadline_sets_none(
    world: OrganisationWorld, receive: Receive
) -> None:
    from kanalvakt.moderation.models import ModerationCase

    use_pack(world.organisation, "degerfors")
    page = entered_account(world, staffed=True)
    item = receive(page, "Köp billiga solglasögon på www.example.com, rabattkod SOL50!")
    case = ModerationCase.objects.get(item=item)
    assert case.due_at is None
    use_pack(world.organisation, "overkalix")
    item = receive(page, "Köp billiga solglasögon på www.example.com, rabattkod SOL60!")
    case = ModerationCase.objects.get(item=item)
    assert case.due_at is not None
    assert case.due_at - item.received_at == datetime.timedelta(hours=48)


def test_never_auto_hide_is_read_from_the_pack(world: OrganisationWorld, receive: Receive) -> None:
    from kanalvakt.moderation import services as moderation

    use_pack(world.organisation, "overkalix")
    assert moderation.never_auto_hide(world.organisation) == {
        "factual_criticism",
        "unfair_criticism",
    }
    page = entered_account(world, staffed=True)
    item = receive(page, "Gatlampan på Storgatan är trasig och fungerar inte, det är en brist.")
    assert InboxEntry.objects.get(item=item).intent == "factual_criticism"
    assert "personal_attack" in moderation._protected(item)
    assert "hate_speech" in moderation._protected(item)


def test_in_crisis_mode_new_items_get_the_crisis_response_time_and_the_holding_message(
    world: OrganisationWorld, receive: Receive
) -> None:
    from kanalvakt.inbox.services import reply_templates
    from kanalvakt.policies.crisis import crisis_start

    use_pack(world.organisation, "kyrkslatt")
    page = entered_account(world, staffed=True)
    helsinki = ZoneInfo("Europe/Helsinki")
    saturday = datetime.datetime(2026, 11, 28, 22, 0, tzinfo=helsinki)
    crisis_start(actor=world.comms_lead, organisation=world.organisation, reason="Myrsky")
    with time_machine.travel(saturday, tick=False):
        item = receive(page, "Onko vesi juomakelpoista?")
    entry = InboxEntry.objects.get(item=item)
    assert entry.deadline_rule == "crisis.response_time"
    assert entry.due_at == saturday + datetime.timedelta(hours=2)
    templates = reply_templates(organisation=world.organisation, writer=world.account_owner)
    assert templates[0].key == "crisis_holding"
    assert "kirkkonummi.fi" in templates[0].body
