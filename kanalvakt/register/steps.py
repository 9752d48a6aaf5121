"""The approvals and notices an open or close request may need (REG-5).

A policy pack lists which of these its organisation requires, in order
(`lifecycle.open_steps`, `lifecycle.close_steps`); this module says who may
carry out each step and what it records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from kanalvakt.organisations.models import Organisation, Role
from kanalvakt.register.models import RequestKind


@dataclass(frozen=True)
class StepDefinition:
    key: str
    label: StrPromise
    roles: tuple[Role, ...]
    requester_may: bool = False
    note_required: bool = False
    note_help: StrPromise = _("Ange en anteckning.")
    ordered: bool = True


STEPS: dict[str, StepDefinition] = {
    step.key: step
    for step in (
        StepDefinition(
            "stated_need",
            _("Behov, mål, målgrupp och innehåll beskrivna"),
            roles=(Role.COMMS_LEAD,),
            requester_may=True,
        ),
        StepDefinition(
            "manager_approval",
            _("Godkänt av chef"),
            roles=(Role.MANAGER,),
        ),
        StepDefinition(
            "management_anchoring",
            _("Förankrat hos förvaltningsledningen"),
            roles=(Role.MANAGER, Role.COMMS_LEAD),
            note_required=True,
            note_help=_("Ange hos vem och när beslutet förankrades."),
        ),
        StepDefinition(
            "notify_information_unit",
            _("Informationsenheten underrättad"),
            roles=(Role.COMMS_LEAD,),
            ordered=False,
        ),
        StepDefinition(
            "closing_announcement",
            _("Avslutning meddelad i kanalen"),
            roles=(Role.COMMS_LEAD, Role.ACCOUNT_OWNER),
            requester_may=True,
            note_required=True,
            note_help=_("Ange adressen till inlägget som meddelar att kontot stängs."),
        ),
    )
}

DEFAULT_STEPS = {
    RequestKind.OPEN: ["stated_need", "manager_approval", "notify_information_unit"],
    RequestKind.CLOSE: ["notify_information_unit", "closing_announcement"],
}


def steps_for(organisation: Organisation, kind: str) -> list[str]:
    """The steps the organisation's policy requires for this kind of request."""
    path = "lifecycle.open_steps" if kind == RequestKind.OPEN else "lifecycle.close_steps"
    pack = organisation.policy_version.pack if organisation.policy_version else None
    keys = pack.value(path) if pack else None
    if keys is None:
        return list(DEFAULT_STEPS[RequestKind(kind)])
    return [key for key in keys if key in STEPS]
