"""Evidence export for a police report or the manager (INB-6).

A ZIP with the item and its thread (parent, siblings, replies), each as the
normalised fields (JSON) beside the exact raw bytes received, every version
(edit or deletion) and every delivery the items came in, a README, and a
`manifest.json` listing each file with its SHA-256 and the SHA-256 recorded
at receipt, so a recipient can check nothing was changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from django.utils import timezone

from kanalvakt.inbox.models import Delivery, InboxEntry, Item
from kanalvakt.inbox.selectors import thread_for

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def _item_fields(item: Item) -> dict[str, Any]:
    return {
        "id": item.pk,
        "platform": item.platform,
        "account": str(item.account),
        "external_id": item.external_id,
        "kind": item.kind,
        "parent_external_id": item.parent_external_id,
        "thread_id": item.thread_id,
        "author_name": item.author_name,
        "author_handle": item.author_handle,
        "author_external_id": item.author_external_id,
        "by_account": item.by_account,
        "text": item.text,
        "url": item.url,
        "created_at": item.created_at.isoformat(),
        "received_at": item.received_at.isoformat(),
        "raw_sha256_at_receipt": item.raw_sha256,
        "versions": [
            {
                "text": version.text,
                "deleted": version.deleted,
                "edited_at": version.edited_at.isoformat() if version.edited_at else None,
                "recorded_at": version.recorded_at.isoformat(),
                "raw_sha256_at_receipt": version.raw_sha256,
            }
            for version in item.versions.all()
        ],
    }


def evidence_zip(entry: InboxEntry, *, exported_by: str) -> bytes:
    """The ZIP file's bytes. Deterministic apart from the export time in the manifest."""
    item = entry.item
    thread = thread_for(item)
    items = [item, *thread.all_others]
    files: dict[str, bytes] = {}
    received: dict[str, str] = {}
    deliveries: dict[int, Delivery] = {}
    for each in items:
        stem = f"items/{each.pk}"
        files[f"{stem}.json"] = json.dumps(
            _item_fields(each), ensure_ascii=False, indent=2
        ).encode()
        files[f"{stem}.raw"] = bytes(each.raw)
        received[f"{stem}.raw"] = each.raw_sha256
        for number, version in enumerate(each.versions.all(), start=1):
            files[f"{stem}.version-{number}.raw"] = bytes(version.raw)
            received[f"{stem}.version-{number}.raw"] = version.raw_sha256
        if each.delivery_id is not None and each.delivery is not None:
            deliveries[each.delivery_id] = each.delivery
    for delivery in deliveries.values():
        files[f"deliveries/{delivery.pk}.raw"] = bytes(delivery.body)
        received[f"deliveries/{delivery.pk}.raw"] = delivery.sha256
    files["README.txt"] = (
        "Bevisexport från Kanalvakt.\n"
        f"Organisation: {entry.organisation}\nKonto: {entry.account}\n"
        f"Meddelande: {item.external_id} ({item.get_kind_display()}) på {item.platform}\n"
        f"Exporterad av: {exported_by}\n\n"
        "items/<id>.json är de normaliserade uppgifterna, items/<id>.raw exakt det som togs emot,\n"
        "deliveries/<id>.raw hela leveransen från plattformen. manifest.json anger SHA-256 för\n"
        "varje fil och, för rådata, kontrollsumman som registrerades när det togs emot.\n"
    ).encode()
    manifest = {
        "format": "kanalvakt/evidence@1",
        "organisation": str(entry.organisation),
        "item": item.pk,
        "exported_at": timezone.now().isoformat(),
        "exported_by": exported_by,
        "files": [
            {
                "path": path,
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": len(content),
                **({"sha256_at_receipt": received[path]} if path in received else {}),
            }
            for path, content in sorted(files.items())
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, content in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(path, FIXED_DATE), content)
        archive.writestr(
            zipfile.ZipInfo("manifest.json", FIXED_DATE),
            json.dumps(manifest, ensure_ascii=False, indent=2).encode(),
        )
    return buffer.getvalue()
