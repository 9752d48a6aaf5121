"""Shared by the connector tests: fixture files and signing."""

import base64
import hashlib
import hmac
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(platform: str, name: str) -> bytes:
    return (FIXTURES / platform / name).read_bytes()


def meta_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def x_signature(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()
