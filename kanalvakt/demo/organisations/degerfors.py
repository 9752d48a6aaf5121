"""Degerfors kommun (pack `degerfors`): a WordPress blog among its five accounts."""

from __future__ import annotations

from kanalvakt.demo.organisations.base import DemoAccount, DemoOrganisation

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
