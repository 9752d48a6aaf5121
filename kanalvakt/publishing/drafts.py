"""From stored posts (and unsaved form input) to what the checker reads."""

from __future__ import annotations

from urllib.parse import urlsplit

from kanalvakt.organisations.models import Organisation, UnitKind, User
from kanalvakt.policies.pack import Pack
from kanalvakt.publishing.checker import AccountInfo, Draft, MediaInfo, Report, check
from kanalvakt.publishing.models import MediaKind, Post, PostMedia
from kanalvakt.register.models import Account

UNIT_KINDS = (UnitKind.SERVICE_AREA, UnitKind.COMPANY)


def is_main_account(account: Account) -> bool:
    """An account of the organisation as a whole, not of a service area or company (PUB-2)."""
    return account.unit.kind not in UNIT_KINDS


def account_info(account: Account, text: str = "") -> AccountInfo:
    return AccountInfo(
        label=f"{account.get_platform_display()} {account.handle}",
        platform=account.platform,
        main=is_main_account(account),
        text=text,
    )


def media_info(media: PostMedia) -> MediaInfo:
    return MediaInfo(
        kind=media.kind,
        name=(media.file.name or "").rsplit("/", 1)[-1],
        alt_text=media.alt_text,
        rights_confirmed=media.rights_confirmed,
        rights_holder=media.rights_holder,
        has_captions=bool(media.captions),
        accompanying_text=media.accompanying_text,
    )


def organisation_pack(organisation: Organisation) -> Pack | None:
    version = organisation.policy_version
    return version.pack if version is not None else None


def own_domains(organisation: Organisation) -> tuple[str, ...]:
    host = (urlsplit(organisation.website).hostname or "").lower()
    return (host.removeprefix("www."),) if host else ()


def writer_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def post_draft(post: Post) -> Draft:
    targets = list(post.targets.select_related("account__unit"))
    return Draft(
        text=post.text,
        link=post.link,
        media=tuple(media_info(media) for media in post.media.all()),
        accounts=tuple(account_info(target.account, target.text) for target in targets),
        people=post.people,
        consent_recorded=post.consent_recorded,
        other_language_separately=post.other_language_separately,
        web_news=post.web_news,
        organisation=str(post.organisation),
        writer=writer_name(post.author),
    )


def post_check(post: Post) -> Report:
    organisation = post.organisation
    return check(
        post_draft(post), organisation_pack(organisation), own_domains=own_domains(organisation)
    )


def has_video(post: Post) -> bool:
    return post.media.filter(kind=MediaKind.VIDEO).exists()
