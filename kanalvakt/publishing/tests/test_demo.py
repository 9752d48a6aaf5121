"""The demo seeds drafts and scheduled posts, and mandates for the people who work the accounts."""

from __future__ import annotations

import pytest

from kanalvakt.demo.seed import DEMO_USERNAME, seed_demo
from kanalvakt.organisations.models import Organisation, User
from kanalvakt.publishing.models import Post, PostState
from kanalvakt.register.models import Account
from kanalvakt.register.selectors import account_authority

pytestmark = pytest.mark.django_db


def test_every_demo_organisation_has_drafts_and_scheduled_posts() -> None:
    seed_demo()
    demo = User.objects.get(username=DEMO_USERNAME)
    for organisation in Organisation.objects.all():
        states = list(
            Post.objects.filter(organisation=organisation).values_list("state", flat=True)
        )
        assert states.count(PostState.SCHEDULED) == 2, organisation.slug
        assert PostState.DRAFT in states and PostState.SUBMITTED in states
    page = Account.objects.get(
        organisation__slug="overkalix", platform="facebook", handle="overkalixkommun"
    )
    assert account_authority(user=demo, account=page, publishing=True)
    # The account whose breach is a missing mandate stays without one.
    bare = Account.objects.get(organisation__slug="skelleftea-kraft", platform="x")
    assert not account_authority(user=demo, account=bare)
