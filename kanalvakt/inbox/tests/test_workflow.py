"""The workflow around a received item: entry, clock, routing, replies, forwards, escalations."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.connectors.base import AccountConfig, ItemKind
from kanalvakt.connectors.facebook.client import FacebookConnector
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.inbox import services
from kanalvakt.inbox.models import (
    EntryState,
    Escalation,
    Forward,
    InboxEntry,
    PublishedPost,
    Reply,
    ReplyState,
)
from kanalvakt.inbox.services import (
    common,
    entries_sweep,
    entry_forward,
    entry_set_intent,
    evidence_export,
    replies,
    reply_send,
    reply_templates,
    templates_for_intent,
)
from kanalvakt.inbox.tests.conftest import Receive
from kanalvakt.organisations.services import absence_record
from kanalvakt.policies.tests.helpers import use_pack
from kanalvakt.register.models import Account
from kanalvakt.register.tests.factories import entered_account

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def on_commit() -> Any:
    return TestCase.captureOnCommitCallbacks(execute=True)


def test_a_question_gets_an_entry_with_the_packs_clock_and_the_owner(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    friday_evening = datetime.datetime(2026, 11, 20, 19, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(friday_evening, tick=False):
        item = receive(overkalix, "Hej! När öppnar återvinningscentralen efter helgen?")
    entry = InboxEntry.objects.get(item=item)
    assert entry.state == EntryState.NEW
    assert entry.intent == "question"
    assert "när" in entry.intent_words
    # Överkalix: 48 hours on the wall clock.
    assert entry.due_at == friday_evening + datetime.timedelta(hours=48)
    assert entry.deadline_rule == "response_times.default"
    assert entry.assigned_to == world.account_owner
    assert AuditEvent.objects.filter(event_type="inbox_entry.opened").exists()


def test_degerfors_x_clock_counts_working_hours_over_the_weekend(
    world: OrganisationWorld, receive: Receive
) -> None:
    use_pack(world.organisation, "degerfors")
    x = entered_account(world, platform="x", staffed=True)
    friday = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(friday, tick=False):
        item = receive(x, "@degerforskommun varför är gatlampan trasig?", kind=ItemKind.MENTION)
    entry = InboxEntry.objects.get(item=item)
    assert entry.due_at == datetime.datetime(2026, 11, 23, 10, 30, tzinfo=STOCKHOLM)
    assert entry.deadline_rule == "response_times.platforms.x"


def test_kyrkslatt_negative_message_is_due_fast(world: OrganisationWorld, receive: Receive) -> None:
    use_pack(world.organisation, "kyrkslatt")
    account = entered_account(world, staffed=True)
    helsinki = ZoneInfo("Europe/Helsinki")
    before_independence_day = datetime.datetime(2027, 12, 3, 15, 30, tzinfo=helsinki)
    with time_machine.travel(before_independence_day, tick=False):
        item = receive(account, "Katuvalo ei toimi, odottanut jo viikon.")
    entry = InboxEntry.objects.get(item=item)
    assert entry.intent == "factual_criticism"
    assert entry.deadline_rule == "response_times.negative"
    assert entry.due_at == datetime.datetime(2027, 12, 7, 9, 30, tzinfo=helsinki)


def test_the_accounts_own_posts_need_no_answer(overkalix: Account, receive: Receive) -> None:
    item = receive(overkalix, "Välkommen till öppet hus!", by_account=True, kind=ItemKind.POST)
    entry = InboxEntry.objects.get(item=item)
    assert entry.state == EntryState.NO_ANSWER_NEEDED
    assert entry.due_at is None


def test_hateful_messages_are_not_answered_where_the_pack_says_so(
    world: OrganisationWorld, receive: Receive
) -> None:
    use_pack(world.organisation, "exempel")
    account = entered_account(world, staffed=True)
    entry = InboxEntry.objects.get(item=receive(account, "Ni jävla idioter"))
    assert entry.intent == "hateful_negative"
    assert entry.state == EntryState.NO_ANSWER_NEEDED


def test_the_substitute_answers_while_the_owner_is_away(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    today = timezone.localdate()
    absence_record(
        actor=world.manager,
        organisation=world.organisation,
        user=world.account_owner,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=3),
    )
    entry = InboxEntry.objects.get(item=receive(overkalix, "Hur söker man bygglov?"))
    assert entry.assigned_to == world.substitute
    assert "frånvarande" in entry.routed_because


def test_the_publisher_answers_comments_on_their_post_under_kyrkslatt(
    world: OrganisationWorld, receive: Receive
) -> None:
    use_pack(world.organisation, "kyrkslatt")
    account = entered_account(world, staffed=True)
    services.published_post_record(actor=world.publisher, account=account, external_id="post-1")
    entry = InboxEntry.objects.get(
        item=receive(account, "Milloin kirjasto avautuu?", parent_external_id="post-1")
    )
    assert entry.assigned_to == world.publisher
    other = InboxEntry.objects.get(item=receive(account, "Onko uimahalli auki?"))
    assert other.assigned_to == world.account_owner


def test_a_person_corrects_the_intent_and_it_is_audited(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    entry = InboxEntry.objects.get(item=receive(overkalix, "Storgatan 5"))
    assert entry.intent == "other"
    entry = entry_set_intent(actor=world.account_owner, entry=entry, intent="misinformation")
    entry.refresh_from_db()
    assert entry.intent == "misinformation"
    assert entry.intent_corrected_by == world.account_owner
    event = AuditEvent.objects.get(event_type="inbox_entry.intent_corrected")
    assert event.data["old"]["intent"] == "other"
    with pytest.raises(PermissionDenied):
        entry_set_intent(actor=world.registrar, entry=entry, intent="praise")


def _connected(monkeypatch: pytest.MonkeyPatch, handler: Any) -> list[httpx.Request]:
    """Connect every account, with Facebook's Graph API answered by `handler`."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        response: httpx.Response = handler(request)
        return response

    config = AccountConfig(external_id="104857600123456", access_token="page-token")
    monkeypatch.setattr(replies, "account_config_for", lambda account: config)
    monkeypatch.setattr(
        replies,
        "connector_for",
        lambda platform: FacebookConnector(
            http=HttpClient(
                platform="facebook",
                transport=httpx.MockTransport(record),
                retry=RetryPolicy(attempts=1),
                sleep=lambda seconds: None,
            )
        ),
    )
    return seen


def test_reply_is_refused_clearly_when_the_account_is_not_connected(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    entry = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    with pytest.raises(ValidationError, match="inte anslutet"):
        reply_send(actor=world.account_owner, entry=entry, text="Klockan 10.")
    assert not Reply.objects.exists()


def test_reply_goes_out_signed_through_the_connector_and_closes_the_entry(
    overkalix: Account,
    receive: Receive,
    world: OrganisationWorld,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _connected(monkeypatch, lambda request: httpx.Response(200, json={"id": "reply-9"}))
    item = receive(overkalix, "När öppnar simhallen?", external_id="post_1_comment_2")
    entry = InboxEntry.objects.get(item=item)
    reply = reply_send(actor=world.account_owner, entry=entry, text="Klockan 10 på måndag.")
    assert seen[0].url.path.endswith("/post_1_comment_2/comments")
    sent = seen[0].content.decode()
    assert "Klockan+10" in sent
    # Överkalix signs "{organisation} / {name}".
    assert "%C3%96verkalix+kommun+%2F+Anna+Nilsson" in sent
    assert reply.state == ReplyState.SENT
    assert reply.external_id == "reply-9"
    entry.refresh_from_db()
    assert entry.state == EntryState.ANSWERED
    # Who published the reply is kept, so answers to it can be routed back.
    assert PublishedPost.objects.get(external_id="reply-9").published_by == world.account_owner


def test_a_failed_send_is_recorded_and_reported(
    overkalix: Account,
    receive: Receive,
    world: OrganisationWorld,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _connected(
        monkeypatch,
        lambda request: httpx.Response(
            400, json={"error": {"message": "Unsupported", "code": 100}}
        ),
    )
    entry = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    with pytest.raises(ValidationError, match="kunde inte skickas"):
        reply_send(actor=world.account_owner, entry=entry, text="Klockan 10.")
    assert Reply.objects.get().state == ReplyState.FAILED
    entry.refresh_from_db()
    assert entry.state == EntryState.NEW


def test_templates_are_filled_and_unfilled_placeholders_refused(
    world: OrganisationWorld, receive: Receive, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_pack(world.organisation, "kyrkslatt")
    account = entered_account(world, staffed=True)
    _connected(monkeypatch, lambda request: httpx.Response(200, json={"id": "r1"}))
    entry = InboxEntry.objects.get(item=receive(account, "Katuvalo ei toimi."))
    templates = reply_templates(organisation=world.organisation, writer=world.account_owner)
    suited = templates_for_intent(templates, entry.intent)
    assert {t.key for t in suited} == {"negative_feedback"}
    finnish = next(t for t in suited if t.language == "fi")
    assert "Anna Nilsson, Överkalix kommun" in finnish.body
    with pytest.raises(ValidationError, match="platshållare"):
        reply_send(actor=world.account_owner, entry=entry, text=finnish.body)
    filled = finnish.body.replace("{cause}", "sähkövika").replace("{fix}", "vaihdamme lampun")
    reply = reply_send(
        actor=world.account_owner, entry=entry, text=filled, template_key="negative_feedback"
    )
    # The template carries the signature already: it is not added twice.
    assert reply.text.count("Överkalix kommun") == 1


def test_forward_to_a_case_officer_by_email(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    entry = InboxEntry.objects.get(item=receive(overkalix, "Hur söker man bygglov för en altan?"))
    with on_commit():
        entry_forward(
            actor=world.account_owner, entry=entry, to=world.case_officer, note="Kan du svara?"
        )
    assert Forward.objects.get().to == world.case_officer
    message = mail.outbox[-1]
    assert message.to == [world.case_officer.email]
    assert "bygglov för en altan" in message.body
    assert "Kan du svara?" in message.body
    entry.refresh_from_db()
    assert entry.state == EntryState.FORWARDED


def test_a_threat_reaches_the_manager_at_once(world: OrganisationWorld, receive: Receive) -> None:
    use_pack(world.organisation, "kyrkslatt")
    account = entered_account(world, staffed=True)
    item = receive(account, "Vi vet var du bor, handläggaren. Akta dig.")
    escalation = Escalation.objects.get(entry__item=item, trigger="threat_to_staff")
    assert escalation.recipients == ["manager"]
    assert escalation.urgency == "immediate"
    assert "vet var du bor" in escalation.words
    assert "escalations[0]" in escalation.rule
    urgent = [m for m in mail.outbox if m.subject.startswith("BRÅDSKANDE")]
    assert [m.to for m in urgent] == [[world.manager.email]]
    assert "Akta dig" in urgent[0].body


def test_harmful_criticism_goes_to_one_of_manager_or_information_chief_in_overkalix(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    item = receive(overkalix, "Politikerna tar mutor för detaljplanen.")
    escalation = Escalation.objects.get(entry__item=item)
    assert escalation.trigger == "harmful_criticism"
    # "gärna din närmaste chef eller … informationschef": one of them, the manager first.
    assert escalation.recipients == ["manager"]
    assert escalation.recipient_labels == ["chef"]
    assert world.manager.email in mail.outbox[-1].to


def test_evidence_export_has_the_thread_raw_bytes_and_checksums(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    post = receive(overkalix, "Vinterväghållningen är igång.", by_account=True, external_id="p1")
    threat = receive(overkalix, "Min son blir mobbad varje dag.", parent_external_id="p1")
    receive(overkalix, "Samma här.", parent_external_id="p1")
    entry = InboxEntry.objects.get(item=threat)
    assert Escalation.objects.get(entry=entry).trigger == "bullying"
    content = evidence_export(actor=world.account_owner, entry=entry)
    archive = zipfile.ZipFile(io.BytesIO(content))
    manifest = json.loads(archive.read("manifest.json"))
    paths = {entry["path"] for entry in manifest["files"]}
    assert {f"items/{threat.pk}.raw", f"items/{post.pk}.raw", "README.txt"} <= paths
    assert len([p for p in paths if p.endswith(".json")]) == 3
    for listed in manifest["files"]:
        data = archive.read(listed["path"])
        assert hashlib.sha256(data).hexdigest() == listed["sha256"]
        if "sha256_at_receipt" in listed:
            assert listed["sha256"] == listed["sha256_at_receipt"]
    assert archive.read(f"items/{threat.pk}.raw") == bytes(threat.raw)
    assert AuditEvent.objects.filter(event_type="inbox_entry.evidence_exported").count() == 1


def test_sweep_warns_once_before_and_escalates_once_after(
    overkalix: Account, receive: Receive, world: OrganisationWorld, settings: Any
) -> None:
    settings.INBOX_WARN_MINUTES = 120
    entry = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    assert entry.due_at is not None
    mail.outbox.clear()
    early = entry.due_at - datetime.timedelta(hours=3)
    with on_commit():
        assert entries_sweep(now=early).warned == 0
    soon = entry.due_at - datetime.timedelta(minutes=90)
    with on_commit():
        assert entries_sweep(now=soon).warned == 1
        assert entries_sweep(now=soon).warned == 0
    assert [m.to for m in mail.outbox] == [[world.account_owner.email]]
    late = entry.due_at + datetime.timedelta(minutes=1)
    with on_commit():
        assert entries_sweep(now=late).escalated == 1
        assert entries_sweep(now=late).escalated == 0
    # One mail per person, each also in their notifications.
    assert [world.comms_lead.email] in [m.to for m in mail.outbox]
    entry.refresh_from_db()
    assert entry.warned_at == soon
    assert entry.escalated_at == late


def test_sweep_leaves_answered_entries_alone(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    entry = InboxEntry.objects.get(item=receive(overkalix, "När öppnar simhallen?"))
    services.entry_close(actor=world.account_owner, entry=entry)
    assert entry.due_at is not None
    result = entries_sweep(now=entry.due_at + datetime.timedelta(hours=1))
    assert (result.warned, result.escalated) == (0, 0)


def test_a_refusing_mail_server_does_not_undo_the_forward(
    overkalix: Account, receive: Receive, world: OrganisationWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(common, "send_mail", refuse)
    entry = InboxEntry.objects.get(item=receive(overkalix, "Hur söker man bygglov?"))
    with on_commit():
        entry_forward(actor=world.account_owner, entry=entry, to=world.case_officer)
    assert Forward.objects.filter(entry=entry).exists()
    entry.refresh_from_db()
    assert entry.state == EntryState.FORWARDED


def test_forward_mail_links_to_the_entry(
    overkalix: Account, receive: Receive, world: OrganisationWorld, settings: Any
) -> None:
    settings.SITE_URL = "https://kanalvakt.overkalix.se"
    entry = InboxEntry.objects.get(item=receive(overkalix, "Hur söker man bygglov?"))
    with on_commit():
        entry_forward(actor=world.account_owner, entry=entry, to=world.case_officer)
    assert f"https://kanalvakt.overkalix.se/o/overkalix/inkorg/{entry.pk}/" in mail.outbox[-1].body


def test_a_message_deleted_by_its_writer_needs_no_answer(
    overkalix: Account, receive: Receive
) -> None:
    item = receive(overkalix, "När öppnar simhallen?", external_id="gone-1")
    receive(overkalix, "", external_id="gone-1", deleted=True)
    entry = InboxEntry.objects.get(item=item)
    assert entry.state == EntryState.CLOSED
    assert entries_sweep(now=item.created_at + datetime.timedelta(days=30)).escalated == 0


def test_threats_found_by_the_moderation_screening_escalate_too(
    overkalix: Account, receive: Receive, world: OrganisationWorld
) -> None:
    from kanalvakt.moderation.models import Screening

    item = receive(overkalix, "Hälsningar från en som vet.")
    entry = InboxEntry.objects.get(item=item)
    assert not entry.escalations.exists()
    Screening.objects.filter(item=item).delete()
    Screening.objects.create(
        item=item,
        language="sv",
        action="remove",
        findings=[{"category": "threat", "evidence": "en som vet"}],
        screened_at=item.received_at,
    )
    item.refresh_from_db()
    entry.refresh_from_db()
    (escalation,) = services.entry_escalate_automatically(entry=entry)
    assert escalation.trigger == "threat_to_staff"
    assert escalation.words == ["en som vet"]
    # Överkalix names no rule for threats: its rule for crimes applies.
    assert escalation.recipients == ["manager", "police"]
