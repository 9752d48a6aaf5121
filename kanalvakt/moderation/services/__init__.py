"""Writes of the moderation queue, by concern.

- `cases`: screening an item, opening a case (or by hand), self-harm
  escalation, hiding before a person decides.
- `decisions`: a person's decision, carrying it out on the platform, the
  moderation notice check.
- `sweep`: warnings before and escalations after a case's deadline.
- `learning`: the active scoring model and retraining it from decisions.
- `rules`: what the organisation's pack asks of moderation.
- `common`: who may moderate, telling people about a case.

Callers import from here (`from kanalvakt.moderation.services import case_decide`).
"""

from kanalvakt.moderation.services.cases import (
    _categories,
    _protected,
    case_auto_hide,
    case_escalate_self_harm,
    case_open,
    case_open_by_hand,
    item_screen,
    may_auto_hide,
)
from kanalvakt.moderation.services.common import MODERATOR_ROLES, may_moderate
from kanalvakt.moderation.services.decisions import (
    TAKEN_DOWN,
    case_decide,
    decision_carry_out,
    notice_check_record,
)
from kanalvakt.moderation.services.learning import (
    active_model,
    labelled_examples,
    scoring_model_retrain,
)
from kanalvakt.moderation.services.rules import (
    CRITICISM_INTENTS,
    CRITICISM_LOOKALIKES,
    DEFAULT_SELF_HARM_REPLY,
    DEFAULT_SELF_HARM_ROLES,
    deadline_hours,
    never_auto_hide,
    screening_config,
    self_harm_support,
)
from kanalvakt.moderation.services.sweep import (
    WARN_BEFORE,
    SweepResult,
    case_assignee,
    cases_sweep,
)

__all__ = [
    "CRITICISM_INTENTS",
    "CRITICISM_LOOKALIKES",
    "DEFAULT_SELF_HARM_REPLY",
    "DEFAULT_SELF_HARM_ROLES",
    "MODERATOR_ROLES",
    "TAKEN_DOWN",
    "WARN_BEFORE",
    "SweepResult",
    "_categories",
    "_protected",
    "active_model",
    "case_assignee",
    "case_auto_hide",
    "case_decide",
    "case_escalate_self_harm",
    "case_open",
    "case_open_by_hand",
    "cases_sweep",
    "deadline_hours",
    "decision_carry_out",
    "item_screen",
    "labelled_examples",
    "may_auto_hide",
    "may_moderate",
    "never_auto_hide",
    "notice_check_record",
    "scoring_model_retrain",
    "screening_config",
    "self_harm_support",
]
