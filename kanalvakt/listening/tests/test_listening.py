"""INB-7: listening keeps mentions apart from the inbox, alerts on spikes, takes one in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.audit.models import AuditEvent
from kanalvakt.connectors.http import ConnectorError
from kanalvakt.connectors.search.base import FoundMention
from kanalvakt.inbox.models import Item
from kanalvakt.listening.models import ListeningAlert, ListeningSource, Mention
from kanalvakt.listening.services import (
    listening_poll,
    listening_source_add,
    listening_spike_check,
    mention_take_in,
    suggested_terms,
)
from kanalvakt.policies.tests.helpers import use_pack


def found(n: int, prefix: str = "m") -> list[FoundMention]:
    return [
        FoundMention(
            external_id=f"{prefix}{i}",
            url=f"https://mastodon.social/@a/{prefix}{i}",
            author="a@mastodon.social",
            text=f"Överkalix kommun nämns här ({i})",
            published_at=timezone.now(),
        )
        for i in range(n)
    ]


def source(world: OrganisationWorld) -> ListeningSource:
    return listening_source_add(
        actor=world.comms_lead,
        organisation=world.organisation,
        kind="mastodon_hashtag",
        query="#överkalix",
        instance="mastodon.social",
    )


def test_polling_keeps_new_mentions_once_and_never_in_the_inbox(world: OrganisationWorld) -> None:
    # Överkalix: "Ditt deltagande i sociala medier innebär en möjlighet att lyssna och lära av
    # det som sägs om kommunen"
    use_pack(world.organisation, "overkalix")
    listened = source(world)
    assert listening_poll(source=listened, fetcher=lambda _s: found(3)) == 3
    assert listening_poll(source=listened, fetcher=lambda _s: found(4)) == 1
    assert Mention.objects.count() == 4
    assert Item.objects.count() == 0  # mentions are not inbox items
    assert AuditEvent.objects.filter(event_type="listening.source_added").count() == 1


def test_a_failing_source_is_noted_and_loses_nothing(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "overkalix")
    listened = source(world)
    listening_poll(source=listened, fetcher=lambda _s: found(2))

    def broken(_source: ListeningSource) -> list[FoundMention]:
        raise ConnectorError("server error (503)", platform="mastodon")

    assert listening_poll(source=listened, fetcher=broken) == 0
    listened.refresh_from_db()
    assert "503" in listened.last_error and Mention.objects.count() == 2


def test_a_spike_alerts_the_comms_lead_once_a_day(
    world: OrganisationWorld, django_capture_on_commit_callbacks: Any
) -> None:
    use_pack(world.organisation, "overkalix")
    listened = source(world)
    listening_poll(source=listened, fetcher=lambda _s: found(2, "old"))
    Mention.objects.update(found_at=timezone.now() - datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        listening_poll(source=listened, fetcher=lambda _s: found(12, "new"))
    alert = ListeningAlert.objects.get()
    assert alert.count == 12
    assert mail.outbox[-1].to == [world.comms_lead.email]
    assert listening_spike_check(organisation=world.organisation) is None  # once a day


def test_taking_a_mention_in_is_recorded(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "overkalix")
    listening_poll(source=source(world), fetcher=lambda _s: found(1))
    mention = Mention.objects.get()
    mention_take_in(actor=world.registrar, mention=mention, note="Kritik mot skolskjutsen.")
    assert mention.taken_in_at is not None and mention.taken_in_by == world.registrar
    with pytest.raises(ValidationError):
        mention_take_in(actor=world.registrar, mention=mention)
    assert AuditEvent.objects.filter(event_type="listening.taken_in").count() == 1


def test_only_editors_add_sources_and_feeds_must_be_https(world: OrganisationWorld) -> None:
    use_pack(world.organisation, "kyrkslatt")
    with pytest.raises(PermissionDenied):
        listening_source_add(
            actor=world.registrar,
            organisation=world.organisation,
            kind="bluesky_search",
            query="Kyrkslätt",
        )
    with pytest.raises(ValidationError):
        listening_source_add(
            actor=world.comms_lead,
            organisation=world.organisation,
            kind="feed",
            query="http://intranet/rss",
        )
    terms = suggested_terms(world.organisation)
    assert "#kyrkslätt" in terms and world.organisation.name in terms


def test_the_page_is_separate_from_the_inbox_and_scoped(
    world: OrganisationWorld, other_world: OrganisationWorld, client: Client
) -> None:
    use_pack(world.organisation, "overkalix")
    listening_poll(source=source(world), fetcher=lambda _s: found(1))
    client.force_login(world.account_owner)
    slug = world.organisation.slug
    page = client.get(f"/o/{slug}/bevakning/").content.decode()
    assert "Överkalix kommun nämns här (0)" in page
    mention = Mention.objects.get()
    client.post(f"/o/{slug}/bevakning/{mention.pk}/ta-in/", {"note": "Viktigt"})
    mention.refresh_from_db()
    assert mention.taken_in_at is not None
    client.force_login(other_world.comms_lead)
    assert client.post(f"/o/{slug}/bevakning/{mention.pk}/ta-in/").status_code == 404
