"""Demo publishing: mandates for the people who work the accounts, drafts and scheduled posts.

Called once per demo organisation by `seed_organisation`. Where the pack
requires mandates (REG-3) only mandate holders may reply, moderate and
publish, so the demo person, the comms lead, the account owner, the
substitute and the publisher get a mandate from the role the pack names for
every active account, except the accounts whose breach is a missing mandate:
there nobody may publish, which is the breach (an expired mandate stays
visible beside the new ones). Then a few
drafts and posts scheduled for the coming days, written to pass the pack's
draft checker.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone

from kanalvakt.demo.organisations import DemoOrganisation
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.policies.models import PolicyAcknowledgement
from kanalvakt.policies.services import policy_acknowledge
from kanalvakt.publishing import services
from kanalvakt.publishing.checker.rules import fill_signature
from kanalvakt.publishing.models import Post
from kanalvakt.register.models import Account, AccountStatus
from kanalvakt.register.selectors import mandate_granting_role
from kanalvakt.register.services import mandate_grant

MANDATE_HOLDERS = ("comms_lead", "account_owner", "substitute", "publisher")
WITHOUT_MANDATE = {"no_mandate"}


def _text(organisation: Organisation, pack_id: str, subject: int, signature: str) -> str:
    site = organisation.website.rstrip("/")
    if pack_id == "kyrkslatt":
        texts = (
            "Biblioteket har öppet hus på lördag. Du är välkommen!\n"
            "Kirjastossa on avoimet ovet lauantaina. Tervetuloa!",
            "Snöplogningen börjar i natt på huvudgatorna.\n"
            "Lumenauraus alkaa tänä yönä pääkaduilla.",
            "Simhallen håller stängt på måndag.\nUimahalli on suljettu maanantaina.",
            "Kom och tyck till om den nya parken.\nTule kertomaan mielipiteesi uudesta puistosta.",
        )
        tags = "\n#kirkkonummi #kyrkslätt #yhdessätillsammans"
        return f"{texts[subject % len(texts)]}\n{site}/ajankohtaista{tags}"
    texts = (
        "Biblioteket har öppet hus på lördag. Du är välkommen att låna böcker och fika.",
        "Snöplogningen börjar i natt på huvudgatorna. Parkera gärna på din egen tomt.",
        "Simhallen håller stängt på måndag för städning. Välkommen tillbaka på tisdag!",
        "Vad tycker du om den nya parken? Lämna dina synpunkter senast den 15:e.",
    )
    text = f"{texts[subject % len(texts)]} Läs mer på {site}/nyheter"
    return f"{text}\n{signature}" if signature else text


def _granter(organisation: Organisation, people: Mapping[str, User]) -> User:
    pack = organisation.policy_version.pack if organisation.policy_version else None
    return people.get(mandate_granting_role(pack) or "manager") or people["manager"]


def _mandates(
    spec: DemoOrganisation,
    organisation: Organisation,
    people: Mapping[str, User],
    demo_user: User,
) -> list[Account]:
    excluded = {a.handle for a in spec.accounts if WITHOUT_MANDATE & set(a.breaches)}
    accounts = [
        account
        for account in Account.objects.filter(
            organisation=organisation, status=AccountStatus.ACTIVE
        )
        if account.handle not in excluded
    ]
    if not accounts:
        return []
    holders = {demo_user.pk: demo_user}
    holders.update({people[role].pk: people[role] for role in MANDATE_HOLDERS if role in people})
    today = timezone.localdate()
    for holder in holders.values():
        mandate_grant(
            actor=_granter(organisation, people),
            organisation=organisation,
            holder=holder,
            accounts=accounts,
            scope="Publicera, svara och moderera på kommunens konton.",
            anchored_with="Förvaltningschefen",
            anchored_on=today - datetime.timedelta(days=60),
            valid_from=today - datetime.timedelta(days=30),
        )
    version = organisation.policy_version
    if version is not None:
        for holder in holders.values():
            if not PolicyAcknowledgement.objects.filter(
                organisation=organisation, user=holder, policy_version=version
            ).exists():
                policy_acknowledge(actor=holder, organisation=organisation, policy_version=version)
    return accounts


def seed_publishing(
    spec: DemoOrganisation,
    *,
    organisation: Organisation,
    people: Mapping[str, User],
    demo_user: User,
) -> list[Post]:
    """Mandates, two drafts and two scheduled posts for one demo organisation."""
    accounts = _mandates(spec, organisation, people, demo_user)
    targets = [a for a in accounts if a.platform in ("facebook", "x")][:2]
    if not targets:
        return []
    publisher = people["publisher"]
    writer = people.get("case_officer", publisher)
    pack_id = organisation.policy_version.pack_id if organisation.policy_version else ""
    signature = ""
    pack = organisation.policy_version.pack if organisation.policy_version else None
    rule = pack.rule("publishing.signature") if pack is not None else None
    if rule is not None and rule.enforced:
        filled = fill_signature(
            str(rule.value.get("format", "")), organisation.name, publisher.get_full_name()
        )
        signature = filled.replace("{role}", str(Role.PUBLISHER.label))
    posts = []
    now = timezone.now()
    for subject in range(4):
        scheduled = subject >= 2
        author = publisher if scheduled else writer
        text = _text(organisation, pack_id, subject, signature if scheduled else "")
        post = services.post_create(
            actor=author, organisation=organisation, accounts=targets, text=text
        )
        if scheduled:
            at = now + datetime.timedelta(days=subject - 1, hours=2)
            post = services.post_schedule(actor=publisher, post=post, at=at)
        elif subject == 1:
            post = services.post_submit(actor=author, post=post)
        posts.append(post)
    return posts
