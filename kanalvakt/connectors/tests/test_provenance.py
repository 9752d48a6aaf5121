import hashlib
import re

from kanalvakt.connectors.tests.helpers import FIXTURES

LINE = re.compile(r"^- `(?P<path>[^`]+)` — .+; licence .+; sha256 `(?P<sha>[0-9a-f]{64})`$")


def test_every_fixture_has_a_provenance_line_with_its_checksum() -> None:
    listed = {}
    for line in (FIXTURES / "PROVENANCE.md").read_text().splitlines():
        if match := LINE.match(line):
            listed[match["path"]] = match["sha"]
    files = {
        str(p.relative_to(FIXTURES)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.name != "PROVENANCE.md"
    }
    assert listed == files
