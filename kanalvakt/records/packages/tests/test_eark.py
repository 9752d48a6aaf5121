"""E-ARK SIP: the validator accepts it, the content is all there, tampering is caught."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from kanalvakt.records.packages import PackageError, build_eark_sip, verify_package
from kanalvakt.records.packages._metadata import DESCRIPTION_XSD, ITEM_SCHEMA
from kanalvakt.records.packages.validation import (
    KNOWN_VALIDATOR_DEFECTS,
    _offline_urlopen,
    eark_validate,
)

from .conftest import TEXTS, SpecFactory

METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}"


def assert_valid(package: Path) -> None:
    result = eark_validate(package)
    assert result.errors == []
    assert all(line.split(" ", 1)[0] in KNOWN_VALIDATOR_DEFECTS for line in result.known_defects)
    assert verify_package(package) == []


@pytest.fixture
def package(tmp_path: Path, make_spec: SpecFactory) -> Path:
    built = build_eark_sip(tmp_path / "out", package=make_spec())
    assert_valid(built)
    return built


def test_package_with_swedish_and_finnish_text_and_snapshots_validates(package: Path) -> None:
    assert package.name == "UUID:7b0c7a9e-2f7e-4d4a-9a57-0c6f1f0e2a11"
    for folder in (
        "metadata/descriptive",
        "metadata/preservation",
        "documentation",
        "schemas",
        "representations/rep1/data/raw",
    ):
        assert (package / folder).is_dir(), folder
    # rep1 items; rep2-4 one representation per snapshot format.
    reps = sorted(p.name for p in (package / "representations").iterdir())
    assert reps == ["rep1", "rep2", "rep3", "rep4"]
    for rep in reps:
        assert (package / "representations" / rep / "METS.xml").is_file()
        assert (package / "representations" / rep / "metadata/preservation/premis.xml").is_file()


def test_root_mets_names_profile_objid_agents_and_divisions(package: Path) -> None:
    root = ET.parse(package / "METS.xml").getroot()  # noqa: S314 — our own output
    assert root.get("OBJID") == package.name
    assert root.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    agents = {
        (a.get("ROLE"), a.get("TYPE")): a.findtext(f"{METS}name") for a in root.iter(f"{METS}agent")
    }
    assert agents[("CREATOR", "OTHER")] == "Kanalvakt"
    assert agents[("ARCHIVIST", "ORGANIZATION")] == "Överkalix kommun"
    top = root.find(f"{METS}structMap/{METS}div")
    assert top is not None
    divisions = [d.get("LABEL") for d in top]
    assert divisions == ["Metadata", "Documentation", "Schemas", "Representations"]
    mptrs = [m.get(f"{XLINK}href") for m in root.iter(f"{METS}mptr")]
    assert mptrs == [f"representations/rep{n}/METS.xml" for n in range(1, 5)]


def test_every_file_entry_has_checksum_size_mime_and_created(package: Path) -> None:
    seen = 0
    for mets in [package / "METS.xml", *package.glob("representations/*/METS.xml")]:
        for entry in ET.parse(mets).getroot().iter(f"{METS}file"):  # noqa: S314
            seen += 1
            assert entry.get("CHECKSUMTYPE") == "SHA-256"
            assert len(entry.get("CHECKSUM") or "") == 64
            assert int(entry.get("SIZE") or "-1") >= 0
            assert entry.get("MIMETYPE")
            assert entry.get("CREATED")
    # 12 payloads + items.jsonl + 6 snapshots + README + 2 schemas + 4 representation METS
    assert seen == 12 + 1 + 6 + 1 + 2 + 4


def test_items_are_kept_as_normalised_lines_and_raw_payloads(package: Path) -> None:
    data = package / "representations/rep1/data"
    lines = [json.loads(line) for line in (data / "items.jsonl").read_text("utf-8").splitlines()]
    assert len(lines) == 12
    for n, line in enumerate(lines):
        jsonschema.validate(line, ITEM_SCHEMA)
        assert line["text"] == TEXTS[n % len(TEXTS)][2]
        raw = (data / line["raw_path"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == line["raw_sha256"]
        assert json.loads(raw)["message"] == line["text"]
    assert lines[3]["text"] == "Hyvää työtä, kiitos! Ääkköset: äöå ÄÖÅ"


def test_descriptive_metadata_is_valid_against_its_schema(package: Path) -> None:
    schema = etree.XMLSchema(etree.fromstring(DESCRIPTION_XSD.encode()))
    document = etree.parse(str(package / "metadata/descriptive/description.xml"))
    schema.assertValid(document)
    accounts = document.getroot().findall(".//{*}account")
    assert {a.text for a in accounts} >= {"Överkalix kommun", "@OverkalixKommun"}
    # The schema the package refers to is in the package.
    shipped = (package / "schemas/kanalvakt-package-description-1.0.xsd").read_text("utf-8")
    assert shipped == DESCRIPTION_XSD


def test_tampered_payload_is_caught(package: Path) -> None:
    raw = sorted((package / "representations/rep1/data/raw").rglob("*.json"))[0]
    raw.write_bytes(raw.read_bytes().replace(b"Storgatan", b"Storgat4n"))
    problems = verify_package(package)
    assert len(problems) == 1
    assert raw.relative_to(package).as_posix() in problems[0]
    assert "SHA-256" in problems[0]


def test_changed_size_missing_and_unlisted_files_are_caught(package: Path) -> None:
    pdf = next((package / "representations").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"x")
    (package / "documentation/README.txt").unlink()
    (package / "representations/rep1/data/smuggled.txt").write_text("hej")
    problems = "\n".join(verify_package(package))
    assert "size is" in problems
    assert "documentation/README.txt: listed in METS.xml but missing" in problems
    assert (
        "representations/rep1/data/smuggled.txt: in the package but listed in no METS" in problems
    )


def test_a_reference_outside_the_package_is_reported(package: Path) -> None:
    mets = package / "representations/rep2/METS.xml"
    text = mets.read_text("utf-8")
    mets.write_text(text.replace('xlink:href="data/', 'xlink:href="../../../data/', 1), "utf-8")
    problems = verify_package(package)
    assert any("points outside the package" in p for p in problems)


def test_a_payload_that_no_longer_matches_its_receipt_digest_is_refused(
    tmp_path: Path, make_spec: SpecFactory
) -> None:
    spec = make_spec(snapshots=False)
    bad = [dataclasses.replace(next(iter(spec.items)), raw=b"{}")]
    with pytest.raises(PackageError, match="no longer matches"):
        build_eark_sip(tmp_path / "out", package=make_spec(items=bad))
    assert list((tmp_path / "out").iterdir()) == []


def test_hostile_text_and_control_characters_stay_well_formed(
    tmp_path: Path, make_spec: SpecFactory
) -> None:
    spec = make_spec(
        count=3,
        organisation_name='Kommun </mets:name><x a="1">\x00\x1b',
        label="Etikett ]]> & <!-- -->",
    )
    built = build_eark_sip(tmp_path / "out", package=spec)
    assert_valid(built)


def test_bad_specs_are_refused(tmp_path: Path, make_spec: SpecFactory) -> None:
    with pytest.raises(PackageError, match="package id"):
        build_eark_sip(tmp_path, package=make_spec(package_id="../escape"))
    with pytest.raises(PackageError, match="before it starts"):
        build_eark_sip(tmp_path, package=make_spec(date_from=date(2026, 7, 1)))
    built = build_eark_sip(tmp_path, package=make_spec(count=1, snapshots=False))
    with pytest.raises(PackageError, match="already exists"):
        build_eark_sip(tmp_path, package=make_spec(count=1, snapshots=False))
    assert_valid(built)


def test_an_empty_package_still_validates(tmp_path: Path, make_spec: SpecFactory) -> None:
    assert_valid(build_eark_sip(tmp_path, package=make_spec(count=0, snapshots=False)))


def test_the_validator_never_reaches_the_network() -> None:
    import urllib.error

    with pytest.raises(urllib.error.URLError, match="offline"):
        _offline_urlopen("https://example.org/schema.xsd")
    vocabulary = _offline_urlopen(
        "https://earkcsip.dilcis.eu/schema/CSIPVocabularyOAISPackageType.xml"
    ).read()
    assert b"<Term" in vocabulary


def test_the_validator_does_reject_a_broken_package(package: Path) -> None:
    mets = package / "METS.xml"
    text = mets.read_text("utf-8")
    mets.write_text(text.replace(f'OBJID="{package.name}"', 'OBJID=""', 1), "utf-8")
    rep = package / "representations/rep1/METS.xml"
    jsonl = ' MIMETYPE="application/x-ndjson"'
    rep.write_text(rep.read_text("utf-8").replace(jsonl, "", 1), "utf-8")
    errors = eark_validate(package).errors
    assert any(line.startswith("CSIP1 ") for line in errors)
    assert any(line.startswith("representations/rep1/METS.xml: CSIP68 ") for line in errors)


def test_a_validator_crash_is_an_error_not_an_exception(package: Path) -> None:
    rep = package / "representations/rep1/METS.xml"
    rep.write_text(rep.read_text("utf-8").replace('CHECKSUMTYPE="SHA-256"', "", 1), "utf-8")
    errors = eark_validate(package).errors
    assert any("eark-validator failed" in line and "CHECKSUMTYPE" in line for line in errors)
