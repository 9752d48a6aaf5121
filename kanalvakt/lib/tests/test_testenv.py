"""The test run keeps its files away from the developer's var/ and other runs."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage


def test_the_run_uses_its_own_var_dir() -> None:
    var_dir = Path(os.environ["KANALVAKT_VAR_DIR"])
    assert var_dir != settings.REPO_DIR / "var"
    assert var_dir.is_dir()
    assert Path(settings.STATIC_ROOT).parent == var_dir
    assert Path(default_storage.path("x")).parent.parent == var_dir


def test_sqlite_test_database_lives_in_the_runs_var_dir() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    assert Path(database["TEST"]["NAME"]).parent == Path(os.environ["KANALVAKT_VAR_DIR"])


def test_connections_are_not_kept_across_requests_in_tests() -> None:
    # A connection kept open by the live server would stop PostgreSQL from
    # dropping the test database at the end of the run.
    assert settings.DATABASES["default"].get("CONN_MAX_AGE", 0) == 0
