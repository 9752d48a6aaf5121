"""Access tokens encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`).

Keys come from `INTAKE_TOKEN_KEYS` (settings; env `KANALVAKT_TOKEN_KEYS`, a
comma-separated list of Fernet keys, the first one encrypts, all decrypt, so
keys can be rotated). Without it a key is derived from SECRET_KEY with HKDF,
which ties the tokens to SECRET_KEY: changing it makes stored tokens
unreadable, and every account shows as needing a new token.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INFO = b"kanalvakt intake access tokens v1"


class TokenUnreadable(Exception):
    """The stored token cannot be decrypted with the configured keys."""


def _derived_key() -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO)
    return base64.urlsafe_b64encode(hkdf.derive(settings.SECRET_KEY.encode()))


def _fernet() -> MultiFernet:
    configured = [key for key in getattr(settings, "INTAKE_TOKEN_KEYS", []) if key]
    keys = [key.encode() for key in configured] or [_derived_key()]
    return MultiFernet([Fernet(key) for key in keys])


def token_encrypt(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode("ascii")


def token_decrypt(stored: str) -> str:
    try:
        return _fernet().decrypt(stored.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise TokenUnreadable("the stored access token cannot be decrypted") from exc
