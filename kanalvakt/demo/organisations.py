"""The five demo organisations, one per seed policy pack, described as data.

Each has units, people in every role, accounts on several platforms and a few
deliberate breaches of its policy so the warnings have something to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoAccount:
    platform: str
    handle: str
    display_name: str
    url: str
    unit: str
    purpose: str
    audience: str
    languages: tuple[str, ...] = ("sv",)
    purpose_fi: str = ""
    audience_fi: str = ""
    # Breaches to leave in place: "one_admin", "no_web_manager", "no_substitute",
    # "passive", "expired_mandate", "no_mandate", "profile_gap", "old_password",
    # "no_2fa", "no_credentials_location", "personal_email".
    breaches: tuple[str, ...] = ()
    status: str = "active"


@dataclass(frozen=True)
class DemoOrganisation:
    pack: str
    slug: str
    name: str
    kind: str
    country: str
    website: str
    switchboard: str
    units: tuple[tuple[str, str, str], ...]  # (name, kind, name_fi)
    people: tuple[tuple[str, str, str, str], ...]  # (username, first, last, role)
    accounts: tuple[DemoAccount, ...]
    name_fi: str = ""
    public_languages: tuple[str, ...] = ("sv",)
    pending_open: DemoAccount | None = None
    extra: dict[str, str] = field(default_factory=dict)


OVERKALIX = DemoOrganisation(
    pack="overkalix",
    slug="overkalix",
    name="Överkalix kommun",
    kind="municipality",
    country="SE",
    website="https://www.overkalix.se",
    switchboard="0926-740 00",
    units=(
        ("Kommunledningsförvaltningen", "administration", ""),
        ("Barn- och utbildningsförvaltningen", "administration", ""),
        ("Samhällsbyggnadsförvaltningen", "administration", ""),
        ("Kultur och fritid", "department", ""),
    ),
    people=(
        ("karin.lind", "Karin", "Lind", "comms_lead"),
        ("mats.berg", "Mats", "Berg", "manager"),
        ("anna.nilsson", "Anna", "Nilsson", "account_owner"),
        ("erik.strom", "Erik", "Ström", "substitute"),
        ("sara.holm", "Sara", "Holm", "publisher"),
        ("lena.aberg", "Lena", "Åberg", "registrar"),
        ("jonas.pekkala", "Jonas", "Pekkala", "case_officer"),
        ("olle.viklund", "Olle", "Viklund", "web_manager"),
        ("maria.rask", "Maria", "Rask", "publisher"),
    ),
    accounts=(
        DemoAccount(
            "facebook",
            "overkalixkommun",
            "Överkalix kommun",
            "https://www.facebook.com/overkalixkommun",
            "Kommunledningsförvaltningen",
            "Informera om kommunens service, nyheter och störningar och svara på frågor.",
            "Invånare, företagare och besökare i Överkalix",
        ),
        DemoAccount(
            "instagram",
            "overkalixkommun",
            "Överkalix kommun",
            "https://www.instagram.com/overkalixkommun",
            "Kommunledningsförvaltningen",
            "Visa livet i Överkalix och locka nya invånare.",
            "Unga vuxna och utflyttade överkalixbor",
            breaches=("profile_gap",),
        ),
        DemoAccount(
            "x",
            "overkalix",
            "Överkalix kommun",
            "https://x.com/overkalix",
            "Kommunledningsförvaltningen",
            "Snabb information vid störningar och kris.",
            "Medier och invånare",
        ),
        DemoAccount(
            "youtube",
            "overkalixkommun",
            "Överkalix kommun",
            "https://www.youtube.com/@overkalixkommun",
            "Kommunledningsförvaltningen",
            "Sända kommunfullmäktiges sammanträden.",
            "Invånare och förtroendevalda",
            breaches=("no_substitute",),
        ),
        DemoAccount(
            "facebook",
            "overkalixbibliotek",
            "Överkalix bibliotek",
            "https://www.facebook.com/overkalixbibliotek",
            "Kultur och fritid",
            "Tips om böcker och bibliotekets program.",
            "Låntagare i alla åldrar",
            breaches=("passive", "one_admin", "no_web_manager"),
        ),
        DemoAccount(
            "instagram",
            "fritidsgarden_overkalix",
            "Fritidsgården Överkalix",
            "https://www.instagram.com/fritidsgarden_overkalix",
            "Kultur och fritid",
            "Aktiviteter och öppettider på fritidsgården.",
            "Unga 13–19 år",
            breaches=("expired_mandate", "no_credentials_location"),
        ),
        DemoAccount(
            "bluesky",
            "overkalix.bsky.social",
            "Överkalix kommun",
            "https://bsky.app/profile/overkalix.bsky.social",
            "Kommunledningsförvaltningen",
            "Nyheter från kommunen för den som lämnat X.",
            "Invånare och medier",
        ),
        DemoAccount(
            "mastodon",
            "overkalix@mastodon.nu",
            "Överkalix kommun",
            "https://mastodon.nu/@overkalix",
            "Kommunledningsförvaltningen",
            "Nyheter från kommunen i det öppna fediversumet.",
            "Invånare och medier",
        ),
    ),
    pending_open=DemoAccount(
        "tiktok",
        "overkalix_ung",
        "Ung i Överkalix",
        "https://www.tiktok.com/@overkalix_ung",
        "Kultur och fritid",
        "Nå unga med information om sommarjobb och fritid.",
        "Unga 13–19 år",
    ),
)

DEGERFORS = DemoOrganisation(
    pack="degerfors",
    slug="degerfors",
    name="Degerfors kommun",
    kind="municipality",
    country="SE",
    website="https://www.degerfors.se",
    switchboard="0586-480 00",
    units=(
        ("Kommunstyrelseförvaltningen", "administration", ""),
        ("Kultur- och fritidsförvaltningen", "administration", ""),
        ("Socialförvaltningen", "administration", ""),
    ),
    people=(
        ("johanna.ek", "Johanna", "Ek", "comms_lead"),
        ("peter.larsson", "Peter", "Larsson", "manager"),
        ("linda.karlsson", "Linda", "Karlsson", "account_owner"),
        ("ahmed.hassan", "Ahmed", "Hassan", "substitute"),
        ("eva.sandberg", "Eva", "Sandberg", "publisher"),
        ("birgitta.olsson", "Birgitta", "Olsson", "registrar"),
        ("nils.gustafsson", "Nils", "Gustafsson", "case_officer"),
        ("kim.persson", "Kim", "Persson", "web_manager"),
    ),
    accounts=(
        DemoAccount(
            "facebook",
            "degerforskommun",
            "Degerfors kommun",
            "https://www.facebook.com/degerforskommun",
            "Kommunstyrelseförvaltningen",
            "Nyheter, service och dialog med invånarna.",
            "Invånare i Degerfors",
        ),
        DemoAccount(
            "x",
            "degerforskommun",
            "Degerfors kommun",
            "https://x.com/degerforskommun",
            "Kommunstyrelseförvaltningen",
            "Snabba besked och krisinformation.",
            "Medier och invånare",
            breaches=("old_password",),
        ),
        DemoAccount(
            "instagram",
            "degerforskommun",
            "Degerfors kommun",
            "https://www.instagram.com/degerforskommun",
            "Kommunstyrelseförvaltningen",
            "Bilder från Degerfors.",
            "Unga vuxna",
            breaches=("profile_gap", "no_2fa"),
        ),
        DemoAccount(
            "youtube",
            "degerforskommun",
            "Degerfors kommun",
            "https://www.youtube.com/@degerforskommun",
            "Kommunstyrelseförvaltningen",
            "Filmer om kommunens verksamheter.",
            "Invånare och blivande medarbetare",
        ),
        DemoAccount(
            "wordpress",
            "strommtorpsbloggen",
            "Strömtorpsbloggen",
            "https://blogg.degerfors.se/stromtorp",
            "Kultur- och fritidsförvaltningen",
            "Berätta om arbetet med Strömtorps idrottsplats.",
            "Föreningar och invånare",
            breaches=("personal_email", "no_substitute"),
        ),
    ),
)

SKELLEFTEA_KRAFT = DemoOrganisation(
    pack="skelleftea-kraft",
    slug="skelleftea-kraft",
    name="Skellefteå Kraft AB",
    kind="municipal_company",
    country="SE",
    website="https://www.skekraft.se",
    switchboard="0910-77 25 00",
    units=(
        ("Kommunikation och marknad", "department", ""),
        ("Elnät", "company", ""),
        ("Kundservice", "department", ""),
    ),
    people=(
        ("helena.bostrom", "Helena", "Boström", "comms_lead"),
        ("anders.lundqvist", "Anders", "Lundqvist", "manager"),
        ("frida.marklund", "Frida", "Marklund", "account_owner"),
        ("oskar.nordin", "Oskar", "Nordin", "substitute"),
        ("emma.wiklund", "Emma", "Wiklund", "publisher"),
        ("ulla.sjoberg", "Ulla", "Sjöberg", "registrar"),
        ("patrik.lindgren", "Patrik", "Lindgren", "case_officer"),
        ("tove.burman", "Tove", "Burman", "web_manager"),
    ),
    accounts=(
        DemoAccount(
            "facebook",
            "skelleftea.kraft",
            "Skellefteå Kraft",
            "https://www.facebook.com/skelleftea.kraft",
            "Kommunikation och marknad",
            "Kundservice, driftinformation och nyheter.",
            "Kunder i Skellefteåregionen",
        ),
        DemoAccount(
            "linkedin",
            "skelleftea-kraft",
            "Skellefteå Kraft",
            "https://www.linkedin.com/company/skelleftea-kraft",
            "Kommunikation och marknad",
            "Rekrytering och företagsnyheter.",
            "Blivande medarbetare och näringsliv",
        ),
        DemoAccount(
            "x",
            "skekraft",
            "Skellefteå Kraft",
            "https://x.com/skekraft",
            "Elnät",
            "Driftstörningar i elnätet.",
            "Kunder och medier",
            breaches=("no_mandate",),
        ),
        DemoAccount(
            "instagram",
            "skelleftea_kraft",
            "Skellefteå Kraft",
            "https://www.instagram.com/skelleftea_kraft",
            "Kommunikation och marknad",
            "Bilder från produktion och evenemang.",
            "Kunder och unga",
            breaches=("expired_mandate",),
        ),
    ),
)

KYRKSLATT = DemoOrganisation(
    pack="kyrkslatt",
    slug="kyrkslatt",
    name="Kyrkslätts kommun",
    name_fi="Kirkkonummen kunta",
    kind="municipality",
    country="FI",
    website="https://www.kirkkonummi.fi",
    switchboard="09 29 691",
    public_languages=("sv", "fi"),
    units=(
        ("Kommunikation", "department", "Viestintä"),
        ("Utbildnings- och kulturtjänster", "service_area", "Opetus- ja kulttuuripalvelut"),
        ("Samhällsteknik", "service_area", "Yhdyskuntatekniikka"),
    ),
    people=(
        ("tiina.virtanen", "Tiina", "Virtanen", "comms_lead"),
        ("mikael.lindholm", "Mikael", "Lindholm", "manager"),
        ("sanna.korhonen", "Sanna", "Korhonen", "account_owner"),
        ("johan.nyberg", "Johan", "Nyberg", "substitute"),
        ("aino.makinen", "Aino", "Mäkinen", "publisher"),
        ("kaisa.heikkinen", "Kaisa", "Heikkinen", "registrar"),
        ("ville.laine", "Ville", "Laine", "case_officer"),
        ("pia.sundstrom", "Pia", "Sundström", "web_manager"),
    ),
    accounts=(
        DemoAccount(
            "facebook",
            "kirkkonummenkunta",
            "Kirkkonummen kunta – Kyrkslätts kommun",
            "https://www.facebook.com/kirkkonummenkunta",
            "Kommunikation",
            "Kommunens nyheter och service på finska och svenska.",
            "Kommuninvånare",
            ("fi", "sv"),
            purpose_fi="Kunnan uutiset ja palvelut suomeksi ja ruotsiksi.",
            audience_fi="Kuntalaiset",
        ),
        DemoAccount(
            "instagram",
            "kirkkonummi",
            "Kirkkonummi – Kyrkslätt",
            "https://www.instagram.com/kirkkonummi",
            "Kommunikation",
            "Bilder och evenemang i Kyrkslätt.",
            "Unga vuxna och familjer",
            ("fi", "sv"),
            purpose_fi="Kuvia ja tapahtumia Kirkkonummelta.",
            audience_fi="Nuoret aikuiset ja perheet",
        ),
        DemoAccount(
            "x",
            "kirkkonummi",
            "Kirkkonummen kunta",
            "https://x.com/kirkkonummi",
            "Kommunikation",
            "Snabb information och krisinformation.",
            "Medier och invånare",
            ("fi", "sv"),
            purpose_fi="Nopea tiedotus ja kriisiviestintä.",
            audience_fi="Media ja kuntalaiset",
            breaches=("no_2fa",),
        ),
        DemoAccount(
            "facebook",
            "kirkkonummenkirjasto",
            "Kirkkonummen kirjasto – Kyrkslätts bibliotek",
            "https://www.facebook.com/kirkkonummenkirjasto",
            "Utbildnings- och kulturtjänster",
            "Bibliotekets evenemang och tips.",
            "Låntagare",
            ("fi", "sv"),
            purpose_fi="Kirjaston tapahtumat ja vinkit.",
            audience_fi="Asiakkaat",
            breaches=("no_substitute", "profile_gap"),
        ),
        DemoAccount(
            "youtube",
            "kirkkonummenkunta",
            "Kirkkonummen kunta",
            "https://www.youtube.com/@kirkkonummenkunta",
            "Kommunikation",
            "Fullmäktiges möten och videor om tjänster.",
            "Kommuninvånare",
            ("fi", "sv"),
            purpose_fi="Valtuuston kokoukset ja palveluvideot.",
            audience_fi="Kuntalaiset",
        ),
        DemoAccount(
            "linkedin",
            "kirkkonummen-kunta",
            "Kirkkonummen kunta – Kyrkslätts kommun",
            "https://www.linkedin.com/company/kirkkonummen-kunta",
            "Kommunikation",
            "Kommunen som arbetsgivare: lediga jobb och sommarjobb.",
            "Arbetssökande och samarbetspartner",
            ("fi", "sv"),
            purpose_fi="Kunta työnantajana: avoimet työpaikat ja kesätyöt.",
            audience_fi="Työnhakijat ja yhteistyökumppanit",
        ),
    ),
)

EXEMPEL = DemoOrganisation(
    pack="exempel",
    slug="exempel",
    name="Exempelkommunen",
    kind="municipality",
    country="SE",
    website="https://www.exempel.se",
    switchboard="010-100 00 00",
    units=(
        ("Kommunikationsenheten", "department", ""),
        ("Miljöförvaltningen", "administration", ""),
    ),
    people=(
        ("ida.exempel", "Ida", "Ekman", "comms_lead"),
        ("bo.exempel", "Bo", "Bengtsson", "manager"),
        ("cecilia.exempel", "Cecilia", "Cederlund", "account_owner"),
        ("david.exempel", "David", "Dahl", "substitute"),
        ("fia.exempel", "Fia", "Falk", "publisher"),
        ("greta.exempel", "Greta", "Grön", "registrar"),
        ("hugo.exempel", "Hugo", "Hed", "case_officer"),
        ("iris.exempel", "Iris", "Isaksson", "web_manager"),
    ),
    accounts=(
        DemoAccount(
            "facebook",
            "exempelkommunen",
            "Exempelkommunen",
            "https://www.facebook.com/exempelkommunen",
            "Kommunikationsenheten",
            "Dialog med invånarna.",
            "Invånare",
        ),
        DemoAccount(
            "wordpress",
            "miljobloggen",
            "Miljöbloggen",
            "https://blogg.exempel.se/miljo",
            "Miljöförvaltningen",
            "Berätta om miljöarbetet.",
            "Intresserade invånare",
        ),
        DemoAccount(
            "mastodon",
            "exempel@social.exempel.se",
            "Exempelkommunen",
            "https://social.exempel.se/@exempel",
            "Kommunikationsenheten",
            "Nyheter i fediversumet.",
            "Invånare",
        ),
    ),
)

DEMO_ORGANISATIONS = (OVERKALIX, DEGERFORS, SKELLEFTEA_KRAFT, KYRKSLATT, EXEMPEL)
