"""Who answers an item (INB-3).

In order: the person who published the post the item answers, when the pack
says publishers answer their own posts (`inbox.publisher_answers_own_posts`)
and that person is not away; else the account's responsible person; while
they are away (an `Absence` today), the account's named substitute.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kanalvakt.inbox.models import Item, PublishedPost
from kanalvakt.organisations.models import User
from kanalvakt.organisations.services import user_is_absent
from kanalvakt.policies.pack import Pack
from kanalvakt.register.models import Account


@dataclass(frozen=True)
class Route:
    user: User
    because: str


def route(
    item: Item,
    *,
    pack: Pack | None,
    today: datetime.date,
    absent: Callable[[User], bool] | None = None,
    posts: Mapping[tuple[int, str], PublishedPost] | None = None,
    owners: dict[int, Route] | None = None,
) -> Route:
    """Who answers the item. A batch passes `absent` (cached look-ups), `posts`
    (the published posts its items answer, by account and platform id) and
    `owners` (the account's route when no publisher answers, by account: the
    same for every item of the account that day)."""
    account = item.account
    organisation = item.organisation
    if absent is None:

        def absent(user: User) -> bool:
            return user_is_absent(user=user, organisation=organisation, on=today)

    if pack is not None and pack.value("inbox.publisher_answers_own_posts") is True:
        targets = [ext for ext in (item.parent_external_id, item.thread_id) if ext]
        if posts is not None:
            found = [posts[(account.pk, ext)] for ext in targets if (account.pk, ext) in posts]
            post = min(found, key=lambda found_post: found_post.pk) if found else None
        else:
            post = (
                PublishedPost.objects.filter(account=account, external_id__in=targets)
                .select_related("published_by")
                .first()
                if targets
                else None
            )
        if post is not None:
            publisher = post.published_by
            if not absent(publisher):
                return Route(
                    publisher,
                    f"{publisher} publicerade inlägget som meddelandet svarar på; "
                    "enligt policyn svarar den som publicerat.",
                )
    if owners is None:
        return _owner_route(account, absent)
    if account.pk not in owners:
        owners[account.pk] = _owner_route(account, absent)
    return owners[account.pk]


def _owner_route(account: Account, absent: Callable[[User], bool]) -> Route:
    owner = account.responsible
    if absent(owner):
        if account.substitute is not None:
            return Route(
                account.substitute,
                f"Kontoansvarig {owner} är frånvarande; ersättaren {account.substitute} svarar.",
            )
        return Route(owner, f"Kontoansvarig {owner} är frånvarande men kontot saknar ersättare.")
    return Route(owner, f"{owner} är kontoansvarig för {account}.")
