"""A real RFC 3161 time-stamping authority on loopback, for tests.

It reads the TimeStampReq it is posted, and answers a TimeStampResp whose
token is CMS SignedData over a TSTInfo, signed with ECDSA by a time-stamping
certificate from a CA the test makes (`kanalvakt.lib.tests.testca`). `mode`
makes it misbehave the way a broken or hostile authority would.
"""

from __future__ import annotations

import datetime
import hashlib
import http.server
import itertools
from dataclasses import dataclass, field
from typing import Literal

from asn1crypto import algos, cms, core, tsp  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kanalvakt.lib.tests.testca import Issued, LocalCA, LoopbackServer, send, serve
from kanalvakt.records.tsp import TimeStampResp

Mode = Literal["good", "wrong_imprint", "wrong_nonce", "refuse", "down", "garbage"]
_serials = itertools.count(1)


@dataclass
class LocalTSA:
    ca: LocalCA
    signer: Issued
    server: LoopbackServer | None = None
    mode: Mode = "good"
    requests: list[tsp.TimeStampReq] = field(default_factory=list)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}/tsa"

    @property
    def host(self) -> str:
        assert self.server is not None
        return f"127.0.0.1:{self.server.port}"

    def respond(self, request: http.server.BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length)
        if self.mode == "down":
            send(request, b"Service Unavailable", "text/plain", status=503)
            return
        if self.mode == "garbage":
            send(request, b"not asn.1", "application/timestamp-reply")
            return
        query = tsp.TimeStampReq.load(body)
        self.requests.append(query)
        send(request, self.answer(query), "application/timestamp-reply")

    def answer(self, query: tsp.TimeStampReq) -> bytes:
        if self.mode == "refuse":
            status = tsp.PKIStatusInfo({"status": "rejection", "status_string": ["busy"]})
            return bytes(TimeStampResp({"status": status}).dump())
        imprint = query["message_imprint"]
        if self.mode == "wrong_imprint":
            imprint = tsp.MessageImprint(
                {
                    "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                    "hashed_message": hashlib.sha256(b"something else").digest(),
                }
            )
        nonce = query["nonce"].native
        if self.mode == "wrong_nonce" and nonce is not None:
            nonce += 1
        token = self.token(imprint, nonce, with_certificate=bool(query["cert_req"].native))
        status = tsp.PKIStatusInfo({"status": "granted"})
        return bytes(tsp.TimeStampResp({"status": status, "time_stamp_token": token}).dump())

    def token(
        self, imprint: tsp.MessageImprint, nonce: int | None, *, with_certificate: bool
    ) -> cms.ContentInfo:
        tst = tsp.TSTInfo(
            {
                "version": "v1",
                "policy": "1.3.6.1.4.1.99999.1",
                "message_imprint": imprint,
                "serial_number": next(_serials),
                "gen_time": datetime.datetime.now(datetime.UTC).replace(microsecond=0),
                "nonce": nonce,
            }
        )
        tst_der = tst.dump()
        certificate = asn1_x509.Certificate.load(
            self.signer.cert.public_bytes(serialization.Encoding.DER)
        )
        signed_attrs = cms.CMSAttributes(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
                cms.CMSAttribute(
                    {"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]}
                ),
                cms.CMSAttribute(
                    {
                        "type": "signing_certificate_v2",
                        "values": [
                            tsp.SigningCertificateV2(
                                {
                                    "certs": [
                                        tsp.ESSCertIDv2(
                                            {
                                                "cert_hash": hashlib.sha256(
                                                    certificate.dump()
                                                ).digest()
                                            }
                                        )
                                    ]
                                }
                            )
                        ],
                    }
                ),
            ]
        )
        key = self.signer.key
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        signature = key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                            {
                                "issuer": certificate.issuer,
                                "serial_number": certificate.serial_number,
                            }
                        )
                    }
                ),
                "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "signed_attrs": signed_attrs,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
                "signature": signature,
            }
        )
        signed = {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(tst_der),
            },
            "signer_infos": [signer_info],
        }
        if with_certificate:
            signed["certificates"] = [certificate]
        return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed)})


def start_tsa(ca: LocalCA | None = None) -> LocalTSA:
    authority = ca or LocalCA()
    tsa = LocalTSA(ca=authority, signer=authority.issue("Kanalvakt test TSA", time_stamping=True))
    tsa.server = serve(tsa.respond)
    return tsa
