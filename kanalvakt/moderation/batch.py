"""Screening a batch of received items at once (processing step 100, issue 12).

One `screen_many` per organisation, one INSERT of the screenings, and one
chained `moderation.item_screened` event per organisation listing each item's
suggested action and categories (what the event per item used to say) and a
hash over them. Cases (rare) open one by one through `case_open`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kanalvakt.audit.services import audit_facts_digest, audit_record_batch
from kanalvakt.inbox import bulk
from kanalvakt.inbox.models import Item
from kanalvakt.moderation.events import ModerationEvent
from kanalvakt.moderation.models import Screening, SuggestedAction
from kanalvakt.moderation.screening.config import ScreeningConfig
from kanalvakt.moderation.screening.engine import screen_many


@transaction.atomic
def items_screen(
    *, items: Sequence[Item], config: ScreeningConfig | None = None
) -> list[Screening]:
    """Screen the items' texts and open a case for each finding (MOD-1, MOD-2); once per
    item. Each item's `screening` is set, for the steps after this one."""
    found = Screening.objects.filter(bulk.AnyOf(F("item_id"), [item.pk for item in items]))
    existing = {row.item_id: row for row in found}
    groups: dict[int, list[Item]] = {}
    for item in items:
        if item.pk not in existing:
            groups.setdefault(item.organisation_id, []).append(item)
    screenings = dict(existing)
    for group in groups.values():
        for screening in _screen_group(group, config):
            screenings[screening.item_id] = screening
    for item in items:
        item.screening = screenings[item.pk]
    return [screenings[item.pk] for item in items]


PREPARED_SCREENING = "prepared_screening"
"""The attribute on which `items_screen_prepare` leaves each item's unsaved screening."""


def items_screen_prepare(*, items: Sequence[Item]) -> None:
    """Screen the items without writing: the processing step before its transaction
    (`kanalvakt.inbox.processing`). Each item gets its unsaved screening."""
    from kanalvakt.moderation.services import screening_config

    groups: dict[int, list[Item]] = {}
    for item in items:
        groups.setdefault(item.organisation_id, []).append(item)
    for group in groups.values():
        config = screening_config(group[0].organisation)
        for item, screening in zip(group, _screenings_made(group, config), strict=True):
            setattr(item, PREPARED_SCREENING, (config, screening))


def _screenings_made(items: list[Item], config: ScreeningConfig) -> list[Screening]:
    now = timezone.now()
    results = screen_many([item.text for item in items], config=config)
    new_screening = bulk.unsaved(Screening)  # faster than Screening(...) for a batch
    return [
        new_screening(
            item=item,
            language=result.language,
            action=result.action,
            findings=[
                {**finding.as_dict(), "evidence": finding.evidence, "action": finding.action}
                for finding in result.findings
            ],
            pack_id=config.pack_id,
            model_version=config.model.version if config.model is not None else "",
            screened_at=now,
        )
        for item, result in zip(items, results, strict=True)
    ]


def _screen_group(items: list[Item], config: ScreeningConfig | None) -> list[Screening]:
    from kanalvakt.moderation.services import _categories, case_open, screening_config

    organisation = items[0].organisation
    prepared: list[tuple[ScreeningConfig, Screening]] = [
        found for item in items if (found := getattr(item, PREPARED_SCREENING, None))
    ]
    if config is None and len(prepared) == len(items):
        config = prepared[0][0]
        screenings = [screening for _config, screening in prepared]
    else:
        config = config or screening_config(organisation)
        screenings = _screenings_made(items, config)
    bulk.rows_insert_by_item(screenings)
    facts = {
        str(screening.item_id): {
            "action": screening.action,
            "categories": sorted(_categories(screening)),
        }
        for screening in screenings
    }
    audit_record_batch(
        actor=None,
        organisation=organisation,
        event_type=ModerationEvent.ITEM_SCREENED,
        target_type="inbox.item",
        target_ids=[item.pk for item in items],
        label=f"{len(items)} meddelanden granskade",
        data={"items": facts, "sha256": audit_facts_digest(facts)},
    )
    for item, screening in zip(items, screenings, strict=True):
        if screening.action != SuggestedAction.NONE and not item.by_account:
            case_open(item=item, screening=screening, config=config)
    return screenings
