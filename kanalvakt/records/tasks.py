"""Background work for records. Tasks load by id and call one service."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse


@task()
def snapshots_half_yearly() -> None:
    """Daily: capture accounts not yet captured for the current half-year."""
    from kanalvakt.records.snapshots import snapshots_half_yearly as run

    run()


@task()
def snapshot_before_major_change(account_id: int, actor_id: int) -> None:
    """Capture one account on demand (the account page's button)."""
    from kanalvakt.notifications.failures import action_failed, action_succeeded
    from kanalvakt.organisations.models import User
    from kanalvakt.records.models import SnapshotReason
    from kanalvakt.records.snapshots import snapshot_capture
    from kanalvakt.register.models import Account

    actor = User.objects.get(pk=actor_id)
    account = Account.objects.get(pk=account_id)
    retry = reverse(
        "records:snapshot_request",
        kwargs={"slug": account.organisation.slug, "account_pk": account.pk},
    )
    try:
        snapshot_capture(actor=actor, account=account, reason=SnapshotReason.BEFORE_MAJOR_CHANGE)
    except Exception as error:  # noqa: BLE001 - the person who asked is told, with a retry
        action_failed(
            actor=actor,
            account=account,
            kind="snapshot_failed",
            error=error,
            retry_url=retry,
            url=reverse("records:snapshots", kwargs={"slug": account.organisation.slug}),
        )
        return
    action_succeeded(actor=actor, retry_url=retry)


@task()
def checkpoint_daily() -> None:
    """Daily: sign the audit chain's head and a Merkle root over yesterday's records."""
    from kanalvakt.records.checkpoints import checkpoint_daily as run

    run()


@task()
def checkpoint_stamp(stamp_id: int) -> None:
    """Ask the time-stamping authority for one checkpoint's stamp (retried with back-off)."""
    from kanalvakt.records.stamps import stamp_attempt

    stamp_attempt(stamp_id)
