"""A web process for the SIGKILL test of the webhook (run as `python -m … serve <port>`,
or `… report` to print what the database holds, as JSON)."""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanalvakt.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    import django

    django.setup()
    if sys.argv[1] == "serve":
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        serve(get_wsgi_application(), host="127.0.0.1", port=int(sys.argv[2]), threads=4)
    elif sys.argv[1] == "report":
        from django_tasks_db.models import DBTaskResult

        from kanalvakt.inbox.models import Delivery, DeliveryIngest

        tasks = DBTaskResult.objects.filter(task_path__endswith="delivery_ingest_task")
        queued = sorted(int(task.args_kwargs["args"][0]) for task in tasks)
        sys.stdout.write(
            json.dumps(
                {
                    "bodies": sorted(
                        bytes(body).decode()
                        for body in Delivery.objects.values_list("body", flat=True)
                    ),
                    "deliveries": sorted(Delivery.objects.values_list("pk", flat=True)),
                    "ingest_rows": sorted(
                        DeliveryIngest.objects.values_list("delivery_id", flat=True)
                    ),
                    "queued": queued,
                }
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
