"""Publishing pages: compose, the live checker, outcomes, calendar, records, other organisations."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.publishing import publish, services
from kanalvakt.publishing.models import Post, PublishedRecord
from kanalvakt.publishing.tests.conftest import GOOD_TEXT, FakePlatform, Kyrkslatt

SLUG = "overkalix"  # the world's slug; it runs under Kyrkslätt's pack here


def url(name: str, **kwargs: object) -> str:
    return reverse(f"publishing:{name}", kwargs={"slug": SLUG, **kwargs})


def test_compose_saves_a_draft_for_two_accounts(kyrkslatt: Kyrkslatt, client: Client) -> None:
    client.force_login(kyrkslatt.world.case_officer)
    assert client.get(url("new")).status_code == 200
    response = client.post(
        url("new"),
        {"text": "Hej", "people": "none", "accounts": [kyrkslatt.facebook.pk, kyrkslatt.x.pk]},
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == url("post", pk=post.pk)
    assert post.targets.count() == 2


def test_the_live_checker_answers_with_findings_and_clauses(
    kyrkslatt: Kyrkslatt, client: Client
) -> None:
    client.force_login(kyrkslatt.world.case_officer)
    response = client.post(
        url("check"),
        {"text": "Ring 131052-308T", "people": "none", "accounts": [kyrkslatt.facebook.pk]},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="personal_id_number"' in body and 'data-code="hashtags"' in body
    assert "003_c812241455402087.txt" in body and "#kirkkonummi" in body
    assert "<html" not in body


def test_the_reply_checker_flags_ni_and_id_numbers(
    world: OrganisationWorld, client: Client
) -> None:
    from kanalvakt.policies.tests.helpers import use_pack

    use_pack(world.organisation, "overkalix")
    client.force_login(world.account_owner)
    body = client.post(url("reply_check"), {"text": "Ni kan ringa 811218-9876"}).content.decode()
    assert 'data-code="address_du"' in body and 'data-code="personal_id_number"' in body
    assert 'data-code="website_link"' not in body


def test_a_page_without_a_policy_says_that_little_is_checked(
    world: OrganisationWorld, client: Client
) -> None:
    client.force_login(world.account_owner)
    body = client.post(url("check"), {"text": "Ni"}).content.decode()
    assert "ingen policy vald" in body


def test_outcomes_records_and_calendar(
    kyrkslatt: Kyrkslatt, platform: FakePlatform, client: Client
) -> None:
    world = kyrkslatt.world
    post = services.post_create(
        actor=world.publisher,
        organisation=world.organisation,
        accounts=[kyrkslatt.facebook, kyrkslatt.x],
        text=GOOD_TEXT,
    )
    platform.failing.add("kirkkonummi")
    publish.post_publish(actor=world.publisher, post=post)
    client.force_login(world.publisher)
    body = client.get(url("post", pk=post.pk)).content.decode()
    assert "https://platform.example/kirkkonummenkunta/1" in body
    assert "rate limited" in body and "Försök igen" in body
    record = PublishedRecord.objects.get()
    body = client.get(url("record", pk=record.pk)).content.decode()
    assert record.payload_sha256 in body and "#yhdessätillsammans" in body
    later = services.post_create(
        actor=world.publisher,
        organisation=world.organisation,
        accounts=[kyrkslatt.x],
        text=GOOD_TEXT,
    )
    services.post_schedule(
        actor=world.publisher, post=later, at=timezone.now() + datetime.timedelta(days=2)
    )
    body = client.get(url("calendar")).content.decode()
    assert body.count("/publicering/") >= 2 and "schemalagt" in body
    body = client.get(url("calendar") + f"?konto={kyrkslatt.facebook.pk}").content.decode()
    assert "schemalagt" not in body and "publicerat" in body


def test_other_organisations_get_404(
    kyrkslatt: Kyrkslatt, outsider: object, client: Client
) -> None:
    world = kyrkslatt.world
    post = services.post_create(
        actor=world.publisher, organisation=world.organisation, accounts=[kyrkslatt.x], text="Hej"
    )
    client.force_login(outsider)  # type: ignore[arg-type]
    assert client.get(url("post", pk=post.pk)).status_code == 404
    assert client.post(url("publish", pk=post.pk)).status_code == 404
    assert client.get(url("list")).status_code == 404


def test_user_text_is_escaped(kyrkslatt: Kyrkslatt, client: Client) -> None:
    world = kyrkslatt.world
    nasty = '<script>alert("x")</script>'
    post = services.post_create(
        actor=world.publisher,
        organisation=world.organisation,
        accounts=[kyrkslatt.x],
        text=nasty,
        title=nasty,
    )
    client.force_login(world.publisher)
    body = client.get(url("post", pk=post.pk)).content.decode()
    assert nasty not in body and "&lt;script&gt;" in body


def test_without_a_mandate_the_page_offers_no_publishing(
    kyrkslatt: Kyrkslatt, client: Client
) -> None:
    world = kyrkslatt.world
    post = services.post_create(
        actor=world.case_officer,
        organisation=world.organisation,
        accounts=[kyrkslatt.x],
        text=GOOD_TEXT,
    )
    client.force_login(world.case_officer)
    body = client.get(url("post", pk=post.pk)).content.decode()
    assert "Skicka för godkännande" in body and "Publicera nu" not in body
    assert "inget giltigt uppdrag" in body
    client.post(url("publish", pk=post.pk))
    post.refresh_from_db()
    assert post.state == "draft"


def test_files_are_public_only_once_the_post_is_approved(
    kyrkslatt: Kyrkslatt, client: Client, settings: object
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kanalvakt.publishing.publish import public_media_url
    from kanalvakt.publishing.tests.test_workflow import PNG

    world = kyrkslatt.world
    post = services.post_create(
        actor=world.publisher,
        organisation=world.organisation,
        accounts=[kyrkslatt.x],
        text=GOOD_TEXT,
    )
    media = services.post_media_add(
        actor=world.publisher,
        post=post,
        upload=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
        alt_text="Ett torg",
        rights_holder="Kommunen",
        rights_confirmed=True,
    )
    address = reverse("publishing:media_public", kwargs={"token": media.public_token})
    assert public_media_url(media).endswith(address)
    assert client.get(address).status_code == 404  # a draft's file is not public
    services.post_approve(actor=world.publisher, post=post)
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert client.get(address.replace(media.public_token, "x" * 43)).status_code == 404
