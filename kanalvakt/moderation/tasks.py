"""Moderation background work. Each task loads by id and calls one service."""

from __future__ import annotations

from django.tasks import task


@task()
def case_auto_hide(case_id: int) -> None:
    from kanalvakt.moderation.models import ModerationCase
    from kanalvakt.moderation.services import case_auto_hide as hide

    hide(case=ModerationCase.objects.select_related("item__account").get(pk=case_id))


@task()
def decision_carry_out(decision_id: int) -> None:
    from kanalvakt.moderation.models import Decision
    from kanalvakt.moderation.services import decision_carry_out as carry_out

    carry_out(decision=Decision.objects.select_related("case__item__account").get(pk=decision_id))


@task()
def moderation_sweep() -> None:
    from kanalvakt.moderation.services import cases_sweep

    cases_sweep()


@task()
def scoring_model_retrain() -> None:
    from kanalvakt.moderation.services import scoring_model_retrain as retrain

    retrain()
