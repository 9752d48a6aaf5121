"""The Ed25519 key that signs checkpoints, kept outside the database.

`settings.CHECKPOINT_KEY_FILE` names a PEM file (PKCS#8, unencrypted, mode
0600) readable by the worker. Without it, development and demo installations
(DEBUG or KANALVAKT_INSECURE_DEV_KEY) generate one in the var directory; a
production installation refuses to sign. Whoever verifies needs only the
public key, which every published checkpoint names by its id and carries.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEV_KEY_NAME = "checkpoint-signing-key.pem"


def key_path() -> Path:
    configured = str(getattr(settings, "CHECKPOINT_KEY_FILE", "") or "")
    if configured:
        return Path(configured)
    if settings.DEBUG or getattr(settings, "INSECURE_DEV_KEY", False):
        return Path(settings.VAR_DIR) / DEV_KEY_NAME
    raise ImproperlyConfigured(
        "KANALVAKT_CHECKPOINT_KEY_FILE is not set: checkpoints cannot be signed. "
        "Create a key with `kanalvakt checkpoint_key <path>`."
    )


def key_generate(path: Path) -> Ed25519PrivateKey:
    """Write a new private key to `path` (refusing to overwrite one)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    return key


def signing_key() -> Ed25519PrivateKey:
    path = key_path()
    if not path.exists():
        if getattr(settings, "CHECKPOINT_KEY_FILE", ""):
            raise ImproperlyConfigured(f"The checkpoint key file {path} does not exist.")
        return key_generate(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} does not hold an Ed25519 private key.")
    return key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, in hex: how a checkpoint names its key."""
    return hashlib.sha256(public_bytes(key)).hexdigest()


def public_key_b64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(public_bytes(key)).decode()


def public_key_from_b64(value: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(value))


def sign(message: bytes) -> tuple[str, Ed25519PublicKey]:
    key = signing_key()
    return base64.b64encode(key.sign(message)).decode(), key.public_key()


def signature_valid(public_key: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
