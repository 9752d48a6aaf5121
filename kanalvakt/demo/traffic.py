"""Demo traffic: realistic comments, questions, criticism, praise and a few nasty ones.

Ingested into the demo organisations' accounts (kanalvakt/demo/organisations/)
through `delivery_store` and `item_ingest` with `DeliverySource.DEMO`, exactly
as a webhook would store them, so the inbox fills while `make demo` runs.
The names are invented. Ids have each platform's shape (LinkedIn comment URNs,
WordPress numbers, Bluesky at:// URIs under the account's DID), so replies and
moderation reach the demo's stand-in platform as they would the real one.

The first fill (`spread=True`) dates messages back so that deadlines spread
over the pack's rules: some are overdue, some due within hours, most fresh.
Messages that arrive later while the demo runs are new.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.demo.identities import comment_identity, post_identity
from kanalvakt.demo.spread import arrival_for_due, arrived_at
from kanalvakt.inbox.models import DeliverySource, Item
from kanalvakt.inbox.selectors import DUE_SOON
from kanalvakt.inbox.services import delivery_store, item_ingest
from kanalvakt.register.models import Account, AccountStatus

DEMO_SLUGS = ("overkalix", "degerfors", "kyrkslatt", "skelleftea-kraft", "exempel")

SV = (
    "Hej! När öppnar återvinningscentralen efter helgen?",
    "Varför har ni inte plogat Storgatan? Bussen kom inte fram i morse.",
    "Tack för en fantastisk nationaldagsfirande i parken, bra jobbat!",
    "Hur ansöker man om bygglov för en altan? Finns det en e-tjänst?",
    "Gatlampan vid skolan är trasig sedan två veckor, ingen svarar när jag ringer.",
    "Värdelös kommun, alltid lika inkompetenta. Slöseri med skattepengar.",
    "Jag har hört att simhallen ska stänga för gott nästa år, stämmer det?",
    "Haha typiskt, vägen är oplogad igen 😂",
    "Toppen att biblioteket har öppet på lördagar nu, tack!",
    "Vilka tider gäller för vaccination på vårdcentralen?",
    "Ni jävla idioter förstör allt i den här kommunen.",
    "Kan man få hjälp med snöskottning om man är över 80?",
    "Det sägs att politikerna tar mutor för detaljplanen. Korrupta allihop.",
    "Vi vet var du bor, handläggaren. Akta dig.",
    "Min son blir mobbad på skolgården varje dag och ingen gör något.",
    "Hål i vägen på Kyrkvägen, fungerar inte att cykla där.",
    "Underbar bild! Härligt med midnattssol över älven.",
    "Finns det lediga platser på förskolan i höst?",
    "Köp billiga solglasögon på https://rea-glasogon.example – 70 % rabatt idag! Beställ nu.",
    "Du är en jävla idiot, handläggaren.",
    "Alla invandrare är parasiter och borde kastas ut ur landet.",
)
FI = (
    "Milloin kirjasto avautuu taas remontin jälkeen?",
    "Kiitos hienosta tapahtumasta torilla, mahtava tunnelma!",
    "Katuvalo ei toimi Kirkkotiellä, odottanut jo viikon.",
    "Onko uimahalli auki juhannuksena?",
    "Kuulin että koulu lakkautetaan ensi vuonna, onko totta?",
    "Surkea palvelu, aina sama juttu. Hyödytön kunta.",
    "Voiko jätteet viedä lauantaina kierrätyskeskukseen?",
    "Tiedän missä asut, virkailija. Tapan sinut.",
    "Ihana kuva, kiitos!",
    "Miksi tie on auraamatta? Bussi ei päässyt kulkemaan.",
    "Olet täysi idiootti, virkailija.",
    "Osta halpoja aurinkolaseja: https://halvat-lasit.example -70 % tänään, tilaa heti!",
)
HOSTILE = frozenset(
    text
    for text in (*SV, *FI)
    if any(
        word in text
        for word in (
            "Värdelös",
            "jävla",
            "mutor",
            "Vi vet var",
            "solglasögon",
            "parasiter",
            "Surkea",
            "Tiedän missä",
            "idiootti",
            "aurinkolaseja",
            "mobbad",
        )
    )
)
"""Messages screening sends to moderation or escalation: they always arrive now (a
moderation case cannot open after its own deadline), only the others are dated back."""
CALM_SV = tuple(t for t in SV if t not in HOSTILE)
CALM_FI = tuple(t for t in FI if t not in HOSTILE)
AUTHORS_SV = ("Åsa Öberg", "Per Lindqvist", "Maja Karlsson", "Nils Eriksson", "Elin Berg")
AUTHORS_FI = ("Päivi Mäkelä", "Juha Virtanen", "Aino Korhonen", "Mikko Nieminen")
POSTS = {
    "sv": (
        "Nu är vinterväghållningen igång. Läs mer på vår webbplats.",
        "Välkommen till öppet hus i kommunhuset på torsdag!",
    ),
    "fi": ("Talvikunnossapito on alkanut. Lue lisää verkkosivuiltamme.",),
}
PLATFORM_KIND = {"x": ItemKind.MENTION}


@dataclass(frozen=True)
class DemoResult:
    messages: int
    """Comments, mentions and messages from the public."""
    posts: int
    """Posts by the accounts themselves, for the messages to answer."""
    accounts: int


def _accounts(slugs: tuple[str, ...]) -> list[Account]:
    return list(
        Account.objects.filter(organisation__slug__in=slugs, status=AccountStatus.ACTIVE)
        .select_related("organisation")
        .order_by("pk")
    )


def _incoming(
    account: Account,
    *,
    identity: tuple[str, dict[str, str]],
    text: str,
    author: str,
    kind: ItemKind,
    parent: str | None,
    by_account: bool,
    when: datetime.datetime,
) -> IncomingItem:
    external_id, platform_data = identity
    document = {
        "demo": True,
        "id": external_id,
        "account": account.handle,
        "from": {"name": author},
        "message": text,
        "parent_id": parent,
        "created_time": when.isoformat(),
    }
    return IncomingItem(
        platform=account.platform,
        external_id=external_id,
        kind=kind,
        created_at=when,
        raw=json.dumps(document, ensure_ascii=False).encode(),
        text=text,
        parent_external_id=parent,
        thread_id=platform_data.get("thread") or parent,
        author_name=author,
        author_handle=author.lower().replace(" ", "."),
        author_external_id=f"demo-{sum(map(ord, author)) % 10**8}",
        by_account=by_account,
        platform_data={k: v for k, v in platform_data.items() if k != "thread"},
    )


def _store(
    account: Account, incoming: IncomingItem, *, arrived: datetime.datetime | None = None
) -> bool:
    with arrived_at(arrived), transaction.atomic():
        delivery = delivery_store(
            organisation=account.organisation,
            platform=account.platform,
            source=DeliverySource.DEMO,
            body=incoming.raw,
            content_type="application/json",
        ).delivery
        return item_ingest(account=account, incoming=incoming, delivery=delivery).created


def _target(rng: random.Random, now: datetime.datetime) -> datetime.datetime | None:
    """When the message should fall due: a quarter overdue, a quarter due soon, rest fresh."""
    roll = rng.random()
    if roll < 0.25:
        return now - datetime.timedelta(minutes=rng.randint(30, 36 * 60))
    if roll < 0.5:
        return now + datetime.timedelta(minutes=rng.randint(20, int(DUE_SOON.seconds / 60) - 20))
    return None


def demo_messages_count(slugs: tuple[str, ...] = DEMO_SLUGS) -> int:
    """Messages from the public already in the demo organisations' inboxes."""
    return Item.objects.filter(
        account__organisation__slug__in=slugs,
        by_account=False,
        delivery__source=DeliverySource.DEMO,
    ).count()


def demo_traffic_generate(
    *,
    count: int,
    slugs: tuple[str, ...] = DEMO_SLUGS,
    seed: int | None = None,
    spread: bool = False,
) -> DemoResult:
    """Ingest `count` messages spread over the demo organisations' active accounts;
    with `spread`, date them back so their deadlines spread (see the module)."""
    rng = random.Random(seed)  # noqa: S311 - demo text, not security
    accounts = _accounts(slugs)
    messages = posts = 0
    for _ in range(count if accounts else 0):
        account = rng.choice(accounts)
        finnish = "fi" in (account.languages or []) or account.organisation.country == "FI"
        language = "fi" if finnish and rng.random() < 0.6 else "sv"
        now = timezone.now() - datetime.timedelta(minutes=rng.randint(0, 50))
        target = _target(rng, timezone.now()) if spread else None
        arrived = arrival_for_due(account, target) if target is not None else None
        post = (
            Item.objects.filter(account=account, by_account=True, kind=ItemKind.POST)
            .order_by("-created_at")
            .first()
        )
        if post is None or rng.random() < 0.1:
            text = rng.choice(POSTS[language])
            incoming = _incoming(
                account,
                identity=post_identity(account, rng),
                text=text,
                author=account.display_name,
                kind=ItemKind.POST,
                parent=None,
                by_account=True,
                when=min(now, arrived or now) - datetime.timedelta(hours=2),
            )
            posts += _store(account, incoming, arrived=incoming.created_at if arrived else None)
            parent, parent_data = incoming.external_id, dict(incoming.platform_data)
        else:
            parent, parent_data = post.external_id, dict(post.platform_data or {})
        if arrived is not None:
            text = rng.choice(CALM_FI if language == "fi" else CALM_SV)
        else:
            text = rng.choice(FI if language == "fi" else SV)
        author = rng.choice(AUTHORS_FI if language == "fi" else AUTHORS_SV)
        kind = PLATFORM_KIND.get(account.platform, ItemKind.COMMENT)
        incoming = _incoming(
            account,
            identity=comment_identity(account, rng, parent=parent, parent_data=parent_data),
            text=text,
            author=author,
            kind=kind,
            parent=parent,
            by_account=False,
            when=arrived or now,
        )
        messages += _store(account, incoming, arrived=arrived)
    return DemoResult(messages=messages, posts=posts, accounts=len(accounts))
