"""Verifying: is a briefing's PDF the file briefgen made, and who signed it?

Three questions, each answered by findings worded for the analyst:

- Do its attachments give the inputs digest it names? The digest computed
  from the attached files must be the one their descriptions name AND the one
  its pages print: a sheet swapped with the descriptions recomputed still
  leaves the old digest on the pages. The digest is a checksum, not proof of
  origin: anyone can recompute it.
- In a project, is the file byte for byte one an edition record holds
  (`editions/<id>/<edition>.json`), and which briefing and edition is it?
- If it is signed, by whom and when, is the signature cryptographically
  valid, and does it cover the whole file? Whether to trust the signer's
  certificate is the reader's call; with trust roots given, whether it chains
  to one of them.

Nothing here writes, and nothing reaches the network.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import BuildError
from .load import CONFIG_NAME
from .paths import inside
from .records import EDITIONS_DIR, read_bounded
from .unpack import UnpackError, matching_briefing, read_inputs

Verdict = Literal["ok", "FAILED", "note"]

# How the pages print the digest: the footer's "Inputs <digest>", the cover's
# "Inputs" entry and the colophon's "inputs digest <digest>" (templates/).
_PRINTED = re.compile(r"\binputs(?: digest)?\s*([0-9a-f]{12})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One line of the answer: `ok` holds, `FAILED` does not, a `note` says what was
    not or cannot be checked."""

    verdict: Verdict
    text: str

    def __str__(self) -> str:
        return f"{self.verdict}: {self.text}"


def project_here(folder: Path) -> Path | None:
    """`folder` if it holds a briefgen project (its briefgen.yaml), else None."""
    return folder if (folder / CONFIG_NAME).is_file() else None


def verify_pdf(pdf: Path, project: Path | None = None, trust: Sequence[Path] = ()) -> list[Finding]:
    """Every finding about `pdf`: its inputs digest, its edition record (when
    `project` is given) and its signatures (checked against the certificates in
    `trust`, PEM or DER, if any). It is intact when none is FAILED."""
    try:
        data = pdf.read_bytes()
    except OSError as error:
        return [Finding("FAILED", f"cannot read {pdf.name}: {error.strerror}")]
    if b"%PDF-" not in data[:1024]:
        return [Finding("FAILED", f"{pdf.name} is not a PDF")]
    try:
        files, described = read_inputs(pdf)
    except UnpackError as error:
        return [Finding("FAILED", str(error))]
    try:
        briefing_id = matching_briefing(files, described, project)
    except BuildError as error:  # the project's templates/ leads out of it
        return [Finding("FAILED", str(error))]
    findings = [_digest(pdf, data, briefing_id, described)]
    findings += _printed(pdf, data, described) if briefing_id is not None else []
    findings.append(_record(pdf, data, project))
    findings += _signatures(pdf, data, trust)
    return findings


def _digest(pdf: Path, data: bytes, briefing_id: str | None, described: str) -> Finding:
    if briefing_id is None:
        return Finding(
            "FAILED",
            f"{pdf.name}'s attached files do not give the inputs digest their descriptions "
            f"name ({described}): a file was changed after it was made, or it was made by "
            "another version of briefgen or with templates of its own",
        )
    return Finding(
        "ok",
        f"the attached files give inputs digest {described} (briefing '{briefing_id}'), "
        "as their descriptions name it",
    )


def _printed(pdf: Path, data: bytes, digest: str) -> list[Finding]:
    """Whether every digest the pages print is `digest`, and at least one does."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    wrong: list[str] = []
    printed = 0
    try:
        for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
            found = set(_PRINTED.findall(page.extract_text()))
            printed += bool(found)
            wrong += [f"page {number} prints {other}" for other in sorted(found - {digest})]
    except (PdfReadError, KeyError, TypeError, ValueError) as error:
        return [Finding("FAILED", f"cannot read the text of {pdf.name}'s pages: {error}")]
    if wrong:
        return [
            Finding(
                "FAILED",
                f"{'; '.join(wrong)}, but the attached files give {digest}: a page or an "
                "attachment was changed after the file was made",
            )
        ]
    if not printed:
        return [Finding("FAILED", f"no page of {pdf.name} prints the inputs digest {digest}")]
    return [Finding("ok", f"the pages print the same inputs digest ({printed} pages)")]


def _record(pdf: Path, data: bytes, project: Path | None) -> Finding:
    """Which edition record holds this file's SHA-256, if any."""
    if project is None:
        return Finding(
            "note",
            "not matched with the edition records: no project here (pass --project DIR)",
        )
    sha256 = hashlib.sha256(data).hexdigest()
    folder = project / EDITIONS_DIR
    recorded: list[tuple[str, str, str]] = []  # (record, output, its sha256)
    for path in sorted(folder.glob("*/*.json")) if inside(folder, project) else []:
        try:
            record = json.loads(read_bounded(path) or b"") if inside(path, project) else {}
            outputs = record["outputs"]
            for name, entry in outputs.items():
                recorded.append((path.relative_to(project).as_posix(), name, entry["sha256"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            continue  # `briefgen validate` reports a bad record; here it only holds nothing
    for where, name, digest in recorded:
        if digest == sha256:
            record = json.loads(read_bounded(project / where) or b"")
            return Finding(
                "ok",
                f"{pdf.name} is {name} of briefing '{record.get('briefing')}', edition "
                f"{record.get('edition')}, byte for byte as {where} records it",
            )
    same_name = [(where, name) for where, name, _ in recorded if Path(name).name == pdf.name]
    hint = (
        f" ({same_name[-1][0]} records {same_name[-1][1]} with other bytes: the file was "
        "changed after it was built, or is of another build)"
        if same_name
        else ""
    )
    return Finding(
        "FAILED",
        f"{pdf.name} (SHA-256 {sha256[:16]}…) is in no edition record under {EDITIONS_DIR}/{hint}",
    )


def _signatures(pdf: Path, data: bytes, trust: Sequence[Path]) -> list[Finding]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        roots = [_certificate(path) for path in trust]
    except ValueError as error:
        return [Finding("FAILED", str(error))]
    try:
        with _quiet("pyhanko"):
            signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
            # Only the roots given: never the system's, never a fetch over the network.
            statuses = [
                validate_pdf_signature(
                    signature, ValidationContext(trust_roots=roots, allow_fetching=False)
                )
                for signature in signatures
            ]
    except Exception as error:  # a damaged file can fail pyHanko in many ways
        return [Finding("FAILED", f"cannot read {pdf.name}'s signature: {error}")]
    if not statuses:
        return [Finding("note", f"{pdf.name} is not signed: nothing says who issued it")]
    return [finding for status in statuses for finding in _signature(pdf, status, trust)]


def _signature(pdf: Path, status: Any, trust: Sequence[Path]) -> list[Finding]:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    subject = status.signing_cert.subject.native
    signer = str(subject.get("common_name") or status.signing_cert.subject.human_friendly)
    when = status.signer_reported_dt
    at = f" at {when:%Y-%m-%d %H:%M} UTC (as the signer's clock said)" if when else ""
    if not (status.intact and status.valid):
        return [
            Finding(
                "FAILED",
                f"{pdf.name} is signed by {signer}{at}, but the signature does not match "
                "the bytes it covers: the file was changed after it was signed",
            )
        ]
    findings = [Finding("ok", f"signed by {signer}{at}; the signature is cryptographically valid")]
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        findings.append(Finding("ok", "the signature covers the whole file"))
    else:
        findings.append(
            Finding(
                "FAILED",
                f"the signature by {signer} does not cover the whole file: something was "
                "added after it was signed",
            )
        )
    if not trust:
        findings.append(
            Finding(
                "note",
                f"whether to trust {signer}'s certificate is your call; pass --trust CERT.pem "
                "to check it chains to a root you trust",
            )
        )
    elif status.trusted:
        given = ", ".join(path.name for path in trust)
        findings.append(Finding("ok", f"{signer}'s certificate chains to a root given ({given})"))
    else:
        given = ", ".join(path.name for path in trust)
        findings.append(
            Finding("FAILED", f"{signer}'s certificate does not chain to a root given ({given})")
        )
    return findings


@contextlib.contextmanager
def _quiet(name: str) -> Iterator[None]:
    """The logger `name` silent for a while: pyHanko logs a traceback for a certificate
    that chains to no root given, which a finding already says in words."""
    logger = logging.getLogger(name)
    silent, propagated = logging.NullHandler(), logger.propagate
    # Its modules log through child loggers: the records reach this one's handlers.
    logger.addHandler(silent)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(silent)
        logger.propagate = propagated


def _certificate(path: Path) -> Any:
    """A certificate from a PEM or DER file, as pyHanko takes it."""
    from asn1crypto import pem, x509

    try:
        data = path.read_bytes()
        if pem.detect(data):
            _, _, data = pem.unarmor(data)
        certificate = x509.Certificate.load(data)
        certificate.native  # noqa: B018 - parses it all, so a bad file fails here
    except (OSError, ValueError, TypeError) as error:
        raise ValueError(f"{path.name} is not a certificate (PEM or DER)") from error
    return certificate
