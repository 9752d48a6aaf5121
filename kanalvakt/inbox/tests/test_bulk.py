"""Rows written in bulk hold what the ORM would have written (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kanalvakt.inbox import bulk
from kanalvakt.inbox.models import EntryState, InboxEntry
from kanalvakt.records.models import Decision, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def _prepared_by_the_orm(instances: list[Any]) -> list[list[Any]]:
    fields = bulk._columns(type(instances[0]))
    return _comparable([bulk._row(instance, fields) for instance in instances])


def _comparable(rows: list[list[Any]]) -> list[list[Any]]:
    """psycopg's Jsonb wrapper has no equality: compare what it wraps."""
    return [[getattr(value, "obj", value) for value in row] for row in rows]


def test_entry_rows_are_prepared_as_the_orm_prepares_them() -> None:
    now = timezone.now()
    entries = [
        InboxEntry(
            organisation_id=1,
            account_id=2,
            item_id=3,
            state=EntryState.NEW,
            intent="question",
            intent_words=["när", "?"],
            due_at=now,
            deadline_rule="response_times.default",
            deadline_text="2 arbetsdagar",
            assigned_to_id=4,
            routed_because="Kontoansvarig",
            created_at=now,
        ),
        InboxEntry(
            organisation_id=1,
            account_id=2,
            item_id=5,
            state=EntryState.NO_ANSWER_NEEDED,
            intent=gettext_lazy("övrigt"),  # type: ignore[misc]  # lazy: the field's own way
            intent_words=[],
            due_at=None,
            created_at="2026-01-02T03:04:05+01:00",  # text: the field's own way
            closed_at=now,
        ),
    ]

    prepared = bulk._rows(entries, bulk._columns(InboxEntry))
    assert _comparable(prepared) == _prepared_by_the_orm(entries)


def test_registration_rows_keep_choices_flags_and_numbers() -> None:
    rows = [
        Registration(
            organisation_id=1,
            item_id=item,
            record_kind="comment",
            decision=decision,
            forward_required=item % 2 == 0,
            status=RegistrationStatus.PENDING,
            number=number,
            created_at=timezone.now(),
        )
        for item, decision, number in [
            (1, Decision.REGISTER, None),
            (2, Decision.EXEMPT, 7),
            (3, Decision.NOT_REQUIRED, True),  # not an int: the field's own way
        ]
    ]

    prepared = bulk._rows(rows, bulk._columns(Registration))

    assert _comparable(prepared) == _prepared_by_the_orm(rows)
    number = [field.attname for field in bulk._columns(Registration)].index("number")
    assert [row[number] for row in prepared] == [None, 7, 1]


def test_unsaved_instances_hold_what_the_keyword_constructor_gives() -> None:
    from kanalvakt.inbox.models import Item
    from kanalvakt.organisations.models import Organisation, User

    organisation, user, now = Organisation(pk=1), User(pk=4), timezone.now()
    values: dict[str, Any] = {
        "organisation": organisation,
        "account_id": 2,
        "state": EntryState.NEW,
        "intent": "question",
        "intent_words": ["när"],
        "due_at": now,
        "assigned_to": user,
        "created_at": now,
    }
    by_keyword = InboxEntry(item=Item(pk=3), **values)
    item = Item(pk=3)
    made = bulk.unsaved(InboxEntry)(item=item, **values)

    fields = [field.attname for field in InboxEntry._meta.concrete_fields]
    assert [getattr(made, name) for name in fields] == [
        getattr(by_keyword, name) for name in fields
    ]
    assert made.item is item and item.entry is made  # both sides of the one-to-one
    assert made.organisation is organisation and made.assigned_to is user
    with pytest.raises(TypeError):
        bulk.unsaved(InboxEntry)(no_such_field=1)
