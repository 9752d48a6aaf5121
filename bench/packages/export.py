"""Archival package export: items per second and peak memory, printed as a Markdown table.

    .venv/bin/python bench/packages/export.py [N] [--keep DIR] [--no-verify] [--no-validate]

N generated items (default 100,000) with Swedish and Finnish text and JSON
payloads of a few hundred bytes, half given as bytes and half as files (as
stored payloads are), plus six snapshot files. For each of the E-ARK SIP and
the BagIt bag it reports the build time, items per second, the package size
and memory: the resident set size of the fresh build process at its start
(interpreter and imports) and its maximum (with --trace, also the peak of
Python allocations during a second, slower build under tracemalloc). It then
times
verify_package and (E-ARK only) the offline eark-validator run on the result.

Each build runs in its own child process so one build's memory does not hide
the next one's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kanalvakt.records.packages import (  # noqa: E402
    PackageItem,
    PackageSpec,
    SnapshotFile,
    build_bagit,
    build_eark_sip,
    verify_package,
)

TEXTS = [
    ("facebook", "Överkalix kommun", "Varför är snöröjningen på Storgatan så dålig i år?"),
    ("instagram", "overkalixkommun", "Milloin uimahalli avataan taas? Kiitos vastauksesta."),
    ("x", "@OverkalixKommun", "Tack för svaret! Hyvää työtä, kiitos paljon."),
    ("mastodon", "@kommun@social.example", "Kan ni lägga ut protokollet från kommunfullmäktige?"),
]


def _payload(n: int) -> tuple[str, str, str, bytes]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    platform, account, text = TEXTS[n % len(TEXTS)]
    raw = json.dumps(
        {
            "id": f"{platform}_{n}",
            "message": f"{text} ({n})",
            "from": {"id": str(10_000 + n % 997), "name": "Åsa Öberg"},
            "created_time": (start + timedelta(minutes=n)).isoformat(),
            "permalink_url": f"https://example.org/{platform}/posts/{n}",
        },
        ensure_ascii=False,
    ).encode("utf-8")
    return platform, account, text, raw


def write_payload_files(count: int, payload_dir: Path) -> None:
    """Every other payload is stored as a file before the export starts, as in the app."""
    for n in range(1, count, 2):
        (payload_dir / f"{n}.json").write_bytes(_payload(n)[3])


def items(count: int, payload_dir: Path) -> Iterator[PackageItem]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(count):
        platform, account, text, raw = _payload(n)
        source: bytes | Path = raw
        if n % 2:
            source = payload_dir / f"{n}.json"
        yield PackageItem(
            id=f"{platform}_{n}",
            platform=platform,
            account=account,
            created_at=start + timedelta(minutes=n),
            author="Åsa Öberg",
            text=f"{text} ({n})",
            raw=source,
            raw_sha256=hashlib.sha256(raw).hexdigest(),
        )


def snapshots(folder: Path) -> list[SnapshotFile]:
    out = []
    for account in ("Överkalix kommun", "overkalixkommun"):
        for suffix, mime, size in (
            (".pdf", "application/pdf", 400_000),
            (".png", "image/png", 900_000),
            (".warc", "application/warc", 1_500_000),
        ):
            path = folder / f"{account[:4]}{suffix}"
            path.write_bytes(os.urandom(size))
            out.append(
                SnapshotFile(
                    path=path,
                    mime_type=mime,
                    account=account,
                    captured_at=datetime(2026, 6, 30, 22, tzinfo=UTC),
                    sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                )
            )
    return out


def _maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _run(
    kind: str, count: int, work: str, trace: bool, queue: multiprocessing.Queue[dict[str, float]]
) -> None:
    rss_start = _maxrss_kib()
    root = Path(work)
    payloads = root / f"payloads-{kind}-{int(trace)}"
    payloads.mkdir()
    write_payload_files(count, payloads)
    snaps = root / f"snapshots-{kind}-{int(trace)}"
    snaps.mkdir()
    spec = PackageSpec(
        organisation_name="Överkalix kommun",
        organisation_identifier="212000-2650",
        package_id=f"bench-{kind}-{int(trace)}",
        label="Benchmark",
        date_from=date(2026, 1, 1),
        date_to=date(2026, 6, 30),
        items=items(count, payloads),
        snapshots=snapshots(snaps),
    )
    build = build_eark_sip if kind == "eark" else build_bagit
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    built = build(root / "out", package=spec)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    size = sum(f.stat().st_size for f in built.rglob("*") if f.is_file())
    files = sum(1 for f in built.rglob("*") if f.is_file())
    queue.put(
        {
            "seconds": seconds,
            "peak_traced": peak,
            "rss_start_kib": rss_start,
            "rss_kib": _maxrss_kib(),
            "size": size,
            "files": files,
        }
    )
    (root / f"{kind}-{int(trace)}.path").write_text(str(built))


def measure(kind: str, count: int, work: Path, trace: bool) -> dict[str, float]:
    # A fresh interpreter per build, so its peak RSS is that build's alone.
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[dict[str, float]] = context.Queue()
    process = context.Process(target=_run, args=(kind, count, str(work), trace, queue))
    process.start()
    result = queue.get()
    process.join()
    if process.exitcode:
        raise SystemExit(f"{kind} build failed with exit code {process.exitcode}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build here and keep the packages")
    parser.add_argument(
        "--trace", action="store_true", help="also measure Python allocations with tracemalloc"
    )
    parser.add_argument("--no-verify", action="store_true", help="skip verify_package timing")
    parser.add_argument("--no-validate", action="store_true", help="skip eark-validator timing")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="kanalvakt-bench-packages-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"## Package export, {args.count:,} items + 6 snapshot files (5.6 MB)\n")
        print(
            "| format | build s | items/s | package MB | files"
            " | peak traced MiB (--trace run) | RSS at start MiB | max RSS MiB |"
        )
        print("|---|---|---|---|---|---|---|---|")
        built: dict[str, Path] = {}
        for kind in ("eark", "bagit"):
            plain = measure(kind, args.count, work, trace=False)
            traced = measure(kind, args.count, work, trace=True) if args.trace else None
            traced_cell = f"{traced['peak_traced'] / 2**20:.1f}" if traced else "–"
            built[kind] = Path((work / f"{kind}-0.path").read_text())
            print(
                f"| {'E-ARK SIP' if kind == 'eark' else 'BagIt 1.0'}"
                f" | {plain['seconds']:.1f} | {args.count / plain['seconds']:,.0f}"
                f" | {plain['size'] / 1e6:.1f} | {plain['files']:,.0f}"
                f" | {traced_cell}"
                f" | {plain['rss_start_kib'] / 1024:.0f} | {plain['rss_kib'] / 1024:.0f} |"
            )
        if not args.no_verify:
            print("\n| check | seconds | problems |\n|---|---|---|")
            for kind, path in built.items():
                started = time.perf_counter()
                problems = verify_package(path)
                print(
                    f"| verify_package ({kind}) | {time.perf_counter() - started:.1f}"
                    f" | {len(problems)} |"
                )
            if not args.no_validate:
                from kanalvakt.records.packages.validation import eark_validate

                started = time.perf_counter()
                result = eark_validate(built["eark"])
                print(
                    f"| eark-validator, offline (eark) | {time.perf_counter() - started:.1f}"
                    f" | {len(result.errors)} errors, {len(result.known_defects)} known"
                    " validator defects |"
                )
        print(
            f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs (shared), "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
