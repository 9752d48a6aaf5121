"""Insults and threats found by the structure of the sentence, not by word lists alone.

*Insults aimed at a person*: an insult word (the lexicons' personal attacks,
plus nouns and adjectives that insult only when aimed: lögnare, pajas,
pässi, valehtelija, dum i huvudet, aivokuollut) counts when the clause aims
it at someone:

* second person or vocative: "du är en X", "din X", "ni X", "senkin X",
  "olet X", "sä oot X", "vilken X du är", "mikä X sinä olet";
* an imperative of abuse before it: "håll käften X", "turpa kiinni X",
  "haista vittu X", "painu vittuun X";
* a person as the subject: "rektorn är en X", "hän on X", "Anna on X"
  (review only: it may be about a public figure's conduct);
* a group talked about: "de är korkade", "ne on ihan tyhmiä" (review only;
  not looks alone: "de är fula tomater").

A negation in the clause ("du är ingen idiot", "et sinä mikään pässi ole")
drops it. An adjective aimed at "ni"/"te" is criticism of the organisation
("ni är patetiska"), not a personal attack; a noun is not ("ni är idioter").

*Threats*: a first-person subject with a verb of intent (jag ska / vill /
tänker / kommer att; Finnish first-person verbs by Voikko: tapan,
teurastan, haluan tappaa) and a harm verb aimed at a person (dig, henne,
din familj, sinut, heidät, talosi, a named person or role). A negation before
one verb does not hide a stronger one after it ("en vain lyö sinua, vaan
tapan sinut"; "jag ska inte bara slå dig, jag ska döda dig").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from kanalvakt.moderation.screening import morphology
from kanalvakt.moderation.screening.normalise import Normalised, Token

DIRECTED_SCORE = 0.9
PERSON_SCORE = 0.75
# An insult aimed at "ni"/"te" or a plural vocative addresses the organisation or a
# group of its people: sharp criticism often reads so, so a person decides (review).
ORGANISATION_SCORE = 0.75
THREAT_SCORE = 0.93  # under the fixed phrasings' 0.95: where both match, the phrase explains


@dataclass(frozen=True)
class StructureHit:
    category: str
    score: float
    start: int
    end: int
    detector: str


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


INSULT_NOUNS = _words(
    """idiot pucko miffo lögnare clown nolla tönt dumskalle äckel kräk hycklare pajas fjant
    korkskalle as apa svin gris råtta mes loser fegis skitstövel fitta kuk hora slyna subba
    luder jävel kärring tjockis fetto knäppgök dåre psykfall missfoster mongo cp cpunge
    dumbom fåntratt träskalle stolpskott idiotjävel horunge rövhål arsle kukhuvud
    idiootti ääliö pässi typerys kusipää paskiainen urpo luuseri mulkku spermaviemäri hölmö
    tollo runkkari valehtelija apina sika rotta käärme nilkki lurjus ämmä akka huora lutka
    narttu pelle raukka pelkuri mielipuoli dorka mäntti paskapää retardi läski friikki
    vittupää kusiaivo munapää tampio kakkiainen hintti paska
    moron imbecile dumbass asshole bastard bitch whore slut cunt twat liar clown loser
    skithög rövhatt fittjävel kukjävel dumjävel pissluder mongoloid fjolla bög fikus blatte
    svartskalle neger kossa sopa pundare våp mähä
    kullinaama kyrpänaama paskanaama persereikä mulkero kusimulkku pirihuora horo äpärä
    kretiini imbesilli mongoloidi pösilö tomppeli nynny aivopieru homo hinttari homppeli
    neekeri nekru ryssä lehmä saasta ämmä
    wanker douchebag dipshit shithead dickhead jackass prick debiili älykääpiö sekopää
    avskum pohjasakka roskasakki käring galning psykopat stolle bimbo jubelidiot pervo
    psykopaatti tolvana nuija juntti moukka hyypiö pässinpää
    scum trash garbage psycho freak creep jerk fool retard
    förlorare kuksugare häviäjä munanimijä surkimus
    tölp satmara häxa fettknöl fetknopp fettberg surkärring skitunge snorunge snorvalp fjant
    orm narr åsna mupp fyllo alkis pedofil pedo kryp parasit snyltare svikare mespropp pitt
    klovni tyhjäpää noob nuubi idari pedari psyko narsisti possu itkupilli ruikuttaja
    vinkuja nillittäjä wannabe simp incel syöpäläinen hirviö paskakasa pöljä pölijä
    pöhkö tyhmyri sosiopaatti clowni
    noob idiot dumbass wanker""",
)
INSULT_ADJECTIVES = _words(
    """dum dumma korkad korkade efterbliven efterblivna störd störda hjärndöd hjärndöda
    patetisk patetiska äcklig äckliga vidrig vidriga ful fula fet feta idiotisk idiotiska
    sinnessjuk sinnessjuka cpskadad dummare
    tyhmä tyhmiä jälkeenjäänyt jälkeenjääneitä aivokuollut säälittävä säälittäviä ruma
    läski sairas vammainen kehitysvammainen vammanen aivoton pimee kahjo mielisairas
    hjärnlös brainless
    stupid dumb pathetic disgusting ugly fat retarded
    värdelös värdelösa arvoton arvottomia typerä typeriä
    """,
)
# Adjectives of the fifth round (issue 8): they also describe things ("falsk
# information", "löjligt förslag"), so they insult only after "you are" itself.
STRICT_ADJECTIVES = _words(
    """trög tröga falsk falska tanklös tanklösa ointelligent ointelligenta lat lata inkompetent
    inkompetenta lögnaktig lögnaktiga självupptagen självupptagna maktgalen maktgalna
    hjärtlös hjärtlösa cringe fake löjlig löjliga ynklig ynkliga puckad puckade knäpp
    obegåvad obegåvade motbjudande pinsam pinsamma
    ällö ällöttävä inhottava iljettävä kuvottava oksettava feikki huomionkipeä huomionkipee
    tyhjäpäinen hidasälyinen lihava kehitysvammanen vajaaälyinen seniili
    dumbest stupidest worthless useless""",
)
INSULT_ADJECTIVES |= STRICT_ADJECTIVES
# phrases that make an adjective an insult: "dum i huvudet", "sjuk i huvudet"
_HEAD = _words("huvudet skallen päästä päästäsi")

SECOND_PERSON = _words(
    """du din ditt dina dig ni er era sinä sä sää sie sinua sua sinut sut olet oot sun sinun
    te senkin olette ootte teitä you u your ur youre ya ootko oletko ootteko oletteko
    sulla sinulla""",
)
_PLURAL_YOU = _words("ni er era te olette ootte teitä")
_VOCATIVE = _words("din ditt dina era senkin")
ABUSE_IMPERATIVES = (
    "håll käften",
    "käften",
    "håll tyst",
    "dra åt helvete",
    "skit ner dig",
    "fan ta dig",
    "turpa kiinni",
    "pidä turpas kiinni",
    "haista vittu",
    "haista paska",
    "painu vittuun",
    "painu helvettiin",
    "shut up",
    "fuck you",
    "fuck off",
)
PERSON_NOUNS = _words(
    """han hon hen rektorn kommunalrådet handläggaren ordföranden kommunchefen skolchefen
    socialchefen tjänstemannen bygglovschefen oppositionsrådet chefen politikern läraren
    hän se rehtori kunnanjohtaja käsittelijä puheenjohtaja sosiaalijohtaja sivistysjohtaja
    kaupunginjohtaja virkamies rakennustarkastaja apulaispormestari johtaja opettaja
    he she""",
)
COPULA = _words("är e va var blev on oli ovat olivat is are was")
NEGATION = _words(
    """inte ingen inget inga aldrig icke ej ei et ette emme eivät eikä en mikään mitään
    kukaan not no never nt""",
)
# Words that make the insult someone else's, reported or refused ("stop calling
# women disgusting", "when you said …"), or the writer's own ("I'm the bitch …").
MENTION = _words(
    """calling call called say said saying says word term kalla kallar kallade kallat säga
    sa sade säger ordet sanoa sanoi sanot sanotte kutsua kutsui kutsuu kutsut nimittää
    säg sano sanokaa mielestä mielestäsi mielestänne""",
)
FIRST_PERSON = _words("i im am me my jag mig min minä mä olen oon olin")
THIRD_PLURAL = _words("de dom ne nää noi he they")
_LOOKS = _words("ful fula fet feta ruma ruma läski sairas sjuk sjuka ugly fat")
# "not only … but": the negation leaves the stronger verb after it standing
_NOT_ONLY = _words("bara endast vain pelkästään only just")
_CLAUSE_END = re.compile(r"[.!?;:\n]")


_IMPERATIVE = re.compile(
    "(?<!\\w)(?:" + "|".join(sorted(ABUSE_IMPERATIVES, key=len, reverse=True)) + ")(?!\\w)"
)


@lru_cache(maxsize=1024)
def _clauses(text: str, tokens: tuple[Token, ...]) -> tuple[int, ...]:
    """For each token, the index of the first token of its clause (each detector asks)."""
    starts = []
    first = 0
    for index, token in enumerate(tokens):
        if index and _CLAUSE_END.search(text[tokens[index - 1].end : token.start]):
            first = index
        starts.append(first)
    return tuple(starts)


def _lemma(token: Token, language: str) -> str:
    return _lemma_of(token.form, language)


_LEMMAS: dict[str, dict[str, str]] = {}


def _lemmas(forms: Sequence[str], language: str) -> list[str]:
    """`_lemma_of` of each form, through a plain dict per language (words repeat)."""
    cache = _LEMMAS.get(language)
    if cache is None or len(cache) > 200_000:
        cache = _LEMMAS[language] = {}
    out = []
    for form in forms:
        lemma = cache.get(form)
        if lemma is None:
            lemma = cache[form] = _lemma_of.__wrapped__(form, language)  # this dict is the cache
        out.append(lemma)
    return out


@lru_cache(maxsize=200_000)
def _lemma_of(form: str, language: str) -> str:
    """The insult word a written word is a form of, or ""."""
    if form in INSULT_NOUNS or form in INSULT_ADJECTIVES:
        return form
    if language != "sv":
        analyses = morphology.fi_analyses(form)
        for analysis in analyses:
            if analysis.baseform in INSULT_NOUNS or analysis.baseform in INSULT_ADJECTIVES:
                return analysis.baseform
            if analysis.parts[-1] in INSULT_NOUNS and len(analysis.parts) > 1:
                return analysis.parts[-1]
        if not analyses:  # slang Voikko does not know: luusereita, luuserit → luuseri
            for ending, base in _FI_SLANG_ENDINGS:
                if not form.endswith(ending):
                    continue
                lemma = form[: -len(ending)] + base
                if lemma in INSULT_NOUNS or lemma in INSULT_ADJECTIVES:
                    return lemma
    if language != "fi":
        lemma = morphology.sv_lemma_asked(form)
        if lemma in INSULT_NOUNS or lemma in INSULT_ADJECTIVES:
            return lemma
        for ending in ("erna", "arna", "orna", "ar", "er", "or", "en", "et", "n", "a"):
            if form.endswith(ending) and form[: -len(ending)] in INSULT_NOUNS:
                return form[: -len(ending)]
        compound = _sv_compound(form)
        if compound:
            return compound
    return _folded().get(form, "")  # its keys are no words of any language


_GUARD = ("sv", "fi", "en", "da", "nb")


def _common(form: str) -> bool:
    """A word of some language (wordfreq, Zipf 1.5, or Voikko): never read as another."""
    return morphology.fi_known(form) or morphology.top_zipf(form, _GUARD) >= 1.5


def _fold(word: str) -> str:
    return word.replace("ä", "a").replace("ö", "o").replace("å", "a")


@cache
def _folded() -> dict[str, str]:
    """An insult word typed without its dots ("tyhma", "saalittava"): never a common word.

    Built when first asked (it reads the frequency tables and Voikko), not on import.
    """
    return {
        _fold(word): word
        for word in INSULT_NOUNS | INSULT_ADJECTIVES
        if _fold(word) != word and not _common(_fold(word))
    }


# Swedish compounds ending in an insult noun ("surkärring", "pajasfan" not): the
# last part five letters or more, the first three or more, the whole word uncommon
_SV_TAILS = frozenset(word for word in INSULT_NOUNS if len(word) >= 5)


def _sv_compound(form: str) -> str:
    if len(form) < 8 or not form.isalpha():
        return ""
    for ending in ("", "en", "n", "ar", "arna", "er", "erna"):
        if ending and not form.endswith(ending):
            continue
        stem = form[: len(form) - len(ending)]
        for size in range(5, min(len(stem) - 3, 14) + 1):
            if stem[-size:] in _SV_TAILS:
                return "" if _common(form) else stem[-size:]
    return ""


_FI_SLANG_ENDINGS = (
    ("eita", "i"),
    ("ieta", "i"),  # a typo inside the ending: "luuserieta" for luusereita
    ("ietä", "i"),
    ("eitä", "i"),
    ("eja", "i"),
    ("ejä", "i"),
    ("eille", "i"),
    ("it", "i"),
    ("ja", ""),
    ("jä", ""),
    ("t", ""),
    ("a", ""),
    ("ä", ""),
    ("n", ""),
)


def _after_comma(text: str, tokens: Sequence[Token], first: int, index: int) -> int:
    """The first token after the last comma between `first` and `index` (or `first`)."""
    for position in range(index, first, -1):
        if "," in text[tokens[position - 1].end : tokens[position].start]:
            return position
    return first


def _negated(words: Sequence[str], language: str = "other") -> bool:
    """A negation among `words` that is not "not only"; Finnish "en" only in Finnish."""
    negations = NEGATION if language == "fi" else NEGATION - {"en"}
    for index, word in enumerate(words):
        if word in negations:
            following = words[index + 1] if index + 1 < len(words) else ""
            if following not in _NOT_ONLY:
                return True
    return False


def insults(text: str, normalised: Normalised, language: str) -> Iterator[StructureHit]:
    tokens = normalised.tokens
    if not tokens:
        return
    forms = [token.form for token in tokens]
    lemmas = _lemmas(forms, language)
    if not any(lemmas):
        return  # no insult word: nothing to aim
    clause = _clauses(text, tokens)
    joined_lower = " ".join(forms)
    imperative_ends = [match.end() for match in _IMPERATIVE.finditer(joined_lower)]
    offsets = []
    position = 0
    for form in forms:
        offsets.append(position)
        position += len(form) + 1
    for index, token in enumerate(tokens):
        lemma = lemmas[index]
        if not lemma:
            continue
        adjective = lemma in INSULT_ADJECTIVES and lemma not in INSULT_NOUNS
        if adjective and lemma in ("sairas", "dum", "dumma") and not _head_follows(forms, index):
            near = forms[max(clause[index], index - 4) : index]
            if not any(word in _VOCATIVE for word in near[-2:]) and not (
                lemma != "sairas" and _YOU_ARE.issubset(_you_are(near))
            ):
                continue  # "dumt beslut", "olen sairas"; but "du är så jävla dum" is aimed
        window = forms[max(clause[index], index - 6) : index]
        after = forms[index + 1 : index + 3]
        if lemma in STRICT_ADJECTIVES and not _YOU_ARE.issubset(_you_are(window)):
            continue  # "du sprider falsk information"; but "du är så falsk"
        vocative = not adjective and _vocative_at_end(text, tokens, index)
        # a negation before a comma belongs to another clause ("Lyssna inte på Per, hon är …")
        own = forms[_after_comma(text, tokens, max(clause[index], index - 6), index) : index]
        if set(window) & MENTION or (
            not vocative and (_negated(own, language) or set(window) & FIRST_PERSON)
        ):
            continue
        score = 0.0
        if vocative:
            # "Sä et tiedä mitään, pelle": set off by a comma, addressed; "…, idiootit"
            # (plural) addresses a group, the organisation or its politicians: review
            score = ORGANISATION_SCORE if _plural(forms[index], lemma) else DIRECTED_SCORE
        elif any(end in (offsets[index] - 1, offsets[index]) for end in imperative_ends):
            score = DIRECTED_SCORE
        elif set(window) & SECOND_PERSON or (
            set(after) & SECOND_PERSON and not _negated(forms[index + 1 : index + 4], language)
        ):
            plural_only = not (set(window) | set(after)) & (SECOND_PERSON - _PLURAL_YOU)
            if adjective and plural_only:
                continue  # "ni är patetiska": criticism of the organisation
            # "ni är idioter", "era idioter": the organisation addressed, a person decides
            # "senkin pellet", "era idioter" (plural): a group, not one person
            group = plural_only or _plural(forms[index], lemma)
            score = ORGANISATION_SCORE if group else DIRECTED_SCORE
        elif set(window) & COPULA and _person_subject(text, tokens, window, index):
            score = PERSON_SCORE
        elif (
            set(window) & COPULA
            and set(window[:3]) & THIRD_PLURAL
            and lemma not in _LOOKS  # "de är fula tomater"
        ):
            # "de är korkade", "ne on ihan tyhmiä": a group talked about; a person decides
            score = ORGANISATION_SCORE
        if score:
            first = index
            while first > clause[index] and forms[first - 1] in _VOCATIVE:
                first -= 1
            yield StructureHit(
                "personal_attack",
                score,
                tokens[first].start,
                token.end,
                f"structure:insult:{language}",
            )


def _vocative_at_end(text: str, tokens: Sequence[Token], index: int) -> bool:
    """A bare insult noun after a comma that ends its sentence ("…, pelle!")."""
    if index == 0 or "," not in text[tokens[index - 1].end : tokens[index].start]:
        return False
    rest = text[tokens[index].end : tokens[index + 1].start if index + 1 < len(tokens) else None]
    return index + 1 == len(tokens) or bool(_CLAUSE_END.search(rest))


_PLURAL_ENDINGS = {"sv": ("er", "ar", "or", "na"), "fi": ("t", "ja", "jä", "ita", "itä")}


def _plural(form: str, lemma: str) -> bool:
    """Is an insult word's form a plural of its lemma ("idioter", "idiootit", "pajasar")?"""
    if form == lemma:
        return False
    return form.endswith(_PLURAL_ENDINGS["sv"]) or form.endswith(_PLURAL_ENDINGS["fi"])


_YOU_ARE = frozenset({"you", "are"})
_SINGULAR_YOU = _words("du sinä sä sää")
_YOU_COPULA = _words("är e va olet oot")


def _you_are(words: Sequence[str]) -> set[str]:
    """Which of "you" (singular) and "are" the words hold."""
    found = set()
    if not _SINGULAR_YOU.isdisjoint(words):
        found.add("you")
    if not _YOU_COPULA.isdisjoint(words):
        found.add("are")
    if "olet" in words or "oot" in words or "youre" in words:
        found |= _YOU_ARE  # the Finnish verb carries the person
    if ("you" in words or "u" in words) and ("are" in words or "r" in words):
        found |= _YOU_ARE
    return found


def _head_follows(forms: Sequence[str], index: int) -> bool:
    return any(word in _HEAD for word in forms[index + 1 : index + 3])


def _person_subject(text: str, tokens: Sequence[Token], window: Sequence[str], index: int) -> bool:
    """A role, a pronoun or a name (a capitalised, uncommon word) before the copula."""
    if set(window) & PERSON_NOUNS:
        return True
    for token in tokens[max(0, index - len(window)) : index]:
        written = text[token.start : token.end]
        if written[:1].isupper() and not written.isupper() and token.form not in COPULA:
            if not any(morphology.common(token.form, lang) for lang in morphology.LANGUAGES):
                return True
    return False
