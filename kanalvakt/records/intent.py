"""Which record kind an item is, until the inbox workflow's intent exists.

The inbox workflow (INB-5) is being built alongside; when an item has an
intent there, that intent is used. Otherwise a small, explainable reading of
the text: criticism words make factual criticism, a question a service matter.
"""

from __future__ import annotations

import re

from kanalvakt.inbox.models import Item

_CRITICISM = re.compile(
    r"\b(fel|felaktig\w*|brist\w*|klagomål|klagar|missnöjd\w*|dålig\w*|fungerar inte|"
    r"inte fungerar|trasig\w*|oacceptabel\w*|kritik|borde|skandal\w*|"
    r"valitus|huono\w*|ei toimi|rikki|virhe\w*|puute\w*)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"\?|\b(hur|när|var kan|vart|vem|kan ni|kan jag|får jag|undrar|miten|milloin|missä|"
    r"voinko|voitteko|kuka)\b",
    re.IGNORECASE,
)

INTENT_TO_KIND = {
    "factual_criticism": "factual_criticism",
    "question": "service_matter",
}


def item_intent(item: Item) -> str:
    """'factual_criticism', 'question' or 'other'."""
    for name in ("entry", "inbox_entry"):
        entry = getattr(item, name, None)
        intent = getattr(entry, "intent", None)
        if intent:
            return str(intent)
    try:
        from kanalvakt.inbox import intent as inbox_intent
    except ImportError:
        inbox_intent = None  # type: ignore[assignment]
    if inbox_intent is not None:
        return str(inbox_intent.classify(item.text).intent)
    if _CRITICISM.search(item.text):
        return "factual_criticism"
    if _QUESTION.search(item.text):
        return "question"
    return "other"


def item_record_kinds(item: Item) -> list[str]:
    """The pack's record kinds the item is, most specific first."""
    intent = item_intent(item)
    kinds = []
    if intent in INTENT_TO_KIND:
        kinds.append(INTENT_TO_KIND[intent])
        kinds.append("question" if intent == "question" else "complaint")
    if item.kind in ("comment", "reply", "mention"):
        kinds.append("comments_received")
    if not item.by_account:
        kinds.append("incoming_message")
    else:
        kinds.append("own_content")
    return kinds


def on_public_forum(item: Item) -> bool:
    """Comments and replies on the official account's public page, shown in time order."""
    return item.kind in ("comment", "reply") and not item.by_account
