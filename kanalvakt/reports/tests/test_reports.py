"""The dashboard and the reports, as the comms lead uses them."""

from __future__ import annotations

import csv
import datetime
import io
import re
import subprocess
import tempfile

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.inbox.models import EntryState, InboxEntry, Reply, ReplyState
from kanalvakt.inbox.tests.conftest import Receive
from kanalvakt.intake.models import AccountConnection, AlertState
from kanalvakt.moderation.models import CaseState, ModerationCase
from kanalvakt.register.models import Account
from kanalvakt.reports import charts
from kanalvakt.reports.metrics import percentile

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def _entry(
    receive: Receive, account: Account, text: str, *, written: datetime.datetime
) -> InboxEntry:
    """The message as it arrived when it was written."""
    with time_machine.travel(written, tick=False):
        item = receive(account, text, created_at=written)
    return InboxEntry.objects.get(item=item)


def _answer(entry: InboxEntry, world: OrganisationWorld, *, at: datetime.datetime) -> None:
    Reply.objects.create(
        entry=entry,
        author=world.account_owner,
        text="Tack för frågan!",
        state=ReplyState.SENT,
        created_at=at,
        sent_at=at,
    )
    InboxEntry.objects.filter(pk=entry.pk).update(state=EntryState.ANSWERED, closed_at=at)


def _tile(html: str, key: str) -> tuple[int, str]:
    match = re.search(
        rf'href="([^"]+)" data-tile="{key}">\s*<span class="tile-count">(\d+)</span>', html
    )
    assert match, f"no tile {key}"
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def test_dashboard_counts_what_is_due_and_each_figure_opens_the_matching_list(
    client: Client, world: OrganisationWorld, overkalix: Account, receive: Receive
) -> None:
    now = timezone.now()
    late = _entry(receive, overkalix, "Varför är simhallen stängd?", written=now)
    soon = _entry(receive, overkalix, "När öppnar biblioteket?", written=now)
    _entry(receive, overkalix, "Hur söker jag bygglov?", written=now)
    InboxEntry.objects.filter(pk=late.pk).update(due_at=now - HOUR)
    InboxEntry.objects.filter(pk=soon.pk).update(due_at=now + HOUR)
    client.force_login(world.comms_lead)

    page = client.get(reverse("reports:dashboard", kwargs={"slug": "overkalix"}))

    html = page.content.decode()
    assert _tile(html, "overdue")[0] == 1
    assert _tile(html, "due_soon")[0] == 1
    assert _tile(html, "open")[0] == 3
    listed = client.get(_tile(html, "overdue")[1]).content.decode()
    assert "Varför är simhallen stängd?" in listed
    assert "När öppnar biblioteket?" not in listed
    # The account with an overdue answer is red, with the way to fix it.
    row = re.search(rf'<tr data-account="{overkalix.pk}">(.*?)</tr>', html, re.S)
    assert row and "badge-red" in row.group(1) and "Svara i inkorgen" in row.group(1)


def test_dashboard_lists_a_broken_connection_and_a_failed_reply(
    client: Client, world: OrganisationWorld, overkalix: Account, receive: Receive
) -> None:
    now = timezone.now()
    AccountConnection.objects.create(
        organisation=world.organisation,
        account=overkalix,
        alert=AlertState.EXPIRED,
        created_at=now,
        updated_at=now,
    )
    entry = _entry(receive, overkalix, "Hej!", written=now)
    Reply.objects.create(
        entry=entry,
        author=world.account_owner,
        text="Svar",
        state=ReplyState.FAILED,
        error="Plattformen svarade 500",
        created_at=now,
    )
    client.force_login(world.comms_lead)

    html = client.get(reverse("reports:dashboard", kwargs={"slug": "overkalix"})).content.decode()

    assert "Förnya anslutningen" in html
    assert "Plattformen svarade 500" in html


def test_home_sends_a_member_of_one_organisation_to_its_dashboard(
    client: Client, world: OrganisationWorld
) -> None:
    client.force_login(world.registrar)
    response = client.get("/")
    assert response["Location"] == reverse("reports:dashboard", kwargs={"slug": "overkalix"})


def test_response_report_measures_against_the_deadline(
    client: Client, world: OrganisationWorld, overkalix: Account, receive: Receive
) -> None:
    now = timezone.now()
    quick = _entry(receive, overkalix, "Fråga 1", written=now - 50 * HOUR)
    slow = _entry(receive, overkalix, "Fråga 2", written=now - 50 * HOUR)
    waiting = _entry(receive, overkalix, "Fråga 3", written=now - 50 * HOUR)
    _entry(receive, overkalix, "Fråga 4", written=now)  # not yet due: not counted
    for entry in (quick, slow, waiting):
        InboxEntry.objects.filter(pk=entry.pk).update(due_at=now - 2 * HOUR)
    _answer(quick, world, at=now - 46 * HOUR)  # 4 h, in time
    _answer(slow, world, at=now - HOUR)  # 49 h, late
    client.force_login(world.comms_lead)

    response = client.get(reverse("reports:csv", kwargs={"slug": "overkalix"}))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    account_row = next(row for row in rows if row and row[0] == str(overkalix))
    expected, on_time, late, open_overdue, share = account_row[2:7]
    assert (expected, on_time, late, open_overdue, share) == ("3", "1", "1", "1", "33")
    assert account_row[7] == "26.5"  # median of 4 h and 49 h
    page = client.get(reverse("reports:reports", kwargs={"slug": "overkalix"}))
    html = page.content.decode()
    assert "1 av 3 meddelanden med svarstid hanterades i tid (33 %)" in html
    assert 'role="img"' in html  # the chart, with the table beside it


def test_moderation_report_counts_categories_and_time_to_decision(
    client: Client, world: OrganisationWorld, overkalix: Account, receive: Receive
) -> None:
    now = timezone.now()
    with time_machine.travel(now - 10 * HOUR, tick=False):
        item = receive(overkalix, "Du är en idiot", created_at=now - 10 * HOUR)
    ModerationCase.objects.update_or_create(
        item=item,
        defaults={
            "organisation": world.organisation,
            "account": overkalix,
            "categories": ["personal_attack"],
            "opened_at": now - 10 * HOUR,
            "due_at": now + 38 * HOUR,
            "state": CaseState.DECIDED,
            "decided_at": now - 7 * HOUR,
        },
    )
    client.force_login(world.comms_lead)

    html = client.get(reverse("reports:reports", kwargs={"slug": "overkalix"})).content.decode()

    assert "1 ärenden öppnades, 1 avgjordes (1 inom policyns tid)" in html
    assert "median 3,0 h" in html


def test_a_date_that_is_not_a_date_is_explained(client: Client, world: OrganisationWorld) -> None:
    client.force_login(world.comms_lead)
    response = client.get(
        reverse("reports:reports", kwargs={"slug": "overkalix"}), {"fran": "igår", "till": ""}
    )
    assert response.status_code == 400
    assert "Ange datum som ÅÅÅÅ-MM-DD." in response.content.decode()


def test_half_year_report_for_the_board_is_a_pdf(
    client: Client, world: OrganisationWorld, overkalix: Account
) -> None:
    client.force_login(world.comms_lead)
    response = client.get(
        reverse("reports:pdf", kwargs={"slug": "overkalix"}), {"halvar": "foregaende"}
    )
    assert response["Content-Type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(response.content)
        handle.flush()
        text = subprocess.run(  # noqa: S603
            ["pdftotext", handle.name, "-"],  # noqa: S607
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    assert "Halvårsrapport" in text
    assert "Svarstider mot policyns regler" in text
    assert "Överkalix kommun" in text


@pytest.mark.parametrize(
    "name", ["reports:dashboard", "reports:reports", "reports:csv", "reports:pdf"]
)
def test_another_organisation_sees_nothing(
    client: Client, world: OrganisationWorld, outsider: object, name: str
) -> None:
    client.force_login(outsider)  # type: ignore[arg-type]
    assert client.get(reverse(name, kwargs={"slug": "overkalix"})).status_code == 404


def test_charts_on_one_page_never_share_an_id() -> None:
    first = charts.bar_chart("A", [("x", 1.0), ("y", 2.0)])
    second = charts.bar_chart("B", [("x", 1.0), ("y", 2.0)])
    ids = re.findall(r'\bid="([^"]+)"', first + second)
    assert len(ids) == len(set(ids))
    assert "<title" in first and 'role="img"' in first
    assert "<script" not in first + second
    # No inline style: the Content-Security-Policy would drop it and draw black boxes.
    assert "style=" not in first and "<style" not in first
    assert 'fill="#1d5c8f"' in first


def test_chart_labels_are_escaped() -> None:
    svg = charts.bar_chart("<b>", [("<script>alert(1)</script>", 1.0)])
    assert "<script>" not in svg


def test_percentile_is_the_nearest_rank() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == 9.0
    assert percentile([], 0.9) is None


def test_dashboard_lists_a_post_that_failed_to_publish(
    client: Client, world: OrganisationWorld, overkalix: Account
) -> None:
    from kanalvakt.publishing.models import PostTarget, TargetState
    from kanalvakt.publishing.services import post_create

    post = post_create(
        actor=world.comms_lead,
        organisation=world.organisation,
        accounts=[overkalix],
        text="Simhallen är stängd på måndag.",
    )
    PostTarget.objects.filter(post=post).update(
        state=TargetState.FAILED, error="Plattformen svarade 503"
    )
    client.force_login(world.comms_lead)

    html = client.get(reverse("reports:dashboard", kwargs={"slug": "overkalix"})).content.decode()

    assert "kunde inte publiceras" in html and "Plattformen svarade 503" in html
    assert reverse("publishing:post", kwargs={"slug": "overkalix", "pk": post.pk}) in html


def test_a_snapshot_that_failed_in_an_earlier_half_year_is_not_this_half_years_fault(
    client: Client, world: OrganisationWorld, overkalix: Account
) -> None:
    from django.db import transaction

    from kanalvakt.audit.services import audit_record
    from kanalvakt.records.events import RecordsEvent

    def fail(at: datetime.datetime) -> None:
        with time_machine.travel(at, tick=False), transaction.atomic():
            audit_record(
                actor=None,
                organisation=world.organisation,
                event_type=RecordsEvent.SNAPSHOT_FAILED,
                target=overkalix,
                data={"error": "time-out"},
            )

    client.force_login(world.comms_lead)
    url = reverse("reports:dashboard", kwargs={"slug": "overkalix"})
    fail(timezone.now() - datetime.timedelta(days=200))
    assert "Halvårets ögonblicksbild" not in client.get(url).content.decode()
    fail(timezone.now())
    assert "Halvårets ögonblicksbild" in client.get(url).content.decode()
