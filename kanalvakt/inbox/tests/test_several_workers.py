"""Three workers against one PostgreSQL database process 5,000 items exactly once (12.4).

Every item is queued twice, in overlapping tasks, as a sweep after a lost
worker would queue it. Three real `db_worker` processes then race: the task
queue hands each task to one worker (SELECT … FOR UPDATE SKIP LOCKED), and
`items_process` claims each item's processing row the same way, so each item
is processed by exactly one worker, once. PostgreSQL only: SQLite has one
writer at a time, so there is no race to test there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from kanalvakt.inbox import ingest
from kanalvakt.inbox.models import DeliverySource, ItemProcessing
from kanalvakt.inbox.tests.test_ingest import big_delivery
from kanalvakt.inbox.tests.test_sigkill import REPO, _database_env
from kanalvakt.register.models import Account

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="several workers race only on PostgreSQL",
)
ITEMS = 5000
WORKERS = 3
MODULE = [sys.executable, "-m", "kanalvakt.inbox.tests.claim_worker"]


@pytest.mark.django_db(transaction=True)
def test_three_workers_process_5000_items_exactly_once(
    tmp_path: Path, page: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "_enqueue_ingest", lambda delivery_id: None)
    monkeypatch.setattr(ingest, "_enqueue_batch", lambda item_ids: None)
    result = ingest.delivery_accept(
        organisation_id=page.organisation_id,
        platform="facebook",
        source=DeliverySource.WEBHOOK,
        body=big_delivery(ITEMS),
    )
    monkeypatch.setattr(settings, "INBOX_MAX_ITEMS_PER_DELIVERY", ITEMS)
    ingest.delivery_ingest(delivery_id=result.delivery.pk, batch_size=1000)
    assert ItemProcessing.objects.filter(processed_at__isnull=True).count() == ITEMS

    (tmp_path / "static").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}}
    env.update(_database_env(tmp_path), KANALVAKT_INSECURE_DEV_KEY="1", PYTHONPATH=str(REPO))
    subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [*MODULE, "enqueue", "100", "50"], env=env, cwd=REPO, check=True, timeout=120
    )
    logs = [tmp_path / f"worker-{n}.log" for n in range(WORKERS)]
    workers = [
        subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [*MODULE, "work", str(log)], env=env, cwd=REPO, stderr=subprocess.PIPE
        )
        for log in logs
    ]
    for worker in workers:
        try:
            _out, err = worker.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            for other in workers:
                other.kill()
            _out, err = worker.communicate()
            pytest.fail(f"a worker did not finish in 90 s: {err.decode()[-3000:]}")
        assert worker.returncode == 0, err.decode()[-3000:]

    seen = Counter(int(line) for log in logs if log.exists() for line in log.read_text().split())
    assert len(seen) == ITEMS
    assert set(seen.values()) == {1}
    assert sum(1 for log in logs if log.exists()) >= 2  # the work really was shared
    assert ItemProcessing.objects.filter(processed_at__isnull=True).count() == 0
    assert set(ItemProcessing.objects.values_list("attempts", flat=True)) == {1}
