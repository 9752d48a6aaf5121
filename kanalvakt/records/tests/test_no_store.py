"""Issue 11, finding 8: no browser or proxy keeps a page or download with citizens' messages."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import OrganisationWorld
from kanalvakt.inbox.models import InboxEntry
from kanalvakt.records.disclosure import records_request_disclose
from kanalvakt.records.models import SnapshotReason
from kanalvakt.records.snapshots import snapshot_capture
from kanalvakt.records.tests.conftest import Receive, requested
from kanalvakt.records.tests.test_snapshots import fake_capture
from kanalvakt.register.models import Account


def test_every_page_and_download_with_messages_is_no_store(
    overkalix: OrganisationWorld, account: Account, receive: Receive, client: Client
) -> None:
    item = receive("Felaktigt beslut, det är fel. Mitt personnummer är 19121212-1212.")
    entry = InboxEntry.objects.get(item=item)
    request = requested(overkalix, item)
    disclosure = records_request_disclose(actor=overkalix.registrar, request=request)
    snapshot = snapshot_capture(
        actor=overkalix.registrar,
        account=account,
        reason=SnapshotReason.BEFORE_MAJOR_CHANGE,
        capturer=fake_capture,
    )
    slug = "overkalix"
    urls = [
        reverse("inbox:list", kwargs={"slug": slug}),
        reverse("inbox:entry", kwargs={"slug": slug, "pk": entry.pk}),
        reverse("records:queue", kwargs={"slug": slug}),
        reverse("records:export", kwargs={"slug": slug, "fmt": "csv"}),
        reverse("records:export", kwargs={"slug": slug, "fmt": "xml"}),
        reverse("records:request", kwargs={"slug": slug, "pk": request.pk}),
        reverse(
            "records:disclosure_file",
            kwargs={"slug": slug, "pk": request.pk, "disclosure_pk": disclosure.pk, "fmt": "csv"},
        ),
        reverse(
            "records:disclosure_file",
            kwargs={"slug": slug, "pk": request.pk, "disclosure_pk": disclosure.pk, "fmt": "pdf"},
        ),
        reverse("records:snapshot_file", kwargs={"slug": slug, "pk": snapshot.pk, "kind": "pdf"}),
        "/api/records/overkalix/registrations/",
    ]
    client.force_login(overkalix.registrar)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 401), url
        assert "no-store" in response["Cache-Control"], url
