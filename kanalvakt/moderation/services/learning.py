"""Learning from moderators' decisions: the active scoring model and its retraining (MOD-7)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kanalvakt.audit.services import audit_record
from kanalvakt.moderation.events import ModerationEvent
from kanalvakt.moderation.models import Decision, DecisionKind, ScoringModel
from kanalvakt.moderation.screening.learned import Model, bundled, retrain


def active_model() -> Model:
    """The model retrained from decisions, else the bundled one.

    A model stored in an earlier format (before issue 8) cannot be read by
    this scorer; the bundled model stands in until the next retraining.
    """
    stored = ScoringModel.objects.filter(active=True).first()
    if stored is None:
        return bundled()
    try:
        return Model.from_bytes(bytes(stored.data))
    except ValueError:
        return bundled()


def labelled_examples() -> list[tuple[str, str | None]]:
    """Moderators' decisions as labelled data: confirmed categories, or none when kept (MOD-7)."""
    examples: list[tuple[str, str | None]] = []
    decisions = Decision.objects.select_related("case__item").exclude(kind=DecisionKind.UNHIDE)
    for decision in decisions.iterator(chunk_size=500):
        text = decision.case.item.text
        if decision.kind == DecisionKind.KEEP:
            examples.append((text, None))
        else:
            for category in decision.categories or decision.case.categories:
                examples.append((text, str(category)))
    return examples


def scoring_model_retrain(*, minimum_examples: int = 20) -> ScoringModel | None:
    """Retrain from the decisions; store the new model only if it measures better."""
    examples = labelled_examples()
    if len(examples) < minimum_examples:
        return None
    current = active_model()
    candidate = retrain(current, examples)
    with transaction.atomic():
        if candidate is None:
            stored = ScoringModel.objects.filter(active=True).first()
            if stored is not None:
                audit_record(
                    actor=None,
                    organisation=None,
                    event_type=ModerationEvent.MODEL_KEPT,
                    target=stored,
                    data={"examples": len(examples)},
                )
            return None
        ScoringModel.objects.filter(active=True).update(active=False)
        stored = ScoringModel.objects.create(
            version=candidate.version,
            data=candidate.to_bytes(),
            evaluation=candidate.evaluation,
            trained_on=len(examples),
            created_at=timezone.now(),
            active=True,
        )
        audit_record(
            actor=None,
            organisation=None,
            event_type=ModerationEvent.MODEL_TRAINED,
            target=stored,
            data={"version": candidate.version, "examples": len(examples)},
        )
    return stored
