"""A pytest plugin loaded with `-p` before Django's settings are imported.

It gives the test run the settings a developer machine needs, so a plain
`pytest` works without exporting anything first, and keeps the run's files
(the SQLite test database, media, static) in a temporary directory of its own
instead of the developer's `var/`: two runs side by side, or a SQLite run
beside a PostgreSQL run, never share a file.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
# The live server's request threads must not keep connections open past a
# request, or PostgreSQL refuses to drop the test database at the end.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")

# xdist workers inherit the controller's environment, so the whole run shares
# one directory, which the process that made it removes at the end.
_OWN_VAR_DIR: str | None = None
if "KANALVAKT_VAR_DIR" not in os.environ:
    _OWN_VAR_DIR = tempfile.mkdtemp(prefix="kanalvakt-test-")
    # WhiteNoise warns (an error under -W error) when STATIC_ROOT is missing.
    os.mkdir(os.path.join(_OWN_VAR_DIR, "static"))
    os.environ["KANALVAKT_VAR_DIR"] = _OWN_VAR_DIR


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "postgresql" in str(database["ENGINE"]):
        where = f"PostgreSQL at {database.get('HOST')}:{database.get('PORT')}"
    else:
        where = "SQLite"
    return [f"kanalvakt: database {where}; files in {os.environ['KANALVAKT_VAR_DIR']}"]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_VAR_DIR is not None:
        shutil.rmtree(_OWN_VAR_DIR, ignore_errors=True)
