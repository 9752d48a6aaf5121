"""Phrase patterns: threats, calls to crime, hate against groups, and more.

Patterns run over the normalised words of a comment joined by single spaces
(`Normalised.joined`): lower case, no punctuation, leetspeak and look-alikes
resolved. Swedish å ä ö may have been folded in a disguised word, so the
patterns accept both ("d[öo]da"). A match whose words, or the three words
before it, contain a negation ("are not vermin", "I never said that …") is
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kanalvakt.moderation.screening.normalise import Normalised
from kanalvakt.moderation.screening.prefilter import Gate


@dataclass(frozen=True)
class Pattern:
    name: str
    category: str
    score: float
    regex: re.Pattern[str]


@dataclass(frozen=True)
class PatternHit:
    pattern: Pattern
    start: int  # offsets into the original text
    end: int


_NEGATION = frozenset(
    "inte aldrig icke ej ei eivät eikä not never no t nothing isnt arent dont".split()
)
# Words that report or condemn what follows ("threatening to kill all X will get
# you thrown in jail", "att hota att döda …", "uhkailu tappaa …").
_REPORTED = frozenset(
    """threatening threaten threatened threats saying calling said claiming
    hota hotar hotade hotet säga säger sa sade kalla kallar kallade skriva skriver skrev
    påstå påstår uhata uhkaa uhkasi uhkailu uhkailla sanoi sanoa sanot kutsua kutsut
    kirjoittaa kirjoitti väittää väität""".split()
)

_SV_VIOLENCE = (
    r"(?:d[öo]da|m[öo]rda|sl[åa] ihj[äa]l|skjuta|knivhugga|hugga|spr[äa]nga|str[ya]pa"
    r"|h[äa]nga|misshandla|sl[åa] s[öo]nder|v[åa]ldta|br[äa]nna|kn[äa]cka|skada|hitta)"
)
_FI_VIOLENCE = (
    r"(?:tapan|tapamme|ammun|ammumme|puukotan|hakkaan|r[äa]j[äa]yt[äa]n|kuristan"
    r"|poltan|raiskaan|lahtaan|tuhoan|listin|nirhaan)"
)
_EN_VIOLENCE = (
    r"(?:kill|murder|shoot|stab|hurt|strangle|hang|rape|burn|beat|slaughter|butcher|execute"
    r"|destroy|behead|choke)"
)

_SV_GROUPS = (
    r"(?:invandrar(?:e|na)|muslim(?:er|erna)|jud(?:ar|arna)|svarta|rom(?:er|erna)"
    r"|zigenar(?:e|na)|sam(?:er|erna)|b[öo]g(?:ar|arna)|homosexuella|kvinnor(?:na)?"
    r"|transpersoner(?:na)?|funktionshindrade|somalier(?:na)?|araber(?:na)?|afghaner(?:na)?"
    r"|flyktingar(?:na)?|utl[äa]nningar(?:na)?|negrer(?:na)?|blattar(?:na)?|finnar(?:na)?)"
)
_FI_GROUPS = (
    r"(?:maahanmuuttaj|mamu|muslim|juutalai|mustat|mustia|roman|mustalai|saamelai|homo"
    r"|naiset|naisia|transihmi|vammai|pakolai|somal|ulkomaalai|neeker|ryss|ruotsalai)\w*"
)
_EN_GROUPS = (
    r"(?:women|woman|trans people|trans person|transgender people|transgender person|gay people"
    r"|gay person|gays|lesbians|lesbian|gay men|black people|black person|blacks|disabled people"
    r"|disabled person|muslims|muslim|immigrants|immigrant|jews|jew|refugees|refugee|migrants"
    r"|asians|mexicans|foreigners|arabs|homosexuals|trans women|trans men)(?: like you| like them)?"
)
_SV_DEHUMANISE = (
    r"(?:djur|parasiter|ohyra|kackerlackor|r[åa]ttor|avskum|skadedjur|en pest|en sjukdom"
    r"|mindre v[äa]rda|inte m[äa]nniskor|[äa]ckliga|vidriga|undermänniskor|under m[äa]nniskor"
    r"|apor|svin|s[äa]mre m[äa]nniskor|ett virus|en cancer|sopor|skr[äa]p)"
)
_SV_ELIMINATE = (
    r"(?:utrotas|d[öo]|skjutas|gasas|h[äa]ngas|avr[äa]ttas|br[äa]nnas|f[öo]rsvinna"
    r"|kastas ut|slaktas|d[öo]das)"
)
_FI_DEHUMANISE = (
    r"(?:el[äa]imi[äa]|loisia|sy[öo]p[äa]l[äa]isi[äa]|rottia|torakoita|saastaa|roskaa"
    r"|ali ihmisi[äa]|aliihmisi[äa]|apinoita|tauti|rutto|alempiarvoisia|ei ihmisi[äa]|sikoja)"
)
_FI_ELIMINATE = r"(?:tappaa|ampua|h[äa]vitt[äa][äa]|polttaa|hirtt[äa][äa]|tuhota|kaasuttaa)"
_EN_DEHUMANISE = (
    r"(?:vermin|parasites|rats|cockroaches|animals|scum|trash|garbage|filth|filthy|subhuman"
    r"|disgusting|a plague|a cancer|a disease|pigs|apes|monkeys|savages|worthless|inferior"
    r"|lesser beings|dirt|not human|a virus|a burden|vile|a pest|pests|less than human"
    r"|the worst|repulsive|revolting|despicable|pathetic|a disgrace|disgraceful|abhorrent"
    r"|a waste of space|a stain|evil|lowlife|lowlifes|human garbage|a joke)"
)
_EN_ELIMINATE = (
    r"(?:die|be killed|be shot|be exterminated|be gassed|be hanged|be hung|be executed"
    r"|suffer|burn|be wiped out|be eradicated|be removed|be deported|be put down|not exist"
    r"|be locked up|be beaten|rot)"
)


def _p(name: str, category: str, score: float, regex: str) -> Pattern:
    return Pattern(name, category, score, re.compile(rf"(?<!\w){regex}(?!\w)"))


PATTERNS: tuple[Pattern, ...] = (
    # threats (olaga hot)
    _p(
        "threat:sv",
        "threat",
        0.95,
        r"(?:jag|ja|vi|vi ska|n[åa]gon|n[åa]n) (?:ska|skall|kommer att|kommer|t[äa]nker)"
        rf"(?: \w+){{0,2}} {_SV_VIOLENCE} (?:dig|er|henne|honom|dem|dom|din \w+|era \w+)",
    ),
    _p("threat:sv:home", "threat", 0.95, r"(?:vi|jag) vet (?:var|vart) (?:du|ni|hon|han) bor"),
    _p("threat:sv:die", "threat", 0.9, r"du (?:ska|kommer att|kommer) d[öo]"),
    _p("threat:sv:dead", "threat", 0.9, r"du [äa]r (?:ett )?d[öo]tt k[öo]tt"),
    _p(
        "threat:fi",
        "threat",
        0.95,
        rf"{_FI_VIOLENCE}(?: \w+)? (?:sinut|sut|teid[äa]t|h[äa]net|heid[äa]t|sinua|sua|teit)",
    ),
    _p(
        "threat:fi:passive",
        "threat",
        0.95,
        r"(?:sinut|sut|teid[äa]t) (?:tapetaan|ammutaan|hoidetaan|listit[äa][äa]n)",
    ),
    _p(
        "threat:fi:home",
        "threat",
        0.95,
        r"(?:tiedet[äa][äa]n|tied[äa]mme|tied[äa]n|tii[äa]n|ti[äa]n) (?:miss[äa]|mis)"
        r" (?:sin[äa] |s[äa] |te )?(?:asut|asutte)",
    ),
    _p("threat:fi:die", "threat", 0.9, r"(?:s[äa]|sin[äa]|te) (?:tuut|tulet|tulette) kuolemaan"),
    _p(
        "threat:en",
        "threat",
        0.95,
        r"(?:i|we)(?: m| ll| will| am| are| re| shall)?(?: going to| gonna| gona)?(?: fucking)?"
        rf" {_EN_VIOLENCE} (?:you|u|ya|your|yall)",
    ),
    _p("threat:en:home", "threat", 0.95, r"(?:i|we) know where (?:you|u) live"),
    _p("threat:en:die", "threat", 0.9, r"(?:you|u)(?: re| are)? (?:going to|gonna|will) die"),
    _p(
        "threat:en:group",
        "threat",
        0.9,
        r"(?:i|we)(?: m| ll| will| am| are| re)?(?: going to| gonna| want to| wanna)?"
        rf" (?:kill|murder|shoot|stab|hang|slaughter|exterminate|execute|gas) (?:all|every)"
        rf"(?: \w+)?(?: {_EN_GROUPS}| of them)",
    ),
    # calls to crime (uppvigling)
    _p(
        "incitement:sv",
        "incitement",
        0.9,
        r"(?:n[åa]gon|n[åa]n|ni|vi|alla|man) (?:borde|b[öo]r|ska|m[åa]ste|kan v[äa]l)"
        r"(?: \w+)? (?:d[öo]da|skjuta|spr[äa]nga|br[äa]nna ner|br[äa]nna upp|t[äa]nda eld p[åa]"
        r"|misshandla|h[äa]nga|lyncha|sl[åa] ihj[äa]l|attackera)",
    ),
    _p(
        "incitement:sv:imperative",
        "incitement",
        0.9,
        r"(?:br[äa]nn ner|spr[äa]ng|skjut|d[öo]da|h[äa]ng|lyncha|t[äa]nd eld p[åa])"
        r" (?:alla|dem|dom|kommunhuset|stadshuset|politikerna|mosk[ée]n|synagogan|kyrkan"
        r"|skolan|henne|honom|boendet|asylboendet|flyktingf[öo]rl[äa]ggningen)",
    ),
    _p(
        "incitement:fi",
        "incitement",
        0.9,
        r"(?:joku|jonkun|pit[äa]isi|pit[äa]is|kannattais|kannattaisi)(?: \w+)?"
        r" (?:tappaa|ampua|polttaa|r[äa]j[äa]ytt[äa][äa]|hirtt[äa][äa]|hakata|lynkata)"
        r"(?! itseni| itse[äa]ni)",
    ),
    _p(
        "incitement:fi:imperative",
        "incitement",
        0.9,
        r"(?:tappakaa|ampukaa|polttakaa|r[äa]j[äa]ytt[äa]k[äa][äa]|hirtt[äa]k[äa][äa]"
        r"|hakatkaa|lynkatkaa|puukottakaa|teurastakaa|kuristakaa|sytytt[äa]k[äa][äa]"
        r"|rikkokaa (?:ikkunat|ikkunoita|paikat))",
    ),
    _p(
        "incitement:fi:time",
        "incitement",
        0.9,
        r"(?:nyt on aika|on aika|olis aika|olisi aika)"
        r" (?:tappaa|ampua|hakata|hirtt[äa][äa]|polttaa|r[äa]j[äa]ytt[äa][äa]|lynkata|teurastaa)",
    ),
    _p(
        "incitement:sv:time",
        "incitement",
        0.9,
        r"(?:det [äa]r dags att|dags att)(?: vi)? (?:d[öo]da|skjuta|h[äa]nga|misshandla|spr[äa]nga"
        r"|br[äa]nna ner|sl[åa] ihj[äa]l|sl[åa] s[öo]nder|lyncha)",
    ),
    _p(
        "incitement:en",
        "incitement",
        0.9,
        r"(?:someone|somebody|we|you all|y all|everyone|people) (?:should|must|need to|ought to"
        r"|gotta|has to|have to)(?: \w+)? (?:kill|shoot|burn down|bomb|hang|lynch|beat up"
        r"|attack|blow up|murder)",
    ),
    _p(
        "incitement:en:lets",
        "incitement",
        0.9,
        r"(?:let s|lets) (?:kill|shoot|burn down|bomb|hang|lynch|attack|beat up|blow up)",
    ),
    # hate against groups (hets mot folkgrupp)
    _p(
        "hate:sv",
        "hate_speech",
        0.9,
        rf"{_SV_GROUPS} (?:[äa]r|e)(?: \w+){{0,2}} {_SV_DEHUMANISE}",
    ),
    _p(
        "hate:sv:eliminate",
        "hate_speech",
        0.95,
        rf"{_SV_GROUPS} (?:borde|ska|b[öo]r|m[åa]ste)(?: \w+){{0,2}} {_SV_ELIMINATE}",
    ),
    _p("hate:sv:hate", "hate_speech", 0.85, rf"(?:jag )?hatar (?:alla )?{_SV_GROUPS}"),
    _p("hate:sv:death", "hate_speech", 0.95, rf"d[öo]d [åa]t (?:alla )?{_SV_GROUPS}"),
    _p(
        "hate:fi",
        "hate_speech",
        0.9,
        rf"{_FI_GROUPS} (?:ovat|on|ovat kaikki|on kaikki)(?: \w+){{0,2}} {_FI_DEHUMANISE}",
    ),
    _p(
        "hate:fi:eliminate",
        "hate_speech",
        0.95,
        rf"{_FI_GROUPS}(?: \w+)? (?:pit[äa]isi|pit[äa][äa]|t[äa]ytyy|pit[äa]is)(?: \w+)?"
        rf" {_FI_ELIMINATE}",
    ),
    _p("hate:fi:hate", "hate_speech", 0.85, rf"vihaan (?:kaikkia )?{_FI_GROUPS}"),
    # a group named, then "they are vermin" in the next clause or sentence
    _p(
        "hate:sv:they",
        "hate_speech",
        0.9,
        rf"{_SV_GROUPS}(?: \w+){{0,30}}? (?:de|dom) (?:[äa]r|e)(?: \w+){{0,2}} {_SV_DEHUMANISE}",
    ),
    _p(
        "hate:fi:they",
        "hate_speech",
        0.9,
        rf"{_FI_GROUPS}(?: \w+){{0,30}}? (?:ne|he) (?:ovat|on)(?: \w+){{0,2}} {_FI_DEHUMANISE}",
    ),
    _p("hate:fi:death", "hate_speech", 0.95, rf"kuolema (?:kaikille )?{_FI_GROUPS}"),
    # calls to exclude a group: for a person to judge (politics is not hate)
    _p(
        "hate:sv:exclude",
        "hate_speech",
        0.75,
        r"(?:sl[äa]ng ut|kasta ut|k[öo]r ut|skicka hem|inga fler|bort med|ut med)"
        rf"(?: alla| de| dom| v[åa]ra)? {_SV_GROUPS}",
    ),
    _p(
        "hate:fi:exclude",
        "hate_speech",
        0.75,
        rf"(?:heitt[äa]k[äa][äa]|potkikaa|ajakaa|ei en[äa][äa])(?: \w+)?(?: kaikki)? {_FI_GROUPS}"
        rf"|{_FI_GROUPS} (?:pois|ulos|takaisin)",
    ),
    _p(
        "hate:en",
        "hate_speech",
        0.9,
        rf"{_EN_GROUPS} (?:are|r|re)(?: \w+){{0,2}} {_EN_DEHUMANISE}",
    ),
    _p(
        "hate:en:eliminate",
        "hate_speech",
        0.95,
        rf"{_EN_GROUPS} (?:should|must|deserve to|need to|ought to)(?: \w+)? {_EN_ELIMINATE}",
    ),
    _p(
        "hate:en:hate",
        "hate_speech",
        0.85,
        r"i ?(?:really |truly |just |fucking |absolutely |totally )?(?:hate|despise|detest"
        r"|loathe|can t stand|cannot stand|am disgusted by|m disgusted by|am sick of|m sick of"
        r"|am so sick of|m so sick of|have nothing but contempt for|have so much hatred for)"
        rf"(?: all| every| any)?(?: the| you| those| these| of the)? {_EN_GROUPS}",
    ),
    _p("hate:en:death", "hate_speech", 0.95, rf"death to (?:all )?{_EN_GROUPS}"),
    _p(
        "hate:en:opinion",
        "hate_speech",
        0.85,
        rf"i (?:find|think|consider)(?: all| most)? {_EN_GROUPS}(?: are)?(?: \w+)?"
        rf" {_EN_DEHUMANISE}",
    ),
    _p(
        "hate:en:threat",
        "threat",
        0.9,
        r"(?:kill|murder|shoot|exterminate|gas|hang|slaughter|end) (?:all|every)"
        rf"(?: \w+)? {_EN_GROUPS}",
    ),
    _p("hate:en:disgust", "hate_speech", 0.85, rf"{_EN_GROUPS} (?:disgust|sicken|repulse) me"),
    # accusations of crime against a person: a human must judge (förtal)
    _p(
        "defamation:sv",
        "defamation",
        0.6,
        r"(?:han|hon|du|den d[äa]r|hen) (?:[äa]r|e) (?:en |ju en |ett )?(?:pedofil|pedo|tjuv"
        r"|brottsling|m[öo]rdare|v[åa]ldt[äa]ktsman|knarklangare|langare|korrupt|mutkolv"
        r"|bedragare|svindlare|nazist|horbock)",
    ),
    _p(
        "defamation:fi",
        "defamation",
        0.6,
        r"(?:h[äa]n|se|tuo|s[äa]|sin[äa]) (?:on|oot|olet) (?:\w+ )?(?:pedofiili|pedo|varas"
        r"|rikollinen|murhaaja|raiskaaja|huumediileri|korruptoitunut|huijari|natsi)",
    ),
    _p(
        "defamation:en",
        "defamation",
        0.6,
        r"(?:he|she|you|they) (?:is|are|s|re) (?:a |an )?(?:pedophile|paedophile|pedo|thief"
        r"|criminal|murderer|rapist|drug dealer|fraud|crook|nazi)",
    ),
    # unlawful depictions of violence
    _p(
        "violence",
        "violence_depiction",
        0.6,
        r"(?:halshugg\w*|misshandelsvideo\w*|mestausvideo\w*|pahoinpitelyvideo\w*"
        r"|(?:beheading|gore|execution) (?:video|clip|footage)s?"
        r"|watch (?:him|her|them) (?:die|get killed|get beaten))",
    ),
    # copyright infringement
    _p(
        "copyright",
        "copyright",
        0.55,
        r"(?:piratkopi\w*|torrent\w*|ladda ner(?: \w+)? gratis (?:film|filmer|serier|musik)"
        r"|full movie (?:free|online)|free download|watch(?: \w+)? free online|piraattikopi\w*"
        r"|laittomasti ladattu\w*)",
    ),
    # secret information
    _p(
        "secrecy",
        "secrecy",
        0.6,
        r"(?:sekretessbelag\w*|hemligst[äa]mpl\w*|l[äa]ckt\w* (?:dokument|mejl|mail|protokoll)"
        r"|salassa pidett[äa]v\w*|salaiseksi luokitel\w*|vuodettu\w* (?:asiakirja|muistio)\w*"
        r"|classified documents?|leaked (?:documents?|emails?|memos?))",
    ),
)


@cache
def _gate() -> Gate:
    """The patterns' required words in one automaton (prefilter.py): run only those there."""
    return Gate([pattern.regex for pattern in PATTERNS])


def match(normalised: Normalised) -> Iterator[PatternHit]:
    text = normalised.joined
    if not text:
        return
    for index in _gate().candidates(text):
        pattern = PATTERNS[index]
        for found in pattern.regex.finditer(text):
            before = set(text[: found.start()].split()[-3:])
            inside = set(found.group(0).split())
            if pattern.name.endswith(":exclude"):
                inside = set()  # "ei enää yhtään X", "inga fler X": the negation is the call
            if pattern.name.endswith((":they", ":exclude")):
                before &= _REPORTED  # the group is named before; a negation there is another clause
            if inside & _NEGATION or before & (_NEGATION | _REPORTED):
                continue
            start, end = normalised.span(found.start(), found.end())
            yield PatternHit(pattern, start, end)
