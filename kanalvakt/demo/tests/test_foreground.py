"""Ctrl-C in a terminal reaches the demo script alone, so `make demo` exits 0."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHILD = "trap 'echo child-stopped; kill $! 2>/dev/null; exit 0' INT; echo ready; sleep 30 & wait"


def _in_terminal(script: str) -> str:
    """Run `script` with bash as the session leader of a new pseudo-terminal, type
    Ctrl-C once it printed "ready", and return everything it wrote."""
    master, slave = os.openpty()

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(  # noqa: S603
        ["bash", "-c", script],  # noqa: S607
        stdin=slave,
        stdout=slave,
        stderr=slave,
        preexec_fn=controlling_terminal,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 30
    typed = False
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if b"ready" in output and not typed:
            time.sleep(0.3)
            os.write(master, b"\x03")
            typed = True
        if b"parent-status=" in output and output.endswith(b"\n"):
            break
    process.wait(timeout=10)
    os.close(master)
    return output.decode(errors="replace")


@pytest.mark.skipif(not Path("/dev/ptmx").exists(), reason="no pseudo-terminals")
def test_ctrl_c_stops_the_child_only_and_the_caller_sees_status_0() -> None:
    helper = f"{sys.executable} -m kanalvakt.demo.foreground --"
    output = _in_terminal(f'{helper} bash -c "{CHILD}"; echo parent-status=$?')
    assert "child-stopped" in output
    assert "parent-status=0" in output


def test_without_a_terminal_it_just_runs_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kanalvakt.demo.foreground", "--", "bash", "-c", "exit 3"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        check=False,
        start_new_session=True,
    )
    assert result.returncode == 3
