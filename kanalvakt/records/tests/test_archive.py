"""REC-6: the records app's items and snapshots as archival packages."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import OrganisationWorld
from kanalvakt.records.archive import package_export
from kanalvakt.records.models import SnapshotReason
from kanalvakt.records.packages import verify_package
from kanalvakt.records.snapshots import snapshot_capture
from kanalvakt.records.tests.conftest import Receive
from kanalvakt.records.tests.test_snapshots import fake_capture
from kanalvakt.register.models import Account

TODAY = timezone.localdate()


@pytest.fixture
def records(overkalix: OrganisationWorld, account: Account, receive: Receive) -> None:
    receive("Det är fel på vägen vid skolan.")
    receive("Kiitos hyvästä palvelusta!", language="fi")
    snapshot_capture(
        actor=None,
        account=account,
        reason=SnapshotReason.BEFORE_MAJOR_CHANGE,
        capturer=fake_capture,
    )


@pytest.mark.parametrize("fmt", ["eark", "bagit"])
def test_export_package_command_writes_a_package_that_verifies(
    records: None, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    call_command(
        "export_package",
        "--organisation",
        "overkalix",
        "--format",
        fmt,
        "--from",
        str(TODAY - datetime.timedelta(days=1)),
        "--to",
        str(TODAY),
        str(out),
    )
    assert "2 meddelanden" in capsys.readouterr().out
    (package,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert verify_package(package) == []
    if fmt == "eark":
        from kanalvakt.records.packages.validation import eark_validate

        result = eark_validate(package)
        assert result.valid, result


def test_archivist_page_builds_and_downloads_a_package(
    overkalix: OrganisationWorld, records: None, client: Client
) -> None:
    client.force_login(overkalix.registrar)
    response = client.post(
        "/o/overkalix/arkivpaket/",
        {
            "format": "eark",
            "date_from": str(TODAY - datetime.timedelta(days=1)),
            "date_to": str(TODAY),
        },
        follow=True,
    )
    assert "Arkivpaketet är klart" in response.content.decode()
    package = package_export(
        actor=overkalix.registrar,
        organisation=overkalix.organisation,
        fmt="bagit",
        date_from=TODAY,
        date_to=TODAY,
    )
    assert package.item_count == 2
    assert package.snapshot_count >= 1
    download = client.get(f"/o/overkalix/arkivpaket/{package.pk}/")
    assert download.status_code == 200
    with default_storage.open(package.name, "rb") as handle:
        assert zipfile.ZipFile(handle).namelist()


def test_another_organisation_cannot_download(
    overkalix: OrganisationWorld, outsider: object, records: None, client: Client
) -> None:
    package = package_export(
        actor=overkalix.registrar,
        organisation=overkalix.organisation,
        fmt="eark",
        date_from=TODAY,
        date_to=TODAY,
    )
    client.force_login(outsider)  # type: ignore[arg-type]
    assert client.get(f"/o/overkalix/arkivpaket/{package.pk}/").status_code == 404
    assert client.get(f"/o/degerfors/arkivpaket/{package.pk}/").status_code == 404
