"""atproto OAuth (atproto.com/specs/oauth) for Bluesky: the calls, no Django models.

The flow, as the spec lays it out:

1. identity: handle → DID → DID document → the account's PDS. The handle is
   resolved by the server the admin entered (`com.atproto.identity.resolveHandle`;
   no DNS TXT or `/.well-known/atproto-did` lookups of Kanalvakt's own); the DID
   document comes from the PLC directory (or the did:web host) and must name
   the handle (`alsoKnownAs`) and a PDS (`#atproto_pds`); the token's `sub`
   must later be that same DID.
2. the PDS's `/.well-known/oauth-protected-resource` names its authorisation
   server; that server's `/.well-known/oauth-authorization-server` must carry
   the same `issuer` and offer PAR, ES256 DPoP, `private_key_jwt` and `iss` in
   the response.
3. a pushed authorisation request (PAR, RFC 9126) with PKCE S256, a DPoP proof
   and the client's signed assertion; the person is sent to the authorisation
   endpoint with only `client_id` and `request_uri`.
4. back at the callback (`code`, `state`, `iss`), the code is exchanged with the
   same DPoP key; the answer must be `token_type: DPoP`, scope `atproto`, and
   `sub` the DID from step 1. Refresh tokens rotate and are bound to the key.

Kanalvakt is a confidential client: its client id is the address of its client
metadata document, and it authenticates with `private_key_jwt` (ES256), its
public key published at `jwks_uri`. The private key is read from a file named
in the settings, never stored in the database.
"""

from __future__ import annotations

import datetime
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kanalvakt.connectors.base import PayloadError, as_str
from kanalvakt.connectors.bluesky import dpop
from kanalvakt.connectors.http import HttpClient
from kanalvakt.connectors.parsing import obj
from kanalvakt.connectors.servers import server_url

SCOPE = "atproto transition:generic"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SESSION_PREFIX = "atproto-oauth:"


# The client (Kanalvakt) --------------------------------------------------------------


@dataclass(frozen=True)
class ClientKey:
    """Kanalvakt's own signing key for `private_key_jwt` (a P-256 key from a PEM file)."""

    key: ec.EllipticCurvePrivateKey

    @classmethod
    def from_pem(cls, pem: bytes) -> ClientKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("the Bluesky client key must be a P-256 (ES256) private key")
        return cls(key)

    @property
    def kid(self) -> str:
        return dpop.thumbprint(dpop.public_jwk(self.key))

    def jwks(self) -> dict[str, Any]:
        public = {**dpop.public_jwk(self.key), "kid": self.kid, "use": "sig", "alg": "ES256"}
        return {"keys": [public]}


@dataclass(frozen=True)
class Client:
    client_id: str
    """The https address of the client metadata document."""
    redirect_uri: str
    jwks_uri: str
    key: ClientKey
    client_name: str = "Kanalvakt"
    client_uri: str = ""

    def metadata(self) -> dict[str, Any]:
        """The client metadata document served at `client_id`."""
        document: dict[str, Any] = {
            "client_id": self.client_id,
            "client_name": self.client_name,
            "application_type": "web",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "redirect_uris": [self.redirect_uri],
            "scope": SCOPE,
            "dpop_bound_access_tokens": True,
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": "ES256",
            "jwks_uri": self.jwks_uri,
        }
        if self.client_uri:
            document["client_uri"] = self.client_uri
        return document

    def assertion(self, audience: str) -> dict[str, str]:
        """The form fields that authenticate the client to `audience` (the issuer)."""
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience,
            "jti": secrets.token_urlsafe(24),
            "iat": now,
            "exp": now + 60,
        }
        token = jwt.encode(claims, self.key.key, algorithm="ES256", headers={"kid": self.key.kid})
        return {"client_assertion_type": ASSERTION_TYPE, "client_assertion": token}


# Identity and the servers --------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    did: str
    handle: str
    pds: str


PLC_DIRECTORY = "https://plc.directory"


def resolve_identity(
    http: HttpClient, *, server: str, handle: str, plc_directory: str = PLC_DIRECTORY
) -> Identity:
    """The account's DID and PDS.

    The handle is resolved by `server` (the address the admin entered); the DID
    document comes from the PLC directory (did:plc) or the DID's own host
    (did:web), so a server that lies about a handle is caught by the document
    not naming it. With `plc_directory` empty, the server's `describeRepo`
    gives the document instead.
    """
    handle = handle.strip().lstrip("@").lower()
    if handle.startswith("did:"):
        did, handle = handle, ""
    else:
        answer = http.json(
            "GET",
            server_url(server, "/xrpc/com.atproto.identity.resolveHandle"),
            params={"handle": handle},
        )
        did = as_str(obj(answer).get("did"))
    if not did.startswith(("did:plc:", "did:web:")):
        raise PayloadError("bluesky: the handle did not resolve to a did:plc or did:web")
    document = did_document(http, did, server=server, plc_directory=plc_directory)
    if document.get("id") != did:
        raise PayloadError("bluesky: the DID document is for another DID")
    names = [
        as_str(name).lower()[len("at://") :]
        for name in document.get("alsoKnownAs") or []
        if as_str(name).startswith("at://")
    ]
    if handle and handle not in names:
        raise PayloadError("bluesky: the DID document does not name this handle")
    pds = ""
    for service in document.get("service") or []:
        entry = obj(service)
        if as_str(entry.get("id")) in ("#atproto_pds", f"{did}#atproto_pds"):
            pds = as_str(entry.get("serviceEndpoint")).rstrip("/")
    if not pds:
        raise PayloadError("bluesky: the DID document names no PDS")
    server_url(pds, "")  # the PDS passes the outbound guard too
    return Identity(did=did, handle=handle or (names[0] if names else ""), pds=pds)


def did_document(http: HttpClient, did: str, *, server: str, plc_directory: str) -> dict[str, Any]:
    if did.startswith("did:web:"):
        host = did[len("did:web:") :]
        if not host or any(c in host for c in ":%/"):
            raise PayloadError("bluesky: atproto takes did:web only for a plain host name")
        return obj(http.json("GET", server_url(f"https://{host}", "/.well-known/did.json")))
    if plc_directory:
        return obj(http.json("GET", server_url(plc_directory, f"/{did}")))
    described = http.json(
        "GET", server_url(server, "/xrpc/com.atproto.repo.describeRepo"), params={"repo": did}
    )
    return obj(obj(described).get("didDoc"))


@dataclass(frozen=True)
class AuthServer:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    par_endpoint: str


def authorization_server(http: HttpClient, *, pds: str) -> AuthServer:
    """The authorisation server the PDS names, with its metadata checked."""
    resource = obj(http.json("GET", server_url(pds, "/.well-known/oauth-protected-resource")))
    servers = resource.get("authorization_servers") or []
    if not servers:
        raise PayloadError("bluesky: the PDS names no authorisation server")
    issuer = as_str(servers[0]).rstrip("/")
    return server_metadata(http, issuer=issuer)


def server_metadata(http: HttpClient, *, issuer: str) -> AuthServer:
    meta = obj(http.json("GET", server_url(issuer, "/.well-known/oauth-authorization-server")))
    if as_str(meta.get("issuer")).rstrip("/") != issuer:
        raise PayloadError("bluesky: the authorisation server's issuer does not match")
    checks = {
        "ES256 DPoP": "ES256" in (meta.get("dpop_signing_alg_values_supported") or []),
        "PAR": bool(meta.get("pushed_authorization_request_endpoint")),
        "private_key_jwt": "private_key_jwt"
        in (meta.get("token_endpoint_auth_methods_supported") or []),
        "iss": meta.get("authorization_response_iss_parameter_supported") is True,
        "atproto scope": "atproto" in (meta.get("scopes_supported") or []),
    }
    if missing := [name for name, ok in checks.items() if not ok]:
        raise PayloadError(f"bluesky: the authorisation server lacks {', '.join(missing)}")
    return AuthServer(
        issuer=issuer,
        authorization_endpoint=server_url(as_str(meta.get("authorization_endpoint")), ""),
        token_endpoint=server_url(as_str(meta.get("token_endpoint")), ""),
        par_endpoint=server_url(as_str(meta.get("pushed_authorization_request_endpoint")), ""),
    )


# The grant -------------------------------------------------------------------------


def push_authorization(
    http: HttpClient,
    server: AuthServer,
    client: Client,
    *,
    state: str,
    challenge: str,
    login_hint: str,
    auth: dpop.DPoPAuth,
) -> str:
    """PAR: the request_uri the person takes to the authorisation endpoint."""
    form = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uri,
        "scope": SCOPE,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **client.assertion(server.issuer),
    }
    if login_hint:
        form["login_hint"] = login_hint
    answer = obj(http.json("POST", server.par_endpoint, data=form, auth=auth, idempotent=False))
    request_uri = as_str(answer.get("request_uri"))
    if not request_uri:
        raise PayloadError("bluesky: the PAR endpoint gave no request_uri")
    return request_uri


def authorize_address(server: AuthServer, client: Client, request_uri: str) -> str:
    query = urlencode({"client_id": client.client_id, "request_uri": request_uri})
    return f"{server.authorization_endpoint}?{query}"


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    refresh_token: str
    sub: str
    expires_at: datetime.datetime | None


def _token_call(
    http: HttpClient,
    server: AuthServer,
    client: Client,
    form: dict[str, str],
    *,
    auth: dpop.DPoPAuth,
    did: str,
    now: datetime.datetime,
) -> TokenSet:
    body = {**form, "client_id": client.client_id, **client.assertion(server.issuer)}
    answer = obj(http.json("POST", server.token_endpoint, data=body, auth=auth, idempotent=False))
    if as_str(answer.get("token_type")).lower() != "dpop":
        raise PayloadError("bluesky: the token is not DPoP-bound")
    if "atproto" not in as_str(answer.get("scope")).split():
        raise PayloadError("bluesky: the grant lacks the atproto scope")
    if as_str(answer.get("sub")) != did:
        raise PayloadError("bluesky: the token is for another account than the one asked for")
    access = as_str(answer.get("access_token"))
    if not access:
        raise PayloadError("bluesky: the token endpoint gave no access_token")
    expires_in = answer.get("expires_in")
    return TokenSet(
        access_token=access,
        refresh_token=as_str(answer.get("refresh_token")),
        sub=did,
        expires_at=now + datetime.timedelta(seconds=int(expires_in))
        if isinstance(expires_in, int) and expires_in > 0
        else None,
    )


def exchange_code(
    http: HttpClient,
    server: AuthServer,
    client: Client,
    *,
    code: str,
    verifier: str,
    did: str,
    auth: dpop.DPoPAuth,
    now: datetime.datetime,
) -> TokenSet:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": client.redirect_uri,
        "code_verifier": verifier,
    }
    return _token_call(http, server, client, form, auth=auth, did=did, now=now)


def refresh(
    http: HttpClient,
    server: AuthServer,
    client: Client,
    *,
    refresh_token: str,
    did: str,
    auth: dpop.DPoPAuth,
    now: datetime.datetime,
) -> TokenSet:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return _token_call(http, server, client, form, auth=auth, did=did, now=now)


# What the connector carries --------------------------------------------------------


@dataclass(frozen=True)
class OAuthSession:
    """A DPoP-bound session: stored encrypted as the connection's token, handed to the
    connector as `AccountConfig.access_token` (an app password session is a plain JWT)."""

    access_token: str
    dpop_jwk: dict[str, Any]
    issuer: str
    did: str
    expires_at: float | None = None

    def encode(self) -> str:
        body = {
            "access_token": self.access_token,
            "dpop_jwk": self.dpop_jwk,
            "issuer": self.issuer,
            "did": self.did,
            "expires_at": self.expires_at,
        }
        return SESSION_PREFIX + json.dumps(body, separators=(",", ":"))

    @classmethod
    def decode(cls, token: str) -> OAuthSession | None:
        if not token.startswith(SESSION_PREFIX):
            return None
        try:
            body = json.loads(token[len(SESSION_PREFIX) :])
            expires = body.get("expires_at")
            return cls(
                access_token=str(body["access_token"]),
                dpop_jwk=dict(body["dpop_jwk"]),
                issuer=str(body["issuer"]),
                did=str(body["did"]),
                expires_at=float(expires) if isinstance(expires, int | float) else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise PayloadError("bluesky: the stored OAuth session is unreadable") from error

    @property
    def key(self) -> ec.EllipticCurvePrivateKey:
        return dpop.key_from_jwk(self.dpop_jwk)

    def expired(self, *, now: float, margin: float = 60.0) -> bool:
        return self.expires_at is not None and self.expires_at <= now + margin
