"""Write the demo's Bluesky client key: `python -m kanalvakt.demo.standin.clientkey PATH`.

`make demo` names the file in `OAUTH_BLUESKY_KEY_FILE` and writes it before
any `kanalvakt` command runs (the start-up check refuses a named file that is
missing). The key signs Kanalvakt's client assertions to the stand-in's
authorisation server, so "Anslut via Bluesky" works in the demo. No Django
here: it runs before the settings are usable.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def demo_bluesky_client_key(path: str) -> bool:
    """Write a P-256 private key (PEM, mode 0600) unless `path` already exists."""
    target = Path(path)
    if not path or target.exists():
        return False
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o600)
    target.write_bytes(pem)
    return True


if __name__ == "__main__":
    demo_bluesky_client_key(sys.argv[1] if len(sys.argv) > 1 else "")
