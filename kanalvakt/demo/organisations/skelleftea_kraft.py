"""Skellefteå Kraft AB (pack `skelleftea-kraft`): a municipal company."""

from __future__ import annotations

from kanalvakt.demo.organisations.base import DemoAccount, DemoOrganisation

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
