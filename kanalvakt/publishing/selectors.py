"""Organisation-scoped reads of posts; other organisations' posts are 404."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kanalvakt.organisations.models import Organisation
from kanalvakt.organisations.selectors import get_organisation_for_user
from kanalvakt.publishing.models import (
    Post,
    PostMedia,
    PostState,
    PostTarget,
    PublishedRecord,
)
from kanalvakt.register.models import Account, AccountStatus


def post_list(*, organisation: Organisation) -> QuerySet[Post]:
    return (
        Post.objects.filter(organisation=organisation)
        .select_related("author", "approved_by", "organisation")
        .prefetch_related(
            Prefetch("targets", queryset=PostTarget.objects.select_related("account"))
        )
    )


def get_post_for_user(request: HttpRequest, slug: str, pk: int) -> Post:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(post_list(organisation=organisation), pk=pk)


def get_media_for_user(request: HttpRequest, slug: str, pk: int, media_pk: int) -> PostMedia:
    post = get_post_for_user(request, slug, pk)
    return get_object_or_404(PostMedia.objects.select_related("post"), post=post, pk=media_pk)


def get_target_for_user(request: HttpRequest, slug: str, pk: int, target_pk: int) -> PostTarget:
    post = get_post_for_user(request, slug, pk)
    return get_object_or_404(
        PostTarget.objects.select_related("post__organisation", "account"), post=post, pk=target_pk
    )


def get_record_for_user(request: HttpRequest, slug: str, pk: int) -> PublishedRecord:
    organisation = get_organisation_for_user(request, slug)
    return get_object_or_404(
        PublishedRecord.objects.filter(organisation=organisation).select_related(
            "account", "published_by", "target__post"
        ),
        pk=pk,
    )


def publishable_accounts(*, organisation: Organisation) -> QuerySet[Account]:
    return (
        Account.objects.filter(organisation=organisation, status=AccountStatus.ACTIVE)
        .select_related("unit")
        .order_by("platform", "handle")
    )


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    posts: list[tuple[datetime.datetime, Post]]


def calendar(
    *, organisation: Organisation, start: datetime.date, days: int, account: Account | None = None
) -> list[CalendarDay]:
    """Scheduled and published posts per day, from `start`, optionally for one account."""
    zone = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    end = begin + datetime.timedelta(days=days)
    posts = post_list(organisation=organisation).filter(
        Q(state=PostState.SCHEDULED, scheduled_at__gte=begin, scheduled_at__lt=end)
        | Q(published_at__gte=begin, published_at__lt=end)
    )
    if account is not None:
        posts = posts.filter(targets__account=account).distinct()
    by_day: dict[datetime.date, list[tuple[datetime.datetime, Post]]] = defaultdict(list)
    for post in posts:
        when = post.published_at or post.scheduled_at
        if when is not None:
            by_day[timezone.localtime(when).date()].append((when, post))
    return [
        CalendarDay(day, sorted(by_day[day], key=lambda pair: pair[0])) for day in sorted(by_day)
    ]


def records_for(*, post: Post) -> QuerySet[PublishedRecord]:
    return PublishedRecord.objects.filter(target__post=post).select_related("account")
