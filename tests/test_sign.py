"""`briefgen build --sign KEY.p12`: each PDF signed (PAdES B-B) as an incremental update,
or, when the key cannot sign, nothing written at all."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from pathlib import Path

import pytest
from helpers import (
    SigningFiles,
    make_signing_key,
    minimal_project,
    require_tool,
    run,
    write_tree,
)
from pypdf import PdfReader

from briefgen.signing import PASSWORD_VARIABLE


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A project with an earlier build's files in output/ and editions/."""
    root = minimal_project(tmp_path / "desk")
    return write_tree(
        root,
        {"output/brief.pdf": b"%PDF- the last good build", "editions/brief/2024-11-25.json": "{}"},
    )


def _refused(
    desk: Path, key: Path, password: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, password)
    before = _tree(desk)
    result = run("build", "--project", desk, "--sign", key)
    assert result.exit_code == 1
    assert result.stderr == f"briefgen: cannot sign: {message}; nothing was written\n"
    assert result.stdout == ""
    assert _tree(desk) == before


def test_a_wrong_password_writes_nothing(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_signing_key(tmp_path / "key")
    _refused(desk, key.p12, "not it", "the password does not open key.p12", monkeypatch)


def test_a_certificate_only_for_encipherment_is_refused(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_signing_key(tmp_path / "key", usage=("key_encipherment",))
    message = (
        "the certificate of Desk Signer is not meant for signing: its key usage allows "
        "keyEncipherment, not digitalSignature or nonRepudiation"
    )
    _refused(desk, key.p12, key.password, message, monkeypatch)


def test_an_expired_certificate_is_refused(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    key = make_signing_key(tmp_path / "key", days=(-30, -1))
    expired = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    message = f"the certificate of Desk Signer expired on {expired:%Y-%m-%d}"
    _refused(desk, key.p12, key.password, message, monkeypatch)


def test_a_file_that_is_not_pkcs12_is_refused(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_signing_key(tmp_path / "key")
    message = "root.pem is not a PKCS#12 key file (.p12 or .pfx)"
    _refused(desk, key.root, key.password, message, monkeypatch)


def test_no_password_and_no_terminal_is_a_clear_error(
    desk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    key = make_signing_key(tmp_path / "key")
    before = _tree(desk)
    result = run("build", "--project", desk, "--sign", key.p12)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --sign needs the password of key.p12: set {PASSWORD_VARIABLE}, "
        "or run briefgen on a terminal to be asked\n"
    )
    assert _tree(desk) == before


def _validate(pdf: bytes, key: SigningFiles) -> object:
    """pyHanko's own validation of the one signature, trusting only the test root."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _, _, der = pem.unarmor(key.root.read_bytes())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)], allow_fetching=False)
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return validate_pdf_signature(signature, context)


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3b"])
def test_a_signed_build_is_the_unsigned_pdf_with_a_valid_signature_appended(
    variant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    root = minimal_project(tmp_path / "desk")
    key = make_signing_key(tmp_path / "key")
    monkeypatch.setenv(PASSWORD_VARIABLE, key.password)
    build = ("build", "--project", root, "--format", "pdf", "--pdf-variant", variant)
    assert run(*build).exit_code == 0
    pdf = root / "output/brief.pdf"
    unsigned = pdf.read_bytes()

    signed_run = run(*build, "--sign", key.p12)
    assert signed_run.exit_code == 0, signed_run.output
    assert signed_run.stdout == "output/brief.pdf\n"  # not up to date: unsigned before
    signed = pdf.read_bytes()
    # Byte-identical apart from the signature: an incremental update after the same bytes.
    assert len(signed) > len(unsigned)
    assert signed[: len(unsigned)] == unsigned

    status = _validate(signed, key)
    assert status.intact and status.valid and status.trusted  # type: ignore[attr-defined]
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE  # type: ignore[attr-defined]
    assert status.signing_cert.subject.native["common_name"] == "Desk Signer"  # type: ignore[attr-defined]
    checked = subprocess.run(
        [require_tool("qpdf", "qpdf"), "--check", pdf], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors found" in checked.stdout

    # The variant's claim stands: the metadata (XMP and document information) is
    # WeasyPrint's, untouched, and the signature's widget is printed and off the page.
    before, after = PdfReader(io.BytesIO(unsigned)), PdfReader(io.BytesIO(signed))
    assert after.metadata == before.metadata
    xmp = after.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert xmp == before.trailer["/Root"]["/Metadata"].get_object().get_data()
    claim = b'pdfaid:part="3"' if variant == "pdf/a-3b" else b'pdfuaid:part="1"'
    assert claim in xmp
    (widget,) = [
        a.get_object() for a in after.pages[0]["/Annots"] if a.get_object()["/Subtype"] == "/Widget"
    ]
    assert widget["/F"] & 4 and not widget["/F"] & 2  # Print set, Hidden not
    page_box = [float(n) for n in after.pages[0].mediabox]
    assert all(float(n) < page_box[0] for n in widget["/Rect"])

    # The edition record and the cache hold the file as written: signed.
    record = json.loads((root / "editions/brief/2024-11-25.json").read_text())
    assert record["outputs"]["output/brief.pdf"]["sha256"] == hashlib.sha256(signed).hexdigest()

    # Signed and unsigned builds never take each other's PDF as up to date.
    again = run(*build, "--sign", key.p12)
    assert again.stderr == "up to date: output/brief.pdf\n"
    unsigned_run = run(*build)
    assert unsigned_run.stdout == "output/brief.pdf\n"
    assert pdf.read_bytes() == unsigned
