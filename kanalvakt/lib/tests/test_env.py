"""The typed environment parsers and the settings module fail loudly on bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kanalvakt.lib.env import env_bool, env_int, env_list, env_str

REPO_DIR = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("raw", ["1", "true", "True", " yes ", "ON"])
def test_env_bool_true(raw: str) -> None:
    assert env_bool("FLAG", False, environ={"FLAG": raw}) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_false(raw: str) -> None:
    assert env_bool("FLAG", True, environ={"FLAG": raw}) is False


def test_env_bool_default_when_unset() -> None:
    assert env_bool("FLAG", True, environ={}) is True
    assert env_bool("FLAG", False, environ={}) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "ja", "tru"])
def test_env_bool_rejects_other_values_naming_the_variable(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^DEBUG=.* is not a boolean"):
        env_bool("DEBUG", False, environ={"DEBUG": raw})


def test_env_int_parses_and_defaults() -> None:
    assert env_int("N", 7, environ={}) == 7
    assert env_int("N", 7, environ={"N": " 42 "}) == 42
    assert env_int("N", 7, environ={"N": "-3"}) == -3


@pytest.mark.parametrize("raw", ["", "ten", "1.5", "0x10"])
def test_env_int_rejects_non_integers_naming_the_variable(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^SQLITE_BUSY_TIMEOUT_SECONDS="):
        env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, environ={"SQLITE_BUSY_TIMEOUT_SECONDS": raw})


def test_env_int_enforces_minimum_naming_the_variable() -> None:
    assert env_int("N", 5, minimum=1, environ={"N": "1"}) == 1
    with pytest.raises(ImproperlyConfigured, match=r"^N=0 must be at least 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_env_list_splits_on_commas_and_drops_blanks() -> None:
    environ = {"HOSTS": " a.example , b.example,, "}
    assert env_list("HOSTS", [], environ=environ) == ["a.example", "b.example"]
    assert env_list("HOSTS", [], environ={"HOSTS": ""}) == []


def test_env_list_default_is_a_copy() -> None:
    default = ["localhost"]
    value = env_list("HOSTS", default, environ={})
    value.append("evil.example")
    assert default == ["localhost"]


def test_env_str() -> None:
    assert env_str("S", "fallback", environ={}) == "fallback"
    assert env_str("S", "fallback", environ={"S": "set"}) == "set"


def _import_settings(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter with only the variables given."""
    environ = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KANALVAKT_VAR_DIR": str(tmp_path),
        **extra,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import kanalvakt.settings"],
        cwd=REPO_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_secret_key_stops_the_settings(tmp_path: Path) -> None:
    result = _import_settings(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_explicitly_still_needs_a_secret_key(tmp_path: Path) -> None:
    result = _import_settings(tmp_path, DEBUG="0", KANALVAKT_INSECURE_DEV_KEY="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "extra",
    [{"SECRET_KEY": "x" * 50}, {"KANALVAKT_INSECURE_DEV_KEY": "1"}, {"DEBUG": "1"}],
)
def test_settings_import_with_a_key_or_explicit_dev_mode(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    result = _import_settings(tmp_path, **extra)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "sometimes"), ("SECURE_COOKIES", "perhaps"), ("SQLITE_BUSY_TIMEOUT_SECONDS", "x")],
)
def test_a_bad_value_stops_the_settings_naming_the_variable(
    tmp_path: Path, name: str, value: str
) -> None:
    result = _import_settings(tmp_path, KANALVAKT_INSECURE_DEV_KEY="1", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name}={value!r}" in result.stderr
