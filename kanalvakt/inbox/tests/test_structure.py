"""The flow between apps: intake feeds the inbox, so the inbox never imports intake.

Intake answers `account_config_for` through the hook it registers at start-up
(see `kanalvakt/intake/tests/test_connections.py`).
"""

from __future__ import annotations

import ast
from pathlib import Path

INBOX = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_inbox_never_imports_intake() -> None:
    offenders = {
        str(path.relative_to(INBOX)): sorted(n for n in _imports(path) if "intake" in n)
        for path in INBOX.rglob("*.py")
        if "tests" not in path.parts
    }
    assert {path: names for path, names in offenders.items() if names} == {}
