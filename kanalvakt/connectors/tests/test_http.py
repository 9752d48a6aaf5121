from collections.abc import Iterator

import httpx
import pytest

from kanalvakt.connectors.http import (
    ConnectorError,
    HttpClient,
    NotFound,
    RateLimited,
    RetryPolicy,
    TokenExpired,
)

NOW = 1_763_370_000.0
URL = "https://api.example.test/thing"


class Clock:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def now(self) -> float:
        return NOW + sum(self.slept)


def client_for(
    responses: list[httpx.Response | Exception], clock: Clock, **retry: float
) -> tuple[HttpClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue: Iterator[httpx.Response | Exception] = iter(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = next(queue)
        if isinstance(answer, Exception):
            raise answer
        return answer

    policy = RetryPolicy(**retry)  # type: ignore[arg-type]
    client = HttpClient(
        platform="test",
        transport=httpx.MockTransport(handler),
        retry=policy,
        sleep=clock.sleep,
        now=clock.now,
    )
    return client, seen


def test_server_errors_are_retried_with_exponential_back_off() -> None:
    clock = Clock()
    client, seen = client_for(
        [httpx.Response(502), httpx.Response(503), httpx.Response(200, json={"ok": True})], clock
    )
    assert client.json("GET", URL) == {"ok": True}
    assert len(seen) == 3
    assert clock.slept == [1.0, 2.0]


def test_back_off_is_capped() -> None:
    assert RetryPolicy(base_delay=1, max_delay=5).backoff(10) == 5


def test_connection_errors_are_retried_even_for_a_post() -> None:
    clock = Clock()
    failure = httpx.ConnectError("no route")
    client, seen = client_for([failure, httpx.Response(200, json={"id": "1"})], clock)
    assert client.json("POST", URL, json_body={"text": "hej"}) == {"id": "1"}
    assert len(seen) == 2


def test_a_post_is_not_repeated_after_a_server_error_so_nothing_is_sent_twice() -> None:
    clock = Clock()
    client, seen = client_for([httpx.Response(500), httpx.Response(200)], clock)
    with pytest.raises(ConnectorError) as caught:
        client.request("POST", URL, data={"message": "Tack!"})
    assert caught.value.status == 500
    assert len(seen) == 1


def test_gives_up_after_the_last_attempt() -> None:
    clock = Clock()
    client, seen = client_for([httpx.Response(503)] * 3, clock, attempts=3)
    with pytest.raises(ConnectorError) as caught:
        client.request("GET", URL)
    assert caught.value.status == 503
    assert len(seen) == 3


def test_read_timeouts_are_retried_for_reads() -> None:
    clock = Clock()
    client, _ = client_for([httpx.ReadTimeout("slow"), httpx.Response(200, json=[])], clock)
    assert client.json("GET", URL) == []


def test_retry_after_seconds_is_honoured() -> None:
    clock = Clock()
    client, _ = client_for(
        [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={})], clock
    )
    client.request("GET", URL)
    assert clock.slept == [7.0]


def test_x_rate_limit_reset_epoch_is_honoured() -> None:
    clock = Clock()
    reset = str(int(NOW) + 12)
    client, _ = client_for(
        [httpx.Response(429, headers={"x-rate-limit-reset": reset}), httpx.Response(200)], clock
    )
    client.request("GET", URL)
    assert clock.slept == [12.0]


def test_mastodon_iso_reset_time_is_honoured() -> None:
    clock = Clock()
    headers = {"X-RateLimit-Reset": "2025-11-17T09:00:30.000Z"}  # NOW is 09:00:00 UTC
    client, _ = client_for([httpx.Response(429, headers=headers), httpx.Response(200)], clock)
    client.request("GET", URL)
    assert clock.slept == [30.0]


def test_a_long_rate_limit_is_raised_for_the_scheduler_not_slept() -> None:
    clock = Clock()
    client, seen = client_for([httpx.Response(429, headers={"Retry-After": "900"})], clock)
    with pytest.raises(RateLimited) as caught:
        client.request("GET", URL)
    assert caught.value.retry_after == 900
    assert clock.slept == []
    assert len(seen) == 1


def test_meta_throttling_error_is_a_rate_limit() -> None:
    clock = Clock()
    body = {"error": {"message": "Application request limit reached", "code": 4}}
    usage = '{"call_count":100,"total_time":20,"total_cputime":10}'
    client, _ = client_for(
        [httpx.Response(403, json=body, headers={"X-App-Usage": usage})], clock, attempts=1
    )
    with pytest.raises(RateLimited):
        client.request("GET", URL)
    assert client.app_usage == 100


def test_meta_usage_header_is_recorded_on_success() -> None:
    clock = Clock()
    usage = '{"call_count":87,"total_time":12,"total_cputime":3}'
    client, _ = client_for([httpx.Response(200, json={}, headers={"x-app-usage": usage})], clock)
    client.request("GET", URL)
    assert client.app_usage == 87


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(401, json={"title": "Unauthorized", "detail": "Unauthorized"}),
        httpx.Response(
            400,
            json={
                "error": {
                    "message": "Session has expired",
                    "type": "OAuthException",
                    "code": 190,
                    "error_subcode": 463,
                }
            },
        ),
        httpx.Response(400, json={"error": "ExpiredToken", "message": "Token has expired"}),
    ],
    ids=["http-401", "meta-190", "bluesky-expired"],
)
def test_expired_tokens_raise_token_expired(response: httpx.Response) -> None:
    client, _ = client_for([response], Clock())
    with pytest.raises(TokenExpired):
        client.request("GET", URL, token="secret-token-value")


def test_the_token_never_appears_in_an_error() -> None:
    client, _ = client_for([httpx.Response(400, json={"error": "nope"})], Clock())
    with pytest.raises(ConnectorError) as caught:
        client.request("GET", URL, token="secret-token-value")
    assert "secret-token-value" not in str(caught.value)


def test_missing_objects_raise_not_found() -> None:
    client, _ = client_for([httpx.Response(404, json={"error": "Record not found"})], Clock())
    with pytest.raises(NotFound):
        client.request("GET", URL)


def test_token_goes_in_the_authorization_header_only() -> None:
    client, seen = client_for([httpx.Response(200)], Clock())
    client.request("GET", URL, token="abc", params={"q": "x"})
    assert seen[0].headers["Authorization"] == "Bearer abc"
    assert "abc" not in str(seen[0].url)


def test_timeouts_are_explicit() -> None:
    client = HttpClient(platform="test")
    timeout = client._client.timeout
    assert timeout.connect == 5.0 and timeout.read == 20.0
