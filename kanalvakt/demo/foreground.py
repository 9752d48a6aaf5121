"""Run a command as the terminal's foreground job, so Ctrl-C reaches only it.

`make demo` runs `scripts/demo.sh` under make. Ctrl-C in a terminal signals the
whole foreground process group, make included, and make then always dies of
the signal ("make: *** [demo] Interrupt", status 130) even when the demo stops
cleanly. With `python -m kanalvakt.demo.foreground -- scripts/demo.sh …` the
script runs in its own process group that owns the terminal: Ctrl-C goes to
the script alone, it stops its processes and exits 0, and so do this helper
and make. Without a terminal (tests, CI) the command simply runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def _terminal() -> int | None:
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None
    try:
        if os.tcgetpgrp(fd) == os.getpgrp():
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def run(command: list[str]) -> int:
    """Run `command`, in the terminal's foreground if this process has it; its status."""
    terminal = _terminal()
    if terminal is None:
        return subprocess.call(command)  # noqa: S603 - the demo script, from its own argv
    # While the child has the terminal, this process is in a background group:
    # taking the terminal back must not stop it (SIGTTOU), and a Ctrl-C typed just
    # as the child ends must not kill it.
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    own_group = os.getpgrp()

    def own_group_in_foreground() -> None:
        os.setpgid(0, 0)
        os.tcsetpgrp(terminal, os.getpgrp())  # SIGTTOU is still ignored here
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTTOU, signal.SIG_DFL)

    try:
        child = subprocess.Popen(  # noqa: S603 - preexec_fn is safe: no threads here
            command, preexec_fn=own_group_in_foreground, pass_fds=(terminal,)
        )
        return child.wait()
    finally:
        os.tcsetpgrp(terminal, own_group)
        os.close(terminal)


def main() -> None:
    command = sys.argv[1:]
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        sys.exit("usage: python -m kanalvakt.demo.foreground -- command [args …]")
    status = run(command)
    sys.exit(status if status >= 0 else 128 - status)


if __name__ == "__main__":
    main()
