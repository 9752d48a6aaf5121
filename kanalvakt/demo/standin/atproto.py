"""The stand-in's Bluesky identity and atproto OAuth checks (atproto.com/specs/oauth).

The stand-in plays the account's PDS, its authorisation server and the PLC
directory, so the demo's "Anslut via Bluesky" runs the connector's whole flow
without internet: handle → DID → DID document → PDS → authorisation server
metadata → PAR → consent page → code → DPoP-bound tokens (refresh tokens
rotate) → XRPC calls with DPoP proofs.

Strict where the connector must be right:

- every PAR, token and DPoP-authorised XRPC request carries a DPoP proof: typ
  `dpop+jwt`, ES256 signed by the public key in its header, `htm`/`htu` of
  this request, a fresh `iat` and the server's current nonce (else
  `use_dpop_nonce`, with a `DPoP-Nonce` header); XRPC proofs carry `ath` and
  the key the token is bound to;
- the client authenticates with an ES256 assertion (`private_key_jwt`, audience
  the issuer); only this installation's own client is known, and its public
  key is read from it directly rather than fetched from `jwks_uri`;
- PKCE S256; the request_uri and the code are used once; the code is bound to
  the DPoP key of the PAR.

Access and refresh tokens are signed, not stored: Kanalvakt renews a session
while it holds the connection's row (and on SQLite the write lock), so the
token endpoint must answer a refresh without writing. The price: a spent
refresh token is not refused again (the strict server in the intake tests
checks Kanalvakt's rotation), and replayed `jti`s are not tracked (nonces
rotate every five minutes instead).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kanalvakt.connectors.bluesky import dpop, server_checks
from kanalvakt.demo.identities import standin_bluesky_did
from kanalvakt.register.models import Account

SCOPE = "atproto transition:generic"
NONCE_SECONDS = 300


def nonce(label: str, *, at: float | None = None) -> str:
    """The server's DPoP nonce now (stateless: derived from the key and the time window)."""
    window = int((time.time() if at is None else at) // NONCE_SECONDS)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{label}:{window}".encode(), hashlib.sha256)
    return dpop.b64url(digest.digest()[:16])


def _nonce_ok(label: str, value: str) -> bool:
    now = time.time()
    return any(
        hmac.compare_digest(value, nonce(label, at=now - back)) for back in (0, NONCE_SECONDS)
    )


def proof_problem(request: HttpRequest, *, label: str, access_token: str = "") -> tuple[str, str]:
    """(error, key thumbprint) of the request's DPoP proof; error "" when it is good."""
    return server_checks.proof_problem(
        request.headers.get("DPoP", ""),
        method=request.method or "",
        url=request.build_absolute_uri(request.path),
        nonce_ok=lambda value: _nonce_ok(label, value),
        access_token=access_token,
    )


def known_client() -> dict[str, Any] | None:
    """This installation's client metadata with its JWKS (None without a client key)."""
    from kanalvakt.intake.oauth_bluesky import bluesky_client

    client = bluesky_client()
    if client is None:
        return None
    return {**client.metadata(), "jwks": client.key.jwks()}


def client_problem(form: dict[str, str], *, issuer: str) -> dict[str, Any] | None:
    """The client's metadata when `form` authenticates it to `issuer`, else None."""
    client = known_client()
    if client is None or client["client_id"] != form.get("client_id", ""):
        return None
    claims = server_checks.client_assertion_claims(form, keys=client["jwks"]["keys"], issuer=issuer)
    return client if claims is not None else None


def token_sign(kind: str, claims: dict[str, str], *, seconds: int) -> str:
    """A token the stand-in can check later without having stored it."""
    body = {**claims, "kind": kind, "exp": int(time.time()) + seconds, "n": secrets.token_hex(8)}
    payload = dpop.b64url(json.dumps(body, separators=(",", ":")).encode())
    return f"{kind}.{payload}.{_signature(payload)}"


def token_claims(kind: str, token: str) -> dict[str, Any] | None:
    """The claims of a token `token_sign` made, if it is of `kind`, intact and unexpired."""
    prefix, _, rest = token.partition(".")
    payload, _, signature = rest.partition(".")
    if prefix != kind or not hmac.compare_digest(signature, _signature(payload)):
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None
    if not isinstance(claims, dict) or claims.get("kind") != kind:
        return None
    return claims if int(claims.get("exp", 0)) > time.time() else None


def _signature(payload: str) -> str:
    key = f"standin-atproto:{settings.SECRET_KEY}".encode()
    return dpop.b64url(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def pkce_matches(verifier: str, challenge: str) -> bool:
    return dpop.b64url(hashlib.sha256(verifier.encode()).digest()) == challenge


# Identity -----------------------------------------------------------------------------


def handle_did(handle: str) -> str | None:
    """The DID of a demo Bluesky account's handle (None: no such account)."""
    handle = handle.strip().lstrip("@").lower()
    if not Account.objects.filter(platform="bluesky", handle__iexact=handle).exists():
        return None
    return standin_bluesky_did(handle)


def did_handle(did: str) -> str | None:
    for handle in Account.objects.filter(platform="bluesky").values_list("handle", flat=True):
        if standin_bluesky_did(handle) == did:
            return handle.lower()
    return None


def did_document(did: str, *, pds: str) -> dict[str, Any] | None:
    handle = did_handle(did)
    if handle is None:
        return None
    return {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": did,
        "alsoKnownAs": [f"at://{handle}"],
        "service": [
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": pds}
        ],
    }


def server_metadata(issuer: str) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oauth/authorize",
        "token_endpoint": f"{issuer}/oauth/token",
        "pushed_authorization_request_endpoint": f"{issuer}/oauth/par",
        "require_pushed_authorization_requests": True,
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["atproto", "transition:generic"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
        "dpop_signing_alg_values_supported": ["ES256"],
        "authorization_response_iss_parameter_supported": True,
        "client_id_metadata_document_supported": True,
    }
