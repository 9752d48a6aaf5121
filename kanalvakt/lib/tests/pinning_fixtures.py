"""Fixtures for the tests of pinned outbound calls (`kanalvakt.lib.pinned` and the
connectors' `HttpClient`): a test CA the clients trust, loopback servers that stop
after the test, and answers of the guard's resolver per name.

A tests folder takes them into its `conftest.py` by importing them (listed in
`__all__`); the CA, servers and resolver themselves are in `testca.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

from kanalvakt.lib.tests.testca import (
    Answers,
    Handler,
    Issued,
    LocalCA,
    LoopbackServer,
    serve,
    stub_resolver,
    trusted_ca,
)

__all__ = ["Allow", "Loopback", "SetAnswers", "allow", "answers", "ca", "loopback"]

SetAnswers = Callable[[Answers], None]


class Loopback(Protocol):
    def __call__(self, respond: Handler, *, tls: Issued | None = None) -> LoopbackServer: ...


class Allow(Protocol):
    def __call__(self, host: str, server: LoopbackServer, *lookups: list[str]) -> str: ...


@pytest.fixture
def ca() -> Iterator[LocalCA]:
    """A new test CA that the pinned clients trust for the test."""
    with trusted_ca() as authority:
        yield authority


@pytest.fixture
def answers() -> Iterator[SetAnswers]:
    """`answers({name: [lookup, ...]})`: the guard's resolver gives each name its lookups
    in turn (the last one from then on); other names resolve as before the test."""
    with stub_resolver() as use:
        yield use


@pytest.fixture
def loopback(tmp_path: Path) -> Iterator[Loopback]:
    """`loopback(respond, tls=certificate)`: an HTTP(S) server on 127.0.0.1 that counts
    its connections; every server started is stopped after the test."""
    servers: list[LoopbackServer] = []

    def start(respond: Handler, *, tls: Issued | None = None) -> LoopbackServer:
        tmp = tmp_path / f"server-{len(servers)}"
        tmp.mkdir()
        server = serve(respond, tls=tls, tmp=tmp)
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        server.stop()


@pytest.fixture
def allow(settings: Any, answers: SetAnswers) -> Allow:
    """`allow(host, server, *lookups)`: the guard lets `host` through on the server's
    port (and nothing else); with `lookups`, `host` resolves to them in turn. Returns
    `host:port`."""

    def _allow(host: str, server: LoopbackServer, *lookups: list[str]) -> str:
        netloc = f"{host}:{server.port}"
        settings.OUTBOUND_ALLOW_HOSTS = [netloc]
        if lookups:
            answers({host: list(lookups)})
        return netloc

    return _allow
