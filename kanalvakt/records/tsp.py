"""RFC 3161 time-stamp protocol: the request, the response, and checking a token.

Built on `asn1crypto` (its `tsp` and `cms` modules describe the structures)
and `cryptography` (signatures and certificates). `rfc3161ng` was considered:
it posts with `requests` on its own, past the outbound guard and the pinned
connection, and parses with `pyasn1`; asn1crypto has no dependencies and
leaves the HTTP exchange to us.

A token is checked without the database: the message imprint must be the
SHA-256 of the checkpoint's statement, the nonce the one asked for, the
`content-type` and `message-digest` signed attributes must match the TSTInfo,
the SignerInfo's signature must verify under the certificate it names, and
(when trusted certificates are given) that certificate must be one of them or
issued by one of them, with extended key usage `timeStamping`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from asn1crypto import algos, cms, core, tsp  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class TimeStampResp(core.Sequence):  # type: ignore[misc]
    """RFC 3161's TimeStampResp, whose token is absent when the request is refused
    (asn1crypto's own `tsp.TimeStampResp` requires it)."""

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


class TimestampInvalid(ValueError):
    """The token (or the authority's answer) does not hold; the message says why, in Swedish."""


@dataclass(frozen=True)
class Stamp:
    """What a valid token says."""

    gen_time: datetime.datetime
    serial: int
    nonce: int | None
    tsa_name: str
    certificate: x509.Certificate
    trusted: bool
    """The signing certificate is one of the trusted ones or issued by one."""


def imprint(message: bytes) -> bytes:
    return hashlib.sha256(message).digest()


def new_nonce() -> int:
    return secrets.randbits(63)


def request_der(message: bytes, nonce: int) -> bytes:
    """A TimeStampReq for the SHA-256 of `message`, with a nonce, asking for the certificate."""
    return bytes(
        tsp.TimeStampReq(
            {
                "version": "v1",
                "message_imprint": tsp.MessageImprint(
                    {
                        "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                        "hashed_message": imprint(message),
                    }
                ),
                "nonce": nonce,
                "cert_req": True,
            }
        ).dump()
    )


def token_from_response(der: bytes) -> bytes:
    """The TimeStampToken (DER) of a TimeStampResp, or `TimestampInvalid` with the refusal."""
    try:
        response = TimeStampResp.load(der)
        status = response["status"]["status"].native
        text = response["status"]["status_string"].native
    except (ValueError, TypeError, KeyError) as error:
        raise TimestampInvalid(f"svaret är inget RFC 3161-svar ({error})") from error
    if status not in ("granted", "granted_with_mods"):
        detail = " ".join(text or [])
        raise TimestampInvalid(f"tidsstämpelservern avböjde ({status}: {detail})")
    token = response["time_stamp_token"]
    if not isinstance(token, cms.ContentInfo):
        raise TimestampInvalid("svaret saknar tidsstämpel")
    return bytes(token.dump())


def _load(token_der: bytes) -> tuple[cms.SignedData, tsp.TSTInfo, bytes]:
    try:
        info = cms.ContentInfo.load(token_der)
        if info["content_type"].native != "signed_data":
            raise TimestampInvalid("tidsstämpeln är inte signerad data")
        signed = info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise TimestampInvalid("tidsstämpeln innehåller ingen TSTInfo")
        tst_der = bytes(encap["content"].contents)
        tst = tsp.TSTInfo.load(tst_der)
        tst.native  # noqa: B018 - parse it all now, so a broken token fails here
    except TimestampInvalid:
        raise
    except (ValueError, TypeError, KeyError) as error:
        raise TimestampInvalid(f"tidsstämpeln går inte att läsa ({error})") from error
    return signed, tst, tst_der


def _signer_certificate(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate:
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.issuer == wanted["issuer"]
                and cert.serial_number == wanted["serial_number"].native
            ):
                return x509.load_der_x509_certificate(cert.dump())
        elif sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
            return x509.load_der_x509_certificate(cert.dump())
    raise TimestampInvalid("tidsstämpeln saknar tidsstämpelserverns certifikat")


def _attribute(signer: cms.SignerInfo, name: str) -> object:
    for attribute in signer["signed_attrs"]:
        if attribute["type"].native == name:
            return attribute["values"][0].native
    raise TimestampInvalid(f"tidsstämpeln saknar det signerade attributet {name}")


def _check_signing_certificate(signer: cms.SignerInfo, certificate: x509.Certificate) -> None:
    """RFC 3161 binds the signer's certificate into the signed attributes (ESS, RFC 5035):
    the token cannot be re-signed under another certificate of the same key."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    for attribute in signer["signed_attrs"]:
        name = attribute["type"].native
        if name not in ("signing_certificate_v2", "signing_certificate"):
            continue
        first = attribute["values"][0]["certs"][0]
        if name == "signing_certificate":
            expected = hashlib.sha1(der).digest()  # noqa: S324 - RFC 2634's ESSCertID is SHA-1
        else:
            algorithm = _HASHES.get(first["hash_algorithm"]["algorithm"].native)
            if algorithm is None:
                raise TimestampInvalid("tidsstämpeln använder en okänd hashfunktion")
            digest = hashes.Hash(algorithm())
            digest.update(der)
            expected = digest.finalize()
        if bytes(first["cert_hash"].native) != expected:
            raise TimestampInvalid(
                "tidsstämpeln är inte bunden till tidsstämpelserverns certifikat"
            )
        return
    raise TimestampInvalid("tidsstämpeln saknar det signerade attributet signing_certificate")


def _verify_signature(certificate: x509.Certificate, signer: cms.SignerInfo) -> None:
    algorithm = _HASHES.get(signer["digest_algorithm"]["algorithm"].native)
    if algorithm is None:
        raise TimestampInvalid("tidsstämpeln använder en okänd hashfunktion")
    signed_attrs = bytearray(signer["signed_attrs"].dump())
    signed_attrs[0] = 0x31  # signed as a SET OF, stored as [0] IMPLICIT
    signature = bytes(signer["signature"].native)
    key = certificate.public_key()
    named = signer["signature_algorithm"]
    kind = named.signature_algo
    if kind not in ("ecdsa", "rsassa_pkcs1v15") or (
        kind != "ecdsa" if isinstance(key, ec.EllipticCurvePublicKey) else kind == "ecdsa"
    ):
        raise TimestampInvalid("tidsstämpelns signaturalgoritm passar inte nyckeln")
    if named["algorithm"].native not in ("ecdsa", "rsassa_pkcs1v15") and (
        named.hash_algo != signer["digest_algorithm"]["algorithm"].native
    ):
        raise TimestampInvalid("tidsstämpelns signaturalgoritm passar inte hashfunktionen")
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, bytes(signed_attrs), ec.ECDSA(algorithm()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, bytes(signed_attrs), padding.PKCS1v15(), algorithm())
        else:
            raise TimestampInvalid("tidsstämpelserverns nyckeltyp stöds inte")
    except InvalidSignature as error:
        raise TimestampInvalid("tidsstämpelns signatur stämmer inte") from error


def _trusted(certificate: x509.Certificate, roots: list[x509.Certificate]) -> bool:
    """The TSA's certificate is a trusted one, or was issued by one, and may stamp time."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    if ExtendedKeyUsageOID.TIME_STAMPING not in usage:
        return False
    for root in roots:
        if root == certificate:
            return True
        try:
            certificate.verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False


def verify_token(
    token_der: bytes,
    message: bytes,
    *,
    nonce: int | None,
    roots: list[x509.Certificate],
) -> Stamp:
    """Check a TimeStampToken over `message`; raise `TimestampInvalid` naming what fails."""
    try:
        return _verify(token_der, message, nonce=nonce, roots=roots)
    except TimestampInvalid:
        raise
    except Exception as error:  # noqa: BLE001 - hostile bytes may fail anywhere in the parsers
        raise TimestampInvalid(f"tidsstämpeln går inte att läsa ({error})") from error


def _verify(
    token_der: bytes, message: bytes, *, nonce: int | None, roots: list[x509.Certificate]
) -> Stamp:
    signed, tst, tst_der = _load(token_der)
    hashed = tst["message_imprint"]
    if hashed["hash_algorithm"]["algorithm"].native != "sha256":
        raise TimestampInvalid("tidsstämpeln gäller inte en SHA-256-summa")
    if bytes(hashed["hashed_message"].native) != imprint(message):
        raise TimestampInvalid("tidsstämpeln gäller andra uppgifter (fel kontrollsumma)")
    token_nonce = tst["nonce"].native
    if nonce is not None and token_nonce != nonce:
        raise TimestampInvalid("tidsstämpelns nonce är inte den som begärdes")
    signers = list(signed["signer_infos"])
    if len(signers) != 1:
        raise TimestampInvalid("tidsstämpeln ska ha exakt en signatur")
    signer = signers[0]
    if _attribute(signer, "content_type") != "tst_info":
        raise TimestampInvalid("tidsstämpelns signerade innehållstyp är fel")
    algorithm = _HASHES.get(signer["digest_algorithm"]["algorithm"].native)
    if algorithm is None:
        raise TimestampInvalid("tidsstämpeln använder en okänd hashfunktion")
    declared = {item["algorithm"].native for item in signed["digest_algorithms"]}
    if signer["digest_algorithm"]["algorithm"].native not in declared:
        raise TimestampInvalid("tidsstämpelns hashfunktioner stämmer inte med signaturen")
    digest = hashes.Hash(algorithm())
    digest.update(tst_der)
    if _attribute(signer, "message_digest") != digest.finalize():
        raise TimestampInvalid("tidsstämpelns innehåll har ändrats efter signeringen")
    certificate = _signer_certificate(signed, signer)
    _check_signing_certificate(signer, certificate)
    _verify_signature(certificate, signer)
    trusted = _trusted(certificate, roots)
    if roots and not trusted:
        raise TimestampInvalid("tidsstämpelserverns certifikat är inte betrott")
    return Stamp(
        gen_time=tst["gen_time"].native,
        serial=int(tst["serial_number"].native),
        nonce=token_nonce,
        tsa_name=certificate.subject.rfc4514_string(),
        certificate=certificate,
        trusted=trusted,
    )


def load_roots(pem: bytes) -> list[x509.Certificate]:
    """Trusted CA or TSA certificates from a PEM bundle."""
    return x509.load_pem_x509_certificates(pem) if pem.strip() else []
