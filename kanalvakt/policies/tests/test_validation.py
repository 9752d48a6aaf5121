"""Broken packs are refused with the file, field and line of every error."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from kanalvakt.policies.validation import PackError, validate_pack_file

BROKEN = Path(__file__).resolve().parent / "packs"
PACK_DIR = Path(settings.POLICY_PACK_DIR)


def errors_of(name: str) -> list[PackError]:
    return validate_pack_file(BROKEN / name).errors


def has(errors: list[PackError], field: str, line: int, words: str) -> bool:
    return any(e.field == field and e.line == line and words in e.message for e in errors)


def test_a_wrongly_typed_value_is_named_with_its_field_and_line() -> None:
    errors = errors_of("bad-value.yaml")
    assert has(errors, "rules.accounts.min_admins.value", 8, "fel typ")
    assert all(error.file.endswith("bad-value.yaml") for error in errors)


def test_a_yaml_syntax_error_names_its_line() -> None:
    [error] = errors_of("syntax-error.yaml")
    assert error.line == 8
    assert "YAML" in error.message


def test_a_rule_needs_exactly_one_of_source_and_silent() -> None:
    errors = errors_of("no-provenance.yaml")
    assert has(errors, "rules.accounts.min_admins", 8, "saknar både 'source' och 'silent'")
    assert has(errors, "rules.accounts.substitute_required", 10, "inte båda")


def test_unknown_and_repeated_categories_are_refused() -> None:
    errors = errors_of("unknown-category.yaml")
    assert has(errors, "rules.moderation.categories[1].category", 14, "'rudeness'")
    assert has(errors, "rules.moderation.categories[2].category", 21, "finns redan")


def test_provenance_must_match_the_source_text() -> None:
    errors = errors_of("bad-source.yaml")
    assert has(errors, "rules.accounts.min_admins.source.file", 12, "999_missing.txt")
    assert has(errors, "rules.accounts.passive_after_days.source.quote", 19, "ordagrant")
    assert has(errors, "rules.accounts.shared_credentials.source.section", 24, "rubriken")


def test_a_repeated_key_is_refused() -> None:
    assert has(errors_of("duplicate-key.yaml"), "rules.accounts.min_admins", 9, "två gånger")


def test_top_level_mistakes_are_named() -> None:
    errors = errors_of("misnamed.yaml")
    assert has(errors, "format", 1, "kanalvakt/policy-pack@1")
    assert has(errors, "pack", 2, "filnamnet")
    assert has(errors, "country", 4, "citattecken")  # NO is read as false by YAML
    assert has(errors, "", 1, "'rules' saknas")


def test_one_changed_line_in_a_real_pack_gives_exactly_one_error(tmp_path: Path) -> None:
    text = (PACK_DIR / "overkalix.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if "bevaka och gallra olämpliga inlägg" in line)
    value_line = target + 1
    assert lines[value_line].strip() == "value: 48"
    lines[value_line] = lines[value_line].replace("48", "fyrtioåtta")
    broken = tmp_path / "overkalix.yaml"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [error] = validate_pack_file(broken).errors
    assert error.field == "rules.moderation.deadline_hours.value"
    assert error.line == value_line + 1
    assert str(error).startswith(f"{broken}:{value_line + 1}: rules.moderation.deadline_hours")


def test_validate_policy_prints_every_error_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError):
        call_command("validate_policy", str(BROKEN / "bad-value.yaml"), str(BROKEN))
    err = capsys.readouterr().err
    assert f"{BROKEN / 'bad-value.yaml'}:8: rules.accounts.min_admins.value:" in err
    assert f"{BROKEN / 'unknown-category.yaml'}:14: rules.moderation.categories[1].category:" in err


def test_validate_policy_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["kanalvakt", "validate_policy", str(BROKEN / "bad-value.yaml")])
    assert exit_info.value.code != 0
    assert "rules.accounts.min_admins.value" in capsys.readouterr().err


def test_validate_policy_says_ok_for_every_shipped_pack(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("validate_policy", str(PACK_DIR))
    out = capsys.readouterr().out
    assert out.count(": OK") == 5


ODD_INPUT = [
    "",
    "- a\n- b\n",
    "rules: [1, 2]\nunsupported: 5\nsource: x\n",
    "rules:\n  moderation:\n    categories: x\n",
    "rules:\n  accounts:\n    min_admins:\n      source: text\n",
    "rules:\n  accounts:\n    min_admins:\n      source: {file: 5, section: [1]}\n      value: 2\n",
    "source: {file: ../../etc/passwd.txt}\n",
    "a: &x [*x]\n",
    "? [a, b]\n: 1\n",
    "rules:\n  response_times:\n    platforms:\n      myspace: {silent: x}\n",
    "unsupported:\n  - 1\n  - {rule: x, source: 3, reason: y}\n",
    "\udcff",
]


@pytest.mark.parametrize("text", ODD_INPUT)
def test_odd_input_gives_errors_not_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    parsed = validate_pack_file(path)
    assert parsed.errors
    assert not parsed.valid
    assert all(str(error).startswith(str(path)) for error in parsed.errors)


def test_the_learned_review_setting_takes_only_its_three_levels(tmp_path: Path) -> None:
    text = (PACK_DIR / "overkalix.yaml").read_text(encoding="utf-8")
    for level, errors in (("never", 0), ("off", 1), ("sometimes", 1)):
        choice = f"    learned_review:\n      silent: Organisationens val.\n      value: {level}\n"
        pack = tmp_path / "overkalix.yaml"
        pack.write_text(text.replace("  moderation:\n", "  moderation:\n" + choice, 1))
        found = validate_pack_file(pack).errors
        assert len(found) == errors, found
        assert all(e.field == "rules.moderation.learned_review.value" for e in found)
