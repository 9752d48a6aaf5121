"""Registrations for the records-management system: JSON rows, CSV and XML."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from kanalvakt.lib.csvsafe import csv_dict_writer
from kanalvakt.records.models import Registration

COLUMNS = (
    "id",
    "record_number",
    "status",
    "record_kind",
    "decision",
    "rule",
    "rule_source",
    "registered_at",
    "registered_by",
    "forwarded_to_unit",
    "forwarded_to",
    "forwarded_at",
    "source_type",
    "account",
    "platform",
    "external_id",
    "created_at",
    "received_at",
    "author_name",
    "text",
    "raw_sha256",
    "snapshot_files",
)


def registration_row(registration: Registration) -> dict[str, Any]:
    item = registration.item
    snapshot = registration.snapshot
    account = item.account if item else snapshot.account if snapshot else None
    return {
        "id": registration.pk,
        "record_number": registration.record_number,
        "status": registration.status,
        "record_kind": registration.record_kind,
        "decision": registration.decision,
        "rule": registration.rule_path,
        "rule_source": registration.rule_source,
        "registered_at": registration.registered_at.isoformat()
        if registration.registered_at
        else None,
        "registered_by": str(registration.registered_by) if registration.registered_by else None,
        "forwarded_to_unit": str(registration.forwarded_to_unit)
        if registration.forwarded_to_unit
        else None,
        "forwarded_to": str(registration.forwarded_to_user)
        if registration.forwarded_to_user
        else None,
        "forwarded_at": registration.forwarded_at.isoformat()
        if registration.forwarded_at
        else None,
        "source_type": "item" if item else "snapshot",
        "account": str(account) if account else None,
        "platform": account.platform if account else None,
        "external_id": item.external_id if item else None,
        "created_at": (item.created_at if item else snapshot.captured_at).isoformat()  # type: ignore[union-attr]
        if (item or snapshot)
        else None,
        "received_at": item.received_at.isoformat() if item else None,
        "author_name": item.author_name if item else None,
        "text": item.text if item else (snapshot.title if snapshot else None),
        "raw_sha256": item.raw_sha256 if item else None,
        "snapshot_files": [
            {"kind": f.kind, "sha256": f.sha256, "size": f.size} for f in snapshot.files.all()
        ]
        if snapshot
        else [],
    }


def registrations_csv(registrations: Iterable[Registration]) -> bytes:
    buffer = io.StringIO()
    writer = csv_dict_writer(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for registration in registrations:
        row = registration_row(registration)
        row["snapshot_files"] = " ".join(
            f"{f['kind']}:{f['sha256']}" for f in row["snapshot_files"]
        )
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def registrations_xml(registrations: Iterable[Registration], *, organisation: str) -> bytes:
    root = ET.Element("registrations", {"organisation": organisation, "version": "1"})
    for registration in registrations:
        row = registration_row(registration)
        element = ET.SubElement(root, "registration", {"id": str(row.pop("id"))})
        files = row.pop("snapshot_files")
        for key, value in row.items():
            child = ET.SubElement(element, key)
            if value is not None:
                child.text = str(value)
        if files:
            container = ET.SubElement(element, "snapshot_files")
            for file in files:
                ET.SubElement(
                    container,
                    "file",
                    {
                        "kind": str(file["kind"]),
                        "sha256": file["sha256"],
                        "size": str(file["size"]),
                    },
                )
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data
