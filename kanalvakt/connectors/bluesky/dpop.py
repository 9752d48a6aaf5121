"""DPoP (RFC 9449) as atproto OAuth requires it: ES256 proofs, server nonces, `ath`.

Each request carries a fresh proof (`DPoP` header): a JWT signed with the
session's own P-256 key, with the public key in its header, the method and the
address it is for, a unique `jti`, the time, the server's latest nonce and, for
calls to the PDS, the hash of the access token (`ath`). Servers hand out nonces
in the `DPoP-Nonce` header and refuse a proof without the current one
(`use_dpop_nonce`: 400 from the authorisation server, 401 with
`WWW-Authenticate: DPoP error="use_dpop_nonce"` from the PDS); `DPoPAuth`
remembers the nonce per server and signs the request once more.

`DPoPAuth` is an `httpx.Auth`, so the connectors' `HttpClient` signs every
attempt anew (a retried request never repeats a proof).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Generator, MutableMapping
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

ALGORITHM = "ES256"
NONCE_ERROR = "use_dpop_nonce"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def private_jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    jwk: dict[str, Any] = ECAlgorithm.to_jwk(key, as_dict=True)
    return jwk


def public_jwk(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> dict[str, Any]:
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    jwk: dict[str, Any] = ECAlgorithm.to_jwk(public, as_dict=True)
    return {name: jwk[name] for name in ("kty", "crv", "x", "y")}


def key_from_jwk(jwk: dict[str, Any]) -> ec.EllipticCurvePrivateKey:
    key = ECAlgorithm.from_jwk(json.dumps(jwk))
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("a DPoP key is a P-256 private key")
    return key


def thumbprint(jwk: dict[str, Any]) -> str:
    """The JWK SHA-256 thumbprint (RFC 7638) of an EC public key: what tokens are bound to."""
    members = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def token_hash(access_token: str) -> str:
    return b64url(hashlib.sha256(access_token.encode("ascii")).digest())


def target(url: str) -> str:
    """`htu`: the address without query and fragment."""
    return url.split("#", 1)[0].split("?", 1)[0]


def proof(
    key: ec.EllipticCurvePrivateKey,
    *,
    method: str,
    url: str,
    nonce: str = "",
    access_token: str = "",
    now: float | None = None,
) -> str:
    claims: dict[str, Any] = {
        "jti": secrets.token_urlsafe(24),
        "htm": method.upper(),
        "htu": target(url),
        "iat": int(now if now is not None else time.time()),
    }
    if nonce:
        claims["nonce"] = nonce
    if access_token:
        claims["ath"] = token_hash(access_token)
    headers = {"typ": "dpop+jwt", "jwk": public_jwk(key)}
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers=headers)


def origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii')}"


def asks_for_nonce(response: httpx.Response) -> bool:
    """The server refused the proof for want of its current nonce."""
    if response.status_code == 401:
        return NONCE_ERROR in response.headers.get("www-authenticate", "")
    if response.status_code == 400:
        try:
            body = response.json()
        except ValueError:
            return False
        return isinstance(body, dict) and body.get("error") == NONCE_ERROR
    return False


class DPoPAuth(httpx.Auth):
    """Signs a request with a DPoP proof (and `Authorization: DPoP <token>` when given).

    `nonces` (server origin → latest nonce) is shared by the calls of one
    connector, so a nonce learnt once is used for the next call.
    """

    requires_response_body = True

    def __init__(
        self,
        key: ec.EllipticCurvePrivateKey,
        *,
        nonces: MutableMapping[str, str],
        access_token: str = "",
    ) -> None:
        self.key = key
        self.nonces = nonces
        self.access_token = access_token

    def _sign(self, request: httpx.Request) -> str:
        nonce = self.nonces.get(origin(request.url), "")
        request.headers["DPoP"] = proof(
            self.key,
            method=request.method,
            url=str(request.url),
            nonce=nonce,
            access_token=self.access_token,
        )
        if self.access_token:
            request.headers["Authorization"] = f"DPoP {self.access_token}"
        return nonce

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        used = self._sign(request)
        response = yield request
        fresh = response.headers.get("dpop-nonce", "")
        if fresh:
            self.nonces[origin(request.url)] = fresh
        if fresh and fresh != used and asks_for_nonce(response):
            self._sign(request)
            response = yield request
            if again := response.headers.get("dpop-nonce", ""):
                self.nonces[origin(request.url)] = again
