"""METS writing for E-ARK CSIP/SIP 2.1, streamed: file entries are spooled to
temporary files as the files are written and joined into METS.xml at the end,
so a representation of 100,000 files never sits in memory."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ._io import CHUNK, HashingWriter, WrittenFile, now_iso, xml_attr, xml_text
from ._metadata import PremisWriter

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
SCHEMA_LOCATIONS = " ".join(
    [
        METS_NS,
        "http://www.loc.gov/standards/mets/mets.xsd",
        XLINK_NS,
        "http://www.loc.gov/standards/mets/xlink.xsd",
        CSIP_NS,
        "https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd",
        SIP_NS,
        "https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd",
    ]
)
CONTENT_TYPE = "Kanalvakt social-media records 1.0"
# Every fileGrp names its content information type; eark-validator 1.1.3
# (rule CSIP63) wants OTHER plus a name on every fileGrp, not only on
# representation groups.
GRP_CONTENT = (
    f'csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE={xml_attr(CONTENT_TYPE)}'
)


@dataclass(frozen=True, slots=True)
class Agents:
    organisation_name: str
    organisation_identifier: str
    software_version: str


def mets_open(*, objid: str, label: str, created: str, agents: Agents) -> str:
    """The METS root element and header, up to (not including) the first section."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<mets:mets xmlns:mets="{METS_NS}" xmlns:xlink="{XLINK_NS}" xmlns:csip="{CSIP_NS}"'
        f' xmlns:sip="{SIP_NS}" xmlns:xsi="{XSI_NS}"'
        f' xsi:schemaLocation="{SCHEMA_LOCATIONS}"'
        f' OBJID={xml_attr(objid)} LABEL={xml_attr(label)} TYPE="Mixed"'
        f' csip:CONTENTINFORMATIONTYPE="OTHER"'
        f" csip:OTHERCONTENTINFORMATIONTYPE={xml_attr(CONTENT_TYPE)}"
        f' PROFILE="{SIP_PROFILE}">\n'
        f'  <mets:metsHdr CREATEDATE="{created}" LASTMODDATE="{created}" RECORDSTATUS="NEW"'
        ' csip:OAISPACKAGETYPE="SIP">\n'
        '    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">\n'
        "      <mets:name>Kanalvakt</mets:name>\n"
        '      <mets:note csip:NOTETYPE="SOFTWARE VERSION">'
        f"{xml_text(agents.software_version)}</mets:note>\n"
        "    </mets:agent>\n"
        '    <mets:agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">\n'
        f"      <mets:name>{xml_text(agents.organisation_name)}</mets:name>\n"
        '      <mets:note csip:NOTETYPE="IDENTIFICATIONCODE">'
        f"{xml_text(agents.organisation_identifier)}</mets:note>\n"
        "    </mets:agent>\n"
        '    <mets:agent ROLE="OTHER" OTHERROLE="SUBMITTER" TYPE="ORGANIZATION">\n'
        f"      <mets:name>{xml_text(agents.organisation_name)}</mets:name>\n"
        '      <mets:note csip:NOTETYPE="IDENTIFICATIONCODE">'
        f"{xml_text(agents.organisation_identifier)}</mets:note>\n"
        "    </mets:agent>\n"
        "  </mets:metsHdr>\n"
    )


def file_entry(file_id: str, written: WrittenFile, href: str, indent: str = "      ") -> str:
    return (
        f"{indent}<mets:file ID={xml_attr(file_id)} MIMETYPE={xml_attr(written.mime_type)}"
        f' SIZE="{written.size}" CREATED="{written.created}"'
        f' CHECKSUM="{written.sha256}" CHECKSUMTYPE="SHA-256">\n'
        f'{indent}  <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={xml_attr(href)}/>\n'
        f"{indent}</mets:file>\n"
    )


def md_ref(written: WrittenFile, href: str, mdtype: str, other: str | None = None) -> str:
    othermd = f" OTHERMDTYPE={xml_attr(other)}" if other else ""
    return (
        f'      <mets:mdRef LOCTYPE="URL" xlink:type="simple" xlink:href={xml_attr(href)}'
        f' MDTYPE="{mdtype}"{othermd} MIMETYPE={xml_attr(written.mime_type)}'
        f' SIZE="{written.size}" CREATED="{written.created}"'
        f' CHECKSUM="{written.sha256}" CHECKSUMTYPE="SHA-256"/>\n'
    )


def _copy(spool: IO[bytes], out: HashingWriter) -> None:
    spool.seek(0)
    while chunk := spool.read(CHUNK):
        out.write(chunk)


class RepresentationMets:
    """Collects one representation's files and writes its METS.xml at the end.

    File paths given to `add` are relative to the package root; the METS of a
    representation refers to them relative to the representation's directory.
    """

    def __init__(self, *, package_root: Path, name: str, label: str, software_version: str) -> None:
        self.package_root = package_root
        self.name = name
        self.label = label
        self.prefix = f"representations/{name}/"
        self.count = 0
        self.mime_types: set[str] = set()
        self._files = tempfile.TemporaryFile()  # closed in finish() or close()
        self._fptrs = tempfile.TemporaryFile()
        self.premis = PremisWriter(
            package_root,
            f"{self.prefix}metadata/preservation/premis.xml",
            software_version=software_version,
        )

    def add(self, written: WrittenFile, original_name: str | None = None) -> None:
        if not written.relpath.startswith(self.prefix):
            raise ValueError(f"{written.relpath} is not in {self.prefix}")
        self.count += 1
        self.mime_types.add(written.mime_type)
        file_id = f"ID-{self.name}-file-{self.count:07d}"
        href = written.relpath[len(self.prefix) :]
        self._files.write(file_entry(file_id, written, href).encode("utf-8"))
        self._fptrs.write(f'        <mets:fptr FILEID="{file_id}"/>\n'.encode())
        self.premis.add_object(written, original_name)

    def finish(self, *, objid: str, agents: Agents) -> WrittenFile:
        """Write representations/<name>/METS.xml, hashing it on the way."""
        premis = self.premis.finish(
            organisation_name=agents.organisation_name,
            organisation_identifier=agents.organisation_identifier,
            scope=f"Representation {self.name}",
        )
        premis_href = premis.relpath[len(self.prefix) :]
        created = now_iso()
        with HashingWriter(self.package_root, f"{self.prefix}METS.xml", "text/xml") as out:
            out.write(
                mets_open(
                    objid=f"{objid}/{self.name}", label=self.label, created=created, agents=agents
                ).encode("utf-8")
            )
            out.write(
                (
                    f'  <mets:amdSec ID="ID-{self.name}-amdSec">\n'
                    f'    <mets:digiprovMD ID="ID-{self.name}-premis" STATUS="CURRENT">\n'
                    + md_ref(premis, premis_href, "PREMIS")
                    + "    </mets:digiprovMD>\n  </mets:amdSec>\n"
                    f'  <mets:fileSec ID="ID-{self.name}-fileSec">\n'
                    f'    <mets:fileGrp ID="ID-{self.name}-data" USE="Representations/{self.name}"'
                    f" {GRP_CONTENT}>\n"
                ).encode()
            )
            _copy(self._files, out)
            out.write(
                (
                    "    </mets:fileGrp>\n  </mets:fileSec>\n"
                    f'  <mets:structMap ID="ID-{self.name}-structMap"'
                    ' TYPE="PHYSICAL" LABEL="CSIP">\n'
                    f'    <mets:div ID="ID-{self.name}-div" LABEL={xml_attr(self.name)}>\n'
                    f'      <mets:div ID="ID-{self.name}-div-metadata" LABEL="Metadata"'
                    f' ADMID="ID-{self.name}-premis"/>\n'
                    f'      <mets:div ID="ID-{self.name}-div-data" LABEL="Data">\n'
                ).encode()
            )
            _copy(self._fptrs, out)
            out.write(b"      </mets:div>\n    </mets:div>\n  </mets:structMap>\n</mets:mets>\n")
        self.close()
        return out.close()

    def close(self) -> None:
        self._files.close()
        self._fptrs.close()
        self.premis.close()


@dataclass(frozen=True, slots=True)
class RootParts:
    objid: str
    label: str
    agents: Agents
    descriptive: WrittenFile
    preservation: WrittenFile
    documentation: Iterable[WrittenFile]
    schemas: Iterable[WrittenFile]
    representations: Iterable[tuple[str, WrittenFile]]


def root_mets(parts: RootParts) -> str:
    """The package's root METS.xml (small: it points at the representation METS files)."""
    created = now_iso()
    out = [mets_open(objid=parts.objid, label=parts.label, created=created, agents=parts.agents)]
    out.append(
        f'  <mets:dmdSec ID="ID-dmd-description" CREATED="{parts.descriptive.created}"'
        ' STATUS="CURRENT">\n'
        + md_ref(parts.descriptive, parts.descriptive.relpath, "OTHER", "KANALVAKT-DESCRIPTION")
        + "  </mets:dmdSec>\n"
        '  <mets:amdSec ID="ID-amdSec">\n'
        '    <mets:digiprovMD ID="ID-digiprov-premis" STATUS="CURRENT">\n'
        + md_ref(parts.preservation, parts.preservation.relpath, "PREMIS")
        + "    </mets:digiprovMD>\n  </mets:amdSec>\n"
        '  <mets:fileSec ID="ID-fileSec">\n'
    )
    groups: list[tuple[str, str, list[tuple[str, WrittenFile]]]] = [
        ("ID-grp-documentation", "Documentation", [("doc", f) for f in parts.documentation]),
        ("ID-grp-schemas", "Schemas", [("schema", f) for f in parts.schemas]),
    ]
    reps = list(parts.representations)
    for name, mets_file in reps:
        groups.append((f"ID-grp-{name}", f"Representations/{name}", [(name, mets_file)]))
    for group_id, use, files in groups:
        out.append(f'    <mets:fileGrp ID="{group_id}" USE="{use}" {GRP_CONTENT}>\n')
        for n, (kind, written) in enumerate(files, start=1):
            out.append(file_entry(f"ID-{kind}-{n:03d}", written, written.relpath))
        out.append("    </mets:fileGrp>\n")
    out.append("  </mets:fileSec>\n")
    out.append(
        '  <mets:structMap ID="ID-structMap" TYPE="PHYSICAL" LABEL="CSIP">\n'
        f'    <mets:div ID="ID-div-root" LABEL={xml_attr(parts.objid)}>\n'
        '      <mets:div ID="ID-div-metadata" LABEL="Metadata" ADMID="ID-digiprov-premis"'
        ' DMDID="ID-dmd-description"/>\n'
        '      <mets:div ID="ID-div-documentation" LABEL="Documentation">\n'
        '        <mets:fptr FILEID="ID-grp-documentation"/>\n'
        "      </mets:div>\n"
        '      <mets:div ID="ID-div-schemas" LABEL="Schemas">\n'
        '        <mets:fptr FILEID="ID-grp-schemas"/>\n'
        "      </mets:div>\n"
        '      <mets:div ID="ID-div-representations" LABEL="Representations">\n'
    )
    for name, _ in reps:
        out.append(f'        <mets:fptr FILEID="ID-grp-{name}"/>\n')
    for name, mets_file in reps:
        out.append(
            f'        <mets:div ID="ID-div-{name}" LABEL="Representations/{name}">\n'
            f'          <mets:mptr LOCTYPE="URL" xlink:type="simple"'
            f' xlink:href={xml_attr(mets_file.relpath)} xlink:title="ID-grp-{name}"/>\n'
            "        </mets:div>\n"
        )
    out.append("      </mets:div>\n    </mets:div>\n  </mets:structMap>\n</mets:mets>\n")
    return "".join(out)
