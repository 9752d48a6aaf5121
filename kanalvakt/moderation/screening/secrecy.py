"""Someone else's confidential matters passed on: for a person to judge (issue 8, fifth round).

Health, diagnoses, social services, custody, a protected address or a prison
term are sensitive; a comment that tells them about *another* person — named,
or pointed at ("pojken i 8B", "sen Mikon", "grannen") — and says how the
writer knows or tells others to know ("jobbar på BUP", "kerto mulle",
"tiedoks", "nu vet ni", "älkää kertoko") breaks a confidence (sekretess,
vaitiolovelvollisuus). The finding is `secrecy` at 0.6, review only: the
writer's own story ("jag har adhd", "mulla on masennus"), a question about a
service or a news report without a person has no such cue and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kanalvakt.moderation.screening import gates, morphology
from kanalvakt.moderation.screening.normalise import Normalised
from kanalvakt.moderation.screening.structure import StructureHit, _words

SCORE = 0.6

# Sensitive matters, as stems (a word starting so) over the normalised words.
SENSITIVE_STEMS = (
    # Swedish: diagnoses and care
    "diagnos adhd autism cancer demens epilepsi schizofren bipolär anorexi depression"
    " utmattningssyndrom hiv abort missbruk narkoman psykakut psykiatri bup lvu"
    " omhändertag familjehem jourhem hvb sis-hem orosanmälan försörjningsstöd"
    " ekonomiskt bistånd skyddad identitet skyddad adress hemlig adress tvångsintag"
    " självmordsförsök dyslexi antidepressiv journal åtgärdsprogram särskola"
    " hjärnblödning sjukskriven neuropsykiatrisk inskriven avgiftning placerad"
    " besöksförbud kontaktförbud"
    # Finnish: the same, as stems Voikko-free (slang and spoken forms included)
    " lastensuojelu huostaan sijoitettu sijoitettiin sijaisperhe lastenkoti turvakoti"
    " turvakielto psykiatri masennu autismi syöpä syöpähoid dementoitu päihde katkolla"
    " itsemurha syömishäiriö anoreksia raskaana lukihäiriö erityisluoka erityistu"
    " mielisairaala mielenterveys diagnoosi saattohoi vankila sossu sosiaalitoimi"
    " toimeentulotu kuraattori hojks turvapaikkapäätös karkotetaan aivoinfarkti"
    " keliakia diabetes itsetuhoi pakkohoi lähestymiskiel valvontapanta infektiopoli"
    " nuorisopsykiatri osastolla osastolle suljetulla"
).split()
_SENSITIVE = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, SENSITIVE_STEMS)) + r")")

# How the writer knows, or a call to pass it on.
_CUE = re.compile(
    r"(?<!\w)(?:jobbar (?:p[åa]|d[äa]r|inom)|vet jag|jag vet|berättade|ber[äa]ttat|sa att"
    r"|s[äa]ger att|har h[öo]rt|h[öo]rt fr[åa]n|nu vet ni|vet ni|det st[åa]r i|heter"
    r"|hennes namn|hans namn|enligt (?:journalen|utredningen)|s[åa]g listan|min \w+ som [äa]r"
    r"|kerto|kertoi|kertonu|sano|sanoi|tiedoks|tiedoksi|tiesittekö|tiiäks|tiiättekö|tiedän"
    r"|tiedetään|kaikki tietää|älkää kertoko|kuulin|töissä|työskentelevänä|hoitajana"
    r"|opettajana|ohjaajana|nimi on|kuvakaappaus|kopioitu|näin sen|voin kertoa)(?!\w)"
)
# A third person pointed at (a name is found separately: a capitalised, uncommon word).
THIRD_PERSON = _words(
    """han hon hans hennes honom henne pojken flickan killen tjejen grannen eleven mannen
    kvinnan dottern sonen familjen gubben läraren kommunalrådet kommunalrådets
    se sen sillä sil sille siltä hän hänen hänellä poika tyttö naapuri naapurin perhe
    perheen äiti isä mutsi faija luokkalainen oppilas""",
)


def _named(text: str, normalised: Normalised) -> bool:
    """A capitalised word that is no common word, not the first of the text."""
    for token in normalised.tokens[1:]:
        written = text[token.start : token.end]
        if written[:1].isupper() and not written.isupper() and len(written) > 2:
            form = token.form
            if not any(morphology.common(form, lang) for lang in morphology.LANGUAGES):
                return True
    return False


def find(text: str, normalised: Normalised, language: str) -> Iterator[StructureHit]:
    joined = normalised.joined
    if not gates.candidates(joined, gates.SECRECY):  # a sensitive word starts a word
        return
    sensitive = _SENSITIVE.search(joined)
    if sensitive is None or not _CUE.search(joined):
        return
    forms = set(joined.split())
    if forms & THIRD_PERSON or _named(text, normalised):
        word_end = joined.find(" ", sensitive.end())
        start, end = normalised.span(sensitive.start(), word_end if word_end > 0 else len(joined))
        yield StructureHit("secrecy", SCORE, start, end, f"structure:secrecy:{language}")
