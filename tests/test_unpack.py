"""`briefgen unpack`: a briefing's PDF back to the project files it was made from."""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, minimal_project, run, write_tree
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from briefgen import unpack
from briefgen.build import validate
from briefgen.edition import GENERATOR
from briefgen.inputs import InputFile, inputs_hash, theme_files
from briefgen.projection import project_briefing
from briefgen.render import template_dirs

# The minimal project's fact moved into a nested sheet, as the issue's failing recipe had it.
DECLARATIONS, FACTS = MINIMAL_SHEET.split("facts:\n")
NESTED = {
    "facts/main.yaml": DECLARATIONS,
    "facts/2024/new.yaml": "section: aid-flows\nfacts:\n" + FACTS,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = minimal_project(tmp_path_factory.mktemp("unpack") / "desk", **NESTED)
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_unpack_writes_the_inputs_and_build_gives_the_same_pdf(built: Path, tmp_path: Path) -> None:
    target = tmp_path / "rebuilt"
    result = run("unpack", built / "output/brief.pdf", target)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "briefgen.yaml",
        "facts/2024/new.yaml",
        "facts/main.yaml",
    ]
    digest = (built / "output/brief.html").read_text().split("inputs digest <code>")[1][:12]
    assert result.stderr == (
        f"inputs {digest} check out; next: cd {target} && briefgen build brief\n"
    )
    # The briefing's projection: what it shows, in one canonical form.
    project, _ = validate(built)
    assert _files(target) == {f.path: f.data for f in project_briefing(project, "brief")}
    rebuilt = run("build", "brief", "--project", target)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert (target / "output/brief.pdf").read_bytes() == (built / "output/brief.pdf").read_bytes()


def _pdf(
    path: Path,
    files: dict[str, bytes],
    digest: str = "0123456789ab",
    flate: int = 0,
    sizes: dict[str, int] | None = None,
) -> Path:
    """A PDF attaching `files` under the names given, described as briefgen does;
    each file's bytes are stored as given, behind `flate` Flate filters, and
    declared as long as `sizes` says."""
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    for name, data in files.items():
        writer.add_attachment(name, data)
    names = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"] if files else []
    for index in range(1, len(names), 2):
        spec = names[index].get_object()
        spec[NameObject("/Desc")] = TextStringObject(f"briefgen fact sheet (inputs {digest})")
        if flate:
            stream = spec["/EF"]["/F"].get_object()
            stream[NameObject("/Filter")] = ArrayObject([NameObject("/FlateDecode")] * flate)
        if sizes and str(names[index - 1]) in sizes:
            stream = spec["/EF"]["/F"].get_object()
            stream[NameObject("/Params")] = DictionaryObject(
                {NameObject("/Size"): NumberObject(sizes[str(names[index - 1])])}
            )
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../escape.yaml", "refused '../escape.yaml': an attachment's name must stay inside"),
        ("facts/../../escape.yaml", "refused 'facts/../../escape.yaml': an attachment's name"),
        ("/etc/briefgen.yaml", "refused '/etc/briefgen.yaml': an attachment's name must stay"),
        ("facts\\..\\..\\x.yaml", "refused 'facts\\..\\..\\x.yaml': an attachment's name must"),
        ("C:/x.yaml", "refused 'C:/x.yaml': an attachment's name must stay inside the folder"),
        ("run.sh", "refused 'run.sh': briefgen attaches only briefgen.yaml, sheets under"),
        ("editions/x.json", "refused 'editions/x.json': briefgen attaches only briefgen.yaml"),
    ],
)
def test_a_name_that_would_leave_the_folder_is_refused_and_nothing_written(
    tmp_path: Path, name: str, message: str
) -> None:
    pdf = _pdf(tmp_path / "hostile.pdf", {"briefgen.yaml": b"x: 1\n", name: b"y: 2\n"})
    target = tmp_path / "out" / "here"
    result = run("unpack", pdf, target)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"briefgen: {message}")
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.pdf"]


def test_a_folder_that_links_out_is_refused(built: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = tmp_path / "rebuilt"
    target.mkdir()
    (target / "facts").symlink_to(elsewhere)
    result = run("unpack", built / "output/brief.pdf", target)
    assert result.exit_code == 1
    assert result.stderr == (
        f"briefgen: 'facts/2024/new.yaml' would be written outside {target} (through a link)\n"
    )
    assert list(elsewhere.iterdir()) == []
    assert not (target / "briefgen.yaml").exists()


def test_files_that_do_not_give_the_digest_are_refused(tmp_path: Path) -> None:
    files = {"briefgen.yaml": MINIMAL_CONFIG.encode(), "facts/main.yaml": MINIMAL_SHEET.encode()}
    result = run("unpack", _pdf(tmp_path / "changed.pdf", files), tmp_path / "rebuilt")
    assert result.exit_code == 1
    assert result.stderr == (
        "briefgen: the attached files do not give the inputs digest the PDF names "
        "(0123456789ab): they were changed after it was made, or it was made by another "
        "version than briefgen 0.1.0 or with templates of its own; nothing was written\n"
    )
    assert not (tmp_path / "rebuilt").exists()


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        (
            {"facts/main.yaml": "# mine\n"},
            "already has facts/main.yaml; nothing was written (choose an empty folder)",
        ),
        (  # a plain file where a folder is needed: refused before the first write
            {"facts": "# mine\n"},
            "has a file facts where 'facts/2024/new.yaml' needs a folder; nothing was written",
        ),
    ],
)
def test_a_file_already_there_is_not_replaced(
    built: Path, tmp_path: Path, tree: dict[str, str], message: str
) -> None:
    target = write_tree(tmp_path / "rebuilt", dict(tree))
    result = run("unpack", built / "output/brief.pdf", target)
    assert result.exit_code == 1
    assert result.stderr == f"briefgen: {target} {message}\n"
    assert _files(target) == {name: text.encode() for name, text in tree.items()}


def test_a_pdf_without_inputs_is_refused(tmp_path: Path) -> None:
    result = run("unpack", _pdf(tmp_path / "plain.pdf", {}), tmp_path / "rebuilt")
    assert result.exit_code == 1
    assert result.stderr == (
        "briefgen: plain.pdf carries no briefgen inputs: it was not made by briefgen\n"
    )


@pytest.mark.slow
def test_the_record_of_the_earlier_edition_comes_back_too(tmp_path: Path) -> None:
    """A second edition shows its changes since the first, from the first's record,
    which its PDF carries; unpacked, it builds the same PDF."""
    root = minimal_project(tmp_path / "desk", **NESTED)
    assert run("build", "--project", root).exit_code == 0
    config = (root / "briefgen.yaml").read_text().replace("2024-11-25", "2024-12-02")
    (root / "briefgen.yaml").write_text(config)
    assert run("build", "--project", root).exit_code == 0

    target = tmp_path / "rebuilt"
    result = run("unpack", root / "output/brief.pdf", target)
    assert result.exit_code == 0, result.output
    assert "editions/brief/2024-11-25.json" in result.stdout.splitlines()
    assert run("build", "brief", "--project", target).exit_code == 0
    assert (target / "output/brief.pdf").read_bytes() == (root / "output/brief.pdf").read_bytes()


def _zeros_deflated_twice(size: int) -> bytes:
    """`size` zero bytes behind two Flate filters, made without holding them in memory."""
    chunk = bytes(2**20)
    deflater = zlib.compressobj(9)
    once = b"".join(deflater.compress(chunk) for _ in range(size // len(chunk)))
    return zlib.compress(once + deflater.flush(), 9)


@pytest.mark.slow
def test_a_decompression_bomb_is_refused_quickly_before_anything_is_inflated(
    tmp_path: Path,
) -> None:
    """100 attachments of 70 MB of zeros behind two Flate filters: 7 GB if inflated."""
    bomb = _zeros_deflated_twice(70 * 2**20)
    files = {f"facts/a{n:02}.yaml": bomb for n in range(100)}
    files["briefgen.yaml"] = zlib.compress(zlib.compress(MINIMAL_CONFIG.encode()))
    pdf = _pdf(tmp_path / "bomb.pdf", files, flate=2)
    assert pdf.stat().st_size < 200_000
    started = time.process_time()
    result = run("unpack", pdf, tmp_path / "rebuilt")
    assert time.process_time() - started < 2
    assert result.exit_code == 1
    assert result.stderr == (
        "briefgen: refused 'facts/a00.yaml': larger than the limit of 5 MiB; nothing was written\n"
    )
    assert not (tmp_path / "rebuilt").exists()


def test_a_size_declared_over_the_limit_is_refused_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"briefgen.yaml": _zeros_deflated_twice(2**20), "facts/z.yaml": b"y: 2\n"}
    pdf = _pdf(tmp_path / "big.pdf", files, flate=2, sizes={"facts/z.yaml": 2**40})
    inflated: list[object] = []
    monkeypatch.setattr(unpack, "_stream_data", lambda *args: inflated.append(args))
    result = run("unpack", pdf, tmp_path / "rebuilt")
    assert result.stderr == (
        "briefgen: refused 'facts/z.yaml': larger than the limit of 5 MiB; nothing was written\n"
    )
    assert inflated == []


def test_all_the_attachments_together_are_bounded_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unpack, "MAX_TOTAL_BYTES", 2**20)
    sheet = zlib.compress(b"#" * 600_000)
    files = {"briefgen.yaml": zlib.compress(b"x: 1\n"), "facts/a.yaml": sheet}
    files["facts/b.yaml"] = sheet
    result = run("unpack", _pdf(tmp_path / "many.pdf", files, flate=1), tmp_path / "rebuilt")
    assert result.exit_code == 1
    assert result.stderr == (
        "briefgen: many.pdf's attachments come to more than 1 MiB; nothing was written\n"
    )
    assert not (tmp_path / "rebuilt").exists()


def test_a_target_that_is_a_file_is_refused(built: Path, tmp_path: Path) -> None:
    target = write_tree(tmp_path, {"rebuilt": "a plain file\n"}) / "rebuilt"
    result = run("unpack", built / "output/brief.pdf", target / "inner")
    assert result.stderr == f"briefgen: {target} is not a folder; nothing was written\n"
    assert target.read_text() == "a plain file\n"


def test_a_name_that_another_needs_as_a_folder_is_refused_before_writing(tmp_path: Path) -> None:
    """Files that really give the digest they name, two of them at odds."""
    target = tmp_path / "rebuilt"
    files = {
        "briefgen.yaml": MINIMAL_CONFIG.encode(),
        "facts/a.yaml": MINIMAL_SHEET.encode(),
        "facts/a.yaml/b.yaml": b"facts: []\n",
    }
    inputs = [InputFile(name, data) for name, data in files.items()]
    digest = inputs_hash(GENERATOR, "brief", inputs, theme_files(template_dirs(target)))[:12]
    result = run("unpack", _pdf(tmp_path / "odd.pdf", files, digest), target)
    assert result.exit_code == 1
    assert result.stderr == (
        "briefgen: refused 'facts/a.yaml': another attachment needs a folder of that name; "
        "nothing was written\n"
    )
    assert not target.exists()
