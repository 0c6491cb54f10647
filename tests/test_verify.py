"""`briefgen verify FILE.pdf`: intact or not, which edition, signed by whom."""

from __future__ import annotations

import io
import json
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import SigningFiles, edit, make_signing_key, minimal_project, run
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from briefgen.edition import GENERATOR
from briefgen.inputs import InputFile, inputs_hash, theme_files
from briefgen.signing import PASSWORD_VARIABLE
from briefgen.theme import THEME_DIR


@dataclass(frozen=True)
class Desks:
    unsigned: Path  # a project built without --sign
    signed: Path  # the same project built with --sign
    key: SigningFiles
    digest: str


@pytest.fixture(scope="module")
def desks(tmp_path_factory: pytest.TempPathFactory) -> Desks:
    base = tmp_path_factory.mktemp("verify")
    key = make_signing_key(base / "key")
    unsigned = minimal_project(base / "unsigned")
    assert run("build", "--project", unsigned, "--format", "pdf").exit_code == 0
    signed = minimal_project(base / "signed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PASSWORD_VARIABLE, key.password)
        assert (
            run("build", "--project", signed, "--format", "pdf", "--sign", key.p12).exit_code == 0
        )
    record = json.loads((unsigned / "editions/brief/2024-11-25.json").read_text())
    return Desks(unsigned, signed, key, record["inputs_digest"])


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a folder holding no project: the repository root holds one."""
    monkeypatch.chdir(tmp_path)


def _intact(digest: str) -> list[str]:
    return [
        f"ok: the attached files give inputs digest {digest} (briefing 'brief'), "
        "as their descriptions name it",
        "ok: the pages print the same inputs digest (2 pages)",
        "ok: brief.pdf is output/brief.pdf of briefing 'brief', edition 2024-11-25, "
        "byte for byte as editions/brief/2024-11-25.json records it",
    ]


@pytest.mark.slow
def test_an_intact_unsigned_pdf(desks: Desks) -> None:
    result = run("verify", desks.unsigned / "output/brief.pdf", "--project", desks.unsigned)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *_intact(desks.digest),
        "note: brief.pdf is not signed: nothing says who issued it",
    ]


@pytest.mark.slow
def test_an_intact_signed_pdf_names_its_signer_and_the_root_it_chains_to(desks: Desks) -> None:
    pdf = desks.signed / "output/brief.pdf"
    result = run("verify", pdf, "--project", desks.signed, "--trust", desks.key.root)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == _intact(desks.digest)
    assert lines[3].startswith("ok: signed by Desk Signer at ")
    assert lines[3].endswith(
        " UTC (as the signer's clock said); the signature is cryptographically valid"
    )
    assert lines[4:] == [
        "ok: the signature covers the whole file",
        "ok: Desk Signer's certificate chains to a root given (root.pem)",
    ]
    untrusted = run("verify", pdf, "--project", desks.signed)
    assert untrusted.exit_code == 0
    assert untrusted.stdout.splitlines()[-1] == (
        "note: whether to trust Desk Signer's certificate is your call; pass --trust "
        "CERT.pem to check it chains to a root you trust"
    )
    assert untrusted.stderr == ""  # pyHanko's log of the unbuilt chain stays quiet


@pytest.mark.slow
def test_a_root_the_signer_does_not_chain_to_fails(desks: Desks, tmp_path: Path) -> None:
    other = make_signing_key(tmp_path / "other")
    pdf = desks.signed / "output/brief.pdf"
    result = run("verify", pdf, "--project", desks.signed, "--trust", other.root)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "FAILED: Desk Signer's certificate does not chain to a root given (root.pem)"
    )


@pytest.mark.slow
def test_the_current_folder_is_the_project_when_it_holds_one(
    desks: Desks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(desks.unsigned)
    result = run("verify", "output/brief.pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == _intact(desks.digest)[2]


@pytest.mark.slow
def test_without_a_project_the_record_is_a_note(desks: Desks) -> None:
    result = run("verify", desks.unsigned / "output/brief.pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == (
        "note: not matched with the edition records: no project here (pass --project DIR)"
    )


def _copy(desks_root: Path, tmp_path: Path) -> Path:
    """A copy of a built project, to alter its PDF."""
    return Path(shutil.copytree(desks_root, tmp_path / "desk"))


def _page_stream_offset(data: bytes) -> int:
    """Where the first page's content stream starts in the file."""
    reader = PdfReader(io.BytesIO(data))
    contents = reader.pages[0].raw_get("/Contents")
    start = data.index(f"\n{contents.idnum} 0 obj".encode())
    return data.index(b"stream\n", start) + len(b"stream\n")


@pytest.mark.slow
@pytest.mark.parametrize("signed", [False, True])
def test_one_byte_changed_in_a_page_fails(desks: Desks, tmp_path: Path, signed: bool) -> None:
    root = _copy(desks.signed if signed else desks.unsigned, tmp_path)
    pdf = root / "output/brief.pdf"
    data = bytearray(pdf.read_bytes())
    data[_page_stream_offset(bytes(data)) + 20] ^= 0x01
    pdf.write_bytes(bytes(data))
    result = run("verify", pdf, "--project", root)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("FAILED: brief.pdf (SHA-256 ")
        and line.endswith(
            "is in no edition record under editions/ (editions/brief/2024-11-25.json records "
            "output/brief.pdf with other bytes: the file was changed after it was built, or "
            "is of another build)"
        )
        for line in lines
    ), lines
    if signed:
        assert any(
            line.startswith("FAILED: brief.pdf is signed by Desk Signer at ")
            and line.endswith(
                "but the signature does not match the bytes it covers: the file was changed "
                "after it was signed"
            )
            for line in lines
        ), lines


@pytest.mark.slow
def test_a_byte_appended_after_the_signature_fails(desks: Desks, tmp_path: Path) -> None:
    root = _copy(desks.signed, tmp_path)
    pdf = root / "output/brief.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    result = run("verify", pdf, "--project", root, "--trust", desks.key.root)
    assert result.exit_code == 1
    assert (
        "FAILED: the signature by Desk Signer does not cover the whole file: something "
        "was added after it was signed"
    ) in result.stdout.splitlines()


@pytest.mark.slow
def test_a_sheet_swapped_with_its_descriptions_recomputed_fails_on_the_pages(
    desks: Desks, tmp_path: Path
) -> None:
    """The attachments and their descriptions agree, but the pages still print the old
    digest: the digest is a checksum anyone can recompute, and the pages give it away."""
    root = _copy(desks.unsigned, tmp_path)
    pdf = root / "output/brief.pdf"
    writer = PdfWriter(clone_from=pdf)
    names = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    specs = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    sheet = specs["facts/main.yaml"]["/EF"]["/F"].get_object()
    swapped = edit(sheet.get_data().decode(), "Something happened.", "Nothing happened.")
    sheet.set_data(swapped.encode())
    files = {name: spec["/EF"]["/F"].get_object().get_data() for name, spec in specs.items()}
    inputs = [InputFile(name, files[name]) for name in ("briefgen.yaml", "facts/main.yaml")]
    forged = inputs_hash(GENERATOR, "brief", inputs, theme_files([THEME_DIR]))[:12]
    for spec in specs.values():
        description = str(spec["/Desc"]).replace(desks.digest, forged)
        spec[NameObject("/Desc")] = TextStringObject(description)
    with pdf.open("wb") as handle:
        writer.write(handle)

    result = run("verify", pdf, "--project", root)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"ok: the attached files give inputs digest {forged} (briefing 'brief'), "
        "as their descriptions name it"
    )
    assert lines[1] == (
        f"FAILED: page 1 prints {desks.digest}; page 2 prints {desks.digest}, but the "
        f"attached files give {forged}: a page or an attachment was changed after the "
        "file was made"
    )


def test_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    text = tmp_path / "brief.pdf"
    text.write_text("not a PDF at all\n")
    result = run("verify", text)
    assert result.exit_code == 1
    assert result.stdout == "FAILED: brief.pdf is not a PDF\n"


def test_a_pdf_briefgen_did_not_make(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    pdf = tmp_path / "other.pdf"
    with pdf.open("wb") as handle:
        writer.write(handle)
    result = run("verify", pdf)
    assert result.exit_code == 1
    assert result.stdout == (
        "FAILED: other.pdf carries no briefgen inputs: it was not made by briefgen\n"
    )


@pytest.mark.slow
def test_an_attachment_that_inflates_past_its_bound_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_attachment("briefgen.yaml", b"")
    spec = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    spec[NameObject("/Desc")] = TextStringObject("briefgen fact sheet (inputs 0123456789ab)")
    stream = spec["/EF"]["/F"].get_object()
    # 65 MiB of zeros in 65 KiB: the bound must hold before the stream is inflated.
    bomb = zlib.compressobj()
    chunk = bytes(1 << 20)
    stream._data = b"".join(bomb.compress(chunk) for _ in range(65)) + bomb.flush()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    pdf = tmp_path / "bomb.pdf"
    with pdf.open("wb") as handle:
        writer.write(handle)
    result = run("verify", pdf)
    assert result.exit_code == 1
    assert result.stdout == "FAILED: refused 'briefgen.yaml': larger than the limit of 5 MiB\n"


@pytest.mark.slow
def test_a_record_over_the_size_limit_is_not_read(
    desks: Desks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every path that reads a record reads at most records.MAX_RECORD_BYTES of it.
    from briefgen import records

    project = _copy(desks.unsigned, tmp_path)
    record = project / "editions/brief/2024-11-25.json"
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", len(record.read_bytes()) - 1)
    result = run("verify", project / "output/brief.pdf", "--project", project)
    assert result.exit_code == 1, result.output
    line = result.stdout.splitlines()[2]
    assert line.startswith("FAILED: brief.pdf (SHA-256 "), result.stdout
    assert line.endswith(") is in no edition record under editions/")


@pytest.mark.slow
def test_a_record_nested_too_deeply_is_not_read(desks: Desks, tmp_path: Path) -> None:
    # Deeper than json's parser recurses: it raises RecursionError, never a crash here.
    project = _copy(desks.unsigned, tmp_path)
    (project / "editions/brief/2023-01-01.json").write_text("[" * 100_000)
    result = run("verify", project / "output/brief.pdf", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == _intact(desks.digest)
