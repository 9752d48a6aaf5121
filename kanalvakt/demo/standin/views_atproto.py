"""The stand-in's atproto OAuth endpoints: PDS metadata, PLC directory, PAR, consent, token.

The checks are in `atproto`; pushed requests and codes are kept in the
stand-in's own store and used once; tokens are signed (see `atproto`).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kanalvakt.connectors.bluesky import server_checks
from kanalvakt.demo.standin import atproto
from kanalvakt.demo.standin.api import answer
from kanalvakt.demo.standin.store import (
    standin_event_record,
    standin_secret_get,
    standin_secret_put,
    standin_secret_take,
)
from kanalvakt.demo.standin.views import BANNER

AS_NONCE = "as"
PDS_NONCE = "pds"
ACCESS_SECONDS = 1800
REFRESH_SECONDS = 90 * 24 * 3600


def base(request: HttpRequest) -> str:
    """The PDS, which is its own authorisation server: `<site>/standin/bluesky`."""
    return request.build_absolute_uri(reverse("standin:overview")) + "bluesky"


@require_GET
def protected_resource(request: HttpRequest) -> HttpResponse:
    return answer({"resource": base(request), "authorization_servers": [base(request)]})


@require_GET
def authorization_server(request: HttpRequest) -> HttpResponse:
    return answer(atproto.server_metadata(base(request)))


@require_GET
def plc_document(request: HttpRequest, did: str) -> HttpResponse:
    document = atproto.did_document(did, pds=base(request))
    if document is None:
        return answer({"message": f"DID not registered: {did}"}, status=404)
    return answer(document)


def identity(request: HttpRequest, nsid: str) -> HttpResponse | None:
    """`resolveHandle` and `describeRepo` of the PDS (None: not an identity call)."""
    if nsid == "com.atproto.identity.resolveHandle":
        did = atproto.handle_did(request.GET.get("handle", ""))
        if did is None:
            return answer({"error": "InvalidRequest", "message": "Unable to resolve"}, 400)
        return answer({"did": did})
    if nsid == "com.atproto.repo.describeRepo":
        repo = request.GET.get("repo", "")
        document = atproto.did_document(repo, pds=base(request))
        if document is None:
            return answer({"error": "RepoNotFound", "message": repo}, status=400)
        handle = document["alsoKnownAs"][0][len("at://") :]
        return answer({"handle": handle, "did": repo, "didDoc": document})
    return None


def xrpc_refusal(request: HttpRequest) -> HttpResponse | None:
    """A DPoP-authorised XRPC call needs a known token, a good proof and its bound key."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme != "DPoP":
        return None  # an app password session (a bearer JWT), as before
    nonce = atproto.nonce(PDS_NONCE)
    bound = atproto.token_claims("acc", token)
    if bound is None:
        challenge = 'DPoP error="invalid_token", error_description="Invalid token"'
        return answer({"error": "InvalidToken"}, 401, WWW_Authenticate=challenge, DPoP_Nonce=nonce)
    error, jkt = atproto.proof_problem(request, label=PDS_NONCE, access_token=token)
    if error or jkt != bound["jkt"]:
        error = error or "invalid_token"
        challenge = f'DPoP error="{error}", error_description="DPoP proof refused"'
        return answer({"error": error}, 401, WWW_Authenticate=challenge, DPoP_Nonce=nonce)
    return None


def with_pds_nonce(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.headers.get("Authorization", "").startswith("DPoP "):
        response["DPoP-Nonce"] = atproto.nonce(PDS_NONCE)
    return response


def _as_answer(data: dict[str, Any], status: int = 200) -> HttpResponse:
    return answer(data, status, DPoP_Nonce=atproto.nonce(AS_NONCE))


@csrf_exempt
@require_POST
def par(request: HttpRequest) -> HttpResponse:
    form = {key: request.POST.get(key, "") for key in request.POST}
    error, jkt = atproto.proof_problem(request, label=AS_NONCE)
    if error:
        return _as_answer({"error": error}, 400)
    client = atproto.client_problem(form, issuer=base(request))
    if client is None:
        return _as_answer({"error": "invalid_client"}, 401)
    did = atproto.handle_did(form.get("login_hint", ""))
    if not server_checks.pushed_request_valid(form, client) or did is None:
        return _as_answer({"error": "invalid_request"}, 400)
    request_uri = f"urn:ietf:params:oauth:request_uri:req-{secrets.token_hex(12)}"
    kept = {k: form[k] for k in ("client_id", "redirect_uri", "state", "code_challenge")}
    kept |= {"jkt": jkt, "did": did, "handle": form["login_hint"], "iss": base(request)}
    standin_secret_put(kind="par", key=request_uri, data=kept)
    return _as_answer({"request_uri": request_uri, "expires_in": 299}, 201)


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    """The consent page: the person allows (or denies) Kanalvakt the account."""
    source = request.GET if request.method == "GET" else request.POST
    query = {key: source.get(key, "") for key in ("client_id", "request_uri")}
    if request.method == "GET" and set(request.GET) != {"client_id", "request_uri"}:
        return answer({"error": "invalid_request", "error_description": "PAR required"}, 400)
    pushed = (
        standin_secret_get(kind="par", key=query["request_uri"])
        if request.method == "GET"
        else standin_secret_take(kind="par", key=query["request_uri"])
    )
    if pushed is None or pushed["client_id"] != query["client_id"]:
        return answer({"error": "invalid_request", "error_description": "Unknown request"}, 400)
    if request.method == "GET":
        context = {"banner": BANNER, "handle": pushed["handle"], **query}
        return render(request, "standin/consent.html", context)
    back: dict[str, str] = {"state": pushed["state"], "iss": pushed["iss"]}
    if request.POST.get("answer") == "allow":
        code = f"cod-{secrets.token_hex(16)}"
        standin_secret_put(kind="code", key=code, data=pushed)
        standin_event_record(platform="bluesky", action="connect", external_id=pushed["did"])
        back = {"code": code, **back}
    else:
        back = {"error": "access_denied", **back}
    return HttpResponseRedirect(f"{pushed['redirect_uri']}?{urlencode(back)}")


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    form = {key: request.POST.get(key, "") for key in request.POST}
    error, jkt = atproto.proof_problem(request, label=AS_NONCE)
    if error:
        return _as_answer({"error": error}, 400)
    if atproto.client_problem(form, issuer=base(request)) is None:
        return _as_answer({"error": "invalid_client"}, 401)
    if form.get("grant_type") == "refresh_token":
        bound = atproto.token_claims("ref", form.get("refresh_token", ""))
        if bound is None or bound["jkt"] != jkt or bound["client_id"] != form["client_id"]:
            return _as_answer({"error": "invalid_grant"}, 400)
        return _as_answer(_issue(bound))
    code = standin_secret_take(kind="code", key=form.get("code", ""))
    if (
        code is None
        or form.get("grant_type") != "authorization_code"
        or code["redirect_uri"] != form.get("redirect_uri")
        or code["client_id"] != form.get("client_id")
        or code["jkt"] != jkt
        or not atproto.pkce_matches(form.get("code_verifier", ""), code["code_challenge"])
    ):
        return _as_answer({"error": "invalid_grant"}, 400)
    return _as_answer(_issue({"did": code["did"], "jkt": jkt, "client_id": code["client_id"]}))


def _issue(binding: dict[str, Any]) -> dict[str, Any]:
    bound = {k: str(binding[k]) for k in ("did", "jkt", "client_id")}
    return {
        "access_token": atproto.token_sign("acc", bound, seconds=ACCESS_SECONDS),
        "token_type": "DPoP",
        "expires_in": ACCESS_SECONDS,
        "refresh_token": atproto.token_sign("ref", bound, seconds=REFRESH_SECONDS),
        "scope": atproto.SCOPE,
        "sub": binding["did"],
    }
