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
    "inte aldrig icke ej ei eivät eikä ikinä koskaan not never no t nothing isnt arent dont".split()
)
# Words that report or condemn what follows ("threatening to kill all X will get
# you thrown in jail", "att hota att döda …", "uhkailu tappaa …").
_REPORTED = frozenset(
    """threatening threaten threatened threats saying calling said claiming
    hota hotar hotade hotet säga säger sa sade kalla kallar kallade skriva skriver skrev
    påstå påstår uhata uhkaa uhkasi uhkailu uhkailla sanoi sanoa sanot kutsua kutsut
    kirjoittaa kirjoitti väittää väität sanoisi sanoisin sanoisit""".split()
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
    r"|apor|svin|s[äa]mre m[äa]nniskor|ett virus|en cancer|sopor|skr[äa]p|v[äa]rdel[öo]sa"
    r"|patetiska|motbjudande|en belastning|en b[öo]rda|parasiter allihop|pack|slödder"
    r"|inte riktiga m[äa]nniskor|ett hot mot (?:v[åa]rt|hela) samh[äa]lle\w*"
    r"|sjuka i huvudet|perversa|pervon)"
)
_SV_ELIMINATE = (
    r"(?:utrotas|d[öo]|skjutas|gasas|h[äa]ngas|avr[äa]ttas|br[äa]nnas|f[öo]rsvinna"
    r"|kastas ut|slaktas|d[öo]das|sk[äa]ras|str[äa]ckas|sp[äa]rras in|gasas ihj[äa]l)"
)
_FI_DEHUMANISE = (
    r"(?:el[äa]imi[äa]|loisia|sy[öo]p[äa]l[äa]isi[äa]|rottia|torakoita|saastaa|roskaa"
    r"|ali ihmisi[äa]|aliihmisi[äa]|apinoita|tauti|rutto|alempiarvoisia|ei ihmisi[äa]|sikoja"
    r"|inhottavia|[äa]ll[öo]tt[äa]vi[äa]|iljett[äa]vi[äa]|arvottomia|v[äa]hempiarvoisia"
    r"|s[äa][äa]litt[äa]vi[äa]|taakka|taakkaa|sy[öo]p[äa]|tuholaisia|pelkk[äa]a saastaa"
    r"|uhka yhteiskunnalle\w*|ep[äa]ihmisi[äa]|rottia kaikki|sairaita|mielisairaita|pervoja"
    r"|perverssej[äa])"
)
_FI_ELIMINATE = (
    r"(?:tappaa|ampua|h[äa]vitt[äa][äa]|polttaa|hirtt[äa][äa]|tuhota|kaasuttaa|teloittaa"
    r"|lopettaa|kuolla|tapattaa|pyyhki[äa] pois)"
)
# Decisions and papers: what people tell others to burn or shoot down in criticism.
_FI_PAPERS = (
    r"(?:(?:t[äa]m[äa]|tuo|se|t[äa][äa]|toi|n[äa]m[äa]|nuo|koko) )?"
    r"(?:kaava|p[äa][äa]t[öo]s|esitys|ehdotus|suunnitelma|budjetti|lakiesitys|paperi|lappu"
    r"|lasku|sopimus|strategia|raportti|selvitys)\w*"
)
# Milder negative attributes of a whole group: for a person to judge.
_SV_ATTRIBUTE = r"(?:dumma|lata|korkade|efterblivna|kriminella|smutsiga|fega|falska|ociviliserade)"
_FI_ATTRIBUTE = (
    r"(?:tyhmi[äa]|laiskoja|j[äa]lkeenj[äa][äa]neit[äa]|rikollisia|likaisia"
    r"|sivistym[äa]tt[öo]mi[äa])"
)
# Implicit derogation: a group kept like animals, or away from people.
_SV_CAGE = r"(?:zoo\w*|bur|burar|djurpark\w*|l[äa]ger|koncentrationsl[äa]ger|stall|en [öo])"
_FI_CAGE = (
    r"(?:el[äa]intarha\w*|h[äa]kki\w*|h[äa]keiss[äa]|leireille|leiriin|keskitysleiri\w*|saarelle)"
)
_EN_DEHUMANISE = (
    r"(?:vermin|parasites|rats|cockroaches|animals|scum|trash|garbage|filth|filthy|subhuman"
    r"|disgusting|a plague|a cancer|a disease|pigs|apes|monkeys|savages|worthless|inferior"
    r"|lesser beings|dirt|not human|a virus|a burden|vile|a pest|pests|less than human"
    r"|the worst|repulsive|revolting|despicable|pathetic|a disgrace|disgraceful|abhorrent"
    r"|a waste of space|a stain|evil|lowlife|lowlifes|human garbage|a joke|sickening"
    r"|nauseating|gross|hideous|vermin to me)"
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
    _p(
        "threat:sv:home",
        "threat",
        0.95,
        r"(?:vi|jag) vet (?:var|vart) (?:du|ni|hon|han|dina barn|din familj|dina ungar|din fru"
        r"|din man) (?:bor|g[åa]r|jobbar|finns|sover)",
    ),
    _p(
        "threat:sv:wait",
        "threat",
        0.9,
        r"v[äa]nta (?:du |ni )?(?:bara )?(?:tills|till|s[åa] f[åa]r du se n[äa]r) (?:jag|vi)"
        r" (?:hittar|f[åa]r tag p[åa]|ser|tr[äa]ffar) (?:dig|er|henne|honom)",
    ),
    _p("threat:sv:dead-man", "threat", 0.9, r"du [äa]r (?:en )?d[öo]d (?:man|kvinna|m[äa]nniska)"),
    _p(
        "threat:sv:suffer",
        "threat",
        0.8,
        r"(?:du|ni) (?:ska|skall|kommer att) f[åa] lida|din dag kommer",
    ),
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
        "threat:fi:home:family",
        "threat",
        0.95,
        r"(?:tied[äa]n|tiedet[äa][äa]n|tied[äa]mme|tii[äa]n) (?:miss[äa]|mis)"
        r" (?:sun|sinun|teid[äa]n) (?:lapset|lapses|perhe|perheesi|vaimo|vaimosi|mies)"
        r" (?:asuu|asuvat|k[äa]y|k[äa]yv[äa]t|on|ovat)",
    ),
    _p(
        "threat:fi:wait",
        "threat",
        0.9,
        r"odota (?:vaan |vain |s[äa] |sin[äa] )?(?:kunnes|kun) (?:l[öo]yd[äa]n|n[äa][äa]n|n[äa]en"
        r"|saan|l[öo]ydet[äa][äa]n) (?:sinut|sut|teid[äa]t|h[äa]net)",
    ),
    _p(
        "threat:fi:dead-man",
        "threat",
        0.9,
        r"(?:olet|oot|s[äa] oot|sin[äa] olet) (?:jo )?kuollut (?:mies|nainen|ihminen)",
    ),
    _p(
        "threat:fi:suffer",
        "threat",
        0.8,
        r"(?:sun|sinun) p[äa]iv[äa]si? (?:tulee|koittaa)|(?:saat|tuut) (?:viel[äa] )?k[äa]rsi[äa]"
        r"(?! seurauksi)",
    ),
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
        r"|misshandla|h[äa]nga|lyncha|sl[åa] ihj[äa]l|attackera|knivhugga|strypa|sl[åa] s[öo]nder"
        r"|sp[öo]a upp|m[öo]rda|v[åa]ldta|s[äa]tta eld p[åa])",
    ),
    _p(
        "incitement:wish",
        "incitement",
        0.85,
        r"(?:hoppas|f[öo]rhoppningsvis|toivottavasti|toivon ett[äa]|i hope|hopefully)"
        r" (?:att )?(?:n[åa]gon|n[åa]n|joku|someone|somebody)"
        r" (?:skjuter(?! upp| p[åa])|d[öo]dar|sl[åa]r ihj[äa]l|knivhugger|m[öo]rdar|spr[äa]nger"
        r"|ampuu|tappaa|puukottaa|hakkaa|r[äa]j[äa]ytt[äa][äa]|shoots|kills|stabs|murders)",
    ),
    _p(
        "incitement:sv:smash",
        "incitement",
        0.85,
        r"(?:krossa|sl[åa] s[öo]nder|sl[åa] in|s[äa]tt eld p[åa]|t[äa]nd p[åa]|spr[äa]ng)"
        r"(?: alla| varenda| varje)? (?:rutorna|f[öo]nstren|f[öo]nster|bilarna|deras bilar"
        r"|kommunhuset|stadshuset|skiten|h[åa]la)"
        r"|(?:rikkokaa|sytytt[äa]k[äa][äa]|polttakaa|r[äa]j[äa]ytt[äa]k[äa][äa])(?: \w+){0,2}"
        r" (?:ikkunat|autot|kunnantalo\w*|kaupungintalo\w*)",
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
        r" (?:tappaa|ampua|r[äa]j[äa]ytt[äa][äa]|hirtt[äa][äa]|hakata|lynkata|puukottaa"
        r"|teurastaa|kuristaa|pahoinpidell[äa]|polttaa (?:koko |ne |niiden )?(?:kunnantalo"
        r"|kaupungintalo|virasto|vastaanottokeskus|moskeija|synagoga|kirkko|talo|autot|heid[äa]t))"
        r"(?! itseni| itse[äa]ni| alas)",  # "ampua alas": reject an idea
    ),
    _p(
        "incitement:fi:imperative",
        "incitement",
        0.9,
        r"(?:tappakaa|ampukaa|polttakaa|r[äa]j[äa]ytt[äa]k[äa][äa]|hirtt[äa]k[äa][äa]"
        r"|hakatkaa|lynkatkaa|puukottakaa|teurastakaa|kuristakaa|sytytt[äa]k[äa][äa]"
        r"|rikkokaa (?:ikkunat|ikkunoita|paikat))"
        rf"(?! {_FI_PAPERS})",  # "polttakaa tämä kaava": a decision or a paper, not a person
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
        r"|br[äa]nna ner|sl[åa] ihj[äa]l|sl[åa] s[öo]nder|lyncha|knivhugga|strypa|sp[öo]a)",
    ),
    _p(
        "incitement:en",
        "incitement",
        0.9,
        r"(?:someone|somebody|we|you all|y all|everyone|people) (?:should|must|need to|ought to"
        r"|gotta|has to|have to)(?: \w+)? (?:kill|shoot|burn down|bomb|lynch|beat up"
        r"|hang (?:them|him|her|those|you|every|all of)"
        r"|attack|blow up|murder)",
    ),
    _p(
        "incitement:en:lets",
        "incitement",
        0.9,
        r"(?:let s|lets) (?:kill|shoot|burn down|bomb|hang|lynch|attack|beat up|blow up)",
    ),
    # wishes of death and "go back where you came from" aimed at the reader
    _p(
        "insult:death-wish",
        "personal_attack",
        0.9,
        r"(?:mene|painu|k[äa]y)(?: \w+){0,2} kuolemaan|g[åa] och (?:\w+ )?d[öo]"
        r"|(?:jag )?hoppas (?:att )?(?:du|ni) d[öo]r(?! av)"
        r"|toivottavasti (?:s[äa] |sin[äa] |te )?kuolet"
        r"|toivon ett[äa] (?:s[äa]|sin[äa]|te) kuolet|go (?:and )?die|i hope (?:you|u) die"
        r"|(?:hoppas|f[öo]rhoppningsvis) (?:att )?(?:du|ni) (?:f[åa]r cancer|blir p[åa]k[öo]rd"
        r"|drunknar|brinner inne|ruttnar)|(?:toivottavasti|toivon ett[äa]) (?:s[äa] |sin[äa] |te )?"
        r"(?:saat syöv[äa]n|saatte syöv[äa]n|j[äa][äa]t auton alle|palat|hukut|m[äa]d[äa]nt)"
        r"|i hope (?:you|u) (?:get cancer|rot|burn|drown)",
    ),
    _p(
        "hate:go-home",
        "hate_speech",
        0.75,
        r"(?:painu|mene|h[äa]ivy|l[äa]hde) (?:takas|takaisin|kotiin)"
        r"(?: sinne mist[äa]| omaan maahas| omaan maahasi| kotimaahas| kotimaahasi)"
        r"|(?:[åa]k|dra|flytta) (?:hem|tillbaka) till (?:ditt|ert|sitt) (?:eget )?land"
        r"|go back to (?:where (?:you|u) came from|(?:your|ur) (?:own )?country)",
    ),
    # someone should harm *you*: the reader as the object of a call to crime
    _p(
        "incitement:you",
        "incitement",
        0.9,
        r"(?:sinua|sua|sinut|sut|teid[äa]t|teit[äa]) (?:pit[äa]isi|pit[äa]is|pit[äa][äa]|kuuluisi)"
        r" (?:\w+ )?(?:ly[öo]d[äa]|tappaa|ampua|hakata|hirtt[äa][äa]|puukottaa|polttaa|kuristaa)"
        r"|(?:dig|er|henne|honom) (?:borde|ska|b[öo]r) (?:man|n[åa]gon|vi) (?:\w+ )?"
        r"(?:sl[åa] ihj[äa]l|d[öo]da|skjuta|h[äa]nga|sl[åa]|misshandla|knivhugga|str[ya]pa)",
    ),
    # sexual harassment (sexuellt ofredande)
    _p(
        "harassment:demand",
        "sexual_harassment",
        0.9,
        r"(?:visa|skicka|show|send)(?: \w+){0,2} (?:br[öo]sten|tuttarna|pattarna|fittan|r[öo]ven"
        r"|nakenbild\w*|nakenbilder|nudes|tits|boobs|pussy)"
        r"|(?:n[äa]yt[äa]|l[äa]het[äa]|laita)(?: \w+){0,2} (?:tissit|tissej[äa]|rinnat|rintasi"
        r"|pillu\w*|alastonkuv\w*|nakukuv\w*|nudej\w*|nudet|perseesi)",
    ),
    _p(
        "harassment:rape",
        "sexual_harassment",
        0.95,
        r"(?:hoppas|toivottavasti|toivon ett[äa]|i hope)(?: att)? (?:du|hon|sinut|sut|h[äa]net"
        r"|you|she) (?:blir v[åa]ldtagen|v[åa]ldtas|raiskataan|get raped|gets raped)",
    ),
    # hate against groups (hets mot folkgrupp)
    _p(
        "hate:sv",
        "hate_speech",
        0.9,
        rf"(?:{_SV_GROUPS} (?:[äa]r|e)|(?:[äa]r|e) {_SV_GROUPS})(?: \w+){{0,3}} {_SV_DEHUMANISE}",
    ),
    _p(
        "hate:sv:eliminate",
        "hate_speech",
        0.95,
        rf"{_SV_GROUPS} (?:borde|ska|b[öo]r|m[åa]ste)(?: \w+){{0,2}} {_SV_ELIMINATE}"
        rf"|(?:borde|ska|b[öo]r|m[åa]ste) (?:alla )?{_SV_GROUPS} {_SV_ELIMINATE}",
    ),
    _p(
        "hate:sv:hate",
        "hate_speech",
        0.85,
        r"(?:jag )?(?:hatar|avskyr|f[öo]raktar|[äa]cklas av|st[åa]r inte ut med)"
        rf"(?: verkligen| s[åa] mycket| verkligt)?(?: alla| de| dom)? {_SV_GROUPS}",
    ),
    _p(
        "hate:sv:disgust",
        "hate_speech",
        0.85,
        rf"{_SV_GROUPS} (?:[äa]cklar mig|f[åa]r mig att m[åa] illa|g[öo]r mig illam[åa]ende)",
    ),
    _p(
        "hate:sv:profanity",
        "hate_speech",
        0.85,
        rf"(?:fan ta|j[äa]vla|djävla|f[öo]rbannade|fucking) (?:alla |de |dom |era )?{_SV_GROUPS}",
    ),
    _p(
        "hate:sv:cage",
        "hate_speech",
        0.9,
        rf"{_SV_GROUPS} (?:h[öo]r hemma|borde h[åa]llas|ska h[åa]llas|borde sitta|ska sitta"
        rf"|borde l[äa]ggas|borde s[äa]ttas)(?: \w+){{0,2}} {_SV_CAGE}",
    ),
    _p(
        "hate:sv:wish",
        "hate_speech",
        0.9,
        rf"(?:om|att) (?:alla |varenda )?{_SV_GROUPS} (?:dog|d[öo]r|d[öo]r ut|f[öo]rsvann"
        rf"|f[öo]rsvinner|utrotades|sk[öo]ts)",
    ),
    _p(
        "hate:sv:attribute",
        "hate_speech",
        0.75,
        rf"{_SV_GROUPS} (?:[äa]r|e)(?: \w+){{0,2}} {_SV_ATTRIBUTE}",
    ),
    _p(
        "threat:sv:group",
        "threat",
        0.9,
        r"(?:jag|ja|vi) (?:ska|skall|vill|kommer att|t[äa]nker)(?: \w+){0,2} "
        rf"{_SV_VIOLENCE}(?: ihj[äa]l)? (?:alla|varenda|varje)(?: \w+){{0,4}} {_SV_GROUPS}",
    ),
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
    _p(
        "hate:fi:hate",
        "hate_speech",
        0.85,
        r"(?:vihaan|inhoan|halveksin|en siedä|en kest[äa]|en voi sietää)"
        rf"(?: todella| niin paljon| yht[äa][äa]n)?(?: kaikkia| noita| niit[äa])? {_FI_GROUPS}",
    ),
    _p(
        "hate:fi:disgust",
        "hate_speech",
        0.85,
        rf"{_FI_GROUPS} (?:[äa]ll[öo]tt[äa]v[äa]t|iljett[äa]v[äa]t|inhottavat|oksettavat)"
        r" (?:minua|mua)|saavat (?:minut|mut) voimaan pahoin"
        rf"|pid[äa]n {_FI_GROUPS} (?:\w+ )?(?:[äa]ll[öo]tt[äa]vin[äa]|inhottavina|loisina"
        r"|el[äa]imin[äa]|syöp[äa]l[äa]isin[äa]|alempiarvoisina|v[äa]hempiarvoisina)",
    ),
    _p(
        "hate:fi:profanity",
        "hate_speech",
        0.85,
        rf"(?:vitun|saatanan|perkeleen|helvetin|paskat|fucking) {_FI_GROUPS}"
        rf"|(?:painukoot|painukaa|menk[öo][öo]t|h[äa]ipyk[öo][öo]t) (?:kaikki )?{_FI_GROUPS}"
        r" (?:vittuun|helvettiin|hiiteen|paskaan)",
    ),
    _p(
        "hate:fi:cage",
        "hate_speech",
        0.9,
        rf"{_FI_GROUPS} (?:kuuluvat|kuuluu|pit[äa]isi pit[äa][äa]|pit[äa][äa] pit[äa][äa]"
        rf"|pit[äa]isi laittaa|pit[äa][äa] laittaa)(?: \w+){{0,2}} {_FI_CAGE}",
    ),
    _p(
        "hate:fi:attribute",
        "hate_speech",
        0.75,
        rf"{_FI_GROUPS} (?:ovat|on)(?: \w+){{0,2}} {_FI_ATTRIBUTE}",
    ),
    _p(
        "threat:fi:group",
        "threat",
        0.9,
        r"(?:aion|haluan|meinaan|tulen|tapan|ammun|poltan|puukotan|hakkaan|kuristan|teurastan)"
        r"(?: \w+){0,2} (?:kaikki|jokaisen|joka ikisen)(?: \w+){0,2} "
        rf"{_FI_GROUPS}",
    ),
    # a group named, then "they are vermin" in the next clause or sentence
    _p(
        "hate:sv:they",
        "hate_speech",
        0.9,
        rf"{_SV_GROUPS}(?: \w+){{0,30}}? (?:(?:de|dom) (?:[äa]r|e)(?: \w+){{0,2}}"
        rf"|rena|bara|vilket|vilka|sånt|s[åa]nt) {_SV_DEHUMANISE}"
        rf"|{_SV_GROUPS}(?: \w+){{0,30}}? (?:de|dom) (?:borde|ska|b[öo]r|m[åa]ste)"
        rf"(?: \w+)? {_SV_ELIMINATE}",
    ),
    _p(
        "hate:fi:they",
        "hate_speech",
        0.9,
        rf"{_FI_GROUPS}(?: \w+){{0,30}}? (?:(?:ne|he) (?:ovat|on)(?: \w+){{0,2}}"
        rf"|pelkki[äa]|silkkaa|mit[äa]) {_FI_DEHUMANISE}"
        rf"|{_FI_GROUPS}(?: \w+){{0,30}}? (?:ne|niit[äa]|heid[äa]t) (?:pit[äa]isi|pit[äa][äa]"
        rf"|t[äa]ytyy|pit[äa]is)(?: \w+)? {_FI_ELIMINATE}",
    ),
    _p("hate:fi:death", "hate_speech", 0.95, rf"kuolema (?:kaikille )?{_FI_GROUPS}"),
    _p(
        "hate:fi:wish",
        "hate_speech",
        0.9,
        rf"(?:jos|ett[äa]) (?:kaikki )?{_FI_GROUPS} (?:kuolisivat|kuolisi|katoaisivat"
        r"|h[äa]vi[äa]isiv[äa]t|kuolevat sukupuuttoon)",
    ),
    # a group named, then "I hate them" in the next clause or sentence
    _p(
        "hate:sv:they-hate",
        "hate_speech",
        0.85,
        rf"{_SV_GROUPS}(?: \w+){{0,30}}? jag (?:hatar|avskyr|f[öo]raktar) (?:dem|dom|alla)\b",
    ),
    _p(
        "hate:fi:they-hate",
        "hate_speech",
        0.85,
        rf"{_FI_GROUPS}(?: \w+){{0,30}}? (?:vihaan|inhoan|halveksin) (?:niit[äa]|heit[äa]|kaikkia)",
    ),
    _p(
        "hate:en:they-hate",
        "hate_speech",
        0.85,
        rf"{_EN_GROUPS}(?: \w+){{0,30}}? i (?:really |just |fucking |truly )?(?:hate|despise"
        r"|detest|loathe|can t stand) (?:them|every (?:single )?one of them|all of them)",
    ),
    # "X are not (even real) people", "nothing but vermin": the negation is the insult
    _p(
        "hate:sv:nothuman",
        "hate_speech",
        0.9,
        rf"{_SV_GROUPS}(?: \w+){{0,30}}? (?:[äa]r|e|de [äa]r|dom [äa]r|de e|dom e)"
        r" (?:inte|inga) (?:riktiga |ens |heller )?m[äa]nniskor"
        rf"|{_SV_GROUPS} (?:[äa]r|e) (?:inget|ingenting|aldrig n[åa]got) annat [äa]n"
        rf"(?: \w+)? {_SV_DEHUMANISE}",
    ),
    _p(
        "hate:fi:nothuman",
        "hate_speech",
        0.9,
        rf"{_FI_GROUPS}(?: \w+){{0,30}}? (?:eiv[äa]t ole|ei ole|ei oo|ne eiv[äa]t ole)"
        r" (?:oikeita |edes |mit[äa][äa]n )?ihmisi[äa]"
        rf"|{_FI_GROUPS} (?:eiv[äa]t ole|ei ole|ei oo) (?:mit[äa][äa]n )?muuta kuin"
        rf"(?: \w+)? {_FI_DEHUMANISE}",
    ),
    _p(
        "hate:en:nothuman",
        "hate_speech",
        0.9,
        rf"{_EN_GROUPS} (?:are|r|re) (?:not|never) (?:even |real |truly )*(?:human|humans|people)"
        rf"|{_EN_GROUPS} (?:are|r|re) nothing (?:but|more than)(?: \w+){{0,2}} {_EN_DEHUMANISE}",
    ),
    # a group named with a dehumanising word and "all of them"
    _p(
        "hate:sv:all",
        "hate_speech",
        0.9,
        rf"{_SV_GROUPS}(?: \w+){{0,2}} {_SV_DEHUMANISE}"
        r" (?:allihop|allihopa|allesammans|varenda en)",
    ),
    _p(
        "hate:fi:all",
        "hate_speech",
        0.9,
        rf"{_FI_GROUPS}(?: \w+){{0,2}} {_FI_DEHUMANISE} (?:kaikki|jokainen|joka iikka)",
    ),
    # calls to exclude a group: for a person to judge (politics is not hate)
    _p(
        "hate:sv:exclude",
        "hate_speech",
        0.75,
        r"(?:sl[äa]ng ut|kasta ut|k[öo]r ut|skicka hem|inga fler|bort med|ut med)"
        rf"(?: alla| de| dom| v[åa]ra)? {_SV_GROUPS}"
        rf"|{_SV_GROUPS}(?: \w+)? (?:borde|ska|b[öo]r|m[åa]ste)(?: \w+)? (?:utvisas|deporteras"
        rf"|skickas (?:hem|bort|tillbaka)|kastas ut|sl[äa]ngas ut|l[äa]mna (?:landet|sverige))"
        rf"|{_SV_GROUPS} ut"
        rf"|(?:borde|ska|b[öo]r|m[åa]ste) {_SV_GROUPS} (?:utvisas|deporteras|skickas (?:hem|bort"
        r"|tillbaka)|kastas ut|sl[äa]ngas ut)"
        rf"|{_SV_GROUPS}(?: \w+){{0,30}}? (?:(?:de|dom) (?:borde|ska|b[öo]r|m[åa]ste) (?:utvisas"
        r"|deporteras|skickas (?:hem|bort|tillbaka)|kastas ut|sl[äa]ngas ut)"
        r"|(?:kasta|sl[äa]ng|k[öo]r) ut (?:dem|dom)|skicka hem (?:dem|dom))",
    ),
    _p(
        "hate:fi:exclude",
        "hate_speech",
        0.75,
        rf"(?:heitt[äa]k[äa][äa]|potkikaa|ajakaa|ei en[äa][äa])(?: \w+)?(?: kaikki)? {_FI_GROUPS}"
        rf"|{_FI_GROUPS} (?:pois|ulos|takaisin)"
        rf"|{_FI_GROUPS}(?: \w+)? (?:pit[äa]isi|pit[äa][äa]|pit[äa]is|t[äa]ytyy)(?: \w+)?"
        rf" (?:karkottaa|l[äa]hett[äa][äa] (?:pois|kotiin|takaisin)|heitt[äa][äa] ulos|ajaa pois)"
        rf"|{_FI_GROUPS}(?: \w+){{0,30}}? (?:ne|heid[äa]t) (?:pit[äa]isi |pit[äa][äa] )?"
        r"(?:heitt[äa]k[äa][äa] ulos|potkikaa pois|ajakaa pois|l[äa]hett[äa][äa] pois"
        r"|l[äa]hett[äa][äa] kotiin|karkottaa|heitt[äa][äa] ulos)"
        rf"|{_FI_GROUPS}(?: \w+){{0,30}}? (?:heitt[äa]k[äa][äa]|potkikaa|ajakaa"
        r"|l[äa]hett[äa]k[äa][äa]) (?:ne|heid[äa]t) (?:ulos|pois|kotiin|takaisin)",
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
    _p(
        "hate:en:cage",
        "hate_speech",
        0.9,
        rf"{_EN_GROUPS} (?:belong|should be kept|should be locked up|should live) (?:in|on)"
        r"(?: a| an| the)? (?:zoo|cage|cages|camp|camps|concentration camps?|island)",
    ),
    _p(
        "hate:en:contempt",
        "hate_speech",
        0.85,
        r"i (?:have|feel|got)(?: \w+){0,3} (?:contempt|disdain|hatred|hate|loathing|disgust)"
        r" (?:for|towards|toward)"
        rf"(?: all| you| these| those| the)? {_EN_GROUPS}",
    ),
    _p("hate:en:profanity", "hate_speech", 0.85, rf"(?:you|these|those|all) fucking {_EN_GROUPS}"),
    _p(
        "hate:en:suffer",
        "hate_speech",
        0.9,
        r"(?:love|like|want|wish|hope) to see(?: all| those| these| the)?"
        rf" {_EN_GROUPS} (?:suffer|die|burn|hang|rot|in pain)",
    ),
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
    _p(
        "defamation:crime",
        "defamation",
        0.6,
        r"(?<!n[åa]gon )(?<!n[åa]n )(?<!joku )(?<!someone )(?<!somebody )(?<!tjuven )(?<!varas )"
        r"(?<!tjuvarna )(?<!varkaat )(?<!thieves )(?<!thief )"
        r"(?:har|hade|on|oli|has|have) (?:\w+ )?(?:stulit|f[öo]rskingrat|tagit mutor|misshandlat"
        r"|v[åa]ldtagit|langat|varastanut|kavaltanut|ottanut lahjuksia|pahoinpidellyt|raiskannut"
        r"|stolen|embezzled|taken bribes|raped)"
        r"|(?:tar|tog|s[äa]ljer|s[åa]lde|ottaa|otti|myy|myi|takes|sells) (?:mutor|knark|narkotika"
        r"|lahjuksia|huumeita|bribes|drugs)",
    ),
    # sexual material for sale or show: for a person to judge
    _p(
        "pornography",
        "pornography",
        0.6,
        r"(?:nakna (?:tjejer|kvinnor|bilder p[åa])|alastomia (?:tytt[öo]j[äa]|naisia)|naked girls"
        r"|amat[öo]rvideo\w*|sexvideo\w*|seksivideo\w*|porrfilm\w*|pornoleff\w*|pornovideo\w*"
        r"|xxx|sexkamera\w*|seksikamera\w*|camgirl\w*|webcam sex)",
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


# Verbs whose negation is part of the word: "can't stand", "står inte ut med".
_LEXICAL_NEGATION = re.compile(
    r"can t stand|cannot stand|can t bear|cannot bear|st[åa]r inte ut|t[åa]l inte"
    r"|inte (?:riktiga )?m[äa]nniskor$|not (?:even )?human$"
)


def match(normalised: Normalised) -> Iterator[PatternHit]:
    text = normalised.joined
    if not text:
        return
    for index in _gate().candidates(text):
        pattern = PATTERNS[index]
        for found in pattern.regex.finditer(text):
            before = set(text[: found.start()].split()[-3:])
            inside = set(_LEXICAL_NEGATION.sub(" ", found.group(0)).split())
            if pattern.name.endswith((":exclude", ":nothuman")):
                inside = set()  # "ei enää yhtään X", "inga fler X": the negation is the call
            if pattern.name.endswith((":they", ":exclude")):
                before &= _REPORTED  # the group is named before; a negation there is another clause
            if inside & _NEGATION or before & (_NEGATION | _REPORTED):
                continue
            start, end = normalised.span(found.start(), found.end())
            yield PatternHit(pattern, start, end)
