"""Issue 12 item 3: ranked, bounded search with filters, on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.records import search
from kanalvakt.records.models import Registration, RegistrationStatus
from kanalvakt.records.search import SearchFilters, item_search, search_items
from kanalvakt.records.tests.conftest import Receive, make_account


def test_best_match_comes_first(overkalix: OrganisationWorld, receive: Receive) -> None:
    once = receive("Parkeringen vid skolan är full, och vägen är dålig.")
    twice = receive("Parkeringen, parkeringen, parkeringen: ingen parkering i centrum.")
    receive("Om biblioteket.")
    result = search_items(organisation=overkalix.organisation, query="parkeringen")
    assert result.ids == [twice.pk, once.pk]
    assert [item.pk for item in result.items] == [twice.pk, once.pk]
    assert not result.bounded


def test_filters_by_account_date_and_record_state(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    other = make_account(overkalix, handle="overkalixfritid")
    old = receive(
        "Snöröjningen i fjol", created_at=datetime.datetime(2025, 1, 5, 12, tzinfo=datetime.UTC)
    )
    here = receive("Snöröjningen i år")
    there = receive("Snöröjningen vid simhallen", on=other)
    organisation = overkalix.organisation

    def found(**filters: object) -> set[int]:
        chosen = SearchFilters(**filters)  # type: ignore[arg-type]
        return set(
            search_items(organisation=organisation, query="snöröjningen", filters=chosen).ids
        )

    assert found() == {old.pk, here.pk, there.pk}
    assert found(accounts=[other.pk]) == {there.pk}
    assert found(date_to=datetime.date(2025, 12, 31)) == {old.pk}
    assert found(date_from=datetime.date(2026, 1, 1)) == {here.pk, there.pk}
    state = Registration.objects.get(item=here).status
    assert here.pk in found(record_states=[state])
    others = [s for s in RegistrationStatus.values if s != state]
    assert here.pk not in found(record_states=others)
    assert [
        i.pk for i in item_search(organisation=organisation, query="", accounts=[other.pk])
    ] == [there.pk]


def test_common_words_are_ranked_among_the_newest_candidates(
    overkalix: OrganisationWorld, receive: Receive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 3)
    best_but_oldest = receive("tack tack tack tack")
    newest = [receive(f"tack för nummer {n}") for n in range(4)]
    result = search_items(organisation=overkalix.organisation, query="tack")
    assert result.bounded
    assert best_but_oldest.pk not in result.ids
    assert set(result.ids) == {item.pk for item in newest[1:]}


def test_other_organisations_items_are_never_found(
    overkalix: OrganisationWorld, other_world: OrganisationWorld, receive: Receive
) -> None:
    item = receive("Bygglovet dröjer")
    assert search_items(organisation=overkalix.organisation, query="bygglovet").ids == [item.pk]
    assert search_items(organisation=other_world.organisation, query="bygglovet").ids == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="websearch syntax on PostgreSQL")
def test_postgresql_understands_phrases_and_exclusions(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    phrase = receive("Vägen till skolan är hal.")
    receive("Skolan ligger vid vägen.")
    organisation = overkalix.organisation
    assert search_items(organisation=organisation, query='"vägen till skolan"').ids == [phrase.pk]
    assert search_items(organisation=organisation, query="skolan -hal").ids != []
    assert phrase.pk not in search_items(organisation=organisation, query="skolan -hal").ids


def test_request_page_filters_by_account(
    overkalix: OrganisationWorld, receive: Receive, client: Client
) -> None:
    other = make_account(overkalix, handle="overkalixfritid")
    receive("Taxan för sophämtning är för hög")
    receive("Taxan för simhallen är för hög", on=other)
    client.force_login(overkalix.registrar)
    response = client.post(
        "/o/overkalix/begaran/",
        {"requester": "Anna Reporter", "description": "Om taxan", "requester_contact": ""},
    )
    url = response["Location"]
    both = client.get(url, {"q": "taxan"}).content.decode()
    assert "sophämtning" in both and "simhallen" in both
    one = client.get(url, {"q": "taxan", "account": str(other.pk)}).content.decode()
    assert "simhallen" in one and "sophämtning" not in one
