"""Notifications: in the app, by e-mail at once or as a daily digest, per person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import OrganisationWorld
from kanalvakt.notifications.models import EmailChoice, Notification
from kanalvakt.notifications.services import (
    notification_preference_set,
    notification_send,
    notifications_digest_send,
    unread_count,
)

pytestmark = pytest.mark.django_db


def test_immediate_mail_by_default_and_a_count_in_the_header(
    world: OrganisationWorld,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipient=world.publisher,
            kind="assigned",
            title="Ett meddelande väntar",
            url="/o/overkalix/inkorg/1/",
        )
    assert [m.to for m in mail.outbox] == [[world.publisher.email]]
    assert Notification.objects.get().emailed_at is not None
    client.force_login(world.publisher)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Ett meddelande väntar" in page
    assert 'class="notification-count">1' in page
    client.post(reverse("notifications:read"))
    assert unread_count(world.publisher) == 0


def test_digest_readers_get_one_mail_a_day(
    world: OrganisationWorld, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    notification_preference_set(actor=world.publisher, email=EmailChoice.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            notification_send(recipient=world.publisher, kind="due_soon", title=f"Svara {n}")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_digest_send() == 1
    assert len(mail.outbox) == 1
    assert "Svara 0" in mail.outbox[0].body and "Svara 2" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_digest_send() == 0


def test_off_means_no_mail_but_still_in_the_app(
    world: OrganisationWorld, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    notification_preference_set(actor=world.publisher, email=EmailChoice.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=world.publisher, kind="overdue", title="Försenat")
        notification_send(recipient=world.publisher, kind="escalated", title="Hot", email=True)
    assert [m.subject for m in mail.outbox] == ["Hot"]
    assert unread_count(world.publisher) == 2


def test_someone_elses_notifications_cannot_be_marked_read(
    world: OrganisationWorld, client: Client
) -> None:
    mine = notification_send(recipient=world.publisher, kind="other", title="Hej", email=False)
    client.force_login(world.registrar)
    client.post(reverse("notifications:read"), {"id": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.read_at is None
