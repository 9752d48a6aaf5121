from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.inbox.models import Item
from kanalvakt.moderation.models import (
    CaseState,
    DecisionKind,
    ModerationCase,
    PlatformStatus,
    Screening,
)
from kanalvakt.moderation.services import case_decide, cases_sweep

pytestmark = pytest.mark.django_db

THREAT = "Jag vet var du bor och jag ska döda dig, din jävla idiot"
CRITICISM = "Kommunen sköter snöröjningen uselt och beslutet om skolan är helt fel!"


def test_a_threat_opens_a_case_with_the_policys_48_hours(receive: Callable[[str], Item]) -> None:
    item = receive(THREAT)
    case = ModerationCase.objects.get(item=item)
    assert case.state == CaseState.OPEN
    assert "threat" in case.categories
    assert case.due_at == item.received_at + datetime.timedelta(hours=48)
    findings = Screening.objects.get(item=item).findings
    threat = next(f for f in findings if f["category"] == "threat")
    assert THREAT[threat["start"] : threat["end"]] == threat["evidence"]
    assert threat["basis"] == "law"


def test_sharp_criticism_is_never_suggested_for_removal(receive: Callable[[str], Item]) -> None:
    item = receive(CRITICISM)
    assert Screening.objects.get(item=item).action != "remove"
    case = ModerationCase.objects.filter(item=item).first()
    assert case is None or case.suggested_action != "remove"


def test_the_machine_does_not_hide_on_its_own_without_the_packs_leave(
    receive: Callable[[str], Item],
) -> None:
    item = receive(THREAT)
    case = ModerationCase.objects.get(item=item)
    assert case.auto_hidden_at is None
    assert not AuditEvent.objects.filter(event_type="moderation.auto_hidden").exists()


def test_decision_needs_a_reason_and_a_moderator(
    receive: Callable[[str], Item], world: OrganisationWorld
) -> None:
    case = ModerationCase.objects.get(item=receive(THREAT))
    with pytest.raises(PermissionDenied):
        case_decide(actor=world.registrar, case=case, kind=DecisionKind.REMOVE, reason="Hot")
    with pytest.raises(ValidationError):
        case_decide(actor=world.account_owner, case=case, kind=DecisionKind.REMOVE, reason=" ")
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_removal_keeps_the_original_and_reports_the_platform_outcome(
    receive: Callable[[str], Item],
    world: OrganisationWorld,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    item = receive(THREAT)
    case = ModerationCase.objects.get(item=item)
    with django_capture_on_commit_callbacks(execute=True):
        decision = case_decide(
            actor=world.substitute,
            case=case,
            kind=DecisionKind.REMOVE,
            reason="Olaga hot mot medarbetare",
            categories=["threat"],
        )
    decision.refresh_from_db()
    # No platform connection in this test: the moderator is told to act by hand.
    assert decision.platform_status == PlatformStatus.NOT_CONNECTED
    assert decision.item_sha256 == item.raw_sha256
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED
    assert Item.objects.get(pk=item.pk).text == THREAT
    assert AuditEvent.objects.filter(event_type="moderation.decided", target_id=str(case.pk))


def test_sweep_warns_once_then_escalates_once(
    receive: Callable[[str], Item], world: OrganisationWorld
) -> None:
    case = ModerationCase.objects.get(item=receive(THREAT))
    assert case.due_at is not None  # Överkalix: 48 hours
    before = case.due_at - datetime.timedelta(hours=5)
    mail.outbox.clear()  # the inbox already told the manager about the threat
    with _executing_on_commit():
        assert cases_sweep(now=before).warned == 1
        assert cases_sweep(now=before).warned == 0
    assert [m.to for m in mail.outbox] == [[world.account_owner.email]]
    with _executing_on_commit():
        result = cases_sweep(now=case.due_at + datetime.timedelta(minutes=1))
    assert result.escalated == 1
    mailed = {address for message in mail.outbox for address in message.to}
    assert {world.comms_lead.email, world.manager.email} <= mailed


def _executing_on_commit() -> Any:
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_queue_lists_oldest_deadline_first(
    receive: Callable[[str], Item], world: OrganisationWorld, client: Client
) -> None:
    first = ModerationCase.objects.get(item=receive(THREAT))
    second = ModerationCase.objects.get(item=receive("Du är en idiot och en jävla fitta"))
    assert first.due_at is not None
    ModerationCase.objects.filter(pk=second.pk).update(
        due_at=first.due_at - datetime.timedelta(hours=1)
    )
    client.force_login(world.account_owner)
    body = client.get(reverse("moderation:queue", kwargs={"slug": "overkalix"})).content.decode()
    assert body.index(f"/moderering/{second.pk}/") < body.index(f"/moderering/{first.pk}/")


def test_case_page_marks_the_evidence_and_escapes_everything(
    receive: Callable[[str], Item], world: OrganisationWorld, client: Client
) -> None:
    item = receive('<script>alert("x")</script> jag ska döda dig')
    case = ModerationCase.objects.get(item=item)
    client.force_login(world.account_owner)
    body = client.get(
        reverse("moderation:case", kwargs={"slug": "overkalix", "pk": case.pk})
    ).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    assert "<mark" in body
    assert "hot" in body


def test_decision_through_the_page(
    receive: Callable[[str], Item], world: OrganisationWorld, client: Client
) -> None:
    case = ModerationCase.objects.get(item=receive(THREAT))
    client.force_login(world.account_owner)
    url = reverse("moderation:case", kwargs={"slug": "overkalix", "pk": case.pk})
    response = client.post(url, {"kind": "keep", "reason": "Citat ur en bok", "categories": []})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED
    assert case.decisions.get().kind == DecisionKind.KEEP


def test_another_organisation_gets_404(
    receive: Callable[[str], Item], outsider: Any, client: Client
) -> None:
    case = ModerationCase.objects.get(item=receive(THREAT))
    client.force_login(outsider)
    assert client.get(reverse("moderation:queue", kwargs={"slug": "overkalix"})).status_code == 404
    for url in (
        reverse("moderation:notices", kwargs={"slug": "overkalix"}),
        reverse("moderation:case", kwargs={"slug": "overkalix", "pk": case.pk}),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "keep", "reason": "x"}).status_code == 404
    retry = reverse("moderation:retry", kwargs={"slug": "overkalix", "pk": case.pk})
    assert client.post(retry).status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_moderation_notice_check(world: OrganisationWorld, fb_account: Any, client: Client) -> None:
    client.force_login(world.account_owner)
    url = reverse("moderation:notices", kwargs={"slug": "overkalix"})
    page = client.get(url).content.decode()
    assert "inom 48 timmar" in page  # the pack's notice text
    client.post(url, {"account": fb_account.pk, "published": "on", "url": ""})
    assert not hasattr(fb_account, "notice_check") or fb_account.notice_check is None
    client.post(
        url,
        {"account": fb_account.pk, "published": "on", "url": "https://www.facebook.com/x/about"},
    )
    fb_account.refresh_from_db()
    assert fb_account.notice_check.published


def test_report_comes_with_an_evidence_export(
    receive: Callable[[str], Item], world: OrganisationWorld, client: Client
) -> None:
    import io
    import zipfile

    case = ModerationCase.objects.get(item=receive(THREAT))
    client.force_login(world.account_owner)
    page = client.get(reverse("moderation:case", kwargs={"slug": "overkalix", "pk": case.pk}))
    entry = page.context["entry"]
    assert entry is not None
    export = client.post(reverse("inbox:evidence", kwargs={"slug": "overkalix", "pk": entry.pk}))
    assert export["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert any(name.endswith(".raw") for name in names)
    assert "manifest.json" in names


def test_queue_and_case_page_show_a_case_without_a_clock(
    receive: Callable[[str], Item], world: OrganisationWorld, client: Client
) -> None:
    # A category the pack gives no removal deadline leaves the case without one
    # (Kyrkslätt's demo queue had such cases): the pages show it with no time left.
    case = ModerationCase.objects.get(item=receive(THREAT))
    ModerationCase.objects.filter(pk=case.pk).update(due_at=None)
    client.force_login(world.account_owner)
    queue = client.get(reverse("moderation:queue", kwargs={"slug": "overkalix"}))
    assert queue.status_code == 200
    assert f"/moderering/{case.pk}/" in queue.content.decode()
    page = client.get(reverse("moderation:case", kwargs={"slug": "overkalix", "pk": case.pk}))
    assert page.status_code == 200
    assert 'class="time-left' not in page.content.decode()
