"""What the detectors find, what they leave alone, and the action they suggest."""

from __future__ import annotations

from pathlib import Path

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, screen
from kanalvakt.moderation.screening.pii import is_swedish_id

CONFIG = ScreeningConfig.default()
RULES_ONLY = ScreeningConfig.default(use_learned=False)
FIXTURES = Path(__file__).parent / "fixtures"
PERSONNUMMER = [
    line.strip()
    for line in (FIXTURES / "personnummer.txt").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def _formats(number: str) -> list[str]:
    """Every common way to write a 12-digit personnummer."""
    century, short, serial = number[:2], number[2:8], number[8:]
    return [
        f"{short}-{serial}",
        f"{short}{serial}",
        f"{century}{short}-{serial}",
        f"{century}{short}{serial}",
        f"{short} {serial}",
        f"{century}{short} - {serial}",
        f"{century} {short[:2]} {short[2:4]} {short[4:]}-{serial}",
    ]


def _categories(text: str, config: ScreeningConfig = RULES_ONLY) -> dict[str, str]:
    return {f.category: f.evidence for f in screen(text, config=config).findings}


def test_the_fixture_holds_the_whole_list() -> None:
    assert len(PERSONNUMMER) == 1000


def test_every_test_personnummer_is_found_in_every_format() -> None:
    missed = []
    for number in PERSONNUMMER:
        for written in _formats(number):
            text = f"Hej, mitt personnummer är {written}, ring mig."
            findings = screen(text, config=RULES_ONLY).findings
            found = [(f.detector, f.evidence, f.action) for f in findings]
            if found != [("personnummer", written, "remove")]:
                missed.append((written, found))
    assert missed == []


def test_personnummer_of_someone_over_a_hundred_is_written_with_plus() -> None:
    number = PERSONNUMMER[0]  # born 1890
    assert _categories(f"Farfar har {number[2:8]}+{number[8:]}")["personal_data"]


def test_a_wrong_check_digit_is_not_a_personnummer() -> None:
    number = PERSONNUMMER[1]
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert "personal_data" not in _categories(f"Ordernummer {broken[2:]}")


def test_samordningsnummer_is_found() -> None:
    # day 63 = the 3rd with 60 added; the check digit is computed like a personnummer's
    assert is_swedish_id("7010632391") == "samordningsnummer"
    findings = screen("Mitt samordningsnummer: 701063-2391", config=RULES_ONLY).findings
    assert [(f.detector, f.evidence) for f in findings] == [("samordningsnummer", "701063-2391")]


@pytest.mark.parametrize("hetu", ["131052-308T", "010594A123F", "010594Y123F", "010594B123F"])
def test_finnish_henkilotunnus_with_every_century_sign(hetu: str) -> None:
    from stdnum.fi import hetu as checker

    if not checker.is_valid(hetu):  # compute the check character for the sample
        table = "0123456789ABCDEFHJKLMNPRSTUVWXY"
        hetu = hetu[:-1] + table[int(hetu[:6] + hetu[7:10]) % 31]
    findings = screen(f"Henkilötunnukseni on {hetu}", config=RULES_ONLY).findings
    assert [(f.detector, f.evidence) for f in findings] == [("henkilotunnus", hetu)]


def test_email_and_phone_numbers_are_personal_data_for_review() -> None:
    text = "Ring Anna på 070-123 45 67 eller +358 40 123 4567, eller mejla anna.svensson@example.se"
    result = screen(text, config=RULES_ONLY)
    found = {(f.detector, f.evidence) for f in result.findings}
    assert ("phone", "070-123 45 67") in found
    assert ("phone", "+358 40 123 4567") in found
    assert ("email", "anna.svensson@example.se") in found
    assert result.action == "review"


@pytest.mark.parametrize(
    "text",
    [
        "Kommunen sköter snöröjningen uselt",
        "Det här beslutet är helt fel",
        "Kommunen sköter snöröjningen jävligt uselt, skäms!",
        "Vilket idiotiskt beslut, ni borde avgå allihop",
        "Politikerna är inkompetenta och borde avgå",
        "Skandal! Ni har totalt misslyckats med skolan",
        "Kunta hoitaa lumitöitä surkeasti",
        "Tämä päätös on täysin väärä, hävetkää",
        "Päättäjät ovat täysin kyvyttömiä ja heidän pitäisi erota",
        "This decision is a disgrace and the council should resign",
        "Ni är helt värdelösa på att svara, tre veckor har jag väntat",
        "Det är ett hot mot demokratin när ni stänger biblioteket",
        "Vi vet inte var vi ska bo när ni river husen",
    ],
)
def test_criticism_of_the_organisation_is_never_suggested_for_removal(text: str) -> None:
    assert screen(text, config=CONFIG).action != "remove"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Jag ska döda dig", "threat"),
        ("Jag kommer att skjuta dig när du går hem", "threat"),
        ("Vi vet var du bor", "threat"),
        ("Tapan sinut", "threat"),
        ("Mä tapan sut huomenna", "threat"),
        ("Me tiedetään missä sä asut", "threat"),
        ("I will kill you", "threat"),
        ("I'm going to kill you", "threat"),
        ("We know where you live", "threat"),
        ("Någon borde bränna ner kommunhuset", "incitement"),
        ("Joku pitäisi ampua nuo", "incitement"),
        ("Someone should burn down the town hall", "incitement"),
        ("Invandrare är parasiter", "hate_speech"),
        ("Muslimer borde utrotas", "hate_speech"),
        ("Maahanmuuttajat ovat loisia", "hate_speech"),
        ("Immigrants are vermin", "hate_speech"),
        ("Din jävla neger", "hate_speech"),
        ("Sug min kuk", "sexual_harassment"),
    ],
)
def test_threats_incitement_hate_and_harassment_are_suggested_for_removal(
    text: str, category: str
) -> None:
    result = screen(text, config=RULES_ONLY)
    assert result.action == "remove"
    assert category in {f.category for f in result.findings if f.action == "remove"}


def test_negated_hate_is_not_flagged() -> None:
    assert screen("Immigrants are not vermin", config=RULES_ONLY).action == "none"


def test_findings_name_the_detector_and_a_score_between_zero_and_one() -> None:
    result = screen("Jag ska döda dig, din idiot", config=RULES_ONLY)
    detectors = {f.detector for f in result.findings}
    assert "pattern:threat:sv" in detectors
    assert "lexicon:sv" in detectors
    assert all(0.0 <= f.score <= 1.0 for f in result.findings)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kommunen sköter snöröjningen uselt och det är inte första gången", "sv"),
        ("Kunta hoitaa lumitöitä surkeasti, eikä tämä ole ensimmäinen kerta", "fi"),
        ("The council is doing a poor job with the snow this winter", "en"),
        ("Jeg synes ikke at det er en god idé, hvad med jer?", "other"),
        ("12345", "other"),
    ],
)
def test_language_is_identified_offline(text: str, language: str) -> None:
    assert screen(text, config=RULES_ONLY).language == language


def test_advertising_needs_a_link_and_sales_wording() -> None:
    advert = screen("Köp billiga klockor nu! Rabatt 70% på www.klockor-rea.se", config=RULES_ONLY)
    assert advert.action == "remove"
    assert {f.category for f in advert.findings} == {"advertising"}
    news = screen("Läs mer om beslutet på https://www.overkalix.se/nyheter", config=RULES_ONLY)
    assert news.action == "none"


def test_public_events_are_exempt_when_the_pack_says_so() -> None:
    text = (
        "Välkommen på konsert i parken på lördag! Gratis inträde, "
        "biljetter på www.sommarkonserter.se"
    )
    exempt = ScreeningConfig.default(use_learned=False, public_events_exempt=True)
    assert screen(text, config=exempt).action == "none"
    assert screen(text, config=RULES_ONLY).action != "none"


def test_a_plain_comment_yields_no_findings() -> None:
    result = screen("Tack för att ni fixade gatlyset så snabbt!", config=CONFIG)
    assert (result.action, result.findings) == ("none", [])


def test_quoted_hate_is_left_to_a_person() -> None:
    text = 'How can you say "immigrants are vermin" and not see that it is hateful?'
    result = screen(text, config=RULES_ONLY)
    assert result.action == "review"
    assert text[result.findings[0].start : result.findings[0].end] == "immigrants are vermin"


def test_a_reported_threat_whose_span_runs_past_the_quote_is_not_removed() -> None:
    text = 'Min dotter fick meddelandet "jag ska strypa dig" i skolan. Vad gör skolan?'
    assert screen(text, config=RULES_ONLY).action != "remove"
    assert screen("Jag ska strypa dig i skolan", config=RULES_ONLY).action == "remove"


def test_a_negation_just_before_the_words_is_respected() -> None:
    assert screen("I never said that immigrants are vermin", config=RULES_ONLY).action == "none"


def test_an_invalid_identity_number_is_not_taken_for_a_phone_number() -> None:
    assert screen("Ärende 000213-9815 gäller bygglov", config=RULES_ONLY).action == "none"


def test_a_slur_used_of_oneself_or_mentioned_is_only_reviewed() -> None:
    assert screen("Calling myself a faggot to annoy them", config=RULES_ONLY).action == "review"
    assert screen("It is not okay to be calling people tranny", config=RULES_ONLY).action == (
        "review"
    )
    assert screen("You faggot", config=RULES_ONLY).action == "remove"


def test_identity_attacks_by_group_and_predicate_in_swedish_and_finnish() -> None:
    for text in (
        "Varför är muslimer så äckliga?",
        "Jag avskyr verkligen invandrare.",
        "Judar hör hemma i ett zoo.",
        "Det flyttar in fler somalier. De borde utrotas.",
        "Minusta homot ovat vähempiarvoisia.",
        "Vitun maahanmuuttajat, olette arvottomia.",
        "Romanit kuuluvat eläintarhaan.",
    ):
        assert screen(text, config=RULES_ONLY).action == "remove", text
    # milder attributes and calls to deport: a person judges
    assert screen("Invandrare är lata", config=RULES_ONLY).action == "review"
    assert screen("Somalit pitäisi karkottaa", config=RULES_ONLY).action == "review"


def test_negated_or_harmless_group_and_burning_sentences_are_left_alone() -> None:
    for text in (
        "En ikinä sanoisi että muslimit ovat ällöttäviä.",
        "Pitäisi polttaa kaikki vanhat paperilomakkeet.",
        "Invandrare är inte parasiter, de är våra grannar.",
    ):
        assert screen(text, config=RULES_ONLY).action == "none", text


def test_forum_insults_and_slurs_aimed_at_a_person_are_removed_and_reclaimed_ones_are_not() -> None:
    for text in ("senkin kullinaama", "din jävla fjolla", "sä oot homo", "Oot ihan kretiini"):
        assert screen(text, config=RULES_ONLY).action == "remove", text
    for text in ("Som bög är jag stolt", "Olen ylpeä homo", "Lehmä laitumella", "Hinta nousi"):
        assert screen(text, config=RULES_ONLY).action == "none", text


def test_a_helpline_number_is_not_personal_data() -> None:
    text = "Jos on paha olla: MIELI kriisipuhelin 09 2525 0111 päivystää"
    assert screen(text, config=RULES_ONLY).action == "none"


def test_threats_and_calls_to_crime_beyond_the_fixed_phrasings() -> None:
    for text in (
        "Vänta du bara tills jag hittar dig, Erik",
        "Odota vaan kunnes löydän sinut",
        "Olet kuollut mies",
        "Någon borde knivhugga ordföranden",
        "Toivottavasti joku ampuu sen",
        "Toivottavasti sut raiskataan",
        "We should hang them all",
    ):
        assert screen(text, config=RULES_ONLY).action == "remove", text
    for text in (
        "Hoppas någon skjuter upp mötet",
        "We should just hang all these pictures.",
        "Saat kärsiä seurauksista",
        "Visa vägen till biblioteket",
    ):
        assert screen(text, config=RULES_ONLY).action == "none", text


def test_not_human_is_an_attack_and_ordinary_theft_reports_are_not_defamation() -> None:
    for text in (
        "Judar ska inte få bo här, de är inte riktiga människor",
        "Pakolaiset eivät ansaitse asua täällä, ne eivät ole oikeita ihmisiä",
        "Typiskt somalier, kackerlackor allihop",
    ):
        assert screen(text, config=RULES_ONLY).action == "remove", text
    assert screen("Per har stulit pengar från kassan", config=RULES_ONLY).action == "review"
    for text in ("Någon har stulit min cykel", "Invandrare är människor som alla andra"):
        assert screen(text, config=RULES_ONLY).action == "none", text


def test_a_negation_that_belongs_to_the_verb_and_hate_of_a_group_named_before() -> None:
    for text in (
        "I really can't stand women like you.",
        "Jag står inte ut med muslimer",
        "Muslimer flyttar hit, jag hatar dem",
        "Women think they're special. I hate them.",
    ):
        assert screen(text, config=RULES_ONLY).action == "remove", text
    for text in ("I don't hate immigrants", "I can't stand the new bus schedule"):
        assert screen(text, config=RULES_ONLY).action == "none", text


def test_inverted_calls_and_the_next_sentence_kasta_ut_dem() -> None:
    assert screen("Kvinnor är djur, inte människor.", config=RULES_ONLY).action == "remove"
    assert screen("Olisi parasta jos kaikki muslimit kuolisivat", config=RULES_ONLY).action == (
        "remove"
    )
    for text in (
        "Enligt min mening borde invandrare utvisas.",
        "Vi har för många flyktingar här. Kasta ut dem.",
        "Täällä on liikaa pakolaisia. Heittäkää ne ulos.",
    ):
        assert screen(text, config=RULES_ONLY).action == "review", text
    for text in ("Invandrare är människor, inte djur", "Invandrare är inte djur, de är människor"):
        assert screen(text, config=RULES_ONLY).action == "none", text
