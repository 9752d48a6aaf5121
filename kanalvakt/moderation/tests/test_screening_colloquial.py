"""Issue 8, fourth round: colloquial self-harm, threats and incitement by structure, secrecy."""

import pytest

from kanalvakt.moderation.screening import ScreeningConfig, screen

RULES = ScreeningConfig.default(use_learned=False)


@pytest.mark.parametrize(
    "text",
    [
        "orkar inte leva längre",
        "ja orkar int leva mer ärligt",
        "pallar inte leva mer",
        "vill bara försvinna från allt",
        "jag tänker ta mina piller ikväll",
        "Önskar att jag var död",
        "har inget att leva för längre 😔",
        "Ingen skulle ens märka om jag dog",
        "alla skulle må bättre utan mig",
        "började skära mig igen efter det där",
        "Jag tänker hoppa från bron i natt",
        "Hejdå allihop, ni ser mig aldrig mer",
        "en jaksa enää",
        "haluun kuolla",
        "ei oo mitään järkee elää",
        "viillän itteäni taas",
        "tapan itteni",
        "kukaan ei kaipais mua jos kuolisin",
        "aion ottaa kaikki mun lääkkeet tänään",
        "Toivon että olisin kuollut",
        "hyppään sillalta ens yönä",
        "kaikilla olis parempi ilman mua",
    ],
)
def test_colloquial_self_harm_goes_to_a_person_and_is_never_removed(text: str) -> None:
    result = screen(text, config=RULES)
    assert result.escalate
    assert result.action == "review"
    assert all(f.action == "review" for f in result.findings if f.category == "self_harm")


@pytest.mark.parametrize(
    "text",
    [
        "Jag dör av skratt 😂😂",
        "Orkar inte med den här byråkratin längre!!",
        "Vill bara försvinna under en filt när det regnar så här",
        "Jag ville dö av skam när bussen inte kom",
        "Jag vill inte leva i en stad utan bibliotek",
        "Var kan man få stöd om en anhörig har självmordstankar?",
        "Kuolen nauruun 😂",
        "En jaksa enää tätä kaavoitussotkua, korjatkaa se",
        "haluun kuolla häpeästä kun muistan sen",
        "Mä en halua elää tällaisessa kunnassa",
        "Mistä saa apua jos läheisellä on itsemurha-ajatuksia?",
        "Isäni teki itsemurhan, puhukaa jos on paha olla",
    ],
)
def test_idioms_complaints_and_questions_about_others_are_not_self_harm(text: str) -> None:
    assert not screen(text, config=RULES).escalate
