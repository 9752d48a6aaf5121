"""Exempelkommunen (pack `exempel`): the small example."""

from __future__ import annotations

from kanalvakt.demo.organisations.base import DemoAccount, DemoOrganisation

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
