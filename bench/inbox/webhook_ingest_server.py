"""The webhook ingest benchmark's server side: the database it serves, the project with
the benchmark's trivial views, and starting it (waitress or gunicorn) on loopback.

`prepare` and `serve` run in child processes of `webhook_ingest.py`; gunicorn loads
`gunicorn_app` from here.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from webhook_ingest_load import APP_SECRET, PAGE_ID

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "webhook_ingest.py"


def setup_django(env_overrides: dict[str, str]) -> None:
    os.environ.update(env_overrides)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ.setdefault("KANALVAKT_INSECURE_DEV_KEY", "1")
    sys.path[:0] = [str(REPO), str(HERE)]
    import django

    django.setup()


def prepare() -> None:
    """In a child process: migrate, create the organisation, credentials and page."""
    setup_django({})
    from django.core.management import call_command

    from bench.organisation import facebook_page, webhook_key

    call_command("migrate", verbosity=0)
    suffix = secrets.token_hex(3)
    page = facebook_page(name=f"Bench {suffix}", slug=f"bench-{suffix}", page_id=PAGE_ID)
    sys.stdout.write(json.dumps({"key": webhook_key(page, APP_SECRET)}) + "\n")


def bench_app() -> Any:
    """The project's WSGI application with the benchmark's two trivial views added."""
    setup_django({})
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    settings.ROOT_URLCONF = "webhook_ingest_urls"
    middleware = list(settings.MIDDLEWARE)
    # Where the webhook's shortcut is (or would be, in code from before it: after Security).
    after = next(
        name
        for name in ("kanalvakt.inbox.webhooks.WebhookMiddleware", middleware[0])
        if name in middleware
    )
    middleware.insert(middleware.index(after) + 1, "webhook_ingest_urls.LeanTrivialMiddleware")
    settings.MIDDLEWARE = middleware
    return get_wsgi_application()


def gunicorn_app() -> Any:
    """For `gunicorn 'webhook_ingest_server:gunicorn_app()'` (`--server gunicorn`)."""
    return bench_app()


def serve(port: int, threads: int) -> None:
    """In a child process: the project plus the trivial views, on waitress."""
    from waitress import serve as waitress_serve

    application = bench_app()
    # "Task queue depth is N" is waitress saying requests wait for a thread: expected here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    waitress_serve(application, host="127.0.0.1", port=port, threads=threads, _quiet=True)


def start_server(port: int, env: dict[str, str], args: argparse.Namespace) -> Any:
    if args.server == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--worker-class",
            "gthread",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(HERE),
            "--log-level",
            "warning",
            "webhook_ingest_server:gunicorn_app()",
        ]
    else:
        me = [sys.executable, str(SCRIPT)]
        command = [*me, "--serve", str(port), "--threads", str(args.threads)]
    env = {**env, "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}
    return subprocess.Popen(command, env=env)  # noqa: S603 - this script or gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server ended before it listened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server never listened")
