"""The inbox's write services, by concern.

- `receiving`: store deliveries and items, record edits and deletions, credentials.
- `deadlines`: due times and initial states from the pack.
- `entries`: open an entry, correct its intent, assign, close.
- `replies`: signature, templates, sending a reply, published posts.
- `escalations`: forwarding, escalations, the evidence export.
- `sweep`: warnings before and escalations after the due time.
- `common`: what they share (the pack, current text, who may handle, notifying).

Callers import from here (`from kanalvakt.inbox.services import item_ingest`).
"""

from kanalvakt.inbox.services.common import current_text, may_handle
from kanalvakt.inbox.services.deadlines import LATE_ARRIVAL, deadline_for, item_is_imported
from kanalvakt.inbox.services.entries import (
    entry_assign,
    entry_close,
    entry_open,
    entry_set_intent,
)
from kanalvakt.inbox.services.escalations import (
    DEFAULT_ESCALATIONS,
    SCREENING_TRIGGERS,
    entry_escalate_automatically,
    entry_forward,
    escalation_raise,
    escalation_rule,
    evidence_export,
    forward_candidates,
)
from kanalvakt.inbox.services.receiving import (
    KEPT_HEADERS,
    DeliveryResult,
    IngestResult,
    delivery_store,
    item_ingest,
    platform_credentials_set,
)
from kanalvakt.inbox.services.replies import (
    UNFILLED,
    Template,
    failure_reason,
    published_post_record,
    reply_send,
    reply_signature,
    reply_templates,
    sign,
    templates_for_intent,
)
from kanalvakt.inbox.services.sweep import SweepResult, entries_sweep, warn_before

__all__ = [
    "DEFAULT_ESCALATIONS",
    "KEPT_HEADERS",
    "LATE_ARRIVAL",
    "SCREENING_TRIGGERS",
    "UNFILLED",
    "DeliveryResult",
    "IngestResult",
    "SweepResult",
    "Template",
    "current_text",
    "deadline_for",
    "delivery_store",
    "entries_sweep",
    "entry_assign",
    "entry_close",
    "entry_escalate_automatically",
    "entry_forward",
    "entry_open",
    "entry_set_intent",
    "escalation_raise",
    "escalation_rule",
    "evidence_export",
    "failure_reason",
    "forward_candidates",
    "item_ingest",
    "item_is_imported",
    "may_handle",
    "platform_credentials_set",
    "published_post_record",
    "reply_send",
    "reply_signature",
    "reply_templates",
    "sign",
    "templates_for_intent",
    "warn_before",
]
