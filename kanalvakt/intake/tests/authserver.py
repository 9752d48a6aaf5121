"""A local authorisation server that answers as the platforms document their OAuth 2.0.

It runs on loopback in a thread for the test that uses it. The consent page
approves at once (the person clicked "Allow") and redirects back with a code;
the token endpoints check the client, the redirect address, the code's single
use and the PKCE verifier, and answer in each platform's documented shape:
X (developer.x.com, OAuth 2.0 Authorization Code with PKCE), Google
(developers.google.com/identity/protocols/oauth2/web-server), LinkedIn
(learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow),
Meta (developers.facebook.com/docs/facebook-login/guides/access-tokens,
long-lived and page tokens) and Mastodon (docs.joinmastodon.org/methods/apps,
/methods/oauth).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

AUTHORIZE = {
    "/v21.0/dialog/oauth": "meta",
    "/i/oauth2/authorize": "x",
    "/o/oauth2/v2/auth": "google",
    "/oauth/v2/authorization": "linkedin",
    "/oauth/authorize": "mastodon",
}
TOKEN = {
    "/v21.0/oauth/access_token": "meta",
    "/2/oauth2/token": "x",
    "/token": "google",
    "/oauth/v2/accessToken": "linkedin",
    "/oauth/token": "mastodon",
}


@dataclass
class AuthServer:
    clients: dict[str, str] = field(default_factory=dict)
    """client_id → client_secret."""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    """refresh token → platform."""
    pages: list[dict[str, Any]] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    base: str = ""

    # The WSGI application ------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size).decode() if size else ""
        form = {k: v[0] for k, v in parse_qs(body).items()}
        if method == "GET" and path in AUTHORIZE:
            return self._authorize(query, start)
        if path == "/v21.0/oauth/access_token" and query.get("grant_type") == "fb_exchange_token":
            return self._json(start, 200, self._meta_long_lived(query))
        if method == "POST" and path in TOKEN:
            status, answer = self._token(TOKEN[path], form, environ)
            return self._json(start, status, answer)
        if method == "GET" and path == "/v21.0/me/accounts":
            return self._json(start, 200, {"data": self.pages, "paging": {}})
        if method == "POST" and path == "/api/v1/apps":
            return self._json(start, 200, self._register(form))
        return self._json(start, 404, {"error": "not_found"})

    def _json(self, start: Callable[..., Any], status: int, body: Any) -> Iterable[bytes]:
        reason = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized"}.get(status, "")
        start(f"{status} {reason}", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    def _authorize(self, query: dict[str, str], start: Callable[..., Any]) -> Iterable[bytes]:
        if query.get("client_id") not in self.clients or query.get("response_type") != "code":
            return self._json(start, 400, {"error": "invalid_request"})
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "client_id": query["client_id"],
            "challenge": query.get("code_challenge", ""),
        }
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        start("302 Found", [("Location", target)])
        return [b""]

    def _client(self, platform: str, form: dict[str, str], environ: dict[str, Any]) -> bool:
        if platform == "x":
            header = environ.get("HTTP_AUTHORIZATION", "")
            if not header.startswith("Basic "):
                return False
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return self.clients.get(client_id) == secret

    def _token(
        self, platform: str, form: dict[str, str], environ: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if not self._client(platform, form, environ):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") == "refresh_token":
            if self.refresh_tokens.pop(form.get("refresh_token", ""), None) != platform:
                return 400, {"error": "invalid_grant", "error_description": "Token revoked."}
            return 200, self._issue(platform, refreshed=True)
        code = self.codes.pop(form.get("code", ""), None)
        if code is None or code["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if code["challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != code["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE failed."}
        return 200, self._issue(platform)

    def _issue(self, platform: str, *, refreshed: bool = False) -> dict[str, Any]:
        access = f"{platform}-access-{secrets.token_hex(4)}"
        self.issued.append(access)
        if platform == "meta":
            return {"access_token": access, "token_type": "bearer", "expires_in": 5183}
        if platform == "mastodon":
            return {"access_token": access, "token_type": "Bearer", "scope": "read write"}
        answer: dict[str, Any] = {"access_token": access, "token_type": "bearer"}
        if platform == "google" and refreshed:
            answer.update(
                expires_in=3599, scope="https://www.googleapis.com/auth/youtube.force-ssl"
            )
            return answer  # Google keeps the refresh token it gave first.
        refresh = f"{platform}-refresh-{secrets.token_hex(4)}"
        self.refresh_tokens[refresh] = platform
        answer.update(
            refresh_token=refresh,
            expires_in={"x": 7200, "google": 3599, "linkedin": 5184000}[platform],
        )
        return answer

    def _meta_long_lived(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("fb_exchange_token") not in self.issued:
            return {"error": {"message": "Invalid OAuth access token.", "code": 190}}
        return {"access_token": "meta-long-lived", "token_type": "bearer", "expires_in": 5183944}

    def _register(self, form: dict[str, str]) -> dict[str, Any]:
        client_id, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
        self.clients[client_id] = secret
        return {
            "id": "563419",
            "name": form.get("client_name", ""),
            "website": form.get("website"),
            "redirect_uri": form.get("redirect_uris"),
            "client_id": client_id,
            "client_secret": secret,
        }


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


class LoopbackApp(Protocol):
    """A WSGI application that learns the address it is served at."""

    base: str

    def __call__(self, environ: Any, start: Any, /) -> Iterable[bytes]: ...


@contextmanager
def running[S: LoopbackApp](server: S) -> Iterator[S]:
    """Serve `server` on a free loopback port in a thread for the duration of the block."""
    httpd: WSGIServer = make_server("127.0.0.1", 0, server, handler_class=_Quiet)
    server.base = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
