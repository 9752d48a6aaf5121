"""A certificate authority of the tests' own, made with `cryptography`, and TLS servers on loopback.

Used by the pinned-fetch tests (TLS with a host name's certificate on 127.0.0.1,
a stand-in resolver for the outbound guard) and by the local time-stamping
authority in `kanalvakt/records/tests/tsa.py`.
"""

from __future__ import annotations

import datetime
import http.server
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kanalvakt.lib import netguard, pinned

_DAY = datetime.timedelta(days=1)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kanalvakt test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class Issued:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


@dataclass
class LocalCA:
    """A root that signs server certificates and time-stamping certificates."""

    root: Issued = field(init=False)

    def __post_init__(self) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name("Kanalvakt test CA"))
            .issuer_name(_name("Kanalvakt test CA"))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _DAY)
            .not_valid_after(now + 30 * _DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256())
        )
        self.root = Issued(key, cert)

    def issue(self, common_name: str, *, dns: str = "", time_stamping: bool = False) -> Issued:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.root.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _DAY)
            .not_valid_after(now + 30 * _DAY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root.key.public_key()),
                False,
            )
        )
        if dns:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(dns)]), critical=False
            )
        if time_stamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
        return Issued(key, builder.sign(self.root.key, hashes.SHA256()))

    def write_root(self, path: Path) -> Path:
        path.write_bytes(self.root.cert_pem())
        return path

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts only this root (and checks host names)."""
        context = ssl.create_default_context(cadata=self.root.cert_pem().decode())
        return context


Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class LoopbackServer:
    """An HTTP(S) server on 127.0.0.1 that counts every TCP connection it accepts."""

    server: http.server.ThreadingHTTPServer
    connections: list[str]

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(
    respond: Handler, *, tls: Issued | None = None, tmp: Path | None = None
) -> LoopbackServer:
    """Serve GET and POST with `respond` on loopback; with `tls`, over TLS with that certificate."""
    connections: list[str] = []

    class RequestHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            respond(self)

        def do_POST(self) -> None:  # noqa: N802
            respond(self)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    context: ssl.SSLContext | None = None
    if tls is not None:
        assert tmp is not None, "a TLS server needs a directory for its key files"
        cert_file, key_file = tmp / "server-cert.pem", tmp / "server-key.pem"
        cert_file.write_bytes(tls.cert_pem())
        key_file.write_bytes(tls.key_pem())
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)

    class CountingServer(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def get_request(self) -> tuple[socket.socket, Any]:
            connection, address = self.socket.accept()
            connections.append(str(address))  # counted before any TLS handshake
            if context is not None:
                connection = context.wrap_socket(connection, server_side=True)
            return connection, address

    server = CountingServer(("127.0.0.1", 0), RequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LoopbackServer(server, connections)


def send(
    request: http.server.BaseHTTPRequestHandler,
    body: bytes,
    content_type: str,
    status: int = 200,
) -> None:
    """Answer `request` with `body`, its type and its length."""
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


Pages = dict[str, tuple[int, str]]


def pages(table: Pages, hits: list[str] | None = None) -> Handler:
    """A responder for `serve` that answers each path (its query aside) from `table`:
    (status, body), where a redirect's body is its Location; any other path is a 404.
    Every path asked for is appended to `hits`."""

    def respond(request: http.server.BaseHTTPRequestHandler) -> None:
        if hits is not None:
            hits.append(request.path)
        status, body = table.get(request.path.split("?")[0], (404, "saknas"))
        if status in (301, 302):
            request.send_response(status)
            request.send_header("Location", body)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        kind = "text/css" if request.path.endswith(".css") else "text/html; charset=utf-8"
        send(request, body.encode(), kind, status)

    return respond


@contextmanager
def trusted_ca() -> Iterator[LocalCA]:
    """A new test CA that the pinned clients trust until the block ends."""
    authority = LocalCA()
    previous = pinned.set_tls_context(authority.client_context())
    try:
        yield authority
    finally:
        pinned.set_tls_context(previous)


Answers = dict[str, list[list[str]]]


def in_turn(answers: Answers, otherwise: netguard.Resolver) -> netguard.Resolver:
    """A resolver that gives each name in `answers` its answers in turn (the last one
    from then on), and asks `otherwise` about every other name."""
    calls: dict[str, int] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            return otherwise(host, port)
        turn = calls.get(host, 0)
        calls[host] = turn + 1
        return answers[host][min(turn, len(answers[host]) - 1)]

    return resolve


@contextmanager
def stub_resolver(
    otherwise: netguard.Resolver | None = None,
) -> Iterator[Callable[[Answers], None]]:
    """Yield `use(answers)`, which makes the guard resolve names `in_turn`; names not in
    `answers` go to `otherwise` (by default the resolver from before the block)."""
    previous = netguard._resolver

    def use(answers: Answers) -> None:
        netguard.set_resolver(in_turn(answers, otherwise or previous))

    try:
        yield use
    finally:
        netguard.set_resolver(previous)
