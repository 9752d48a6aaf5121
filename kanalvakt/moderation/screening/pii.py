"""Personal data in a comment: identity numbers, e-mail addresses, phone numbers.

Swedish personnummer and samordningsnummer are found in any common format
(YYMMDD-NNNN, YYMMDDNNNN, YYYYMMDD-NNNN, YYMMDD+NNNN, with spaces) and kept
only when python-stdnum accepts the date and the Luhn check digit; a
samordningsnummer is a personnummer with 60 added to the day. Finnish
henkilötunnus (DDMMYY-NNNC with every century sign, also the 2023 ones
Y X W V U B C D E F) is checked by `stdnum.fi.hetu`. These run on the text
after NFKC and removal of zero-width characters, never on leetspeak.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum import luhn
from stdnum.fi import hetu
from stdnum.se import personnummer

from kanalvakt.moderation.screening.normalise import clean

# 10 or 12 digits, optionally with spaces, and a - or + before the last four.
_SE_NUMBER = re.compile(
    r"(?<![\w+\-])(\d{2}[ ]?)?(\d{2})[ ]?(\d{2})[ ]?(\d{2})[ ]?([-+–][ ]?|[ ]?)(\d{3}[ ]?\d)(?!\w)"
)
_FI_HETU = re.compile(r"(?<!\w)(\d{6})([-+A-FU-Y])(\d{3}[0-9A-Y])(?!\w)", re.IGNORECASE)
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}(?!\w)"
)
# International (+46 70 …, +358 40 …, 0046…) or national (070-123 45 67, 040 123 4567).
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)(?:46|358|47|45)[ \-]?(?:\(0\))?[ \-]?|0)"
    r"\d{1,3}(?:[ \-/]?\d{2,4}){2,4}(?!\d)"
)

_DIGIT = re.compile(r"\d")
_ID_SHAPE = re.compile(r"(?:\d{2})?\d{6}[-+]\d{4}")
# An organisation's switchboard or service number is not personal data: the
# words just before it name the desk, or it ends in the round 00 00 / 000 of
# a switchboard (0926-750 00, 09 310 11111 is not: it is checked by the words).
_DESK = re.compile(
    r"(?i)(?:v[äa]xel\w*|kundtj[äa]nst\w*|kontaktcenter\w*|servicecenter\w*|reception\w*"
    r"|medborgarservice|kommunen\w*|kommunens|stadens|regionens|f[öo]rvaltning\w*|kansli\w*"
    r"|vaihde\w*|asiakaspalvelu\w*|neuvonta\w*|palvelupiste\w*|kaupungin|kunnan|viraston"
    r"|kirjaamo\w*|switchboard|customer service|helpdesk|support|tel(?:efon)?tid\w*"
    r"|puhelinaika\w*|jourhavande|p[åa]jour|dygnet runt|kriisipuhelin\w*|auttava puhelin"
    r"|p[äa]ivystys\w*|hj[äa]lplinje\w*|st[öo]dlinje\w*|jourtelefon\w*|mieli ry\w*"
    r"|sj[äa]lvmordslinjen|hotline|helpline|crisis line)[^\d\n]{0,30}$"
)
_ROUND = re.compile(r"(?:0[ \-]?0[ \-]?0[ \-]?0|00 ?0)$")


@dataclass(frozen=True)
class PiiHit:
    kind: str  # personnummer | samordningsnummer | henkilotunnus | email | phone
    start: int
    end: int


def is_swedish_id(digits: str, separator: str = "-") -> str | None:
    """'personnummer', 'samordningsnummer' or None for 10 or 12 digits."""
    separator = "+" if separator == "+" else "-"
    if len(digits) not in (10, 12) or not digits.isdigit():
        return None
    if personnummer.is_valid(digits[:-4] + separator + digits[-4:]):
        return "personnummer"
    day = int(digits[-6:-4])
    if 61 <= day <= 91 and luhn.is_valid(digits[-10:]):
        birth = f"{digits[:-6]}{day - 60:02d}"
        try:
            personnummer.get_birth_date(birth + separator + digits[-4:])
        except ValueError:
            return None
        return "samordningsnummer"
    return None


# DDMMYY-NNNN with a digit check character is also the shape of a Swedish
# personnummer: in a text that is not Finnish and does not speak of a
# henkilötunnus, such a number is not taken for one (a Swedish number with a
# wrong check digit is often a valid henkilötunnus by chance).
_SWEDISH_SHAPED = re.compile(r"\d{6}[-+]\d{4}")
_HETU_WORDS = re.compile(r"(?i)hetu|henkilötunnu|sotu|personbeteckning")


def _spans(text: str, finnish: bool) -> Iterator[PiiHit]:
    taken: list[tuple[int, int]] = []
    for found in _SE_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", found.group(0))
        separator = found.group(5).strip()
        kind = is_swedish_id(digits, separator)
        if kind:
            taken.append(found.span())
            yield PiiHit(kind, *found.span())
    for found in _FI_HETU.finditer(text):
        if hetu.is_valid(found.group(0).upper()) and (
            finnish or not _SWEDISH_SHAPED.fullmatch(found.group(0))
        ):
            taken.append(found.span())
            yield PiiHit("henkilotunnus", *found.span())
    for found in _EMAIL.finditer(text):
        taken.append(found.span())
        yield PiiHit("email", *found.span())
    for found in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", found.group(0))
        overlaps = any(start < found.end() and found.start() < end for start, end in taken)
        # YYMMDD-NNNN is the shape of an identity number, not of a phone number
        id_shaped = _ID_SHAPE.fullmatch(found.group(0)) is not None
        desk = _DESK.search(text[max(0, found.start() - 60) : found.start()]) is not None
        round_number = _ROUND.search(found.group(0)) is not None
        if 7 <= len(digits) <= 13 and not overlaps and not id_shaped and not desk:
            if not round_number:
                yield PiiHit("phone", *found.span())


def find(text: str, language: str = "fi") -> Iterator[PiiHit]:
    """Personal data in `text`, with offsets into `text` itself.

    `language` is the text's language; in a text that is not Finnish a
    digits-only henkilötunnus needs a word for it nearby (see _SWEDISH_SHAPED).
    """
    if text.isascii() and "@" not in text and _DIGIT.search(text) is None:
        return  # every kind needs a digit, an e-mail address an @ (ASCII is its own NFKC)
    cleaned, offsets = clean(text)
    if not cleaned or ("@" not in cleaned and _DIGIT.search(cleaned) is None):
        return
    finnish = language == "fi" or _HETU_WORDS.search(cleaned) is not None
    for hit in _spans(cleaned, finnish):
        yield PiiHit(hit.kind, offsets[hit.start], offsets[hit.end - 1] + 1)
