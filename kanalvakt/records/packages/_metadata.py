"""Descriptive metadata, PREMIS, documentation and schemas of a package."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ._io import HashingWriter, WrittenFile, iso, now_iso, xml_attr, xml_text
from .spec import PackageSpec

PREMIS_NS = "http://www.loc.gov/premis/v3"
DESCRIPTION_NS = "urn:kanalvakt:xml:package-description:1.0"
ITEM_SCHEMA_NAME = "kanalvakt-item-1.0.schema.json"
DESCRIPTION_SCHEMA_NAME = "kanalvakt-package-description-1.0.xsd"


@dataclass(slots=True)
class ContentStats:
    """What the package turned out to hold, gathered while streaming."""

    items: int = 0
    per_account: Counter[tuple[str, str]] = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None
    snapshots: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add_item(self, platform: str, account: str, created_at: datetime) -> None:
        self.items += 1
        self.per_account[(platform, account)] += 1
        if self.first is None or created_at < self.first:
            self.first = created_at
        if self.last is None or created_at > self.last:
            self.last = created_at

    def add_snapshot(self, account: str, mime_type: str) -> None:
        self.snapshots[(account, mime_type)] += 1


class PremisWriter:
    """A PREMIS 3.0 file, written object by object as the files it describes land."""

    def __init__(self, root: Path, relpath: str, *, software_version: str) -> None:
        self.software_version = software_version
        self._out = HashingWriter(root, relpath, "text/xml")
        self._out.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<premis:premis xmlns:premis="{PREMIS_NS}"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' xsi:schemaLocation="{PREMIS_NS} http://www.loc.gov/standards/premis/premis.xsd"'
            ' version="3.0">\n'
        )
        self.objects = 0

    def add_object(self, written: WrittenFile, original_name: str | None = None) -> None:
        self.objects += 1
        original = (
            f"    <premis:originalName>{xml_text(original_name)}</premis:originalName>\n"
            if original_name
            else ""
        )
        self._out.write_text(
            '  <premis:object xsi:type="premis:file">\n'
            "    <premis:objectIdentifier>\n"
            "      <premis:objectIdentifierType>local</premis:objectIdentifierType>\n"
            f"      <premis:objectIdentifierValue>{xml_text(written.relpath)}"
            "</premis:objectIdentifierValue>\n"
            "    </premis:objectIdentifier>\n"
            "    <premis:objectCharacteristics>\n"
            "      <premis:compositionLevel>0</premis:compositionLevel>\n"
            "      <premis:fixity>\n"
            "        <premis:messageDigestAlgorithm>SHA-256</premis:messageDigestAlgorithm>\n"
            f"        <premis:messageDigest>{written.sha256}</premis:messageDigest>\n"
            "        <premis:messageDigestOriginator>Kanalvakt</premis:messageDigestOriginator>\n"
            "      </premis:fixity>\n"
            f"      <premis:size>{written.size}</premis:size>\n"
            "      <premis:format>\n"
            "        <premis:formatDesignation>\n"
            f"          <premis:formatName>{xml_text(written.mime_type)}</premis:formatName>\n"
            "        </premis:formatDesignation>\n"
            "      </premis:format>\n"
            "    </premis:objectCharacteristics>\n"
            f"{original}"
            "  </premis:object>\n"
        )

    def close(self) -> None:
        """Close the file without finishing it (the build failed)."""
        self._out.close()

    def finish(
        self, *, organisation_name: str, organisation_identifier: str, scope: str
    ) -> WrittenFile:
        now = now_iso()
        events = [
            (
                "ID-event-fixity",
                "fixity check",
                "Every file was hashed while it was written into the package; item payloads and"
                " snapshots were compared with the SHA-256 recorded when Kanalvakt received or"
                " captured them.",
            ),
            (
                "ID-event-creation",
                "creation",
                f"{scope} written by Kanalvakt; {self.objects} files described here.",
            ),
        ]
        for event_id, event_type, detail in events:
            self._out.write_text(
                "  <premis:event>\n"
                "    <premis:eventIdentifier>\n"
                "      <premis:eventIdentifierType>local</premis:eventIdentifierType>\n"
                f"      <premis:eventIdentifierValue>{event_id}</premis:eventIdentifierValue>\n"
                "    </premis:eventIdentifier>\n"
                f"    <premis:eventType>{event_type}</premis:eventType>\n"
                f"    <premis:eventDateTime>{now}</premis:eventDateTime>\n"
                "    <premis:eventDetailInformation>\n"
                f"      <premis:eventDetail>{xml_text(detail)}</premis:eventDetail>\n"
                "    </premis:eventDetailInformation>\n"
                "    <premis:eventOutcomeInformation>\n"
                "      <premis:eventOutcome>success</premis:eventOutcome>\n"
                "    </premis:eventOutcomeInformation>\n"
                "    <premis:linkingAgentIdentifier>\n"
                "      <premis:linkingAgentIdentifierType>local"
                "</premis:linkingAgentIdentifierType>\n"
                "      <premis:linkingAgentIdentifierValue>ID-agent-kanalvakt"
                "</premis:linkingAgentIdentifierValue>\n"
                "    </premis:linkingAgentIdentifier>\n"
                "  </premis:event>\n"
            )
        agents = [
            ("ID-agent-kanalvakt", f"Kanalvakt {self.software_version}", "software"),
            (
                "ID-agent-organisation",
                f"{organisation_name} ({organisation_identifier})",
                "organization",
            ),
        ]
        for agent_id, name, agent_type in agents:
            self._out.write_text(
                "  <premis:agent>\n"
                "    <premis:agentIdentifier>\n"
                "      <premis:agentIdentifierType>local</premis:agentIdentifierType>\n"
                f"      <premis:agentIdentifierValue>{agent_id}</premis:agentIdentifierValue>\n"
                "    </premis:agentIdentifier>\n"
                f"    <premis:agentName>{xml_text(name)}</premis:agentName>\n"
                f"    <premis:agentType>{agent_type}</premis:agentType>\n"
                "  </premis:agent>\n"
            )
        self._out.write_text("</premis:premis>\n")
        return self._out.close()


def write_description(
    root: Path, relpath: str, spec: PackageSpec, stats: ContentStats
) -> WrittenFile:
    """A plain XML description of the package, valid against DESCRIPTION_XSD."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<description xmlns="{DESCRIPTION_NS}" packageId={xml_attr(spec.package_id)}'
        f' created="{now_iso()}">\n',
        f"  <label>{xml_text(spec.label)}</label>\n",
        f"  <organisation identifier={xml_attr(spec.organisation_identifier)}>"
        f"{xml_text(spec.organisation_name)}</organisation>\n",
        f'  <period from="{spec.date_from.isoformat()}" to="{spec.date_to.isoformat()}"/>\n',
        f'  <items count="{stats.items}"',
    ]
    if stats.first is not None and stats.last is not None:
        lines.append(f' first="{iso(stats.first)}" last="{iso(stats.last)}"')
    lines.append("/>\n  <accounts>\n")
    for (platform, account), count in sorted(stats.per_account.items()):
        lines.append(
            f'    <account platform={xml_attr(platform)} items="{count}">'
            f"{xml_text(account)}</account>\n"
        )
    lines.append("  </accounts>\n  <snapshots>\n")
    for (account, mime), count in sorted(stats.snapshots.items()):
        lines.append(
            f"    <snapshot account={xml_attr(account)} mimeType={xml_attr(mime)}"
            f' files="{count}"/>\n'
        )
    lines.append("  </snapshots>\n</description>\n")
    with HashingWriter(root, relpath, "text/xml") as out:
        out.write_text("".join(lines))
    return out.close()


DESCRIPTION_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="{DESCRIPTION_NS}"
           targetNamespace="{DESCRIPTION_NS}"
           elementFormDefault="qualified">
  <xs:annotation>
    <xs:documentation xml:lang="en">Kanalvakt package description 1.0: who delivers the
      package, the period it covers, the accounts its items come from and the snapshots
      it holds.</xs:documentation>
  </xs:annotation>
  <xs:element name="description">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="label" type="xs:string"/>
        <xs:element name="organisation">
          <xs:complexType>
            <xs:simpleContent>
              <xs:extension base="xs:string">
                <xs:attribute name="identifier" type="xs:string" use="required"/>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>
        </xs:element>
        <xs:element name="period">
          <xs:complexType>
            <xs:attribute name="from" type="xs:date" use="required"/>
            <xs:attribute name="to" type="xs:date" use="required"/>
          </xs:complexType>
        </xs:element>
        <xs:element name="items">
          <xs:complexType>
            <xs:attribute name="count" type="xs:nonNegativeInteger" use="required"/>
            <xs:attribute name="first" type="xs:dateTime"/>
            <xs:attribute name="last" type="xs:dateTime"/>
          </xs:complexType>
        </xs:element>
        <xs:element name="accounts">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="account" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:simpleContent>
                    <xs:extension base="xs:string">
                      <xs:attribute name="platform" type="xs:string" use="required"/>
                      <xs:attribute name="items" type="xs:nonNegativeInteger" use="required"/>
                    </xs:extension>
                  </xs:simpleContent>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        <xs:element name="snapshots">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="snapshot" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:attribute name="account" type="xs:string" use="required"/>
                  <xs:attribute name="mimeType" type="xs:string" use="required"/>
                  <xs:attribute name="files" type="xs:positiveInteger" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="packageId" type="xs:string" use="required"/>
      <xs:attribute name="created" type="xs:dateTime" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""

ITEM_SCHEMA: dict[str, object] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:kanalvakt:json:item:1.0",
    "title": "Kanalvakt item 1.0 (one line of items.jsonl)",
    "type": "object",
    "required": [
        "id",
        "platform",
        "account",
        "created_at",
        "author",
        "text",
        "raw_path",
        "raw_sha256",
        "raw_mime_type",
    ],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "description": "The item's id on its platform."},
        "platform": {"type": "string"},
        "account": {"type": "string", "description": "The official account it belongs to."},
        "created_at": {"type": "string", "format": "date-time"},
        "author": {"type": "string"},
        "text": {"type": "string"},
        "raw_path": {
            "type": "string",
            "description": "The payload as received, relative to the directory of items.jsonl.",
        },
        "raw_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "raw_mime_type": {"type": "string"},
    },
}


def write_schemas(root: Path, directory: str) -> list[WrittenFile]:
    written = []
    for name, body, mime in (
        (ITEM_SCHEMA_NAME, json.dumps(ITEM_SCHEMA, indent=2) + "\n", "application/json"),
        (DESCRIPTION_SCHEMA_NAME, DESCRIPTION_XSD, "text/xml"),
    ):
        with HashingWriter(root, f"{directory}/{name}", mime) as out:
            out.write_text(body)
        written.append(out.close())
    return written


README = """\
Kanalvakt – arkivpaket / archival package
=========================================

Paket / package: {package_id}
Etikett / label: {label}
Organisation: {organisation} ({identifier})
Period: {date_from} – {date_to}

SVENSKA
Paketet följer E-ARK CSIP/SIP 2.1 och Riksarkivets FGS Paketstruktur 2.0 där de
är tillämpliga. METS.xml i roten beskriver paketet och pekar på varje
representations egen METS.xml. Alla filer har SHA-256, storlek, MIME-typ och
skapandetid i METS.

  metadata/descriptive/description.xml  organisation, konton, period (schema i schemas/)
  metadata/preservation/premis.xml      PREMIS 3.0 med fixitet för varje fil
  representations/rep1/data/items.jsonl en rad per inkommen post, normaliserad
                                        (schema: schemas/{item_schema})
  representations/rep1/data/raw/        varje post exakt som den togs emot
  representations/rep2… (om de finns)   ögonblicksbilder av kontonas startsidor,
                                        en representation per format (PDF/A, PNG, WARC)
  documentation/checkpoints.json        (om den finns) signerade kontrollpunkter för
                                        granskningsloggen: kanalvakt verify_audit --checkpoints

ENGLISH
The package follows E-ARK CSIP/SIP 2.1 and the Swedish National Archives' FGS
Paketstruktur 2.0 where they apply. The root METS.xml describes the package and
points at each representation's own METS.xml. Every file carries SHA-256, size,
MIME type and creation time in METS.

  metadata/descriptive/description.xml  organisation, accounts, period (schema in schemas/)
  metadata/preservation/premis.xml      PREMIS 3.0 with fixity for every file
  representations/rep1/data/items.jsonl one line per received item, normalised
                                        (schema: schemas/{item_schema})
  representations/rep1/data/raw/        every item exactly as received
  representations/rep2… (if present)    snapshots of the accounts' start pages,
                                        one representation per format (PDF/A, PNG, WARC)
  documentation/checkpoints.json        (if present) signed checkpoints of the audit log:
                                        kanalvakt verify_audit --checkpoints
"""


def write_checkpoints(root: Path, relpath: str, spec: PackageSpec) -> WrittenFile:
    """The signed checkpoints, byte for byte: `kanalvakt verify_audit --checkpoints` reads them."""
    with HashingWriter(root, relpath, "application/json") as out:
        out.write(spec.checkpoints)
    return out.close()


def write_readme(root: Path, relpath: str, spec: PackageSpec) -> WrittenFile:
    with HashingWriter(root, relpath, "text/plain") as out:
        out.write_text(
            README.format(
                package_id=spec.package_id,
                label=spec.label,
                organisation=spec.organisation_name,
                identifier=spec.organisation_identifier,
                date_from=spec.date_from.isoformat(),
                date_to=spec.date_to.isoformat(),
                item_schema=ITEM_SCHEMA_NAME,
            )
        )
    return out.close()
