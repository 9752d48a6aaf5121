"""Listening (INB-7): sources the organisation lists, polling, spikes, taking a mention in.

The pack's `listening.enabled` decides whether the organisation listens at
all; all five seed policies ask for it ("lyssna på vad andra säger om oss",
"Vi ska bevaka sociala medier …"). Mentions never enter the inbox and are no
public record until a person takes one in.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.connectors.http import ConnectorError
from kanalvakt.connectors.search.base import FoundMention
from kanalvakt.connectors.search.bluesky import BlueskySearch
from kanalvakt.connectors.search.feeds import FeedReader
from kanalvakt.connectors.search.mastodon import MastodonSearch
from kanalvakt.connectors.search.x import XSearch
from kanalvakt.connectors.search.youtube import YouTubeSearch
from kanalvakt.listening.models import ListeningAlert, ListeningSource, Mention, SourceKind
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_member, require_role
from kanalvakt.organisations.selectors import users_with_role
from kanalvakt.register.models import Account

logger = logging.getLogger(__name__)

EDITORS = (Role.COMMS_LEAD, Role.ACCOUNT_OWNER)
SPIKE_FACTOR = 3.0
SPIKE_MINIMUM = 10
BASELINE_DAYS = 7

Fetcher = Callable[[ListeningSource], list[FoundMention]]


def listening_enabled(organisation: Organisation) -> bool:
    """The pack's `listening.enabled`."""
    version = organisation.policy_version
    return bool(version and version.pack.value("listening.enabled") is True)


def suggested_terms(organisation: Organisation) -> list[str]:
    """Names, account handles and the pack's hashtags to listen for."""
    terms = [organisation.name]
    if organisation.name_fi:
        terms.append(organisation.name_fi)
    terms += [
        f"@{handle}"
        for handle in Account.objects.filter(organisation=organisation)
        .exclude(status="closed")
        .values_list("handle", flat=True)
    ]
    version = organisation.policy_version
    hashtags = version.pack.value("publishing.hashtags") if version else None
    if isinstance(hashtags, list):
        terms += [str(tag) for tag in hashtags]
    return list(dict.fromkeys(terms))


@transaction.atomic
def listening_source_add(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    query: str,
    instance: str = "",
    terms: str = "",
) -> ListeningSource:
    require_role(actor, organisation, *EDITORS)
    if not listening_enabled(organisation):
        raise ValidationError(
            _("Policyn säger inget om omvärldsbevakning; inga källor läggs till.")
        )
    if kind not in SourceKind.values:
        raise ValidationError(_("Okänd källa."))
    query = query.strip()
    if not query:
        raise ValidationError(_("Ange vad som ska bevakas."))
    if kind == SourceKind.FEED and not query.startswith("https://"):
        raise ValidationError(_("Flödets adress ska börja med https://."))
    if kind in (SourceKind.MASTODON_HASHTAG, SourceKind.MASTODON_SEARCH) and not instance.strip():
        raise ValidationError(_("Ange Mastodon-servern, t.ex. mastodon.social."))
    source = ListeningSource(
        organisation=organisation,
        kind=kind,
        query=query,
        instance=instance.strip(),
        terms=terms.strip() or (query if kind != SourceKind.FEED else organisation.name),
        added_by=actor,
        added_at=timezone.now(),
    )
    source.full_clean()
    source.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type="listening.source_added",
        target=source,
        data={"kind": kind, "query": query, "instance": source.instance},
    )
    return source


@transaction.atomic
def listening_source_disable(*, actor: User, source: ListeningSource) -> ListeningSource:
    require_role(actor, source.organisation, *EDITORS)
    source.enabled = False
    source.save(update_fields=["enabled"])
    audit_record(
        actor=actor,
        organisation=source.organisation,
        event_type="listening.source_disabled",
        target=source,
        data={"query": source.query},
    )
    return source


def fetch(source: ListeningSource) -> list[FoundMention]:
    """Ask the source; X and YouTube need the installation's keys."""
    kind = source.kind
    if kind == SourceKind.MASTODON_HASHTAG:
        return MastodonSearch(instance=source.instance).hashtag(source.query)
    if kind == SourceKind.MASTODON_SEARCH:
        return MastodonSearch(instance=source.instance).search(source.query)
    if kind == SourceKind.BLUESKY_SEARCH:
        return BlueskySearch().search(source.query)
    if kind == SourceKind.X_SEARCH:
        token = str(getattr(settings, "KANALVAKT_LISTENING_X_BEARER", "") or "")
        if not token:
            raise ConnectorError("KANALVAKT_LISTENING_X_BEARER is not set", platform="x")
        return XSearch(token=token).search(source.query)
    if kind == SourceKind.YOUTUBE_SEARCH:
        key = str(getattr(settings, "KANALVAKT_LISTENING_YOUTUBE_KEY", "") or "")
        if not key:
            raise ConnectorError("KANALVAKT_LISTENING_YOUTUBE_KEY is not set", platform="youtube")
        return YouTubeSearch(api_key=key).search(source.query)
    terms = [term.strip() for term in source.terms.split(",") if term.strip()]
    return FeedReader().read(source.query, terms=terms or [source.organisation.name])


def mentions_store(*, source: ListeningSource, found: list[FoundMention]) -> int:
    """Keep the mentions not seen before; returns how many are new."""
    now = timezone.now()
    new = 0
    for mention in found:
        if not mention.external_id or not mention.text.strip():
            continue
        try:
            with transaction.atomic():
                Mention.objects.create(
                    organisation=source.organisation,
                    source=source,
                    external_id=mention.external_id[:300],
                    url=mention.url[:1000] if mention.url.startswith("http") else "",
                    author=mention.author[:300],
                    text=mention.text[:10000],
                    published_at=mention.published_at,
                    found_at=now,
                )
        except IntegrityError:
            continue
        new += 1
    return new


def listening_poll(*, source: ListeningSource, fetcher: Fetcher = fetch) -> int:
    """Fetch one source (outside any transaction) and keep what is new."""
    if not source.enabled or not listening_enabled(source.organisation):
        return 0
    try:
        found = fetcher(source)
        error = ""
    except ConnectorError as exc:
        found, error = [], str(exc)[:300]
        logger.warning("Listening source %s failed: %s", source.pk, error)
    with transaction.atomic():
        new = mentions_store(source=source, found=found)
        source.last_polled_at = timezone.now()
        source.last_error = error
        source.save(update_fields=["last_polled_at", "last_error"])
    if new:
        listening_spike_check(organisation=source.organisation)
    return new


def listening_poll_all(*, fetcher: Fetcher = fetch) -> int:
    sources = ListeningSource.objects.filter(enabled=True).select_related(
        "organisation__policy_version"
    )
    return sum(listening_poll(source=source, fetcher=fetcher) for source in sources)


@transaction.atomic
def listening_spike_check(
    *, organisation: Organisation, now: datetime.datetime | None = None
) -> ListeningAlert | None:
    """Alert the comms lead when the last day has SPIKE_FACTOR times the usual mentions."""
    now = now or timezone.now()
    day = datetime.timedelta(days=1)
    mentions = Mention.objects.filter(organisation=organisation)
    count = mentions.filter(found_at__gt=now - day).count()
    before = mentions.filter(
        found_at__lte=now - day, found_at__gt=now - day * (BASELINE_DAYS + 1)
    ).count()
    baseline = before / BASELINE_DAYS
    if count < SPIKE_MINIMUM or count < SPIKE_FACTOR * max(baseline, 1.0):
        return None
    if ListeningAlert.objects.filter(organisation=organisation, at__gt=now - day).exists():
        return None
    alert = ListeningAlert.objects.create(
        organisation=organisation, at=now, count=count, baseline=baseline
    )
    leads = users_with_role(organisation=organisation, role=Role.COMMS_LEAD)
    addresses = sorted(user.email for user in leads if user.email)
    audit_record(
        actor=None,
        organisation=organisation,
        event_type="listening.spike",
        target=alert,
        data={"count": count, "baseline": baseline, "to": addresses},
    )
    if addresses:
        subject = f"Många omnämnanden av {organisation} det senaste dygnet ({count})"
        body = (
            f"Det senaste dygnet har {count} omnämnanden av {organisation} hittats; "
            f"vanligtvis omkring {baseline:.1f} per dygn. Se omvärldsbevakningen: "
            f"{settings.SITE_URL.rstrip('/')}/o/{organisation.slug}/bevakning/\n"
        )
        transaction.on_commit(lambda: send_mail(subject, body, None, addresses))
    return alert


@transaction.atomic
def mention_take_in(*, actor: User, mention: Mention, note: str = "") -> Mention:
    """A person takes a mention in: from then on it is kept as the organisation's document."""
    require_member(actor, mention.organisation)
    if mention.taken_in_at is not None:
        raise ValidationError(_("Omnämnandet är redan taget in."))
    mention.taken_in_at = timezone.now()
    mention.taken_in_by = actor
    mention.taken_in_note = note.strip()
    mention.save(update_fields=["taken_in_at", "taken_in_by", "taken_in_note"])
    audit_record(
        actor=actor,
        organisation=mention.organisation,
        event_type="listening.taken_in",
        target=mention,
        data={"url": mention.url, "source": mention.source_id, "note": mention.taken_in_note},
    )
    return mention
