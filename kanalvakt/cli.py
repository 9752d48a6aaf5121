"""The `kanalvakt` console script: Django's management commands with Kanalvakt's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["screen"]:  # screening needs no Django: start fast (issue 8)
        from kanalvakt.moderation.screening.command import fast_main

        status = fast_main(sys.argv[2:])
        if status is not None:
            raise SystemExit(status)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kanalvakt", *sys.argv[1:]])


if __name__ == "__main__":
    main()
