"""Self-harm: a writer who says they want to die or hurt themselves (issue 8).

This is never a reason to remove a comment. It is a `self_harm` finding
that asks a person to answer at once, with the pack's supportive reply
(Självmordslinjen 90101 / 1177; MIELI kriisipuhelin 09 2525 0111): the
result says `escalate`. Only first-person statements count: "jag orkar inte
leva", "pitäisi tappaa itseni", "I want to kill myself". Someone else's death
("han tog livet av sig"), the helplines themselves, idioms ("jag dör av
skratt", "hettan tar livet av mig", "tää helle tappaa mut") and "kill
yourself" (an attack, not self-harm) do not.

Since the fourth round the colloquial forms too, with the subject dropped
as comments drop it: "orkar inte leva längre", "vill bara försvinna från
allt", "ska ta mina piller", "ingen anledning att leva", "en jaksa enää"
(alone), "haluun kuolla", "ei oo mitään järkee elää", "viillän itteäni",
"tapan itteni", goodbye messages ("hejdå allihop, ni ser mig aldrig mer").
Not a place ("vill inte leva i en kommun som denna", "en halua elää
tällaisessa kunnassa"), a complaint ("orkar inte med byråkratin", "klarar
inte mer av avgifterna"), an idiom ("dö av skam", "kuolla häpeästä") or a
question about someone else's thoughts ("en anhörig har självmordstankar").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kanalvakt.moderation.screening import gates
from kanalvakt.moderation.screening.normalise import Normalised

SCORE = 0.9

_SV_I = r"(?:jag|ja|jaa)"
# "han förtjänar inte att leva" is said about someone else: not self-harm
_NOT_OTHERS = "".join(
    rf"(?<!{word} )" for word in ("han", "hon", "hen", "de", "dom", "ni", "du", "den", "det")
)
_SV_PLACE = r"(?! (?:i|på|med|under) (?!världen)\w)"  # "vill inte leva i en kommun som denna"
_FI_PLACE = r"(?! (?!maailmassa)\w+(?:ssa|ssä|lla|llä)(?!\w))"  # "elää tällaisessa kunnassa"
_SV = (
    # jag ska / vill / borde / tänker ta livet av mig, ta mitt liv, döda mig själv
    rf"{_SV_I}(?: \w+){{0,3}} (?:ska|skall|vill|borde|tänker|kommer att|kommer|tar|måste)"
    r"(?: \w+){0,2} (?:ta livet av mig|ta livet av mej|ta mitt liv|ta mitt eget liv"
    r"|döda mig själv|döda mej själv|skada mig själv|skada mej|hoppa framför|hänga mig"
    r"|skära mig|avsluta (?:allt|mitt liv)|försvinna för alltid)",
    rf"{_SV_I} (?:tar|tog nästan) (?:livet av mig|mitt liv)",
    rf"{_SV_I}(?: \w+)? (?:orkar|vill|klarar) (?:inte|int|itte|inte längre)(?: \w+)?"
    rf" (?:leva|leva längre|mer(?! av| med)|finnas|vara kvar){_SV_PLACE}",
    rf"{_SV_I}(?: \w+)? vill (?:bara |helst )?(?:dö|inte leva|sluta leva|inte finnas)"
    rf"(?! av){_SV_PLACE}",
    rf"{_SV_I}(?: \w+){{0,3}} (?:tänkt på|tänker på|planerar) (?:självmord|att ta mitt liv"
    r"|att ta livet av mig|att dö)",
    rf"{_SV_I} (?:skär|skadar) mig(?: själv)?(?: igen)?",
    r"ingen skulle (?:märka|sakna mig|bry sig) om jag (?:försvann|dog|var borta)",
    # the writer's own thoughts, not a question about someone else's
    r"(?:(?:jag|ja) (?:har|får|har haft|har fått)|mina) (?:självmordstankar|självmordsplaner)",
    # colloquial, the "jag" dropped (fourth round): "orkar inte leva längre", "pallar int leva"
    r"(?:orkar|pallar|klarar|vill) (?:inte|int|inge|itte|ej) (?:leva|finnas (?:längre|mer|kvar)"
    r"|fortsätta leva|vakna (?:imorgon|i morgon|mer|igen))" + _SV_PLACE,
    r"(?:vill|ska|tänker|kommer att|borde|måste) (?:bara |nog |snart )?ta livet av (?:mig|mej)",
    r"vill (?:bara |helst |typ )?(?:dö|försvinna (?:från allt|för alltid|från jorden)"
    r"|sluta leva|inte leva|somna in för alltid)(?! av)" + _SV_PLACE,
    r"(?:ska|tänker|kommer att|kommer) (?:ta|svälja|äta) (?:alla )?(?:mina )?(?:piller|tabletter"
    r"|sömntabletter|mediciner)",
    r"(?:ska|tänker|vill|kommer att) (?:hoppa|kasta mig) (?:från|framför|ut från|ut genom)"
    r" (?:bron|tåget|taket|balkongen|fönstret|ett tak|en bro|ett tåg|tunnelbanan)",
    r"(?:har|finns) (?:inget|ingenting) (?:att leva för|kvar att leva för)",
    r"(?:ingen|inte någon|ingen som helst) (?:idé|ide|mening|poäng) (?:att|med att) leva",
    r"livet är inte (?:värt att leva|värt något)(?! utan)" + _SV_PLACE,
    r"(?:önskar|önskade) (?:att )?(?:jag|ja) (?:var|vore|hade varit) död",
    r"(?:önskar|önskade) (?:att )?(?:jag|ja) aldrig (?:hade )?(?:fötts|föddes)",
    r"(?:ingen|ingen alls) skulle (?:ens )?(?:märka|sakna mig|sakna mej|bry sig)(?: \w+)?"
    r" om (?:jag|ja) (?:försvann|dog|var borta|inte fanns)",
    r"alla (?:skulle|hade) (?:må|haft det) bättre (?:utan mig|utan mej|om jag (?:var|vore) död)",
    r"(?:började|börjat|fortsätter|har börjat) (?:skära|rispa|skada) mig(?: själv)? (?:igen|själv)",
    r"(?:skär|skadar|rispar) mig (?:själv )?(?:igen|i armarna|i armen)",
    r"(?:funderar|tänker|har tänkt) på att (?:begå självmord|ta livet av mig|ta mitt liv|dö)",
    r"(?:ska|tänker|vill) (?:begå|ta) självmord",
    r"(?:hejdå|farväl) (?:allihop|alla|världen)(?: \w+){0,4}"
    r" (?:ser mig (?:aldrig|inte) (?:mer|igen)|är borta (?:imorgon|i morgon|snart))",
    r"(?:hejdå|farväl) (?:för alltid|världen)",
    r"(?:tar|tog) (?:jag|ja) mitt liv",
    # no reason to live, not deserving to, not waking up, pills gathered (second batch)
    _NOT_OTHERS + r"(?:förtjänar|förtjänar ju) (?:inte|int|inge) att leva",
    r"(?:finns|har|ser) (?:ingen|inte någon) (?:anledning|orsak) (?:för mig |alls )?att"
    r" (?:leva|finnas|fortsätta leva|vakna)",
    r"(?:skulle (?:va|vara) skönt|vill) (?:att )?(?:bara )?slippa (?:vakna|leva|finnas)",
    r"(?:har samlat|samlar|har sparat|sparar) (?:ihop )?(?:på )?(?:tabletter|piller|sömntabletter"
    r"|mediciner)",
    # an end made, a letter written, a wish not to wake (end of the round)
    r"göra slut på (?:mitt liv|mig själv|mej själv|allt (?:ikväll|i kväll|nu|snart|idag)$)",
    r"(?:vill|ska|tänker|måste) skada (?:mig|mej) själv",
    r"(?:har skrivit|skriver|skrev) (?:ett |mitt )?(?:avskedsbrev|självmordsbrev)",
    r"(?:sista gången|sista inlägget) (?:ni|någon) (?:hör|ser|läser) (?:från|av) mig"
    r"(?! i | om | på | angående )",
    r"(?:sova|somna) (?:och|å) (?:aldrig|inte) vakna(?: igen| mer)?$",
    _NOT_OTHERS
    + r"(?:tänker|tänkt) på (?:döden|att dö) (?:hela tiden|jämt|varje dag|hela dagarna)",
    r"livet (?:är|känns) (?:så |helt )?(?:meningslöst|hopplöst|inte värt det)",
    # fifth round (issue 8): means at hand, a jump named, an end said
    r"(?:ska|tänker|kommer att|kommer) (?:ta|svälja|äta) (?:alla )?(?:\w+s )?(?:sömnpiller"
    r"|sömntabletter|tabletter|piller)",
    r"(?:har köpt|köpte|har skaffat) (?:\w+ )?(?:tabletter|piller|sömntabletter|ett rep)"
    r"(?! till| åt| för)",
    r"(?:hoppar|kastar) (?:jag |ja )?(?:framför|från|ut från) (?:tåget|bron|taket|ett tåg|en bro)",
    r"gör slut på (?:det här|allt|mitt liv)(?! med| mellan)",
    r"(?:lika bra|bättre|bäst) (?:att|om) (?:jag|ja) inte (?:finns|fanns|fanns till|lever)",
    r"(?:bara )?(?:somna|sova) (?:och|å) (?:aldrig|inte) vakna(?: igen| mer)?",
    r"(?:^|(?<!om ))tar mitt (?:eget )?liv",
    r"har skrivit (?:brev|ett brev|avskedsbrev) till (?:mina|min|mamma|pappa|alla)"
    r"(?: \w+){0,8} (?:hejdå|farväl|tack för allt)",
)
_FI = (
    r"(?:tapan|tappaisin|pitäisi tappaa|pitäis tappaa|haluan tappaa|aion tappaa|meinaan tappaa"
    r"|voisin tappaa) itseni",
    r"(?:en|mä en|minä en) (?:jaksa|halua|kestä) (?:enää )?(?:elää|olla olemassa|tätä elämää)"
    + _FI_PLACE,
    r"(?:haluan|haluisin|haluaisin) (?:vain |vaan )?kuolla",
    r"(?:aion|meinaan|haluan|pitäisi) (?:päättää|lopettaa) (?:päiväni|elämäni|kaiken)",
    r"(?:päätän|lopetan) (?:päiväni|elämäni)",
    r"(?:olen|oon) (?:miettinyt|ajatellut|suunnitellut) itsemurhaa",
    r"(?:viiltelen|satutan itseäni|viillän itseäni)",
    r"kukaan ei (?:huomaisi|kaipaisi|välittäisi) (?:jos|vaikka)"
    r" (?:katoaisin|kuolisin|olisin poissa)",
    r"(?:mulla on|minulla on|mulla oli|minulla oli|mul on|mulla on taas|mun) (?:itsetuhoisia"
    r" ajatuksia|itsetuhoiset ajatukset|itsemurha-ajatuksia|itsemurha ajatuksia)",
    # colloquial (fourth round): "en jaksa enää", "haluun kuolla", "tapan itteni"
    r"(?:tapan|tappaisin|tapan mä|mä tapan|pitäis tappaa|haluun tappaa|aion tappaa) itteni",
    r"(?:en|mä en|mää en|en mä|mie en) (?:jaksa|jaksais|halua|haluu|kestä) (?:enää )?(?:elää"
    r"|olla olemassa|tätä elämää|elämää|jatkaa elämää|herätä)" + _FI_PLACE,
    r"(?:en|mä en|mää en) jaksa enää(?: mitään| yhtään| mitenkään| tätä)?$",
    r"(?:haluun|halusin|haluisin|tahdon|tahtoisin|mä haluun|mä haluan|haluisin vaan|haluan)"
    r" (?:vain |vaan |vaa |niin |ihan )?(?:kuolla|kuolla pois|kuolla jo|lopettaa kaiken"
    r"|nukkua (?:enkä|ja en|ikuisesti)|olla kuollut)(?! häpeä| nauru| tylsyy)",
    r"ei (?:oo|ole|mulla oo|mulla ole|minulla ole) (?:mitään |mitää )?(?:järkee|järkeä|syytä"
    r"|syyt|tarkoitusta|mieltä) (?:elää|jatkaa elämää|elämässä|enää elää)",
    r"(?:ei mulla|mulla ei|minulla ei|mulla ei ole|mulla ei oo) (?:oo |ole )?(?:mitään |mitää )?"
    r"(?:syytä|syyt|järkee|järkeä) elää",
    r"(?:viillän|viiltelin|viilsin|viillän taas|satutan|satutin) (?:itteäni|itseäni|itteeni|itseeni"
    r"|ranteita|ranteeni|ranteitani)",
    r"kukaan ei (?:kaipais|kaipaisi|huomais|huomaisi|välittäis|välittäisi|ikävöis)"
    r" (?:mua|minua|mitään)?(?: \w+)? (?:jos|vaikka) (?:kuolisin|katoisin|oisin poissa|kuolen)",
    r"(?:aion|meinaan|mä aion|otan|nielen|vedän) (?:ottaa |niellä )?kaikki (?:mun |minun )?"
    r"(?:lääkkeet|pillerit|tabletit|lääkkeeni|pillerini|unilääkkeet)",
    r"vedän (?:överit|yliannostuksen)",
    r"(?:hyppään|aion hypätä|meinaan hypätä|hyppäisin) (?:sillalta|junan alle|katolta|parvekkeelta"
    r"|ikkunasta|auton alle)",
    r"(?:mietin|ajattelen|suunnittelen|harkitsen) (?:itsemurhaa|itsemurhan tekemistä)",
    r"(?:teen|aion tehdä|meinaan tehdä|tekisin) itsemurhan",
    r"(?:toivon|toivoisin|kunpa|kunpa vaan) (?:että )?(?:olisin|oisin|olis) (?:kuollut|kuollu)",
    r"(?:kaikilla|kaikille|kaikki) (?:olis|olisi|ois) (?:parempi|paremmin) (?:ilman mua|ilman minua"
    r"|jos mua ei|jos en)",
    r"hyvästi (?:kaikki|maailma)(?: \w+){0,4} (?:en oo|en ole|oon poissa|olen poissa|ette näe)",
    r"hyvästi (?:maailma|ikuisesti)",
    r"(?:en|mä en|mää en) (?:halua|haluu|jaksa) (?:olla )?enää olemassa",
    r"(?:en|mä en|mää en) ansaitse (?:elää|olla olemassa|elämää)",
    r"ei (?:oo|ole|mulla oo|mulla ole) (?:mitään |mitää )?(?:syytä|järkeä|järkee) jatkaa$",
    r"(?:lopetan|päätän) (?:tän |tämän |nyt )?kaiken (?:tänään|tänä yönä|nyt|huomenna|pian)",
    r"(?:mä lopetan|lopetan) tän kaiken",
    r"(?:ois|olis|olisi) (?:ihanaa|ihana|kiva|helpompaa) (?:vaan |vain )?(?:olla heräämättä"
    r"|kuolla|nukkua pois)",
    r"(?:oon|olen) (?:kerännyt|säästänyt|kerännny) (?:pillereitä|lääkkeitä|tabletteja"
    r"|unilääkkeitä)",
    r"(?:nukkua|nukahtaa) (?:enkä|eikä|ja en|ja ei) (?:ikinä |koskaan |enää )?herätä",
    r"(?:mun |minun )?elämä(?:ni)? on (?:ihan |täysin |niin )?"
    r"(?:turhaa|merkityksetöntä|toivotonta)",
    r"(?:kirjotin|kirjoitin|kirjoitan|kirjotan) (?:jo )?(?:jäähyväiskirjee|hyvästikirjee"
    r"|itsemurhaviesti)\w*",
    r"(?:ajattelen|mietin|ajattelin) kuolemaa (?:koko ajan|jatkuvasti|joka päivä|koko päivän)",
    r"en (?:näe|nää) (?:mitään |enää )?(?:syytä|järkeä|järkee) (?:elää|jatkaa elämää)",
    r"(?:teen|mä teen) (?:itelleni|itselleni|itelle) jotain(?! hyvää| kivaa| syötävää| ruokaa)",
    r"(?:tämä|tää) (?:oli|on|jää) (?:mun|minun) viimei?nen viesti",
    r"(?:haluun|haluan|haluisin|haluaisin) (?:vaan |vain )?pois tästä elämästä",
    # fifth round (issue 8): means at hand, a jump or a train named, a last day, a farewell
    r"(?:köysi|köyden|pillerit|terät|lääkkeet|tabletit) (?:on |ovat )?(?:jo )?(?:valmiina"
    r"|laatikossa taas)",
    r"(?:mulla|minulla|mul|mun) on (?:jo )?(?:köysi|pillerit|terät|suunnitelma miten)",
    r"(?:tää|tämä|tänään) (?:on|oli|ois|olis)? ?(?:mun|minun) (?:viimei?nen|viimenen)"
    r" (?:postaus|päivä|viesti|joulu|ilta)",
    r"(?:onks|onko) (?:tää|tämä) (?:mun|minun) (?:viimei?nen|viimenen) päivä",
    r"(?:viimeinen|viimenen) (?:joulu|syntymäpäivä) (?:mitä|jota) (?:vietän|mä vietän)",
    r"(?:olen|oon|oon jo|olen jo) (?:kirjoittanut|kirjottanu|kirjoittanu|kirjottanut)"
    r" (?:\w+ )?(?:kirjeet|kirjeen|testamentin|jäähyväiset)",
    r"kirjotin (?:jo )?(?:kaikille )?jäähyväiset",
    r"(?:tänään|tänää|tänä yönä|tänä iltana) (?:mä |mie |minä )?(?:aion |vihdoin )?(?:teen"
    r"|tehdä) sen(?! valmiiksi| loppuun)",
    r"(?:teen|tehdä) sen (?:vihdoin|lopullisesti)",
    r"(?:hyppään|hypätä|astuisin|astua|ajaisin|ajasin|ajaa|kävelen|lähen|lähden|heittäydyn)"
    r" (?:\w+ ){0,2}(?:junan|ratikan|rekan|auton|bussin|metron) (?:eteen|alle)",
    r"(?:hyppään|hypätä|hyppäämistä|ajaisin|kävelen) (?:\w+ ){0,2}(?:sillalta|sillalle ja"
    r"|jäihin|katolta)",
    r"(?:lähen|lähden|meen|menen) jäihin",
    r"(?:otin|otan|vedin|vetäisin) (?:\w+ ){0,2}kaikki (?:\w+ ){0,2}(?:lääkkeet|pillerit"
    r"|tabletit)",
    r"(?:vetäisin|vedän|otan) (?:\w+ ){0,3}liikaa (?:lääkkeitä|pillereitä)",
    r"(?:viiltelin|viiltelen|viillelly|viiltelly|viillellyt|raapinu itteeni|raavin itteeni"
    r"|viiltely ei)",
    r"kukaan ei (?:ees |edes )?(?:huomais|huomaisi|huomaa|kaipaa|kaipais|välitä) (?:\w+ )?"
    r"(?:jos|vaikka|kun) (?:mä |mie |minä )?(?:katoisin|kuolisin|lähen|lähden|en ois|vaan lähen)",
    r"(?:parempi|helpompi) (?:ettei mua|ettei minua|olla olematta|lopettaa kaikki)",
    r"(?:toivon|toivoo|toivoisin) (?:et|että|ettei|etten) (?:en )?(?:heräis|heräisi|ois syntyny"
    r"|olis syntyny|olisi syntynyt)",
    r"(?:mun|minun) (?:pitäis|pitäisi) (?:\w+ ){0,2}kuolla",
    r"pitäis (?:\w+ )?hypätä (?:siltä|sillalta|junan)",
    r"(?:ei|en) (?:oo|ole|nää|näe) (?:mitään |mitaan |mitää )?(?:syytä|syyta|järkee|järkeä)"
    r" (?:elää|elaa|jatkaa(?= enää| enaa|$))",
    r"(?:en|mä en|mie en) (?:enää |ennää |enaa )?(?:jaksa|kestä|pysty)"
    r" (?:taistella|enempää|kevääseen|jouluun|tätä elämää)",
    r"(?:en mä|en mie|en minä) (?:enää|ennää) jaksa",
    r"en usko et jaksan (?:jouluun|kevääseen|huomiseen)",
    r"(?:mietin|ajattelen|mieti) (?:vaan |vain )?(?:kuolemaa|hyppäämistä)",
    r"häipyy pysyvästi|häivyn pysyvästi|tän jälkee mä en enää elä",
    r"(?:oon|olen) yrittäny(?:t)? jo kerran",
    r"(?:hyvästi|hyvasti) kaikki(?:lle)?$|kiitos ja hyvästi",
    r"mulle on (?:jo )?ihan sama (?:elänkö|elanko)",
    r"en (?:mä |mie )?(?:enää )?(?:haluu|halua) (?:enää )?elää" + _FI_PLACE,
)
_EN = (
    r"i (?:want to|wanna|m going to|am going to|will|ll|should|might) (?:kill myself"
    r"|end my life|end it all|hurt myself)",
    r"i (?:want to|wanna) die",
    r"i don t want to (?:live|be alive)|i can t go on living",
    r"(?:suicidal thoughts|i m suicidal|i am suicidal)",
    r"i (?:don t|do not) want to (?:wake up|be here anymore)|nothing to live for",
    r"i (?:don t|dont|do not) (?:wanna|want to) be here anymore|thinking about ending it"
    r"|i just want it all to stop",
)
PATTERNS = tuple(
    (language, re.compile(rf"(?<!\w){pattern}(?!\w)"))
    for language, patterns in (("sv", _SV), ("fi", _FI), ("en", _EN))
    for pattern in patterns
)


@dataclass(frozen=True)
class SelfHarmHit:
    start: int
    end: int
    language: str


def find(normalised: Normalised) -> Iterator[SelfHarmHit]:
    joined = normalised.joined
    if not joined:
        return
    for index in gates.candidates(joined, gates.SELF_HARM):  # most comments have none
        language, pattern = PATTERNS[index]
        for found in pattern.finditer(joined):
            start, end = normalised.span(found.start(), found.end())
            yield SelfHarmHit(start, end, language)
