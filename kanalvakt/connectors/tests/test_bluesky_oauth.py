"""atproto OAuth pieces: DPoP proofs and nonces, identity and server checks (recorded answers).

The whole flow runs against a local PDS in kanalvakt/intake/tests/test_oauth_bluesky.py.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import jwt
import pytest
import respx
from jwt.algorithms import ECAlgorithm

from kanalvakt.connectors.base import PayloadError
from kanalvakt.connectors.bluesky import dpop
from kanalvakt.connectors.bluesky import oauth as atproto
from kanalvakt.connectors.http import HttpClient, RetryPolicy

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
ENTRYWAY = "https://bsky.social"
PDS = "https://morel.us-east.host.bsky.network"


def _claims(proof: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The proof's header and claims, verified with the key in its own header."""
    header = jwt.get_unverified_header(proof)
    key = ECAlgorithm.from_jwk(json.dumps(header["jwk"]))
    return header, jwt.decode(proof, key, algorithms=["ES256"])  # type: ignore[arg-type]


def test_a_proof_names_the_request_the_nonce_and_the_token_it_goes_with() -> None:
    key = dpop.new_key()
    proof = dpop.proof(
        key,
        method="get",
        url=f"{PDS}/xrpc/app.bsky.feed.getPosts?uris=at%3A%2F%2Fx#frag",
        nonce="n-1",
        access_token="acc-1",
    )

    header, claims = _claims(proof)
    assert header["typ"] == "dpop+jwt" and header["alg"] == "ES256"
    assert "d" not in header["jwk"]  # only the public key travels
    assert claims["htm"] == "GET"
    assert claims["htu"] == f"{PDS}/xrpc/app.bsky.feed.getPosts"
    assert claims["nonce"] == "n-1"
    assert claims["ath"] == dpop.token_hash("acc-1")
    assert _claims(dpop.proof(key, method="GET", url=PDS))[1]["jti"] != claims["jti"]


def test_a_nonce_challenge_is_answered_once_and_the_nonce_kept_for_the_next_call() -> None:
    seen: list[dict[str, Any]] = []

    def pds(request: httpx.Request) -> httpx.Response:
        _, claims = _claims(request.headers["DPoP"])
        seen.append(claims)
        assert request.headers["Authorization"] == "DPoP acc-1"
        if claims.get("nonce") != "n-1":
            challenge = (
                'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce"'
            )
            return httpx.Response(401, headers={"WWW-Authenticate": challenge, "DPoP-Nonce": "n-1"})
        return httpx.Response(200, json={"posts": []}, headers={"DPoP-Nonce": "n-1"})

    http = HttpClient(platform="bluesky", transport=httpx.MockTransport(pds))
    nonces: dict[str, str] = {}
    auth = dpop.DPoPAuth(dpop.new_key(), nonces=nonces, access_token="acc-1")

    assert http.json("GET", f"{PDS}/xrpc/app.bsky.feed.getPosts", auth=auth) == {"posts": []}
    assert http.json("GET", f"{PDS}/xrpc/app.bsky.feed.getPosts", auth=auth) == {"posts": []}

    assert [c.get("nonce") for c in seen] == [None, "n-1", "n-1"]
    assert nonces == {PDS: "n-1"}
    assert len({c["jti"] for c in seen}) == 3


def test_the_authorisation_servers_nonce_error_resends_the_form() -> None:
    bodies: list[bytes] = []

    def server(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        if _claims(request.headers["DPoP"])[1].get("nonce") != "as-1":
            return httpx.Response(
                400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": "as-1"}
            )
        return httpx.Response(201, json={"request_uri": "urn:x", "expires_in": 299})

    http = HttpClient(platform="bluesky", transport=httpx.MockTransport(server))
    auth = dpop.DPoPAuth(dpop.new_key(), nonces={})

    answer = http.json(
        "POST", f"{ENTRYWAY}/oauth/par", data={"state": "s"}, auth=auth, idempotent=False
    )

    assert answer["request_uri"] == "urn:x"
    assert bodies == [b"state=s", b"state=s"]
    assert "Authorization" not in str(bodies)


def test_a_retried_request_carries_a_new_proof() -> None:
    proofs: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        proofs.append(request.headers["DPoP"])
        return httpx.Response(502 if len(proofs) == 1 else 200, json={})

    http = HttpClient(
        platform="bluesky",
        transport=httpx.MockTransport(flaky),
        retry=RetryPolicy(attempts=2),
        sleep=lambda seconds: None,
    )
    http.json("GET", f"{PDS}/xrpc/x", auth=dpop.DPoPAuth(dpop.new_key(), nonces={}))

    assert len(proofs) == 2 and proofs[0] != proofs[1]


def _did_document(
    pds: str, handle: str = "overkalix.bsky.social", did: str = DID
) -> dict[str, Any]:
    return {
        "id": did,
        "alsoKnownAs": [f"at://{handle}"],
        "service": [
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": pds}
        ],
    }


def _resolve(handle: str = "overkalix.bsky.social", **kwargs: Any) -> atproto.Identity:
    return atproto.resolve_identity(
        HttpClient(platform="bluesky"), server=ENTRYWAY, handle=handle, **kwargs
    )


@respx.mock
def test_the_handle_is_resolved_by_the_entered_server_and_the_did_by_the_plc_directory() -> None:
    respx.get(f"{ENTRYWAY}/xrpc/com.atproto.identity.resolveHandle").respond(json={"did": DID})
    respx.get(f"https://plc.directory/{DID}").respond(json=_did_document(PDS))

    identity = _resolve("@Overkalix.bsky.social")

    assert identity == atproto.Identity(did=DID, handle="overkalix.bsky.social", pds=PDS)


@respx.mock
def test_a_did_web_document_comes_from_its_own_host() -> None:
    did = "did:web:some.kommun.se"
    respx.get(f"{ENTRYWAY}/xrpc/com.atproto.identity.resolveHandle").respond(json={"did": did})
    respx.get("https://some.kommun.se/.well-known/did.json").respond(
        json=_did_document(PDS, handle="some.kommun.se", did=did)
    )

    assert _resolve("some.kommun.se").pds == PDS


@respx.mock
def test_without_a_plc_directory_the_entered_server_gives_the_document() -> None:
    respx.get(f"{ENTRYWAY}/xrpc/com.atproto.identity.resolveHandle").respond(json={"did": DID})
    respx.get(f"{ENTRYWAY}/xrpc/com.atproto.repo.describeRepo").respond(
        json={"did": DID, "didDoc": _did_document(PDS)}
    )

    assert _resolve(plc_directory="").pds == PDS


@respx.mock
@pytest.mark.parametrize(
    ("document", "why"),
    [
        (_did_document("https://pds.internal"), "intern"),  # the token would go inwards
        (_did_document("http://pds.example.net"), "https"),
        # The entered server claimed a DID whose document names someone else.
        (_did_document(PDS, handle="someone.else.social"), "handle"),
        (_did_document(PDS, did="did:plc:another0000000000000000"), "another DID"),
    ],
)
def test_a_did_document_that_points_inwards_or_elsewhere_is_refused(
    document: dict[str, Any], why: str
) -> None:
    respx.get(f"{ENTRYWAY}/xrpc/com.atproto.identity.resolveHandle").respond(json={"did": DID})
    respx.get(f"https://plc.directory/{DID}").respond(json=document)

    with pytest.raises(PayloadError, match=why):
        _resolve()


def _metadata(**changes: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "issuer": ENTRYWAY,
        "authorization_endpoint": f"{ENTRYWAY}/oauth/authorize",
        "token_endpoint": f"{ENTRYWAY}/oauth/token",
        "pushed_authorization_request_endpoint": f"{ENTRYWAY}/oauth/par",
        "require_pushed_authorization_requests": True,
        "scopes_supported": ["atproto", "transition:generic"],
        "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
        "dpop_signing_alg_values_supported": ["ES256"],
        "authorization_response_iss_parameter_supported": True,
    }
    metadata.update(changes)
    return metadata


@respx.mock
def test_the_pds_names_its_authorisation_server_and_its_metadata_is_checked() -> None:
    respx.get(f"{PDS}/.well-known/oauth-protected-resource").respond(
        json={"resource": PDS, "authorization_servers": [ENTRYWAY]}
    )
    respx.get(f"{ENTRYWAY}/.well-known/oauth-authorization-server").respond(json=_metadata())

    server = atproto.authorization_server(HttpClient(platform="bluesky"), pds=PDS)

    assert server.issuer == ENTRYWAY
    assert server.par_endpoint == f"{ENTRYWAY}/oauth/par"


@respx.mock
@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"issuer": "https://auth.example.net"}, "issuer"),
        ({"pushed_authorization_request_endpoint": None}, "PAR"),
        ({"dpop_signing_alg_values_supported": ["RS256"]}, "DPoP"),
        ({"authorization_response_iss_parameter_supported": False}, "iss"),
        ({"token_endpoint": "https://auth.internal/token"}, "intern"),
    ],
)
def test_an_authorisation_server_without_what_atproto_requires_is_refused(
    changes: dict[str, Any], why: str
) -> None:
    respx.get(f"{ENTRYWAY}/.well-known/oauth-authorization-server").respond(
        json=_metadata(**changes)
    )
    with pytest.raises(PayloadError, match=why):
        atproto.server_metadata(HttpClient(platform="bluesky"), issuer=ENTRYWAY)


def test_the_stored_session_round_trips_and_an_app_password_session_is_not_one() -> None:
    key = dpop.new_key()
    session = atproto.OAuthSession(
        access_token="acc-1",
        dpop_jwk=dpop.private_jwk(key),
        issuer=ENTRYWAY,
        did=DID,
        expires_at=1_800_000_000.0,
    )
    again = atproto.OAuthSession.decode(session.encode())
    assert again == session
    assert again is not None and dpop.public_jwk(again.key) == dpop.public_jwk(key)
    assert atproto.OAuthSession.decode("eyJhbGciOiJIUzI1NiJ9.e30.sig") is None
    with pytest.raises(PayloadError):
        atproto.OAuthSession.decode(atproto.SESSION_PREFIX + "{not json")
