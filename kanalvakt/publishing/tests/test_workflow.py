"""Compose, submit, approve, publish and schedule, gated by mandates (REG-3, REG-9)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kanalvakt.audit.models import AuditEvent
from kanalvakt.inbox.models import PublishedPost
from kanalvakt.policies.services import policy_version_load
from kanalvakt.publishing import publish, services
from kanalvakt.publishing.models import Post, PostState, PostTarget, PublishedRecord, TargetState
from kanalvakt.publishing.tests.conftest import (
    GOOD_TEXT,
    FakePlatform,
    Kyrkslatt,
    acknowledge,
    grant,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def draft(k: Kyrkslatt, text: str = GOOD_TEXT) -> Post:
    return services.post_create(
        actor=k.world.case_officer,
        organisation=k.world.organisation,
        accounts=[k.facebook, k.x],
        text=text,
    )


def test_a_person_without_a_mandate_drafts_and_submits_but_cannot_publish(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    post = draft(kyrkslatt)
    services.post_submit(actor=kyrkslatt.world.case_officer, post=post)
    acknowledge(kyrkslatt.world, kyrkslatt.world.case_officer)
    with pytest.raises(PermissionDenied, match="uppdrag"):
        publish.post_publish(actor=kyrkslatt.world.case_officer, post=post)
    # Not even the comms lead: the pack requires a mandate.
    acknowledge(kyrkslatt.world, kyrkslatt.world.comms_lead)
    with pytest.raises(PermissionDenied):
        services.post_approve(actor=kyrkslatt.world.comms_lead, post=post)
    assert platform.published == []


def test_the_mandate_holder_approves_and_publishes_to_both_accounts(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    publisher = kyrkslatt.world.publisher
    post = draft(kyrkslatt)
    services.post_submit(actor=kyrkslatt.world.case_officer, post=post)
    services.post_approve(actor=publisher, post=post)
    post = publish.post_publish(actor=publisher, post=post)
    assert post.state == PostState.PUBLISHED
    states = {t.account.handle: t.state for t in post.targets.select_related("account")}
    assert states == {
        "kirkkonummenkunta": TargetState.PUBLISHED,
        "kirkkonummi": TargetState.PUBLISHED,
    }
    assert sorted(handle for handle, _ in platform.published) == [
        "kirkkonummenkunta",
        "kirkkonummi",
    ]
    record = PublishedRecord.objects.get(account=kyrkslatt.facebook)
    assert record.payload["text"] == GOOD_TEXT
    assert record.published_by == publisher and record.decision == "not_required"
    assert "diarieförs" in record.rule_source
    # Comments on the post are routed to the person who published it (INB-3).
    assert PublishedPost.objects.filter(account=kyrkslatt.facebook, published_by=publisher).exists()
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"post.created", "post.submitted", "post.approved", "post_target.published"} <= events


def test_the_checker_blocks_approval_and_publishing(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    post = draft(kyrkslatt, text="Bara svenska och 131052-308T.")
    with pytest.raises(ValidationError, match="Utkastkontrollen"):
        services.post_approve(actor=kyrkslatt.world.publisher, post=post)
    with pytest.raises(ValidationError, match="personnummer|personbeteckning"):
        publish.post_publish(actor=kyrkslatt.world.publisher, post=post)
    assert platform.published == []


def test_an_unacknowledged_policy_stops_the_publisher(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    world = kyrkslatt.world
    grant(world, world.account_owner, [kyrkslatt.facebook, kyrkslatt.x])
    post = draft(kyrkslatt)
    with pytest.raises(PermissionDenied, match="kvitterat"):
        publish.post_publish(actor=world.account_owner, post=post)
    acknowledge(world, world.account_owner)
    assert publish.post_publish(actor=world.account_owner, post=post).state == PostState.PUBLISHED


def test_a_new_policy_version_must_be_acknowledged_again(
    kyrkslatt: Kyrkslatt, platform: FakePlatform, tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    world = kyrkslatt.world
    from django.conf import settings as conf

    text = (Path(conf.POLICY_PACK_DIR) / "kyrkslatt.yaml").read_text()
    changed = tmp_path / "kyrkslatt.yaml"
    changed.write_text(text.replace('version: "2022-03.2"', 'version: "2022-03-b"'))
    (tmp_path / "sources").symlink_to(Path(conf.POLICY_PACK_DIR) / "sources")
    version = policy_version_load(actor=None, path=changed)
    world.organisation.policy_version = version
    world.organisation.save(update_fields=["policy_version"])
    with pytest.raises(PermissionDenied, match="kvitterat"):
        publish.post_publish(actor=world.publisher, post=draft(kyrkslatt))


def test_a_failed_account_is_retried_without_publishing_the_other_twice(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    platform.failing.add("kirkkonummi")
    post = publish.post_publish(actor=kyrkslatt.world.publisher, post=draft(kyrkslatt))
    x_target = post.targets.get(account=kyrkslatt.x)
    assert x_target.state == TargetState.FAILED and "rate limited" in x_target.error
    platform.failing.clear()
    publish.target_retry(actor=kyrkslatt.world.publisher, target=x_target)
    handles = [handle for handle, _ in platform.published]
    assert sorted(handles) == ["kirkkonummenkunta", "kirkkonummi"]
    x_target.refresh_from_db()
    assert x_target.state == TargetState.PUBLISHED and x_target.attempts == 2
    keys = {post_.idempotency_key for _, post_ in platform.published}
    assert x_target.idempotency_key in keys
    # A published target is never published again.
    publish.target_publish(actor=kyrkslatt.world.publisher, target=x_target)
    assert len(platform.published) == 2


def test_an_unconnected_account_is_shown_as_such(
    kyrkslatt: Kyrkslatt, monkeypatch: pytest.MonkeyPatch, platform: FakePlatform
) -> None:
    monkeypatch.setattr(publish, "account_config_for", lambda account: None)
    post = publish.post_publish(actor=kyrkslatt.world.publisher, post=draft(kyrkslatt))
    assert {t.state for t in post.targets.all()} == {TargetState.NOT_CONNECTED}


def test_scheduled_posts_are_published_once_when_due(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    post = draft(kyrkslatt)
    at = timezone.now() + datetime.timedelta(hours=1)
    services.post_schedule(actor=kyrkslatt.world.publisher, post=post, at=at)
    assert publish.posts_publish_due(now=timezone.now()) == 0
    assert publish.posts_publish_due(now=at + datetime.timedelta(minutes=1)) == 1
    assert publish.posts_publish_due(now=at + datetime.timedelta(minutes=2)) == 0
    assert len(platform.published) == 2
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and post.published_at is not None


def test_images_need_alt_text_and_rights_and_go_out_with_them(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    post = draft(kyrkslatt)
    media = services.post_media_add(
        actor=kyrkslatt.world.case_officer,
        post=post,
        upload=SimpleUploadedFile("bibliotek.png", PNG, content_type="image/png"),
    )
    with pytest.raises(ValidationError, match="alternativtext"):
        publish.post_publish(actor=kyrkslatt.world.publisher, post=post)
    services.post_media_update(
        actor=kyrkslatt.world.case_officer,
        media=media,
        alt_text="Barn läser i biblioteket",
        rights_holder="Kyrkslätts kommun",
        rights_confirmed=True,
    )
    publish.post_publish(actor=kyrkslatt.world.publisher, post=post)
    sent = platform.published[0][1]
    assert sent.media[0].alt_text == "Barn läser i biblioteket" and sent.media[0].data == PNG
    record = PublishedRecord.objects.get(account=kyrkslatt.facebook)
    assert record.payload["media"][0]["alt_text"] == "Barn läser i biblioteket"


def test_video_captions_in_srt_are_sent_as_webvtt(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    post = draft(kyrkslatt)
    services.post_media_add(
        actor=kyrkslatt.world.case_officer,
        post=post,
        upload=SimpleUploadedFile(
            "film.mp4", b"\x00\x00\x00\x18ftypmp42", content_type="video/mp4"
        ),
        captions=SimpleUploadedFile("film.srt", b"1\n00:00:01,000 --> 00:00:02,500\nHej\n"),
    )
    publish.post_publish(actor=kyrkslatt.world.publisher, post=post)
    captions = platform.published[0][1].media[0].captions
    assert captions.startswith("WEBVTT") and "00:00:01.000 --> 00:00:02.500" in captions


def test_changing_an_approved_post_takes_the_approval_back(kyrkslatt: Kyrkslatt) -> None:
    post = draft(kyrkslatt)
    services.post_approve(actor=kyrkslatt.world.publisher, post=post)
    post = services.post_update(
        actor=kyrkslatt.world.case_officer,
        post=post,
        accounts=[kyrkslatt.facebook],
        text=GOOD_TEXT + " Ändrat.",
    )
    assert post.state == PostState.DRAFT and post.approved_by is None
    assert [t.account for t in post.targets.all()] == [kyrkslatt.facebook]


def test_approval_required_means_someone_else_approves(
    kyrkslatt: Kyrkslatt, platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "approval_required", lambda organisation: True)
    world = kyrkslatt.world
    post = services.post_create(
        actor=world.publisher,
        organisation=world.organisation,
        accounts=[kyrkslatt.x],
        text=GOOD_TEXT,
    )
    with pytest.raises(ValidationError, match="godkänns"):
        publish.post_publish(actor=world.publisher, post=post)
    with pytest.raises(PermissionDenied, match="någon annan"):
        services.post_approve(actor=world.publisher, post=post)


def test_a_file_that_is_not_what_it_says_is_refused(kyrkslatt: Kyrkslatt) -> None:
    post = draft(kyrkslatt)
    with pytest.raises(ValidationError, match="inte en bild"):
        services.post_media_add(
            actor=kyrkslatt.world.case_officer,
            post=post,
            upload=SimpleUploadedFile("x.png", b"<html>", content_type="image/png"),
        )
    with pytest.raises(ValidationError, match="bilder och video"):
        services.post_media_add(
            actor=kyrkslatt.world.case_officer,
            post=post,
            upload=SimpleUploadedFile("x.pdf", b"%PDF-1.7", content_type="application/pdf"),
        )
    assert not post.media.exists()


def test_a_target_stuck_in_a_platform_call_is_retried_only_after_a_while(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    from kanalvakt.publishing.models import PostTarget

    post = draft(kyrkslatt)
    Post.objects.filter(pk=post.pk).update(state=PostState.PUBLISHING)
    target = post.targets.get(account=kyrkslatt.x)
    PostTarget.objects.filter(pk=target.pk).update(
        state=TargetState.PUBLISHING, claimed_at=timezone.now(), attempts=1
    )
    target.refresh_from_db()
    with pytest.raises(ValidationError):
        publish.target_retry(actor=kyrkslatt.world.publisher, target=target)
    PostTarget.objects.filter(pk=target.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    target.refresh_from_db()
    assert target.stuck and target.retryable
    target = publish.target_retry(actor=kyrkslatt.world.publisher, target=target)
    assert target.state == TargetState.PUBLISHED and target.attempts == 2
    assert platform.published[0][1].idempotency_key == target.idempotency_key
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED and post.published_at is not None


def test_the_scheduler_runs_the_publishing_task_every_minute() -> None:
    from kanalvakt.scheduling.jobs import periodic_jobs

    job = next(job for job in periodic_jobs() if job.name == "posts_publish_due")
    assert job.task == "kanalvakt.publishing.tasks.posts_publish_due"
    assert job.cron == "* * * * *"


def test_scheduled_posts_wait_while_the_organisation_is_in_crisis_mode(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    from kanalvakt.policies.crisis import crisis_end, crisis_start

    post = draft(kyrkslatt)
    at = timezone.now() + datetime.timedelta(hours=1)
    services.post_schedule(actor=kyrkslatt.world.publisher, post=post, at=at)
    lead = kyrkslatt.world.comms_lead
    organisation = kyrkslatt.world.organisation
    crisis_start(actor=lead, organisation=organisation, reason="Storm och strömavbrott")

    assert publish.posts_publish_due(now=at + datetime.timedelta(minutes=1)) == 0
    post.refresh_from_db()
    assert post.state == PostState.SCHEDULED and not platform.published

    crisis_end(actor=lead, organisation=organisation)
    assert publish.posts_publish_due(now=at + datetime.timedelta(minutes=2)) == 1


def test_a_post_marked_for_pinning_is_pinned_and_a_refusal_is_shown(
    kyrkslatt: Kyrkslatt, platform: FakePlatform
) -> None:
    post = draft(kyrkslatt)
    targets = list(post.targets.select_related("account").order_by("pk"))
    PostTarget.objects.filter(post=post).update(pin=True)
    platform.unpinnable.add(targets[1].account.handle)

    publish.post_publish(actor=kyrkslatt.world.publisher, post=post)

    assert [handle for handle, _id in platform.pinned] == [targets[0].account.handle]
    refused = PostTarget.objects.get(pk=targets[1].pk)
    assert refused.state == TargetState.PUBLISHED
    assert "kunde inte fästas" in refused.error
