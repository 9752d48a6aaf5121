"""Issue 12 item 3: ranked, bounded search with filters, on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import datetime
import importlib
from datetime import UTC
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client

from conftest import OrganisationWorld
from kanalvakt.records import search
from kanalvakt.records.models import Registration, RegistrationStatus
from kanalvakt.records.registration import registration_register
from kanalvakt.records.search import SearchFilters, item_search, search_items
from kanalvakt.records.search_tags import _month_end, date_tags
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


def test_a_registered_item_is_found_under_its_new_record_state(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    item = receive("Det är fel att snöröjningen inte fungerar på Storgatan, det är dåligt skött.")
    organisation = overkalix.organisation

    def found(state: str) -> list[int]:
        filters = SearchFilters(record_states=[state])
        return search_items(organisation=organisation, query="snöröjningen", filters=filters).ids

    assert found(RegistrationStatus.PENDING) == [item.pk]
    registration_register(
        actor=overkalix.registrar, registration=Registration.objects.get(item=item)
    )
    assert found(RegistrationStatus.PENDING) == []
    assert found(RegistrationStatus.REGISTERED) == [item.pk]


def test_filters_narrow_before_the_newest_matches_are_taken(
    overkalix: OrganisationWorld, receive: Receive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word common on a busy account still finds the quiet account's older items."""
    monkeypatch.setattr(search, "CANDIDATES", 3)
    quiet = make_account(overkalix, handle="overkalixfritid")
    older = [receive(f"tack för svaret {n}", on=quiet) for n in range(2)]
    for n in range(5):
        receive(f"tack, nummer {n}")
    filters = SearchFilters(accounts=[quiet.pk])
    result = search_items(organisation=overkalix.organisation, query="tack", filters=filters)
    assert sorted(result.ids) == sorted(item.pk for item in older)
    assert not result.bounded
    march = SearchFilters(date_from=datetime.date(2025, 3, 1), date_to=datetime.date(2025, 3, 31))
    in_march = receive("tack i mars", created_at=datetime.datetime(2025, 3, 31, 21, tzinfo=UTC))
    receive("tack i april", created_at=datetime.datetime(2025, 4, 1, 8, tzinfo=UTC))
    assert search_items(organisation=overkalix.organisation, query="tack", filters=march).ids == [
        in_march.pk
    ]


def _days_of(tag: str) -> set[datetime.date]:
    kind, digits = tag[0], tag[1:]
    year = int(digits[:4])
    first = datetime.date(year, int(digits[4:6]) if kind != "y" else 1, 1)
    if kind == "d":
        return {datetime.date(year, int(digits[4:6]), int(digits[6:]))}
    last = datetime.date(year, 12, 31) if kind == "y" else _month_end(first)
    return {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2024-03-01", "2024-03-31"),
        ("2024-03-15", "2024-03-16"),
        ("2023-12-31", "2024-01-01"),
        ("2023-02-10", "2025-11-20"),
        ("2024-01-01", "2024-12-31"),
        ("2024-02-29", "2024-02-29"),
        ("2022-05-01", "2026-04-30"),
    ],
)
def test_date_tags_cover_exactly_the_days_asked_for(first: str, last: str) -> None:
    start, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    covered: list[datetime.date] = []
    for tag in date_tags(start, end):
        covered += _days_of(tag)
    assert len(covered) == len(set(covered))  # no day twice
    assert set(covered) == {
        start + datetime.timedelta(days=n) for n in range((end - start).days + 1)
    }


def test_migration_to_filters_in_the_index_keeps_what_was_indexed(
    overkalix: OrganisationWorld, receive: Receive
) -> None:
    """An existing database: the rows indexed before 0006 are found with their filters after it."""
    item = receive("Det är fel att snöröjningen inte fungerar på Storgatan, det är dåligt skött.")
    migration = importlib.import_module("kanalvakt.records.migrations.0006_search_filters_in_index")
    editor = SimpleNamespace(connection=connection)  # the functions use only its connection
    migration.backward(django_apps, editor)  # the table as 0005 left it, with the item in it
    migration.forward(django_apps, editor)
    pending = SearchFilters(record_states=[RegistrationStatus.PENDING], accounts=[item.account_id])
    found = search_items(organisation=overkalix.organisation, query="snöröjningen", filters=pending)
    assert found.ids == [item.pk]
