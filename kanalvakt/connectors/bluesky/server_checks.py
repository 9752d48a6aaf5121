"""What an atproto authorisation server and PDS check of a client's requests.

Kanalvakt is the client; these are the other side's checks, kept beside the
client so that the servers Kanalvakt is tested and demonstrated against (the
demo's stand-in platform, the strict server of the intake tests) check one
and the same way: a DPoP proof (RFC 9449), the client's `private_key_jwt`
assertion, and a pushed authorisation request (PAR).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import jwt
from jwt.algorithms import ECAlgorithm

from kanalvakt.connectors.bluesky import dpop
from kanalvakt.connectors.bluesky.oauth import ASSERTION_TYPE

INVALID_PROOF = "invalid_dpop_proof"
PROOF_AGE = 60


def proof_problem(
    header: str,
    *,
    method: str,
    url: str,
    nonce_ok: Callable[[str], bool],
    access_token: str = "",
    jti_fresh: Callable[[str], bool] | None = None,
) -> tuple[str, str]:
    """(error, key thumbprint) of a DPoP proof for `method` `url`; error "" when it is good.

    `nonce_ok` says whether the proof's nonce is the server's current one (else
    `use_dpop_nonce`); `jti_fresh`, where the server tracks them, whether its
    `jti` has not been seen before (and remembers it).
    """
    try:
        head = jwt.get_unverified_header(header)
        jwk = head["jwk"]
        if head.get("typ") != "dpop+jwt" or head.get("alg") != dpop.ALGORITHM or "d" in jwk:
            return INVALID_PROOF, ""
        key = ECAlgorithm.from_jwk(json.dumps(jwk))
        claims = jwt.decode(header, key, algorithms=[dpop.ALGORITHM])  # type: ignore[arg-type]
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return INVALID_PROOF, ""
    if claims.get("htm") != method or claims.get("htu") != url:
        return INVALID_PROOF, ""
    if not isinstance(claims.get("iat"), int) or abs(time.time() - claims["iat"]) > PROOF_AGE:
        return INVALID_PROOF, ""
    if not nonce_ok(str(claims.get("nonce", ""))):
        return dpop.NONCE_ERROR, ""
    if jti_fresh is not None and not jti_fresh(str(claims.get("jti", ""))):
        return INVALID_PROOF, ""
    if access_token and claims.get("ath") != dpop.token_hash(access_token):
        return INVALID_PROOF, ""
    return "", dpop.thumbprint(jwk)


def client_assertion_claims(
    form: dict[str, str], *, keys: list[dict[str, Any]], issuer: str
) -> dict[str, Any] | None:
    """The claims of the client's assertion when it is signed by one of `keys` for `issuer`."""
    client_id = form.get("client_id", "")
    if not client_id or form.get("client_assertion_type") != ASSERTION_TYPE:
        return None
    assertion = form.get("client_assertion", "")
    try:
        kid = jwt.get_unverified_header(assertion).get("kid")
        public = next(key for key in keys if key.get("kid") == kid)
        claims: dict[str, Any] = jwt.decode(
            assertion,
            ECAlgorithm.from_jwk(json.dumps(public)),  # type: ignore[arg-type]
            algorithms=[dpop.ALGORITHM],
            audience=issuer,
            issuer=client_id,
        )
    except (jwt.PyJWTError, StopIteration, KeyError, TypeError, ValueError):
        return None
    return claims if claims.get("sub") == client_id else None


def pushed_request_valid(form: dict[str, str], client: dict[str, Any]) -> bool:
    """Whether a PAR asks for a code, to a registered address, for allowed scopes, with PKCE."""
    scopes = form.get("scope", "").split()
    return (
        form.get("response_type") == "code"
        and form.get("redirect_uri") in client["redirect_uris"]
        and "atproto" in scopes
        and set(scopes) <= set(client["scope"].split())
        and form.get("code_challenge_method") == "S256"
        and bool(form.get("code_challenge"))
        and bool(form.get("state"))
    )
