"""Memory stays flat as the number of items grows: nothing is kept per item.

tracemalloc makes building slow, so the sizes here are small; the benchmark
(bench/packages/export.py) measures 100,000 items.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from kanalvakt.records.packages import PackageSpec, build_bagit, build_eark_sip, verify_package

from .conftest import SpecFactory

# bagit 1.9 calls re.sub with a positional count for every manifest line.
pytestmark = pytest.mark.filterwarnings(
    "ignore:'count' is passed as positional argument:DeprecationWarning"
)

Builder = Callable[..., Path]
SMALL, LARGE = 200, 2500
# A few constant allocations (buffers, caches) are fine; 1.3 KB kept per item is not.
ALLOWED_GROWTH = 3 * 1024 * 1024


def _peak(build: Builder, out: Path, spec: PackageSpec) -> int:
    tracemalloc.start()
    try:
        build(out, package=spec)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("build", [build_eark_sip, build_bagit], ids=["eark", "bagit"])
def test_memory_does_not_grow_with_items(
    build: Builder, tmp_path: Path, make_spec: SpecFactory
) -> None:
    small = _peak(build, tmp_path / "small", make_spec(count=SMALL, snapshots=False))
    large = _peak(build, tmp_path / "large", make_spec(count=LARGE, snapshots=False))
    assert large - small < ALLOWED_GROWTH, (small, large)
    assert verify_package(next((tmp_path / "large").iterdir())) == []
