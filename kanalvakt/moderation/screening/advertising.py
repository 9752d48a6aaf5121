"""Commercial advertising: a link or contact together with sales wording.

A link alone is not advertising (people share news), and sales words alone
are weak evidence. Marketing of a public event (a concert, an open house, a
library reading) is exempt when the pack says so (Degerfors): then an item
whose wording is about an event and not about selling is not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kanalvakt.moderation.screening import gates
from kanalvakt.moderation.screening.normalise import Normalised

_LINK = re.compile(
    r"(?i)(?:https?://|www\.)\S+|(?<![@\w])[a-z0-9-]{2,}\.(?:com|se|fi|net|org|io|shop|store"
    r"|biz|info|ly|co|nu|eu|xyz|online|site)(?:/\S*)?(?!\w)"
)
SALES = re.compile(
    r"(?<!\w)(?:k[öo]p\w*|rabatt\w*|rea|erbjudande\w*|best[äa]ll\w*|gratis|tj[äa]na pengar"
    r"|klicka h[äa]r|kampanj\w*|billig\w*|prova (?:nu|gratis)|rabattkod\w*|swisha|f[öo]rs[äa]ljning"
    r"|osta|ostaa|tarjou\w*|alennu\w*|ilmai\w*|tilaa|klikkaa|ansaitse|halpa\w*|myynnis\w*"
    r"|buy|discount\w*|free|sale|offer\w*|subscribe|check out|promo\w*|deal|deals|earn"
    r"|money|cheap\w*|order now|shop|click here|follow me|my channel|visit)(?!\w)"
)
_EVENT = re.compile(
    r"(?<!\w)(?:v[äa]lkomme\w*|konsert\w*|evenemang\w*|f[öo]rel[äa]sning\w*|[öo]ppet hus"
    r"|utst[äa]llning\w*|marknad\w*|bibliotek\w*|tervetuloa|konsert\w*|tapahtuma\w*|luen\w*"
    r"|avoimet ovet|n[äa]yttely\w*|kirjasto\w*|event\w*|concert\w*|exhibition\w*|open house"
    r"|library|festival\w*)(?!\w)"
)
_SELLING = re.compile(
    r"(?<!\w)(?:rabatt\w*|tj[äa]na pengar|rabattkod\w*|swisha|alennu\w*|ansaitse|discount\w*"
    r"|promo\w*|earn|money|order now|cheap\w*|billig\w*)(?!\w)"
)


# A link to a public body, or a link given as help ("läs mer", "lisätietoa"),
# is an answer, not an advert, unless the text is plainly selling.
_PUBLIC_LINK = re.compile(
    r"(?i)(?:kommun|kunta|kaupunki|stad\b|stad\.|region|\.gov|gov\.|1177|skatteverket"
    r"|forsakringskassan|kela\.fi|suomi\.fi|verksamt|krisinformation|polisen|poliisi"
    r"|trafikverket|vayla|hsl\.fi|sl\.se|migrationsverket|migri|yle\.fi|svt\.se|sverigesradio"
    r"|wikipedia|mieli\.fi|mind\.se|bris\.se)"
)
_HELPFUL = re.compile(
    r"(?<!\w)(?:l[äa]s mer|mer info\w*|mer information|h[äa]r hittar|hittar du|finns p[åa]"
    r"|se h[äa]r|titta p[åa]|kolla p[åa]|enligt|l[äa]nk\w*|k[äa]lla|lis[äa]tie\w*|l[öo]ytyy"
    r"|katso|l[äa]hde|ohje\w*|sivu\w*|read more|more info\w*|source|see)(?!\w)"
)


@dataclass(frozen=True)
class AdHit:
    start: int
    end: int
    score: float


def find(text: str, normalised: Normalised, *, public_events_exempt: bool) -> AdHit | None:
    if not gates.candidates(normalised.joined, gates.ADVERTISING):  # most have no sales word
        return None
    sales = list(SALES.finditer(normalised.joined))
    if not sales:
        return None
    links = list(_LINK.finditer(text))
    if (
        public_events_exempt
        and _EVENT.search(normalised.joined)
        and not _SELLING.search(normalised.joined)
    ):
        return None
    first_sale = normalised.span(sales[0].start(), sales[0].end())
    if links and _helpful(links, normalised):
        return None
    if links:
        start = min(first_sale[0], links[0].start())
        end = max(first_sale[1], links[0].end())
        return AdHit(start, end, min(0.95, 0.6 + 0.15 * len(sales)))
    if len(sales) >= 3:
        return AdHit(first_sale[0], first_sale[1], 0.5)
    return None


def _helpful(links: list[re.Match[str]], normalised: Normalised) -> bool:
    """A link to a public body or given as help, in a text without selling words."""
    if _SELLING.search(normalised.joined):
        return False
    public = all(_PUBLIC_LINK.search(link.group(0)) for link in links)
    return public or _HELPFUL.search(normalised.joined) is not None
