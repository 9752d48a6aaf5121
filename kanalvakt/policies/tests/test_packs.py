"""The five shipped policy packs: valid, traceable to their sources, saying what they must."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from kanalvakt.policies.pack import Pack
from kanalvakt.policies.validation import pack_files, validate_pack_file

PACK_DIR = Path(settings.POLICY_PACK_DIR)
PACKS = ["skelleftea-kraft", "overkalix", "degerfors", "kyrkslatt", "exempel"]


def load(pack_id: str) -> Pack:
    parsed = validate_pack_file(PACK_DIR / f"{pack_id}.yaml")
    assert parsed.document is not None
    return Pack(parsed.document)


def test_every_source_has_exactly_one_pack() -> None:
    assert [path.stem for path in pack_files(PACK_DIR)] == sorted(PACKS)
    sources = {path.name for path in (PACK_DIR / "sources").glob("*.txt")}
    assert {load(pack_id).document["source"]["file"] for pack_id in PACKS} == sources
    assert (PACK_DIR / "sources" / "ORIGIN.md").is_file()


@pytest.mark.parametrize("pack_id", PACKS)
def test_pack_validates_without_errors(pack_id: str) -> None:
    parsed = validate_pack_file(PACK_DIR / f"{pack_id}.yaml")
    assert [str(error) for error in parsed.errors] == []
    assert parsed.document is not None
    assert parsed.document["pack"] == pack_id


@pytest.mark.parametrize("pack_id", PACKS)
def test_every_rule_says_where_it_comes_from_or_that_the_source_is_silent(pack_id: str) -> None:
    pack = load(pack_id)
    rules = list(pack.rules())
    assert len(rules) > 30
    for rule in rules:
        assert (rule.source is None) != (rule.silent == ""), rule.path
        if rule.source is not None:
            assert rule.source.file == pack.document["source"]["file"], rule.path
            assert rule.source.section and rule.source.quote, rule.path
            assert rule.value is not None, rule.path
    assert pack.document["unsupported"], "every source has rules no software can support"


@pytest.mark.parametrize("pack_id", PACKS)
def test_the_calendar_always_has_a_default_but_never_claims_to_be_policy(pack_id: str) -> None:
    pack = load(pack_id)
    calendar = pack.rule("calendar")
    assert calendar is not None and calendar.source is None and calendar.silent
    assert calendar.value["country"] == pack.country
    assert calendar.value["working_days"] == ["mon", "tue", "wed", "thu", "fri"]


def test_overkalix_answers_within_48_hours_and_removes_unsuitable_posts_within_48_hours() -> None:
    pack = load("overkalix")
    assert pack.value("response_times.default") == {
        "kind": "hours",
        "amount": 48,
        "clock": "calendar",
    }
    assert pack.value("moderation.deadline_hours") == 48
    assert pack.value("accounts.min_admins") == 2
    assert pack.value("accounts.web_manager_admin") is True
    assert pack.value("accounts.substitute_required") is True
    assert pack.value("snapshots.half_yearly") == {
        "format": "pdf",
        "scope": "start_page",
        "send_to": "registrar",
    }
    assert pack.value("publishing.website_link") == {
        "domains": ["overkalix.se"],
        "unit_websites": True,
    }
    assert "48 timmar" in pack.value("moderation.notice")["sv"]
    assert [rule.value["what"] for rule in pack.rule_list("registration.exempt")] == [
        "public_forum_chronological"
    ]
    profile = {rule.value["key"] for rule in pack.rule_list("profile")}
    assert {"clear_sender", "logo", "website_link", "switchboard_number"} <= profile
    assert "official_account_statement" in profile
    # Sourced, but the number of days is the organisation's reading of "regelbundet".
    passive = pack.rule("accounts.passive_after_days")
    assert passive is not None and passive.source is not None
    assert pack.document["rules"]["accounts"]["passive_after_days"]["note"]


def test_law_and_policy_grounds_are_kept_apart() -> None:
    categories = {
        rule.value["category"]: rule.value
        for rule in load("overkalix").rule_list("moderation.categories")
    }
    assert categories["hate_speech"]["basis"] == "law"
    assert "1998:112" in categories["hate_speech"]["statute"]
    assert "16 kap. 8 §" in categories["hate_speech"]["statute"]
    assert categories["copyright"]["basis"] == "law"
    assert categories["personal_attack"]["basis"] == "policy"
    assert categories["obscenity"]["basis"] == "policy"
    assert categories["advertising"]["basis"] == "policy"
    for pack_id in ("skelleftea-kraft", "overkalix", "degerfors"):
        for rule in load(pack_id).rule_list("moderation.categories"):
            if rule.value["basis"] == "law":
                assert "1998:112" in rule.value["statute"], (pack_id, rule.path)
    # Finland has no BBS act: nothing in Kyrkslätt's pack claims a removal duty in law.
    finnish = load("kyrkslatt").rule_list("moderation.categories")
    assert finnish and all(rule.value["basis"] == "policy" for rule in finnish)
    assert any("rikoslaki" in (rule.value["statute"] or "") for rule in finnish)


def test_degerfors_response_times_and_advertising_exception() -> None:
    pack = load("degerfors")
    assert pack.value("response_times.platforms.x") == {
        "kind": "hours",
        "amount": 4,
        "clock": "working",
    }
    assert pack.value("response_times.platforms.facebook") == {"kind": "working_days", "amount": 1}
    assert pack.value("response_times.platforms.blog") == {"kind": "working_days", "amount": 1}
    assert pack.value("response_times.default") == {
        "kind": "hours",
        "amount": 24,
        "clock": "weekdays",
    }
    assert pack.value("moderation.advertising_public_events_allowed") is True
    assert pack.value("lifecycle.close_steps")[-1] == "closing_announcement"
    banner = [rule for rule in pack.rule_list("profile") if rule.value["key"] == "banner"]
    assert "degerfors.se" in banner[0].value["label"]
    templates = {rule.value["key"]: rule.value for rule in pack.rule_list("reply_templates")}
    assert "reklam" in templates["advert_removed"]["body"]["sv"]


def test_kyrkslatt_is_bilingual_and_answers_negative_messages_at_once() -> None:
    pack = load("kyrkslatt")
    assert pack.country == "FI"
    assert pack.languages == ["fi", "sv"]
    assert pack.value("publishing.languages_required") == ["fi", "sv"]
    assert pack.value("response_times.negative") == {"kind": "asap"}
    assert "#kyrkslätt" in pack.value("publishing.hashtags")
    assert pack.value("accounts.password_max_age_days") == 183
    assert pack.value("accounts.two_factor_required") is True
    assert pack.value("security.incident_report_to") == ["manager", "it"]
    negative = {rule.value["key"]: rule.value for rule in pack.rule_list("reply_templates")}[
        "negative_feedback"
    ]
    assert negative["body"]["sv"].startswith("Tack")
    assert negative["body"]["fi"].startswith("Kiitos")
    for rule in pack.rule_list("profile"):
        assert rule.value["label_fi"]


def test_silent_sources_stay_silent() -> None:
    skelleftea = load("skelleftea-kraft")
    assert skelleftea.rule("accounts.min_admins").silent  # type: ignore[union-attr]
    assert skelleftea.value("accounts.min_admins") is None
    assert skelleftea.value("mandates.publishers_appointed_by") == "comms_lead"
    template = load("exempel")
    assert template.rule_list("moderation.categories") == []
    assert template.rule("moderation.categories").silent  # type: ignore[union-attr]
    assert template.value("inbox.do_not_answer") == ["hateful_negative", "joking_negative"]
    assert template.value("acknowledgement.required") is True


def test_a_moderation_notice_is_policy_only_where_the_source_asks_for_it() -> None:
    notice = load("overkalix").rule("moderation.notice")
    assert notice is not None and notice.enforced
    for pack_id in ("skelleftea-kraft", "degerfors", "kyrkslatt"):
        suggested = load(pack_id).rule("moderation.notice")
        assert suggested is not None and not suggested.enforced and suggested.silent
        assert suggested.value["sv"]
    assert load("kyrkslatt").value("moderation.notice")["fi"].startswith("Tämä on")


def test_interpretations_are_visible_as_notes() -> None:
    pack = load("degerfors")
    x = pack.rule("response_times.platforms.x")
    assert x is not None and "arbetstid" in x.note
    assert pack.rule("accounts.min_admins").note  # type: ignore[union-attr]
