"""The one HTTP client every connector uses; the only place that calls out.

Explicit timeouts, retries with exponential back-off on 5xx and connection
errors, rate-limit handling (429 with Retry-After, X's x-rate-limit-reset,
Mastodon's ISO reset time, Bluesky's ratelimit-reset, Meta's throttling
codes and X-App-Usage) and one set of exceptions the inbox can act on.
Access tokens travel in the Authorization header and never appear in an
exception message. Every request connects only to an address the outbound
guard checked for it (`kanalvakt.lib.pinned_transport`: https, public
addresses, resolved once); redirects are returned, never followed.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from kanalvakt.lib.netguard import OutboundRefused
from kanalvakt.lib.pinned_transport import PinnedTransport, environment_mounts

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0, pool=5.0)
USER_AGENT = "Kanalvakt/0.1 (+https://github.com/kanalvakt)"

# Meta Graph API error codes. https://developers.facebook.com/docs/graph-api/guides/error-handling
META_TOKEN_CODES = frozenset({102, 190})
META_TOKEN_SUBCODES = frozenset({458, 459, 460, 463, 464, 467, 492})
META_THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
# Bluesky XRPC errors and the OAuth 2.0 error for a dead refresh token or code.
TOKEN_ERROR_CODES = frozenset({"ExpiredToken", "InvalidToken", "AuthMissing", "invalid_grant"})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


SECRET_QUERY = re.compile(
    r"((?:access|input|refresh|fb_exchange)_token|client_secret|password)=[^&\s\"']+"
)


class RedactSecrets(logging.Filter):
    """httpx logs every request URL at INFO; some Graph API calls carry a token in the
    query (`debug_token?input_token=`). Those values never reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                SECRET_QUERY.sub(r"\1=[redacted]", str(arg)) if "=" in str(arg) else arg
                for arg in record.args
            )
        return True


logging.getLogger("httpx").addFilter(RedactSecrets())


class ConnectorError(Exception):
    """A platform call failed; `status` and `code` say how, when known."""

    def __init__(
        self,
        message: str,
        *,
        platform: str = "",
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        self.platform = platform
        self.status = status
        self.code = code
        super().__init__(f"{platform}: {message}" if platform else message)


class TokenExpired(ConnectorError):
    """The access token is expired, revoked or invalid: alert the account owner."""


class RateLimited(ConnectorError):
    """The platform asks us to wait. `retry_after` is in seconds, None if unknown."""

    def __init__(self, message: str, *, retry_after: float | None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class NotFound(ConnectorError):
    """The object does not exist (any more): for polling, a deletion."""


class AddressRefused(ConnectorError):
    """The outbound guard refused the address (not https, or it resolves inward): nothing sent."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_rate_limit_wait: float = 60.0
    """Wait in-process for a rate limit up to this long; beyond it raise RateLimited."""

    def backoff(self, attempt: int) -> float:
        return float(min(self.max_delay, self.base_delay * 2**attempt))


class HttpClient:
    """A thin wrapper over `httpx.Client` for one platform."""

    def __init__(
        self,
        *,
        platform: str,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.platform = platform
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._now = now
        self.app_usage: float | None = None
        """Highest percentage in Meta's X-App-Usage / X-Business-Use-Case-Usage, if sent."""
        # Every request goes to an address the outbound guard checked, resolved once
        # (no DNS rebinding between the check and the connection). Tests may pass a
        # mock transport instead.
        self._client = httpx.Client(
            timeout=timeout,
            transport=transport if transport is not None else PinnedTransport(),
            mounts=environment_mounts() if transport is None else None,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def pause(self, seconds: float) -> None:
        """Wait between polls of a platform's media processing (injectable in tests)."""
        self._sleep(max(0.0, seconds))

    def request(
        self,
        method: str,
        url: str,
        *,
        token: str | None = None,
        params: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        json_body: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        auth: httpx.Auth | None = None,
    ) -> httpx.Response:
        """Send one request with retries; return a 2xx/3xx response or raise.

        `files` are multipart parts (name → (filename, bytes, content type));
        `content` is a raw body (media uploads). `auth` signs each attempt anew
        (Bluesky's DPoP proofs, which must not be replayed).
        """
        method = method.upper()
        safe_to_repeat = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        query = _query(params)
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        attempts = max(1, self.retry.attempts)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._client.request(
                    method,
                    url,
                    params=query or None,  # an empty set would drop the URL's own query
                    json=json_body,
                    data=data,
                    files=files,
                    content=content,
                    headers=all_headers,
                    auth=auth,
                )
            except OutboundRefused as exc:
                raise AddressRefused(
                    f"server address refused: {exc}", platform=self.platform
                ) from exc
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # The request never reached the platform: always safe to try again.
                if last:
                    raise self._error(f"cannot connect: {type(exc).__name__}") from exc
                self._sleep(self.retry.backoff(attempt))
                continue
            except httpx.TransportError as exc:
                if last or not safe_to_repeat:
                    raise self._error(f"transport error: {type(exc).__name__}") from exc
                self._sleep(self.retry.backoff(attempt))
                continue

            self._note_usage(response)
            payload = _json_or_none(response)
            limited, wait = self._rate_limit(response, payload)
            if limited:
                if not last and wait is not None and wait <= self.retry.max_rate_limit_wait:
                    self._sleep(max(wait, 0.0))
                    continue
                raise RateLimited(
                    "rate limited",
                    retry_after=wait,
                    platform=self.platform,
                    status=response.status_code,
                )
            if response.status_code >= 500:
                if last or not safe_to_repeat:
                    raise self._error("server error", response, payload)
                self._sleep(self.retry.backoff(attempt))
                continue
            if response.status_code >= 400:
                raise self._classify(response, payload)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def json(self, method: str, url: str, **kwargs: Any) -> Any:
        """`request` and decode the JSON body (None for an empty body)."""
        response = self.request(method, url, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise self._error("response is not JSON", response) from exc

    # ------------------------------------------------------------------ helpers

    def _error(
        self, message: str, response: httpx.Response | None = None, payload: Any = None
    ) -> ConnectorError:
        status = response.status_code if response is not None else None
        detail = _error_message(payload)
        text = f"{message} ({status})" if status else message
        if detail:
            text = f"{text}: {detail}"
        code = _error_code(payload)
        return ConnectorError(text, platform=self.platform, status=status, code=code)

    def _classify(self, response: httpx.Response, payload: Any) -> ConnectorError:
        status = response.status_code
        code = _error_code(payload)
        detail = _error_message(payload)
        kwargs: dict[str, Any] = {"platform": self.platform, "status": status, "code": code}
        meta = _meta_error(payload)
        if status == 401 or code in TOKEN_ERROR_CODES:
            return TokenExpired(f"access token rejected: {detail}", **kwargs)
        if meta is not None:
            meta_code, subcode = meta
            if meta_code in META_TOKEN_CODES or subcode in META_TOKEN_SUBCODES:
                return TokenExpired(f"access token rejected: {detail}", **kwargs)
            if meta_code == 100 and subcode == 33:
                return NotFound(f"object does not exist: {detail}", **kwargs)
        if status in (404, 410):
            return NotFound(f"not found ({status}): {detail}", **kwargs)
        return self._error("request refused", response, payload)

    def _rate_limit(self, response: httpx.Response, payload: Any) -> tuple[bool, float | None]:
        meta = _meta_error(payload)
        throttled_by_meta = meta is not None and meta[0] in META_THROTTLE_CODES
        if response.status_code != 429 and not throttled_by_meta:
            return False, None
        return True, self._retry_after(response)

    def _retry_after(self, response: httpx.Response) -> float | None:
        headers = response.headers
        if value := headers.get("retry-after"):
            if value.strip().isdigit():
                return float(value.strip())
            try:
                return parsedate_to_datetime(value).timestamp() - self._now()
            except (TypeError, ValueError):
                pass
        for name in ("x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"):
            if value := headers.get(name):
                reset = _reset_time(value)
                if reset is not None:
                    return max(0.0, reset - self._now())
        if value := headers.get("x-business-use-case-usage"):
            minutes = _meta_regain_minutes(value)
            if minutes is not None:
                return minutes * 60.0
        return None

    def _note_usage(self, response: httpx.Response) -> None:
        highest: float | None = None
        for name in ("x-app-usage", "x-page-usage", "x-ad-account-usage"):
            if value := response.headers.get(name):
                highest = _max_percentage(_loads(value), highest)
        if value := response.headers.get("x-business-use-case-usage"):
            for entries in (_loads(value) or {}).values():
                for entry in entries if isinstance(entries, list) else []:
                    highest = _max_percentage(entry, highest)
        if highest is not None:
            self.app_usage = highest


def _query(params: Mapping[str, str] | Sequence[tuple[str, str]] | None) -> httpx.QueryParams:
    if params is None:
        return httpx.QueryParams()
    if isinstance(params, Mapping):
        return httpx.QueryParams(dict(params))
    return httpx.QueryParams(tuple(params))


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _json_or_none(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _meta_error(payload: Any) -> tuple[int, int | None] | None:
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        error = payload["error"]
        code = error.get("code")
        if isinstance(code, int):
            subcode = error.get("error_subcode")
            return code, subcode if isinstance(subcode, int) else None
    return None


def _error_code(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    error = payload.get("error")
    if isinstance(error, dict) and "code" in error:
        return str(error["code"])
    if isinstance(error, str):
        return error
    return None


def _error_message(payload: Any) -> str:
    if not isinstance(payload, dict):
        return ""
    error = payload.get("error")
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return str(error["message"])
    for key in ("message", "detail", "error_description", "title"):
        if isinstance(payload.get(key), str):
            return str(payload[key])
    errors = payload.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message", ""))
    return error if isinstance(error, str) else ""


def _reset_time(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _meta_regain_minutes(value: str) -> float | None:
    parsed = _loads(value)
    if not isinstance(parsed, dict):
        return None
    minutes = [
        float(entry["estimated_time_to_regain_access"])
        for entries in parsed.values()
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("estimated_time_to_regain_access"), int)
    ]
    return max(minutes) if minutes else None


def _max_percentage(usage: Any, current: float | None) -> float | None:
    if not isinstance(usage, dict):
        return current
    values = [
        float(v)
        for k, v in usage.items()
        if k in ("call_count", "total_time", "total_cputime", "acc_id_util_pct")
        and isinstance(v, int | float)
    ]
    if not values:
        return current
    top = max(values)
    return top if current is None else max(top, current)
