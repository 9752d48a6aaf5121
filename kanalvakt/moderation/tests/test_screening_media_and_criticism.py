"""Shared copyright material and violence are found by structure; criticism is never removed."""

from __future__ import annotations

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, screen

CONFIG = ScreeningConfig.default(use_learned=False)
FULL = ScreeningConfig.default()


def _categories(text: str) -> set[str]:
    return {finding.category for finding in screen(text, config=CONFIG).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Streama hela matchen gratis här utan konto: www.fotbollslive.xyz",
        "Ladda ner läroboken som gratis pdf här, ingen behöver köpa den",
        "Billig IPTV med alla kanaler, 2000 kanaler för 99 kr i månaden",
        "Här är hela artikeln från tidningen eftersom den ligger bakom betalvägg:",
        "Katso koko ottelu ilmaiseksi tästä linkistä: www.urheilulive.xyz",
        "Tässä koko artikkeli kun se on maksumuurin takana:",
    ],
)
def test_pirated_works_are_copyright_for_review(text: str) -> None:
    result = screen(text, config=CONFIG)
    found = [f for f in result.findings if f.category == "copyright"]
    assert found and all(f.action == "review" for f in found)


def test_a_song_pasted_whole_is_copyright() -> None:
    verse = "Jag har en dröm\nom en värld utan krig\ndär alla får leva\ni frid och i ljus\n"
    chorus = "Jag har en dröm\nom en värld utan krig\noch solen går upp\növer berg och hav"
    assert "copyright" in _categories(verse + chorus)


@pytest.mark.parametrize(
    "text",
    [
        "Kolla videon där han misshandlas utanför stationen, helt sjukt",
        "Sprid filmen på när hon blir knivhuggen så alla ser",
        "Katsokaa video jossa sitä hakataan asemalla, veri lentää",
        "Levittäkää tätä videota kun ne potkii sitä päähän",
    ],
)
def test_passing_on_a_recording_of_violence_is_violence_depiction(text: str) -> None:
    assert "violence_depiction" in _categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Polisen har fått in en film på misshandeln och vill ha fler tips",
        "Poliisi pyytää vinkkejä asemalla tapahtuneesta pahoinpitelystä",
        "Finns filmen om kommunens historia att se gratis på biblioteket?",
        "Var kan man ladda ner blanketten för bygglov?",
        "Koko kausi meni pieleen, mutta ensi vuonna paremmin",
        "Han är lik sin pappa på bilderna",
    ],
)
def test_news_questions_and_ordinary_words_are_not_flagged(text: str) -> None:
    assert not _categories(text) & {"copyright", "violence_depiction"}


@pytest.mark.parametrize(
    "text",
    [
        "Ni är inkompetenta idioter allihop på tekniska",
        "Ni är en samling pajasar i fullmäktige",
        "Skäms kommunen, ni är patetiska lögnare",
        "Ni borde avgå, era idioter",
        "Olette idiootteja jos lopetatte koulun",
        "Kunnan päättäjät on ihan pihalla, idiootit",
        "Hävetkää, senkin pellet",
        "Polttakaa tämä kaava roskikseen",
        "Tämä päätös pitäisi ampua alas heti",
    ],
)
def test_criticism_of_the_organisation_goes_to_a_person_not_to_removal(text: str) -> None:
    assert screen(text, config=FULL).action != "remove"


@pytest.mark.parametrize(
    "text",
    [
        "Erik du är en patetisk lögnare och alla vet det",
        "Håll käften din feta idiot",
        "Senkin idiootti",
        "Sä et tiedä mitään, pelle",
        "Tappakaa ne",
    ],
)
def test_an_insult_at_one_person_and_a_call_to_kill_are_still_removed(text: str) -> None:
    assert screen(text, config=CONFIG).action == "remove"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Helvetin huono päätös taas", "none"),  # one mild swear: stressed criticism
        ("Det är så jävla dåligt skött", "none"),
        ("Vitun tyhmä perkele", "review"),  # mild words piled up: a person looks
        ("Jävla dumskalle, för helvete", "review"),
        ("Fuck fuck fuck", "none"),  # one word repeated is still one mild word
    ],
)
def test_mild_words_count_only_together(text: str, action: str) -> None:
    assert screen(text, config=CONFIG).action == action


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Invandrarna förstör allt", "review"),
        ("Maahanmuuttajat pilaavat Suomen", "review"),
        ("Inte alla invandrare förstör landet", "none"),
        ("Kommunen förstör allt med sina beslut", "none"),
    ],
)
def test_a_group_blamed_for_ruining_the_country_goes_to_a_person(text: str, action: str) -> None:
    assert screen(text, config=CONFIG).action == action
