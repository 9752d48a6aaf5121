"""One function per pack rule under `publishing:`; each returns its findings.

`RULES` maps the pack path to the function: the checker applies a rule only
when the pack states it (`Rule.enforced`); a silent rule checks nothing.
"""

from __future__ import annotations

from kanalvakt.publishing.checker.context import Check, Context
from kanalvakt.publishing.checker.media import (
    cross_post_main_account,
    image_rights,
    video_captions,
    web_news_facebook,
)
from kanalvakt.publishing.checker.safety import (
    adults_consent,
    children_consent,
    friendly_tone,
    no_personal_id_numbers,
    no_secret_information,
    political_neutrality,
)
from kanalvakt.publishing.checker.writing import (
    address_du,
    fill_signature,
    hashtags,
    languages_required,
    plain_language,
    signature,
    signature_pattern,
    website_link,
)

__all__ = ["REPLY_RULES", "RULES", "Context", "fill_signature", "signature_pattern"]

RULES: dict[str, Check] = {
    "publishing.website_link": website_link,
    "publishing.languages_required": languages_required,
    "publishing.hashtags": hashtags,
    "publishing.address_du": address_du,
    "publishing.plain_language": plain_language,
    "publishing.no_personal_id_numbers": no_personal_id_numbers,
    "publishing.no_secret_information": no_secret_information,
    "publishing.children_consent": children_consent,
    "publishing.adults_consent": adults_consent,
    "publishing.political_neutrality": political_neutrality,
    "publishing.signature": signature,
    "publishing.video_captions": video_captions,
    "publishing.image_rights": image_rights,
    "publishing.cross_post_main_account": cross_post_main_account,
    "publishing.web_news_facebook": web_news_facebook,
    "publishing.friendly_tone": friendly_tone,
}

REPLY_RULES = (
    "publishing.address_du",
    "publishing.plain_language",
    "publishing.no_personal_id_numbers",
    "publishing.no_secret_information",
    "publishing.political_neutrality",
    "publishing.friendly_tone",
)
