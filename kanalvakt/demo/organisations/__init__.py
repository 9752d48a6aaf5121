"""The five demo organisations, one per seed policy pack, described as data.

Each has units, people in every role, accounts on several platforms and a few
deliberate breaches of its policy so the warnings have something to show.

One module per organisation (named after its pack), the shape in `base`.
"""

from __future__ import annotations

from kanalvakt.demo.organisations.base import DemoAccount, DemoOrganisation
from kanalvakt.demo.organisations.degerfors import DEGERFORS
from kanalvakt.demo.organisations.exempel import EXEMPEL
from kanalvakt.demo.organisations.kyrkslatt import KYRKSLATT
from kanalvakt.demo.organisations.overkalix import OVERKALIX
from kanalvakt.demo.organisations.skelleftea_kraft import SKELLEFTEA_KRAFT

__all__ = [
    "DEGERFORS",
    "DEMO_ORGANISATIONS",
    "EXEMPEL",
    "KYRKSLATT",
    "OVERKALIX",
    "SKELLEFTEA_KRAFT",
    "DemoAccount",
    "DemoOrganisation",
]

DEMO_ORGANISATIONS = (OVERKALIX, DEGERFORS, SKELLEFTEA_KRAFT, KYRKSLATT, EXEMPEL)
