"""Archival packages (REC-6): the records app's rows handed to `records.packages`.

`records.packages` (pure functions, no Django) builds E-ARK CSIP/SIP 2.1 or
BagIt packages. This module turns the organisation's items (as data) and
snapshot files (as representations) into its spec, builds the package in a
temporary directory or the given one, zips it for download and records it.
Items are streamed from the database; nothing holds them all at once.
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kanalvakt.audit.services import audit_record
from kanalvakt.inbox.models import Item
from kanalvakt.organisations.models import Organisation, Role, User
from kanalvakt.organisations.permissions import require_role
from kanalvakt.records.events import RecordsEvent
from kanalvakt.records.models import ArchivePackage, DisposalLogEntry, SnapshotFile
from kanalvakt.records.storage import chunks

CHUNK = 1 << 20


def _local_path(name: str, scratch: Path) -> Path:
    """A local path for a stored file (copied out of remote storage when needed)."""
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        target = scratch / name.replace("/", "_")
        with target.open("wb") as out:
            for block in chunks(name):
                out.write(block)
        return target


def _window(
    date_from: datetime.date, date_to: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def _items(
    organisation: Organisation, start: datetime.datetime, end: datetime.datetime
) -> Iterator[object]:
    from kanalvakt.records.packages.spec import PackageItem

    disposed = set(
        DisposalLogEntry.objects.filter(item__organisation=organisation).values_list(
            "item_id", flat=True
        )
    )
    rows = (
        Item.objects.filter(organisation=organisation, created_at__gte=start, created_at__lt=end)
        .exclude(pk__in=disposed)
        .select_related("account")
        .order_by("created_at", "pk")
    )
    for item in rows.iterator(chunk_size=1000):
        yield PackageItem(
            id=f"item-{item.pk}",
            platform=item.platform,
            account=str(item.account),
            created_at=item.created_at,
            author=item.author_name or item.author_handle,
            text=item.text,
            raw=bytes(item.raw),
            raw_sha256=item.raw_sha256,
        )


def _snapshots(
    organisation: Organisation, start: datetime.datetime, end: datetime.datetime, scratch: Path
) -> Iterator[object]:
    from kanalvakt.records.packages.spec import SnapshotFile as SpecFile

    files = (
        SnapshotFile.objects.filter(
            snapshot__organisation=organisation,
            snapshot__captured_at__gte=start,
            snapshot__captured_at__lt=end,
        )
        # The PDF/A stands for the original PDF; the package has its own checkpoints.
        .exclude(kind__in=[SnapshotFile.Kind.PDF, SnapshotFile.Kind.CHECKPOINTS])
        .select_related("snapshot__account")
        .order_by("snapshot__captured_at", "pk")
    )
    for file in files:
        yield SpecFile(
            path=_local_path(file.name, scratch),
            mime_type=file.content_type,
            account=str(file.snapshot.account),
            captured_at=file.snapshot.captured_at,
            sha256=file.sha256,
        )


def _checkpoints() -> bytes:
    """Every signed checkpoint so far, so the package can prove the database it came from."""
    from kanalvakt.records.checkpoints import published_json
    from kanalvakt.records.models import Checkpoint

    return published_json() if Checkpoint.objects.exists() else b""


def _builder(fmt: str) -> Callable[..., Path]:
    from kanalvakt.records.packages import build_bagit, build_eark_sip

    builders: dict[str, Callable[..., Path]] = {"eark": build_eark_sip, "bagit": build_bagit}
    if fmt not in builders:
        raise ValidationError(_("Okänt paketformat: %(format)s") % {"format": fmt})
    return builders[fmt]


def package_build(
    *,
    organisation: Organisation,
    fmt: str,
    date_from: datetime.date,
    date_to: datetime.date,
    output_dir: Path,
) -> tuple[Path, int, int]:
    """Build a package in `output_dir`; returns its directory and item/snapshot counts."""
    from kanalvakt.records.packages import PackageError, PackageSpec

    start, end = _window(date_from, date_to)
    counted = {"items": 0, "snapshots": 0}

    def counting(iterator: Iterator[object], key: str) -> Iterator[object]:
        for value in iterator:
            counted[key] += 1
            yield value

    with tempfile.TemporaryDirectory() as scratch:
        spec = PackageSpec(
            organisation_name=organisation.name,
            organisation_identifier=organisation.organisation_number or organisation.slug,
            package_id=f"{organisation.slug}-{date_from:%Y%m%d}-{date_to:%Y%m%d}-{uuid.uuid4().hex[:8]}",
            label=f"{organisation.name}: sociala medier {date_from}–{date_to}",
            date_from=date_from,
            date_to=date_to,
            items=counting(_items(organisation, start, end), "items"),  # type: ignore[arg-type]
            snapshots=counting(_snapshots(organisation, start, end, Path(scratch)), "snapshots"),  # type: ignore[arg-type]
            checkpoints=_checkpoints(),
        )
        try:
            path = Path(_builder(fmt)(output_dir, package=spec))
        except PackageError as error:
            raise ValidationError(str(error)) from error
    return path, counted["items"], counted["snapshots"]


def _zip(directory: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, Path(directory.name) / path.relative_to(directory))


def package_export(
    *,
    actor: User | None,
    organisation: Organisation,
    fmt: str,
    date_from: datetime.date,
    date_to: datetime.date,
) -> ArchivePackage:
    """Build, zip, store and record a package for download from the archivist page."""
    if actor is not None:
        require_role(actor, organisation, Role.REGISTRAR, Role.COMMS_LEAD)
    if date_to < date_from:
        raise ValidationError(_("Slutdatum före startdatum."))
    with tempfile.TemporaryDirectory() as work:
        path, items, snapshots = package_build(
            organisation=organisation,
            fmt=fmt,
            date_from=date_from,
            date_to=date_to,
            output_dir=Path(work) / "out",
        )
        zipped = Path(work) / f"{path.name}.zip"
        _zip(path, zipped)
        digest = hashlib.sha256()
        with zipped.open("rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
        with zipped.open("rb") as handle:
            from django.core.files import File

            name = default_storage.save(
                f"records/packages/{organisation.slug}/{zipped.name}", File(handle)
            )
        size = zipped.stat().st_size
        shutil.rmtree(path, ignore_errors=True)
    return _package_record(
        actor=actor,
        organisation=organisation,
        fmt=fmt,
        date_from=date_from,
        date_to=date_to,
        name=name,
        sha256=digest.hexdigest(),
        size=size,
        items=items,
        snapshots=snapshots,
    )


@transaction.atomic
def _package_record(
    *,
    actor: User | None,
    organisation: Organisation,
    fmt: str,
    date_from: datetime.date,
    date_to: datetime.date,
    name: str,
    sha256: str,
    size: int,
    items: int,
    snapshots: int,
) -> ArchivePackage:
    package = ArchivePackage(
        organisation=organisation,
        format=fmt,
        date_from=date_from,
        date_to=date_to,
        created_by=actor,
        created_at=timezone.now(),
        name=name,
        sha256=sha256,
        size=size,
        item_count=items,
        snapshot_count=snapshots,
    )
    package.full_clean()
    package.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        event_type=RecordsEvent.PACKAGE_EXPORTED,
        target=package,
        data={
            "format": fmt,
            "from": str(date_from),
            "to": str(date_to),
            "sha256": sha256,
            "items": items,
            "snapshots": snapshots,
        },
    )
    return package


@transaction.atomic
def package_exported_to_directory(
    *,
    organisation: Organisation,
    fmt: str,
    date_from: datetime.date,
    date_to: datetime.date,
    path: Path,
    items: int,
    snapshots: int,
) -> None:
    """Audit a package written by the command straight to a directory."""
    audit_record(
        actor=None,
        organisation=organisation,
        event_type=RecordsEvent.PACKAGE_EXPORTED,
        target=organisation,
        data={
            "format": fmt,
            "from": str(date_from),
            "to": str(date_to),
            "path": str(path),
            "items": items,
            "snapshots": snapshots,
        },
    )
