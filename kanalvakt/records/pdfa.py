"""PDF to PDF/A-2b with Ghostscript, and the checks Kanalvakt can make itself.

veraPDF (the reference validator) is not packaged for Debian and cannot be
installed here, so `pdfa_check` checks what it can: the file opens and has
pages (pypdf), its XMP metadata declares PDF/A part 2 (`pdfaid:part`), and it
carries an sRGB output intent. That is evidence, not a conformance proof.
"""

from __future__ import annotations

import io
import shutil
import subprocess  # noqa: S404 - Ghostscript is run with fixed arguments
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf

ICC_CANDIDATES = (
    Path("/usr/share/color/icc/ghostscript/srgb.icc"),
    Path("/usr/share/color/icc/sRGB.icc"),
)

_DEF = """%!
[ /Title ({title}) /DOCINFO pdfmark
/ICCProfile ({icc}) def
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} << /N 3 >> /PUT pdfmark
[{{icc_PDFA}} ICCProfile (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} <<
  /Type /OutputIntent
  /S /GTS_PDFA1
  /DestOutputProfile {{icc_PDFA}}
  /OutputConditionIdentifier (sRGB)
>> /PUT pdfmark
[{{Catalog}} <</OutputIntents [ {{OutputIntent_PDFA}} ]>> /PUT pdfmark
"""


class PdfaError(RuntimeError):
    pass


def _icc() -> Path:
    for path in ICC_CANDIDATES:
        if path.exists():
            return path
    raise PdfaError("Ingen sRGB-ICC-profil hittades (Debian-paketet ghostscript).")


def _ps_string(text: str) -> str:
    safe = "".join(ch for ch in text if ch.isprintable() and ord(ch) < 128)
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")[:200]


def pdf_to_pdfa(pdf: bytes, *, title: str = "Kanalvakt") -> bytes:
    """Convert to PDF/A-2b with Ghostscript (Debian package `ghostscript`)."""
    gs = shutil.which("gs")
    if gs is None:
        raise PdfaError("Ghostscript (gs) saknas.")
    icc = _icc()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "in.pdf").write_bytes(pdf)
        (directory / "PDFA_def.ps").write_text(
            _DEF.format(title=_ps_string(title), icc=str(icc)), encoding="ascii"
        )
        result = subprocess.run(  # noqa: S603
            [
                gs,
                "-q",
                "-dPDFA=2",
                "-dBATCH",
                "-dNOPAUSE",
                "-dPDFACompatibilityPolicy=1",
                "-sColorConversionStrategy=RGB",
                "-sDEVICE=pdfwrite",
                f"--permit-file-read={icc.parent}/",
                f"-sOutputFile={directory / 'out.pdf'}",
                str(directory / "PDFA_def.ps"),
                str(directory / "in.pdf"),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        out = directory / "out.pdf"
        if result.returncode != 0 or not out.exists():
            raise PdfaError(result.stderr.decode(errors="replace")[-2000:] or "gs failed")
        return out.read_bytes()


@dataclass(frozen=True)
class PdfaReport:
    ok: bool
    pages: int
    findings: list[str]

    def text(self) -> str:
        verdict = "godkänd" if self.ok else "underkänd"
        lines = [f"PDF/A-kontroll {verdict} ({self.pages} sidor).", *self.findings]
        lines.append("veraPDF finns inte i Debian; kontrollen är Kanalvakts egen.")
        return "\n".join(lines)


def pdfa_check(data: bytes) -> PdfaReport:
    findings: list[str] = []
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
    except Exception as error:  # noqa: BLE001 - any parse failure means it does not open
        return PdfaReport(False, 0, [f"Filen öppnas inte: {error}"])
    if pages < 1:
        findings.append("Filen har inga sidor.")
    root: Any = reader.trailer["/Root"]
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data().decode("utf-8", "replace") if metadata else ""
    part_ok = "pdfaid:part='2'" in xmp or 'pdfaid:part="2"' in xmp or "<pdfaid:part>2<" in xmp
    findings.append(
        "XMP anger PDF/A-2." if part_ok else "XMP saknar PDF/A-identifiering (pdfaid:part=2)."
    )
    intents = root.get("/OutputIntents")
    intent_ok = bool(intents) and any(
        intent.get_object().get("/S") == "/GTS_PDFA1" for intent in intents
    )
    findings.append(
        "sRGB-utdataavsikt finns." if intent_ok else "Utdataavsikt (OutputIntent) saknas."
    )
    return PdfaReport(pages >= 1 and part_ok and intent_ok, pages, findings)
