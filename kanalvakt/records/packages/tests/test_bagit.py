"""BagIt 1.0: the bagit library validates the bag, verify_package catches tampering."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import bagit  # type: ignore[import-untyped]
import pytest

from kanalvakt.records.packages import PackageError, build_bagit, verify_package

from .conftest import SpecFactory

# bagit 1.9 calls re.sub with a positional count for every manifest line.
pytestmark = pytest.mark.filterwarnings(
    "ignore:'count' is passed as positional argument:DeprecationWarning"
)


def test_bag_validates_with_the_bagit_library(tmp_path: Path, make_spec: SpecFactory) -> None:
    built = build_bagit(tmp_path / "out", package=make_spec())
    bag = bagit.Bag(str(built))
    bag.validate()
    assert bag.version_info == (1, 0)
    assert bag.algorithms == ["sha256"]
    assert bag.info["Source-Organization"] == "Överkalix kommun"
    assert bag.info["Organization-Identifier"] == "212000-2650"
    assert bag.info["Date-Start"] == "2026-01-01"
    assert bag.info["Date-End"] == "2026-06-30"
    assert bag.info["Items-Count"] == "12"
    assert bag.info["Payload-Oxum"].endswith(".20")  # 12 payloads, jsonl, 6 snapshots, description
    lines = (built / "data/items/items.jsonl").read_text("utf-8").splitlines()
    assert json.loads(lines[2])["text"] == "Milloin uimahalli avataan taas? Kiitos vastauksesta."
    assert verify_package(built) == []


def test_tampered_bag_is_caught(tmp_path: Path, make_spec: SpecFactory) -> None:
    built = build_bagit(tmp_path / "out", package=make_spec())
    target = next((built / "data/snapshots").rglob("*.png"))
    target.write_bytes(b"not the screenshot")
    problems = verify_package(built)
    assert problems
    assert any(target.name in p for p in problems)
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(built)).validate()


def test_a_failed_bag_leaves_nothing_behind(tmp_path: Path, make_spec: SpecFactory) -> None:
    spec = make_spec(count=2, snapshots=False)
    items = list(spec.items)
    bad = [items[0], dataclasses.replace(items[1], raw_sha256="0" * 64)]
    with pytest.raises(PackageError, match="no longer matches"):
        build_bagit(tmp_path / "out", package=make_spec(items=bad))
    assert list((tmp_path / "out").iterdir()) == []


def test_hostile_names_stay_on_one_tag_line(tmp_path: Path, make_spec: SpecFactory) -> None:
    spec = make_spec(
        count=2,
        snapshots=False,
        organisation_name="Kommun\nBag-Size: 1 GB\x00\x1b",
        label="Etikett: med kolon\r\nExternal-Identifier: falsk",
    )
    built = build_bagit(tmp_path / "out", package=spec)
    bag = bagit.Bag(str(built))
    bag.validate()
    assert bag.info["Source-Organization"].strip() == "Kommun Bag-Size: 1 GB"
    assert "Bag-Size" not in bag.info
    assert bag.info["External-Identifier"] == spec.package_id
