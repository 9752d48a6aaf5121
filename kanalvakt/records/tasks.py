"""Background work for records. Tasks load by id and call one service."""

from __future__ import annotations

from django.tasks import task


@task()
def snapshots_half_yearly() -> None:
    """Daily: capture accounts not yet captured for the current half-year."""
    from kanalvakt.records.snapshots import snapshots_half_yearly as run

    run()


@task()
def snapshot_before_major_change(account_id: int, actor_id: int) -> None:
    """Capture one account on demand (the account page's button)."""
    from kanalvakt.organisations.models import User
    from kanalvakt.records.models import SnapshotReason
    from kanalvakt.records.snapshots import snapshot_capture
    from kanalvakt.register.models import Account

    snapshot_capture(
        actor=User.objects.get(pk=actor_id),
        account=Account.objects.get(pk=account_id),
        reason=SnapshotReason.BEFORE_MAJOR_CHANGE,
    )


@task()
def checkpoint_daily() -> None:
    """Daily: sign the audit chain's head and a Merkle root over yesterday's records."""
    from kanalvakt.records.checkpoints import checkpoint_daily as run

    run()
