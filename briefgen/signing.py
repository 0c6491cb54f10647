"""Signing: a briefing's PDF signed with the desk's key (PAdES B-B, through pyHanko).

The inputs digest a PDF prints is a checksum: anyone who changes a sheet can
recompute it. A signature says who issued the file. `build --sign KEY.p12`
loads and checks the key before anything renders (a wrong password or a key
not meant for signing stops the build with nothing written), and signs each
PDF in memory before the all-or-none write. The signature is an incremental
update appended to the PDF exactly as an unsigned build writes it, so the
bytes before it stay reproducible and the PDF/A-3b or PDF/UA-1 claim holds.

pyHanko is imported inside the functions, so builds that do not sign never
load it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The password of the key, when it is not asked on the terminal.
PASSWORD_VARIABLE = "BRIEFGEN_SIGN_PASSWORD"
FIELD_NAME = "Signature"


class SigningError(Exception):
    """The key cannot sign; the message says why, in the analyst's words."""


@dataclass(frozen=True, eq=False)
class SigningKey:
    """A PKCS#12 key, opened and checked, ready to sign."""

    signer: Any  # pyhanko.sign.signers.SimpleSigner
    common_name: str  # of the signing certificate
    fingerprint: str  # SHA-256 of the certificate: part of a signed PDF's cache key

    def sign(self, pdf: bytes) -> bytes:
        """`pdf` with a PAdES B-B signature appended as an incremental update."""
        from pyhanko.sign import fields, signers

        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        # Printed (PDF/A forbids hidden annotations) and outside the page (PDF/UA asks
        # an untagged annotation inside the page to be hidden): valid in both variants.
        invisible = fields.InvisSigSettings(set_print_flag=True, box_out_of_bounds=True)
        field = fields.SigFieldSpec(FIELD_NAME, invis_sig_settings=invisible)
        signer = signers.PdfSigner(metadata, signer=self.signer, new_field_spec=field)
        output = signer.sign_pdf(_writer_class()(io.BytesIO(pdf)), output=io.BytesIO())
        return bytes(output.getvalue())


def _writer_class() -> Any:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class MetadataKeeping(IncrementalPdfFileWriter):
        """Leaves the document information and XMP metadata as WeasyPrint wrote them.

        pyHanko would otherwise rewrite both with its own producer and the time of
        signing, and not alike (the XMP would name only pyHanko), which breaks
        PDF/A's rule that the two agree. The signing time is in the signature.
        """

        def _update_meta(self) -> None:
            pass

    return MetadataKeeping


def load_signing_key(path: Path, password: str, now: dt.datetime | None = None) -> SigningKey:
    """Open the PKCS#12 file at `path` and check that its certificate may sign `now`.

    Raises SigningError when the file cannot be read, is not PKCS#12, the
    password does not open it, it holds no key and certificate, or the
    certificate has expired, is not yet valid or is not meant for signing.
    """
    from asn1crypto import pkcs12 as asn1_pkcs12
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner

    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningError(f"cannot read {path.name}: {error.strerror}") from error
    try:
        asn1_pkcs12.Pfx.load(data, strict=True).native  # noqa: B018 - parses it all
    except (ValueError, TypeError) as error:
        raise SigningError(f"{path.name} is not a PKCS#12 key file (.p12 or .pfx)") from error
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, password.encode())
    except ValueError as error:
        raise SigningError(f"the password does not open {path.name}") from error
    if key is None or cert is None:
        raise SigningError(f"{path.name} holds no private key with its certificate")
    name = _common_name(cert) or path.name
    now = now or dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        raise SigningError(
            f"the certificate of {name} expired on {cert.not_valid_after_utc:%Y-%m-%d}"
        )
    if cert.not_valid_before_utc > now:
        raise SigningError(
            f"the certificate of {name} is valid only from {cert.not_valid_before_utc:%Y-%m-%d}"
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None  # no key usage: the certificate is not restricted
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SigningError(
            f"the certificate of {name} is not meant for signing: its key usage "
            f"allows {_usages(usage)}, not digitalSignature or nonRepudiation"
        )
    signer = SimpleSigner.load_pkcs12_data(data, (), password.encode())
    return SigningKey(signer, name, cert.fingerprint(hashes.SHA256()).hex())


def _common_name(cert: Any) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


_USAGES = {
    "key_encipherment": "keyEncipherment",
    "data_encipherment": "dataEncipherment",
    "key_agreement": "keyAgreement",
    "key_cert_sign": "keyCertSign",
    "crl_sign": "cRLSign",
}


def _usages(usage: Any) -> str:
    named = [word for attribute, word in _USAGES.items() if getattr(usage, attribute)]
    return " and ".join(named) or "nothing"
