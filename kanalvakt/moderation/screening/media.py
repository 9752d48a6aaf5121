"""Shared media by the structure of the comment: copyright and violence depiction (issue 8).

Both are about *what is passed on*, so both look for sharing together with
what is shared, rather than for single words:

* **copyright** (upphovsrättsintrång, tekijänoikeusrikkomus): a protected work
  (film, match, series, episode, album, e-book, textbook, article) offered
  free or whole ("gratis", "ilmaiseksi", "hela", "koko", "free") with a way to
  get it (stream, download, a link, "här", "tästä"); pirate television
  ("IPTV" with channels or a price); a paywalled article pasted whole ("hela
  artikeln … betalvägg", "koko artikkeli … maksumuuri"); and song lyrics
  pasted whole (eight or more short lines with a repeated chorus);
* **violence depiction** (olaga våldsskildring): a recording (video, klipp,
  film, bilder, video, klippi, kuvat) of violence (misshandel, sparkar,
  knivhuggen, hakataan, potkii, liket, ruumis) passed on ("kolla", "här är",
  "sprid", "katsokaa", "levittäkää", "tässä", a link), or gore described
  ("blodet sprutar", "veri lentää", "hjärnsubstans").

A report of a crime ("polisen har fått in en film på misshandeln") has a
recording and violence but nothing passed on. Findings are for a person to
judge (review): what is shown may be news.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kanalvakt.moderation.screening import gates
from kanalvakt.moderation.screening.normalise import Normalised
from kanalvakt.moderation.screening.structure import StructureHit

SCORE = 0.6
_WINDOW = 8  # words between the parts of one sharing

_WORK = (
    r"(?:film\w*|match\w*|serie\w*|s[äa]song\w*|avsnitt\w*|album\w*|l[åa]t\w*|e-?bok\w*"
    r"|l[äa]robok\w*|ljudbok\w*|pdf|spel\w*|mjukvara\w*|program\w*|elokuv\w*|leffa\w*|leffo\w*"
    r"|ottelu\w*|matsi\w*|sarja\w*|sarjaa|jakso\w*|kausi|kauden|levy\w*|kirja\w*|oppikirja\w*"
    r"|[äa][äa]nikirja\w*|peli\w*|movie\w*|episode\w*|season\w*|game\w*|ebook\w*|textbook\w*)"
)
_FREE = (
    r"(?:gratis|free|ilmaiseksi|ilmai(?:nen|sen|sia|sena)|utan (?:konto|att betala)"
    r"|ilman (?:tili[äa]|tunnuksia|maksua))"
)
# "hela"/"koko" (whole) counts only with a link: "koko kausi" is also just a season
_WHOLE = r"(?:hela|koko|full|whole)"
_LINK = r"(?:https?|www)"
_GET = (
    r"(?:streama\w*|stream\w*|ladda ner|ladda hem|laddas ner|ladda|download\w*|watch|kolla"
    r"|titta|l[äa]nk\w*|h[äa]r|lataa|ladata|ladattav\w*|katso|katsoa|katsella|linkki\w*|linkist[äa]"
    r"|t[äa]st[äa]|t[äa][äa]lt[äa]|here|link\w*|torrent\w*|https?|www)"
)
_PIRATE = (
    r"(?:piratkopi\w*|piratstream\w*|piratsajt\w*|torrent\w*|warez|keygen\w*|crackad\w*"
    r"|piraattikopi\w*|piraattisivu\w*|laittomasti ladattu\w*|rippad\w*|full movie)"
)
_IPTV = r"iptv(?: \w+){0,6} (?:kanaler|kanavat|kanavaa|channels|kr|e|euro\w*|månaden|kuussa)"
_ARTICLE = (
    r"(?:hela (?:artikeln|texten|reportaget)|koko (?:artikkeli|juttu|teksti)\w*"
    r"|(?:whole|full) article)(?: \w+){0,10} (?:betalv[äa]gg\w*|l[åa]st\w*|plus\w*|premium"
    r"|maksumuuri\w*|tilaaji\w*|paywall\w*|prenumerant\w*)"
)
_RECORDING = (
    r"(?:video\w*|klipp\w*|filmen|filmer|filmerna|film|bild|bilder|bilderna|fotona|inspelning\w*"
    r"|videota|videon|videoita|klippi\w*|tallenne\w*|tallenteen|kuva|kuvat|kuvia|kuvan"
    r"|footage|clip\w*|pictures|photos)"
)
_VIOLENCE = (
    r"(?:misshand\w*|sparka(?:r|s|de)? (?:p[åa] )?(?:honom|henne|hen|dem|dom)|sl[åa]r? ihj[äa]l"
    r"|knivhugg\w*|huggen|skjuten|skjutna|skjutning\w*|sk[öo]ts ihj[äa]l|stryp\w*"
    r"|halshugg\w*|liket|liken|lyncha\w*|torter\w*|v[åa]ldt\w*|pahoinpi\w*|hakat\w*"
    r"|hakkaa\w*|potki\w*|puukot\w*|ammu\w*|ammut\w*|kurist\w*|ruumi\w*|teloit\w*|kidut\w*"
    r"|beaten|beating|stabbed|stabbing|shot dead|killed|corpse|dead body|tortured)"
)
_SHARE = (
    r"(?:kolla|kika|titta|h[äa]r [äa]r|h[äa]r har|sprid|sprida|dela|l[äa]nk\w*"
    r"|katsokaa|katso|t[äa]ss[äa]|levitt[äa]k[äa][äa]|levitt[äa][äa]|jakakaa|jaan|jakaa"
    r"|linkki\w*|linkiss[äa]|watch|look at|check out|here is|here s|share|https?|www)"
)
_GORE = (
    r"(?:blodet (?:sprutar|sprutade|forsar|forsade|rann|rinner)|blod [öo]verallt|blodet [öo]verallt"
    r"|hj[äa]rnsubstans\w*|in[äa]lvor\w*|veri (?:lent[äa][äa]|lensi|roiskuu|roiskui|suihkuaa)"
    r"|aivot (?:lensiv[äa]t|pihalla)|suolet ulkona|brains (?:everywhere|out)|guts out)"
)


def _near(first: str, second: str) -> str:
    """`first` and `second` within a few words of each other, in either order."""
    gap = rf"(?: \w+){{0,{_WINDOW}}} "
    return rf"(?:{first}{gap}{second}|{second}{gap}{first})"


_WORD = r"(?<!\w){}(?!\w)"
COPYRIGHT = re.compile(
    _WORD.format(
        "(?:"
        + "|".join(
            (
                _near(_WORK, _FREE) + rf"(?:(?: \w+){{0,{_WINDOW}}} {_GET})",
                rf"{_GET}(?: \w+){{0,{_WINDOW}}} " + _near(_WORK, _FREE),
                _near(_WORK, _WHOLE) + rf"(?:(?: \w+){{0,{_WINDOW}}} {_LINK})",
                _PIRATE,
                _IPTV,
                _ARTICLE,
            )
        )
        + ")"
    )
)
VIOLENCE = re.compile(
    _WORD.format(
        "(?:"
        + "|".join(
            (
                rf"{_SHARE}(?: \w+){{0,{_WINDOW}}} " + _near(_RECORDING, _VIOLENCE),
                _near(_RECORDING, _VIOLENCE) + rf"(?: \w+){{0,{_WINDOW}}} {_SHARE}",
                _GORE,
            )
        )
        + ")"
    )
)
# words one of which every finding needs (for the first pass)
TRIGGERS = (
    "gratis free ilmaiseksi ilmainen hela koko full torrent pirat piraatti iptv warez keygen "
    "video klipp film bild kuva tallenne footage clip blodet veri hjärnsubstans inälvor aivot "
    "suolet brains guts"
).split()

LYRIC_LINES = 8


def _lyrics(text: str) -> tuple[int, int] | None:
    """A song pasted whole: eight or more short lines, a line (the chorus) repeated."""
    if text.count("\n") < LYRIC_LINES - 1:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < LYRIC_LINES or any(len(line) > 70 for line in lines):
        return None
    folded = [line.casefold().rstrip(".,!?") for line in lines]
    if len(set(folded)) > len(folded) - 2:
        return None  # no line comes back: not a chorus
    return text.index(lines[0]), text.rindex(lines[-1]) + len(lines[-1])


DETECTORS = (("copyright", COPYRIGHT), ("violence_depiction", VIOLENCE))


def find(text: str, normalised: Normalised) -> Iterator[StructureHit]:
    joined = normalised.joined
    triggered = gates.candidates(joined, gates.MEDIA_TRIGGERS)
    for index in gates.candidates(joined, gates.MEDIA) if triggered else ():
        category, regex = DETECTORS[index]
        found = regex.search(joined)
        if found:
            start, end = normalised.span(found.start(), found.end())
            yield StructureHit(category, SCORE, start, end, f"media:{category}")
    lyrics = _lyrics(text)
    if lyrics:
        yield StructureHit("copyright", SCORE, lyrics[0], lyrics[1], "media:lyrics")
