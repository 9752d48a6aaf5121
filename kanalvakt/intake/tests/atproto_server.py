"""A local atproto PDS that is its own authorisation server, as atproto.com/specs/oauth documents.

It runs on loopback in a thread for the test that uses it (like authserver.py)
and is strict where the spec is:

- `/.well-known/oauth-protected-resource` and `/.well-known/oauth-authorization-server`;
  identity through `com.atproto.identity.resolveHandle` and a PLC directory at `/plc/`;
- PAR is required: the authorisation endpoint takes only `client_id` and a
  `request_uri` from `/oauth/par`, once;
- the client is a client metadata document fetched from its `client_id`
  (redirect URI, scope, `dpop_bound_access_tokens`, `private_key_jwt`), and
  authenticates with an ES256 assertion checked against its `jwks_uri`;
- PKCE S256; the code is used once and bound to the DPoP key of the PAR;
- every request to `/oauth/par`, `/oauth/token` and the XRPC methods carries a
  DPoP proof: typ, ES256 signature by the key in its header, `htm`, `htu`,
  fresh `iat`, a `jti` never seen before and the server's current nonce
  (else `use_dpop_nonce`: 400 from the authorisation server, 401 with
  `WWW-Authenticate` from the PDS; a `DPoP-Nonce` header with each answer);
  XRPC calls need `Authorization: DPoP`, `ath` and the key the token is bound to;
- tokens answer `token_type: DPoP`, `sub`, `scope`; refresh tokens rotate.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from kanalvakt.connectors.bluesky import dpop, server_checks
from kanalvakt.intake.tests.authserver import running

Start = Callable[..., Any]
Answer = tuple[int, dict[str, Any], list[tuple[str, str]]]
SCOPE = "atproto transition:generic"
CID = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"


@dataclass
class Binding:
    did: str
    jkt: str
    client_id: str


@dataclass
class AtprotoServer:
    fetch: Callable[[str], Any]
    """GET a client's metadata document or JWKS (the test reads Kanalvakt's own pages)."""
    handle: str = "overkalix.bsky.social"
    did: str = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    signs_in_as: str = ""
    """The DID the person signs in as at the consent page (default: `did`)."""
    answer_iss: str = ""
    """The `iss` sent back to the callback (default: the issuer itself)."""
    base: str = ""
    as_nonce: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    pds_nonce: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    requests: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    access: dict[str, Binding] = field(default_factory=dict)
    refresh_tokens: dict[str, Binding] = field(default_factory=dict)
    seen_jti: set[str] = field(default_factory=set)
    log: list[str] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)

    def rotate_nonces(self) -> None:
        self.as_nonce = secrets.token_urlsafe(12)
        self.pds_nonce = secrets.token_urlsafe(12)

    def expire_access_tokens(self) -> None:
        self.access.clear()

    # The WSGI application ------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size).decode() if size else ""
        if method == "GET" and path == "/oauth/authorize":
            return self._authorize(query, start)
        status, answer, headers = self._route(method, path, query, body, environ)
        return self._send(start, status, answer, headers)

    def _route(
        self, method: str, path: str, query: dict[str, str], body: str, environ: dict[str, Any]
    ) -> Answer:
        form = {k: v[0] for k, v in parse_qs(body).items()}
        if method == "GET" and path == "/.well-known/oauth-protected-resource":
            return 200, {"resource": self.base, "authorization_servers": [self.base]}, []
        if method == "GET" and path == "/.well-known/oauth-authorization-server":
            return 200, self.metadata(), []
        if method == "GET" and path == "/xrpc/com.atproto.identity.resolveHandle":
            if query.get("handle") != self.handle:
                return 400, {"error": "InvalidRequest", "message": "Unable to resolve handle"}, []
            return 200, {"did": self.did}, []
        if method == "GET" and path == "/xrpc/com.atproto.repo.describeRepo":
            return 200, self._describe(query.get("repo", "")), []
        if method == "GET" and path == f"/plc/{self.did}":  # the PLC directory, here too
            return 200, self._describe(self.did)["didDoc"], []
        if method == "POST" and path == "/oauth/par":
            return self._with_as_nonce(self._par(form, environ))
        if method == "POST" and path == "/oauth/token":
            return self._with_as_nonce(self._token(form, environ))
        if path.startswith("/xrpc/"):
            return self._xrpc(method, path[len("/xrpc/") :], body, environ)
        return 404, {"error": "NotFound"}, []

    def _send(
        self, start: Start, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> Iterable[bytes]:
        reason = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized"}
        start(
            f"{status} {reason.get(status, 'Error')}",
            [("Content-Type", "application/json"), *headers],
        )
        return [json.dumps(body).encode()]

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.base,
            "authorization_endpoint": f"{self.base}/oauth/authorize",
            "token_endpoint": f"{self.base}/oauth/token",
            "pushed_authorization_request_endpoint": f"{self.base}/oauth/par",
            "require_pushed_authorization_requests": True,
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["atproto", "transition:generic", "transition:chat.bsky"],
            "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
            "dpop_signing_alg_values_supported": ["ES256"],
            "authorization_response_iss_parameter_supported": True,
            "client_id_metadata_document_supported": True,
        }

    def _describe(self, repo: str) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "did": self.did,
            "didDoc": {
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": self.did,
                "alsoKnownAs": [f"at://{self.handle}"],
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": self.base,
                    }
                ],
            },
            "collections": ["app.bsky.feed.post"],
            "handleIsCorrect": True,
        }

    # DPoP and client authentication ---------------------------------------------

    def _proof(
        self, environ: dict[str, Any], *, nonce: str, access_token: str = ""
    ) -> tuple[str, str]:
        """(error, key thumbprint): error "" when the proof is good."""
        return server_checks.proof_problem(
            environ.get("HTTP_DPOP", ""),
            method=environ["REQUEST_METHOD"],
            url=f"{self.base}{environ['PATH_INFO']}",
            nonce_ok=lambda value: value == nonce,
            access_token=access_token,
            jti_fresh=self._jti_fresh,
        )

    def _jti_fresh(self, jti: str) -> bool:
        if not jti or jti in self.seen_jti:
            return False
        self.seen_jti.add(jti)
        return True

    def _with_as_nonce(self, answer: Answer) -> Answer:
        status, body, headers = answer
        return status, body, [*headers, ("DPoP-Nonce", self.as_nonce)]

    def _client(self, form: dict[str, str]) -> dict[str, Any] | None:
        """The client's metadata when its assertion is good, else None."""
        client_id = form.get("client_id", "")
        document = self.fetch(client_id)
        if (
            document.get("client_id") != client_id
            or document.get("token_endpoint_auth_method") != "private_key_jwt"
            or document.get("dpop_bound_access_tokens") is not True
        ):
            return None
        claims = server_checks.client_assertion_claims(
            form, keys=self.fetch(document["jwks_uri"])["keys"], issuer=self.base
        )
        if claims is None or not self._jti_fresh(str(claims.get("jti", ""))):
            return None
        return dict(document)

    # The authorisation server ---------------------------------------------------

    def _par(self, form: dict[str, str], environ: dict[str, Any]) -> Answer:
        error, jkt = self._proof(environ, nonce=self.as_nonce)
        if error:
            self.log.append(f"as:{error}")
            return 400, {"error": error}, []
        client = self._client(form)
        if client is None:
            return 401, {"error": "invalid_client"}, []
        if not server_checks.pushed_request_valid(form, client):
            return 400, {"error": "invalid_request"}, []
        request_uri = f"urn:ietf:params:oauth:request_uri:req-{secrets.token_hex(8)}"
        self.requests[request_uri] = {**form, "jkt": jkt}
        self.log.append("par")
        return 201, {"request_uri": request_uri, "expires_in": 299}, []

    def _authorize(self, query: dict[str, str], start: Start) -> Iterable[bytes]:
        if set(query) != {"client_id", "request_uri"}:
            return self._send(
                start,
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Pushed authorization request required",
                },
                [],
            )
        pushed = self.requests.pop(query["request_uri"], None)
        if pushed is None or pushed["client_id"] != query["client_id"]:
            return self._send(start, 400, {"error": "invalid_request"}, [])
        code = f"cod-{secrets.token_hex(12)}"
        self.codes[code] = {**pushed, "did": self.signs_in_as or self.did}
        answer = {"code": code, "state": pushed["state"], "iss": self.answer_iss or self.base}
        start("302 Found", [("Location", f"{pushed['redirect_uri']}?{urlencode(answer)}")])
        return [b""]

    def _token(self, form: dict[str, str], environ: dict[str, Any]) -> Answer:
        error, jkt = self._proof(environ, nonce=self.as_nonce)
        if error:
            self.log.append(f"as:{error}")
            return 400, {"error": error}, []
        if self._client(form) is None:
            return 401, {"error": "invalid_client"}, []
        if form.get("grant_type") == "refresh_token":
            binding = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if binding is None or binding.jkt != jkt or binding.client_id != form["client_id"]:
                return 400, {"error": "invalid_grant", "error_description": "Invalid refresh"}, []
            self.log.append("refresh")
            return 200, self._issue(binding), []
        code = self.codes.pop(form.get("code", ""), None)
        if (
            code is None
            or code["redirect_uri"] != form.get("redirect_uri")
            or code["client_id"] != form.get("client_id")
            or code["jkt"] != jkt
            or dpop.b64url(_sha256(form.get("code_verifier", ""))) != code["code_challenge"]
        ):
            return 400, {"error": "invalid_grant"}, []
        self.log.append("token")
        return 200, self._issue(Binding(code["did"], jkt, code["client_id"])), []

    def _issue(self, binding: Binding) -> dict[str, Any]:
        access, refresh = f"acc-{secrets.token_hex(8)}", f"ref-{secrets.token_hex(8)}"
        self.access[access] = binding
        self.refresh_tokens[refresh] = binding
        return {
            "access_token": access,
            "token_type": "DPoP",
            "expires_in": 1800,
            "refresh_token": refresh,
            "scope": SCOPE,
            "sub": binding.did,
        }

    # The PDS ------------------------------------------------------------------

    def _xrpc(self, method: str, nsid: str, body: str, environ: dict[str, Any]) -> Answer:
        nonce = [("DPoP-Nonce", self.pds_nonce)]
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        binding = self.access.get(token)
        if scheme != "DPoP" or binding is None:
            challenge = 'DPoP error="invalid_token", error_description="Invalid token"'
            return 401, {"error": "InvalidToken"}, [*nonce, ("WWW-Authenticate", challenge)]
        error, jkt = self._proof(environ, nonce=self.pds_nonce, access_token=token)
        if error:
            self.log.append(f"pds:{error}")
            challenge = f'DPoP error="{error}", error_description="Resource server requires nonce"'
            return 401, {"error": error}, [*nonce, ("WWW-Authenticate", challenge)]
        if jkt != binding.jkt:
            return 401, {"error": "InvalidToken"}, nonce
        self.log.append(f"xrpc:{nsid}")
        if nsid == "app.bsky.notification.listNotifications":
            return 200, {"notifications": [], "cursor": ""}, nonce
        if nsid == "com.atproto.repo.createRecord" and method == "POST":
            record = json.loads(body)
            self.records.append(record)
            uri = f"at://{binding.did}/{record['collection']}/3l{secrets.token_hex(5)}"
            return (
                200,
                {"uri": uri, "cid": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"},
                nonce,
            )
        return 400, {"error": "MethodNotImplemented"}, nonce


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


__all__ = ["AtprotoServer", "running"]
