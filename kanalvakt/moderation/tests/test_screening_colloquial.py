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


def _found(text: str) -> dict[str, str]:
    return {f.category: f.action for f in screen(text, config=RULES).findings}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("vet var du bor", "threat"),
        ("Om ni inte river beslutet så bränner jag ner stället", "threat"),
        ("Om du inte slutar så slår jag sönder din bil", "threat"),
        ("jos ette peru päätöstä niin poltan koko kunnantalon", "threat"),
        ("akta dig när du går hem ikväll", "threat"),
        ("varo vaan kun kävelet illalla kotiin", "threat"),
        ("jag ska spöa skiten ur dig nästa gång jag ser dig", "threat"),
        ("mä vedän sua turpaan", "threat"),
        ("gå dit och ge honom stryk", "incitement"),
        ("någon borde slå ner den där typen", "incitement"),
        ("Kom igen, vi åker dit och krossar rutorna på hans bil", "incitement"),
        ("menkää hakkaamaan se", "incitement"),
        ("Mennään sinne ja hakataan ne kaikki", "incitement"),
        ("joku vois polttaa sen talon", "incitement"),
        ("jonkun pitäis vetää sitä turpaan", "incitement"),
        ("Hon har så snygg rumpa", "sexual_harassment"),
        ("sillä on tosi hyvä perse", "sexual_harassment"),
    ],
)
def test_threats_calls_to_harm_and_body_remarks_by_structure_are_removed(
    text: str, category: str
) -> None:
    assert _found(text).get(category) == "remove"


@pytest.mark.parametrize(
    "text",
    [
        "Om ni inte ändrar beslutet så röstar vi bort er i valet",
        "Om ni inte ändrar beslutet så bränner vi våra valsedlar",
        "om ni inte svarar så skjuter vi upp mötet",
        "Om ni inte lagar vägen så spöar jag inte någon",
        "Jos ette peru päätöstä niin äänestämme teidät ulos",
        "Vi åker dit och bränner korv",
        "Någon borde slå näven i bordet på nämnden",
        "någon borde slå ner på fusket",
        "akta dig för halkan på torget",
        "varo vaan liukkaita teitä",
        "mennään polttamaan makkaraa",
        "lähdetään hakkaamaan puita",
        "Vet någon var man lämnar grovsopor?",
    ],
)
def test_conditions_at_the_ballot_box_barbecues_and_warnings_of_ice_are_not_threats(
    text: str,
) -> None:
    assert not set(_found(text)) & {"threat", "incitement", "sexual_harassment"}


@pytest.mark.parametrize(
    "text",
    [
        "min granne är inskriven på psyk sen i måndags",
        "Soc tog hennes ungar förra veckan, alla vet varför",
        "han har skyddad identitet men bor på Storgatan 5",
        "sossut vei sen lapset viime viikolla",
        "naapuri on suljetulla osastolla psykiatrisessa",
        "sillä on turvakielto mutta se asuu Koulukadulla",
    ],
)
def test_someone_elses_care_case_or_protected_address_goes_to_a_person(text: str) -> None:
    assert _found(text).get("secrecy") == "review"


@pytest.mark.parametrize(
    "text",
    [
        "jag var inskriven på psyk i fem år och fick bra hjälp",
        "Hur ansöker man om skyddad identitet?",
        "Miten haetaan toimeentulotukea Kelasta?",
    ],
)
def test_ones_own_story_and_questions_are_not_secrecy(text: str) -> None:
    assert "secrecy" not in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "de är korkade allihop i det där gänget på torget",
        "dom är så jävla dumma i huvudet",
        "ne on ihan tyhmiä",
        "ne on luuserieta kaikki",
        "He ovat säälittäviä",
    ],
)
def test_insults_about_a_group_talked_about_go_to_a_person(text: str) -> None:
    assert _found(text).get("personal_attack") == "review"


@pytest.mark.parametrize(
    "text",
    ["de är inte dumma", "de är fula tomater", "Ne on sairaita lapsia jotka tarvitsee apua"],
)
def test_a_negated_or_looks_only_remark_about_them_is_not_an_insult(text: str) -> None:
    assert "personal_attack" not in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "finns ingen anledning för mig att leva",
        "har samlat ihop tabletter, det får räcka nu",
        "skulle va skönt att bara slippa vakna",
        "jag förtjänar inte att leva",
        "mä lopetan tän kaiken tänä yönä",
        "ei oo mitään syytä jatkaa",
        "oon kerännyt pillereitä, kohta riittää",
        "Anteeks äiti, en halua olla enää olemassa",
        "ois ihanaa vaan olla heräämättä",
        "en ansaitse elää",
    ],
)
def test_no_reason_to_live_and_gathered_pills_go_to_a_person(text: str) -> None:
    assert screen(text, config=RULES).escalate


@pytest.mark.parametrize(
    "text",
    [
        "han förtjänar inte att leva",  # about someone else: not self-harm
        "Jag klarar inte mer av era höjda avgifter",
        "ei oo mitään syytä jatkaa tätä keskustelua",
    ],
)
def test_others_and_complaints_are_not_self_harm(text: str) -> None:
    assert not screen(text, config=RULES).escalate


@pytest.mark.parametrize(
    ("text", "category", "action"),
    [
        ("nästa gång blir det kniven", "threat", "remove"),
        ("ens kerralla on puukko mukana", "threat", "remove"),
        ("du ska få se vad som händer när jag hittar dig", "threat", "review"),
        ("tuun sun kotiin tänään ja sit saatana", "threat", "review"),
        ("kvinnor ska hålla käften och stå vid spisen", "sexual_harassment", "remove"),
        ("naisten paikka on hellan ääressä turpa kiinni", "sexual_harassment", "remove"),
        ("panisin sitä niin kovaa ettei se pystyis kävelee", "sexual_harassment", "remove"),
        ("skulle knulla henne så hårt hon inte kunde gå", "sexual_harassment", "remove"),
        ("han sitter på avgiftning på Beroendecentrum, jag såg honom där", "secrecy", "review"),
        ("se on katkolla A-klinikalla, näin sen siellä", "secrecy", "review"),
    ],
)
def test_second_batch_of_threats_sexism_and_secrecy(text: str, category: str, action: str) -> None:
    assert _found(text).get(category) == action


@pytest.mark.parametrize(
    "text",
    [
        "Nästa gång tar jag med kniven och skär upp tårtan",
        "Kniven hittades i diket enligt polisen",
        "Puukko löytyi ojasta poliisin mukaan",
        "jag satt på avgiftning i tre veckor",
        "Mä olin katkolla viime vuonna",
        "Har soc öppet i mellandagarna?",
        "Kommunen är usel på snöröjning",
        "Olet surkea kunnanjohtaja",  # lousy at the job: criticism, not an insult
    ],
)
def test_cake_knives_police_news_and_own_recovery_are_left_alone(text: str) -> None:
    assert not set(_found(text)) & {"threat", "secrecy", "personal_attack"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("bögar borde inte få vara lärare", "hate_speech"),
        ("homot ei sais olla opettajina", "hate_speech"),
        ("Ses i parkeringen efter mötet, kom ensam", "threat"),
        ("Nähdään parkkipaikalla kokouksen jälkeen, tuu yksin", "threat"),
    ],
)
def test_a_group_barred_and_a_meeting_alone_go_to_a_person(text: str, category: str) -> None:
    assert _found(text).get(category) == "review"


@pytest.mark.parametrize(
    "text",
    [
        "Vi ses på mötet, kom själv eller ta med en vän",
        "Ses på föräldramötet, kom ensam eller med barnen",
        "Kvinnor borde inte få betala mer än män",
        "Invandrare borde inte få vänta så länge på SFI",
    ],
)
def test_invitations_and_claims_for_a_group_are_left_alone(text: str) -> None:
    assert not set(_found(text)) & {"threat", "hate_speech"}


@pytest.mark.parametrize(
    "text",
    [
        "Varokaa vaan kun seuraavat vaalit tulee!",
        "varo vaan ku vaalit tulee, muistetaan tää",
        "Jos ette puutu tähän niin rahaa poltetaan jatkossakin",
        "Jos ette kuuntele niin ammumme sen alas valtuustossa",
        "me ammumme teidän esityksen alas",
        "Akta er när valet kommer, vi glömmer inte",
        "Om ni inte lyssnar så krossar vi er i valet",
        "om ni inte ändrar er så skjuter vi ner förslaget",
        "vi går ut och krossar dem i valet",
        "lähdetään polttamaan sen juhannuskokon",
        "mennään sinne ja rikotaan ennätys",
    ],
)
def test_warnings_of_the_next_election_and_proposals_shot_down_are_never_removed(
    text: str,
) -> None:
    assert screen(text, config=RULES).action != "remove"


def test_a_warning_to_many_goes_to_a_person_and_to_one_is_removed() -> None:
    assert _found("varokaa vaan kun kävelette illalla kotiin").get("threat") == "review"
    assert _found("varo vaan kun kävelet illalla kotiin").get("threat") == "remove"


@pytest.mark.parametrize(
    "text",
    [
        "Varo vaan ettet joudu vastuuseen tästä",
        "Äänestäjien pitäis antaa näille pataan vaaleissa",
        "Kunnan pitäisi hakata ne lahot puut puistosta",
        "Menkää hakkaamaan sitä metsää",
        "Jos ette peru tätä niin poltan jäsenkorttini",
    ],
)
def test_figures_of_speech_tree_felling_and_protest_are_never_removed(text: str) -> None:
    assert screen(text, config=RULES).action != "remove"


@pytest.mark.parametrize(
    "text",
    [
        "tänker göra slut på mitt liv",
        "har skrivit ett avskedsbrev till mamma",
        "det här är sista gången ni hör från mig",
        "vill bara sova och aldrig vakna",
        "livet känns så meningslöst",
        "haluun nukkua enkä herätä ikinä",
        "kirjotin jo jäähyväiskirjeen",
        "en nää mitään syytä elää",
        "teen itelleni jotain tänään",
        "tää oli mun viimenen viesti",
    ],
)
def test_farewell_letters_and_wishes_not_to_wake_go_to_a_person(text: str) -> None:
    assert screen(text, config=RULES).escalate


@pytest.mark.parametrize(
    "text",
    [
        "Vi måste göra slut på allt fusk i kommunen",
        "han tänker på döden hela tiden sen olyckan",
        "Det är sista gången ni hör från mig i den här tråden om parkeringen",
        "Teen itselleni jotain hyvää tänään, kakkua",
        "Livet är inte värt att leva utan bibliotek säger de",
        "Budjetti on ihan turhaa paperia",
    ],
)
def test_fraud_a_thread_left_and_cake_are_not_self_harm(text: str) -> None:
    assert not screen(text, config=RULES).escalate
