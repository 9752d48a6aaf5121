"""Demo traffic: realistic comments, questions, criticism, praise and a few nasty ones.

Ingested into the demo organisations' accounts (kanalvakt/demo/organisations.py)
through `delivery_store` and `item_ingest` with `DeliverySource.DEMO`, exactly
as a webhook would store them, so the inbox fills while `make demo` runs.
The names are invented.
"""

from __future__ import annotations

import datetime
import json
import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kanalvakt.connectors.base import IncomingItem, ItemKind
from kanalvakt.inbox.models import DeliverySource, Item
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
    text: str,
    author: str,
    kind: ItemKind,
    parent: str | None,
    by_account: bool,
    when: datetime.datetime,
) -> IncomingItem:
    external_id = f"demo-{secrets.token_hex(8)}"
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
        thread_id=parent,
        author_name=author,
        author_handle=author.lower().replace(" ", "."),
        author_external_id=f"demo-{abs(hash(author)) % 10**8}",
        by_account=by_account,
    )


def _store(account: Account, incoming: IncomingItem) -> bool:
    with transaction.atomic():
        delivery = delivery_store(
            organisation=account.organisation,
            platform=account.platform,
            source=DeliverySource.DEMO,
            body=incoming.raw,
            content_type="application/json",
        ).delivery
        return item_ingest(account=account, incoming=incoming, delivery=delivery).created


def demo_traffic_generate(
    *, count: int, slugs: tuple[str, ...] = DEMO_SLUGS, seed: int | None = None
) -> DemoResult:
    """Ingest `count` messages spread over the demo organisations' active accounts."""
    rng = random.Random(seed)  # noqa: S311 - demo text, not security
    accounts = _accounts(slugs)
    messages = posts = 0
    for _ in range(count if accounts else 0):
        account = rng.choice(accounts)
        finnish = "fi" in (account.languages or []) or account.organisation.country == "FI"
        language = "fi" if finnish and rng.random() < 0.6 else "sv"
        now = timezone.now() - datetime.timedelta(minutes=rng.randint(0, 50))
        post = (
            Item.objects.filter(account=account, by_account=True, kind=ItemKind.POST)
            .order_by("-created_at")
            .first()
        )
        if post is None or rng.random() < 0.1:
            text = rng.choice(POSTS[language])
            incoming = _incoming(
                account,
                text=text,
                author=account.display_name,
                kind=ItemKind.POST,
                parent=None,
                by_account=True,
                when=now - datetime.timedelta(hours=2),
            )
            posts += _store(account, incoming)
            parent = incoming.external_id
        else:
            parent = post.external_id
        text = rng.choice(FI if language == "fi" else SV)
        author = rng.choice(AUTHORS_FI if language == "fi" else AUTHORS_SV)
        kind = PLATFORM_KIND.get(account.platform, ItemKind.COMMENT)
        incoming = _incoming(
            account,
            text=text,
            author=author,
            kind=kind,
            parent=parent,
            by_account=False,
            when=now,
        )
        messages += _store(account, incoming)
    return DemoResult(messages=messages, posts=posts, accounts=len(accounts))
