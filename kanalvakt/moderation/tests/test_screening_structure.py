"""Insults and threats by sentence structure; the self-harm signal (issue 8)."""

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, screen

RULES = ScreeningConfig.default(use_learned=False)


def _categories(text: str, action: str = "remove") -> set[str]:
    return {f.category for f in screen(text, config=RULES).findings if f.action == action}


@pytest.mark.parametrize(
    "text",
    [
        "Du borde skämmas, din lögnare",
        "Håll käften din pajas",
        "Vilken hycklare du är",
        "du e en sån fjant asså",
        "Senkin pässi",
        "Turpa kiinni senkin valehtelija",
        "sä oot ihan aivokuollut",
        "Mikä luuseri sinä olet",
        "senkin p*ska",
    ],
)
def test_an_insult_aimed_at_a_person_is_suggested_for_removal(text: str) -> None:
    assert "personal_attack" in _categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Du är ingen lögnare, du har bara fel",
        "Et sinä mikään pässi ole, olet vain väärässä",
        "Ni är patetiska som inte kan svara på en enkel fråga",
        "Te olette säälittäviä kun ette vastaa",
        "Vilka idioter som planerade den här korsningen",
        "Pässi ja lammas laitumella kunnan tilalla",
        "Du är skit bra på att svara, tack!",
    ],
)
def test_negation_criticism_and_ordinary_words_are_not_removed(text: str) -> None:
    assert "personal_attack" not in _categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Jag vill döda dig",
        "Jag ska strypa dig och din familj",
        "Jag ska inte bara slå dig, jag ska döda dig",
        "Teurastan heidät",
        "Haluan tappaa sut tämän takia",
        "En vain lyö sinua, vaan tapan sinut",
        "Poltan talosi",
        "Någon borde skjuta henne",
    ],
)
def test_threats_are_found_by_structure(text: str) -> None:
    assert _categories(text) & {"threat", "incitement"}


@pytest.mark.parametrize(
    "text",
    [
        "Jag skulle aldrig döda någon",
        "En tapa ketään, olen vain vihainen",
        "Jag ska döda den där getingen i brevlådan",
        "Tapan kohta nuo ampiaiset postilaatikosta",
        "Kan man skjuta upp mötet?",
    ],
)
def test_negated_threats_and_harm_to_things_are_not_threats(text: str) -> None:
    assert not _categories(text) & {"threat", "incitement"}


@pytest.mark.parametrize(
    "text",
    [
        "Jag borde ta livet av mig",
        "jag orkar inte leva längre",
        "Pitäisi tappaa itseni",
        "En jaksa enää elää",
        "Haluan vain kuolla",
        "I want to kill myself",
    ],
)
def test_self_harm_escalates_to_a_person_and_is_never_removed(text: str) -> None:
    result = screen(text, config=RULES)
    assert result.escalate
    assert result.action == "review"
    assert [f.category for f in result.findings if f.category == "self_harm"]
    assert all(f.action == "review" for f in result.findings)


@pytest.mark.parametrize(
    "text",
    [
        "Min bror tog livet av sig i våras",
        "Ring Självmordslinjen 90101 om du mår dåligt",
        "Den här hettan tar livet av mig",
        "Jag dör av skratt",
        "Tää helle tappaa mut",
        "kys",
    ],
)
def test_grief_helplines_idioms_and_attacks_are_not_self_harm(text: str) -> None:
    assert not screen(text, config=RULES).escalate


@pytest.mark.parametrize(
    "text",
    [
        "You have to stop calling women disgusting.",
        "I'm the bitch you wish you could be.",
        "Threatening to kill all women will get you thrown in jail.",
        "I love being a faggot, happy Pride!",
        "He bought a packet of fags at the corner store.",
        "Kys. är förkortning för kyss i mina sms.",
        "Sluta kalla folk för idioter här",
    ],
)
def test_mentions_reports_reclaimed_words_and_homonyms_are_not_removed(text: str) -> None:
    assert screen(text, config=RULES).action != "remove"


def test_a_slur_aimed_at_the_person_addressed_is_still_removed() -> None:
    assert screen("You are a faggot", config=RULES).action == "remove"


@pytest.mark.parametrize(
    "text",
    ["Kommunalrådet tar mutor av byggföretagen", "Kunnanjohtaja on varastanut rahaa"],
)
def test_an_accusation_of_a_crime_against_a_person_is_reviewed_as_defamation(text: str) -> None:
    findings = [f for f in screen(text, config=RULES).findings if f.category == "defamation"]
    assert findings and all(f.action == "review" for f in findings)


def test_a_crime_in_the_news_is_no_accusation() -> None:
    assert screen("Polisen grep en tjuv vid stationen igår", config=RULES).findings == []


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Inga fler judar i vår kommun! De är kackerlackor", "remove"),
        ("Ei enää yhtään somaleja meidän kuntaan, ne ovat rottia", "remove"),
        ("Inga fler flyktingar i kommunen, vi har inte råd", "review"),
        ("Att säga att muslimer är djur är vidrigt", "none"),
        ("Invandrare är välkomna. De är inte parasiter.", "none"),
    ],
)
def test_hate_by_reference_and_calls_to_exclude(text: str, action: str) -> None:
    assert screen(text, config=RULES).action == action


def test_a_bare_insult_after_a_comma_at_the_end_of_a_sentence_is_addressed() -> None:
    rules = ScreeningConfig.default(use_learned=False)
    for text in ("Sä et tiedä asiasta mitään, pelle", "Jag vet inte vad du menar, idiot."):
        assert screen(text, config=rules).action == "remove", text
    for text in ("Du är ingen idiot, du har bara fel", "Jag såg en clown, en pajas."):
        assert screen(text, config=rules).action == "none", text


def test_death_wishes_and_go_home_aimed_at_the_reader() -> None:
    rules = ScreeningConfig.default(use_learned=False)
    assert screen("Mene nyt vaan kuolemaan", config=rules).action == "remove"
    assert screen("Jag hoppas du dör", config=rules).action == "remove"
    assert screen("Hoppas ni dör av skratt", config=rules).action == "none"
    assert screen("Åk hem till ditt eget land", config=rules).action == "review"
    assert screen("Ootko ihan tyhmä?", config=rules).action == "remove"
    assert screen("Oletko tyytyväinen palveluun?", config=rules).action == "none"


def test_telling_someone_to_kill_themselves_or_wishing_them_illness_is_an_attack() -> None:
    rules = ScreeningConfig.default(use_learned=False)
    for text in (
        "Tapa itsesi.",
        "Ta livet av dig",
        "Hoppas du får cancer",
        "Toivottavasti saat syövän",
        "Sinua pitäisi lyödä",
        "Dig borde man slå ihjäl",
        "Du och dina likar är samhällets avskum",
    ):
        assert screen(text, config=rules).action == "remove", text
    for text in ("Hoppas du får en bra dag", "Toivottavasti saat vastauksen"):
        assert screen(text, config=rules).action == "none", text
    # the writer about themselves stays a self-harm signal, never a removal
    assert screen("Jag borde ta livet av mig", config=rules).escalate


def test_slang_voikko_does_not_know_and_a_negation_in_another_clause() -> None:
    rules = ScreeningConfig.default(use_learned=False)
    assert screen("Hävetkää, senkin luuseri", config=rules).action == "remove"
    # plural: the organisation or a group of its people addressed, a person decides
    assert screen("Hävetkää, senkin luusereita", config=rules).action == "review"
    assert screen("Ni på tekniska är en samling clowner", config=rules).action == "review"
    assert screen("Lyssna inte på Per, hon är en dumskalle", config=rules).action == "review"
    assert screen("Et sä oo mikään luuseri", config=rules).action == "none"


@pytest.mark.parametrize(
    "text",
    [
        "Du är så jävla dum",
        "Du är en förlorare",
        "Du är värdelös",
        "Olet häviäjä",
        "Olet typerä",
        "Olet arvoton",
    ],
)
def test_plain_insults_said_to_you_are_suggested_for_removal(text: str) -> None:
    assert "personal_attack" in _categories(text)


@pytest.mark.parametrize(
    "text",
    ["Ett dumt beslut", "Det var dumt av mig", "Olen sairas tänään", "Typerä päätös"],
)
def test_the_same_words_about_a_decision_or_oneself_are_not_insults(text: str) -> None:
    assert screen(text, config=RULES).action == "none"
