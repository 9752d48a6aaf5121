"""Running the E-ARK validator (`eark-validator`, PyPI) on a package, offline.

eark-validator 1.1.3 bundles its XML schemas (METS, xlink, the DILCIS
extensions), its Schematron rules and the CSIP vocabularies, but at import time
it still downloads four vocabularies from https://earkcsip.dilcis.eu/ with
`urllib.request.urlopen`, and fails without a network. `eark_validate` imports
it with `urlopen` answering those four URLs from the copies the package ships
in `eark_validator/ipxml/resources/vocabs/`, and refusing every other URL.

The validator checks the package's folder structure, the root METS.xml
against the METS schema, and the root METS.xml against the CSIP and SIP
Schematron rules. It does not look at representation METS files beyond
listing them, and it does not re-hash files (its manifest check has the
comparison inverted). `eark_validate` therefore also runs the schema and the
CSIP rules on each representation's METS.xml, and `verify_package` does the
checksums.

eark-validator is a test/dev dependency (it pins lxml==5.1.0); the library
itself does not need it.
"""

from __future__ import annotations

import io
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import import_module, resources
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

_VOCABULARY_URL = "https://earkcsip.dilcis.eu/schema/"
_lock = threading.Lock()
_modules: dict[str, ModuleType] = {}

# CSIP rules that describe the package root (its Documentation and Schemas
# groups and divisions, the Metadata and Representations divisions). A
# representation's METS.xml has none of these by design (CSIP 2.1 §5.3.3 and
# FGS Paketstruktur 2.0 keep documentation and schemas at the package level),
# so they are not held against it.
PACKAGE_ROOT_RULES = frozenset(
    {"CSIP60", "CSIP113", "CSIP88", "CSIP90", "CSIP95", "CSIP99", "CSIP103"}
)


# Errors eark-validator 1.1.3 reports for every conforming SIP. SIP14 is
# checked on the note of every agent with ROLE="CREATOR" and asks for an
# unqualified NOTETYPE="IDENTIFICATIONCODE"; but CSIP10-16 require a CREATOR
# agent for the software whose single note carries csip:NOTETYPE="SOFTWARE
# VERSION", and the METS schema allows no unqualified NOTETYPE attribute on
# a note at all. In E-ARK SIP 2.1 the requirement belongs to the archival
# creator agent (ROLE="ARCHIVIST"), whose note has csip:NOTETYPE=
# "IDENTIFICATIONCODE" in every package built here.
KNOWN_VALIDATOR_DEFECTS = frozenset({"SIP14"})


@dataclass(slots=True)
class EarkResult:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    known_defects: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def _offline_urlopen(url: Any, *args: Any, **kwargs: Any) -> io.BytesIO:
    target = url if isinstance(url, str) else url.get_full_url()
    if not target.startswith(_VOCABULARY_URL):
        raise urllib.error.URLError(f"eark-validator tried to fetch {target}; offline")
    name = target[len(_VOCABULARY_URL) :]
    vocabs = resources.files("eark_validator.ipxml.resources.vocabs")
    return io.BytesIO(vocabs.joinpath(name).read_bytes())


def _eark() -> dict[str, ModuleType]:
    with _lock:
        if not _modules:
            with mock.patch("urllib.request.urlopen", _offline_urlopen):
                for name in ("packages", "rules", "mets", "specifications.specification"):
                    _modules[name] = import_module(f"eark_validator.{name}")
        return _modules


def _line(result: Any) -> str:
    return f"{result.rule_id} [{result.location}]: {result.message}"


def eark_validate(path: Path | str) -> EarkResult:
    """Validate an unpacked package directory with eark-validator, against CSIP/SIP 2.1.0."""
    modules = _eark()
    spec = modules["specifications.specification"]
    version = spec.SpecificationVersion.V2_1_0
    root = Path(path).absolute()
    outcome = EarkResult()

    try:
        report = modules["packages"].PackageValidator.validate(version, root)
    except Exception as exc:  # noqa: BLE001 — the validator raises KeyError on some bad METS
        outcome.errors.append(f"eark-validator failed on METS.xml: {exc!r}")
        return outcome
    found: list[Any] = list(report.structure.messages)
    if report.metadata is not None:
        found += report.metadata.schema_results.messages
        found += report.metadata.schematron_results.messages
    for result in found:
        if result.severity.name != "ERROR":
            outcome.warnings.append(_line(result))
        elif result.rule_id in KNOWN_VALIDATOR_DEFECTS:
            outcome.known_defects.append(_line(result))
        else:
            outcome.errors.append(_line(result))

    csip = modules["rules"].ValidationProfile(spec.SpecificationType.CSIP, version)
    for rep_mets in sorted(root.glob("representations/*/METS.xml")):
        where = rep_mets.relative_to(root).as_posix()
        schema = modules["mets"].MetsValidator(str(rep_mets.parent))
        try:
            schema.validate_mets("METS.xml")
        except Exception as exc:  # noqa: BLE001
            outcome.errors.append(f"{where}: eark-validator failed: {exc!r}")
        for result in schema.validation_errors:
            outcome.errors.append(f"{where}: {_line(result)}")
        csip.validate(str(rep_mets))
        for message in csip.messages:
            outcome.errors.append(f"{where}: {message}")
        for result in csip.get_all_results():
            line = f"{where}: {_line(result)}"
            if result.severity.name != "ERROR":
                outcome.warnings.append(line)
            elif result.rule_id not in PACKAGE_ROOT_RULES:
                outcome.errors.append(line)
    return outcome
