"""E-ARK CSIP/SIP 2.1 submission information packages (FGS Paketstruktur 2.0 layout).

    <package id>/
      METS.xml                                root METS: header, dmdSec, amdSec, fileSec, structMap
      metadata/descriptive/description.xml
      metadata/preservation/premis.xml        PREMIS for the package-level files
      documentation/README.txt
      schemas/kanalvakt-item-1.0.schema.json, kanalvakt-package-description-1.0.xsd
      representations/rep1/METS.xml           the items as data
      representations/rep1/metadata/preservation/premis.xml   fixity of every file in rep1
      representations/rep1/data/items.jsonl
      representations/rep1/data/raw/0000/…    payloads exactly as received
      representations/rep2…/METS.xml, data/   snapshots, one representation per format

Everything is written straight to disk while the items are read; only per
account and per format counters stay in memory.
"""

from __future__ import annotations

from importlib import metadata as importlib_metadata
from pathlib import Path

from ._content import ItemsWriter, place_snapshot
from ._io import build_atomically
from ._metadata import (
    ContentStats,
    PremisWriter,
    write_checkpoints,
    write_description,
    write_readme,
    write_schemas,
)
from ._mets import Agents, RepresentationMets, RootParts, root_mets
from .spec import PackageSpec

SNAPSHOT_LABELS = {
    "application/pdf": "Ögonblicksbilder av startsidor som PDF/A / start-page snapshots as PDF/A",
    "image/png": "Ögonblicksbilder av startsidor som PNG / full-page screenshots as PNG",
    "application/warc": "Ögonblicksbilder av startsidor som WARC / start-page captures as WARC",
}


def software_version() -> str:
    try:
        return importlib_metadata.version("kanalvakt")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def build_eark_sip(output_dir: Path | str, *, package: PackageSpec) -> Path:
    """Build the package in `output_dir/<package id>/` and return that directory
    (complete or not at all: `build_atomically`)."""
    return build_atomically(output_dir, package, _build)


def _build(root: Path, spec: PackageSpec) -> None:
    version = software_version()
    agents = Agents(spec.organisation_name, spec.organisation_identifier, version)
    stats = ContentStats()
    reps: dict[str, RepresentationMets] = {}
    try:
        items_rep = RepresentationMets(
            package_root=root,
            name="rep1",
            label=f"{spec.label}: inkomna poster / received items",
            software_version=version,
        )
        reps["rep1"] = items_rep
        writer = ItemsWriter(root, "representations/rep1/data", stats, items_rep.add)
        try:
            for item in spec.items:
                writer.add(item)
        finally:
            writer.close()
        writer.finish()

        by_format: dict[str, RepresentationMets] = {}
        for n, snapshot in enumerate(spec.snapshots, start=1):
            rep = by_format.get(snapshot.mime_type)
            if rep is None:
                name = f"rep{len(reps) + 1}"
                label = SNAPSHOT_LABELS.get(
                    snapshot.mime_type, f"Ögonblicksbilder / snapshots ({snapshot.mime_type})"
                )
                rep = RepresentationMets(
                    package_root=root, name=name, label=label, software_version=version
                )
                reps[name] = by_format[snapshot.mime_type] = rep
            written = place_snapshot(root, f"{rep.prefix}data", snapshot, n, stats)
            rep.add(written, snapshot.path.name)

        rep_mets = [
            (name, rep.finish(objid=spec.package_id, agents=agents)) for name, rep in reps.items()
        ]
    finally:
        for rep in reps.values():
            rep.close()

    documentation = [write_readme(root, "documentation/README.txt", spec)]
    if spec.checkpoints:
        documentation.append(write_checkpoints(root, "documentation/checkpoints.json", spec))
    schemas = write_schemas(root, "schemas")
    descriptive = write_description(root, "metadata/descriptive/description.xml", spec, stats)
    premis = PremisWriter(root, "metadata/preservation/premis.xml", software_version=version)
    for written in [descriptive, *documentation, *schemas, *(mets for _, mets in rep_mets)]:
        premis.add_object(written)
    preservation = premis.finish(
        organisation_name=spec.organisation_name,
        organisation_identifier=spec.organisation_identifier,
        scope=f"Package {spec.package_id}",
    )
    parts = RootParts(
        objid=spec.package_id,
        label=spec.label,
        agents=agents,
        descriptive=descriptive,
        preservation=preservation,
        documentation=documentation,
        schemas=schemas,
        representations=rep_mets,
    )
    (root / "METS.xml").write_text(root_mets(parts), encoding="utf-8")
