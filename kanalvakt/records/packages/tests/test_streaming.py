"""Memory stays flat as the number of items grows: nothing is kept per item."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from kanalvakt.records.packages import build_bagit, build_eark_sip, verify_package

from .conftest import SpecFactory


def _peak(build: object, tmp_path: Path, make_spec: SpecFactory, count: int) -> int:
    spec = make_spec(count=count, snapshots=False)
    tracemalloc.start()
    try:
        build(tmp_path / f"out-{count}", package=spec)  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_eark_memory_does_not_grow_with_items(tmp_path: Path, make_spec: SpecFactory) -> None:
    small = _peak(build_eark_sip, tmp_path, make_spec, 200)
    large = _peak(build_eark_sip, tmp_path, make_spec, 3000)
    # 15 times the items; allow generous slack for allocator noise, not 15x.
    assert large < small * 2 + 512 * 1024, (small, large)
    assert verify_package(next((tmp_path / "out-3000").iterdir())) == []


def test_bag_memory_does_not_grow_with_items(tmp_path: Path, make_spec: SpecFactory) -> None:
    small = _peak(build_bagit, tmp_path, make_spec, 200)
    large = _peak(build_bagit, tmp_path, make_spec, 3000)
    # bagit's own fast validation holds the manifest; that is a few bytes a file.
    assert large < small * 2 + 2 * 1024 * 1024, (small, large)
