"""Archival packages for long-term preservation (REC-6).

A pure-Python library with no Django models: the records app turns its rows
into a `PackageSpec` and calls

- `build_eark_sip(output_dir, package=spec)`: an E-ARK CSIP/SIP 2.1 package
  laid out after Riksarkivet's FGS Paketstruktur 2.0;
- `build_bagit(output_dir, package=spec)`: a BagIt 1.0 bag with SHA-256 manifests;
- `verify_package(path)`: every checksum re-checked, problems returned.

`validation.eark_validate(path)` runs the E-ARK validator offline (a dev/test
dependency). See docs/archival-packages.md.
"""

from .bag import build_bagit
from .eark import build_eark_sip
from .spec import PackageError, PackageItem, PackageSpec, SnapshotFile
from .verify import verify_package

__all__ = [
    "PackageError",
    "PackageItem",
    "PackageSpec",
    "SnapshotFile",
    "build_bagit",
    "build_eark_sip",
    "verify_package",
]
