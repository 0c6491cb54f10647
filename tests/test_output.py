"""Outputs appear whole or not at all: a failed, refused or killed build never costs the
last good briefing, and briefgen writes nowhere but output/."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, REPO, minimal_project, run
from pypdf import PdfReader

from briefgen import build as build_module
from briefgen import output
from briefgen.build import build
from briefgen.cache import CACHE_NAME
from briefgen.errors import BuildError
from briefgen.options import BuildOptions
from briefgen.output import output_path, remove_stale_temps, write_atomic, write_outputs

TEMP = re.compile(r"\.(brief\.(html|pdf)|\.briefgen-cache\.json)\.[A-Za-z0-9_]+\.part")


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in `folder` with its bytes and modification time: 'exactly as it was'."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()}


def built_project(root: Path, **files: str) -> tuple[Path, dict[str, bytes]]:
    """A minimal project with one good build in output/; the bytes of that build."""
    minimal_project(root, **files)
    assert run("build", "--project", root).exit_code == 0
    return root, {p.name: p.read_bytes() for p in (root / "output").iterdir()}


# -- output_path and write_atomic --------------------------------------------------------


@pytest.mark.parametrize(
    "briefing_id", ["../x", "../../etc/cron.d/x", "a/b", "/tmp/x", ".hidden", "", "a\\b", "a\0b"]
)
def test_an_id_that_would_escape_output_is_refused(tmp_path: Path, briefing_id: str) -> None:
    with pytest.raises(ValueError, match="would write outside"):
        output_path(tmp_path / "output", briefing_id, "pdf")


def test_an_output_path_is_directly_inside_output(tmp_path: Path) -> None:
    assert output_path(tmp_path / "output", "ru-kp.2024_11", "pdf") == (
        tmp_path / "output" / "ru-kp.2024_11.pdf"
    )


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.html"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["a.html"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


# -- write_outputs: all or none ----------------------------------------------------------


def test_when_one_file_cannot_be_written_none_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = built_project(tmp_path)
    out = root / "output"
    before = state(out)
    real_stage = output._stage
    calls = []

    def disk_full_on_second(path: Path, data: bytes) -> str:
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_stage(path, data)

    monkeypatch.setattr(output, "_stage", disk_full_on_second)
    files = [(out / "brief.html", b"new html"), (out / "brief.pdf", b"new pdf")]
    with pytest.raises(BuildError, match=r"cannot write .*brief\.pdf: No space left on device"):
        write_outputs(out, files, root)
    assert calls == ["brief.html", "brief.pdf"]
    assert state(out) == before  # the staged HTML was removed, nothing replaced


def test_a_folder_in_the_way_fails_before_anything_is_written(tmp_path: Path) -> None:
    root, _ = built_project(tmp_path)
    out = root / "output"
    (out / "brief.pdf").unlink()
    (out / "brief.pdf").mkdir()
    before = state(out)
    with pytest.raises(BuildError, match=r"cannot write output/brief\.pdf: a folder of that name"):
        write_outputs(out, [(out / "brief.html", b"x"), (out / "brief.pdf", b"y")], root)
    assert state(out) == before


def test_an_output_folder_linking_out_of_the_project_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = minimal_project(tmp_path / "p")
    (root / "output").symlink_to(elsewhere)

    result = run("build", "--project", root)

    assert result.exit_code == 1
    assert result.stderr == (
        f"briefgen: output/ links to {elsewhere}, outside the project; briefgen writes only "
        "inside the project (remove the link); nothing was written\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_link_in_output_is_replaced_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(b"not yours to overwrite")
    root = minimal_project(tmp_path / "p")
    (root / "output").mkdir()
    (root / "output/brief.pdf").symlink_to(victim)

    assert run("build", "--project", root).exit_code == 0

    assert victim.read_bytes() == b"not yours to overwrite"
    assert not (root / "output/brief.pdf").is_symlink()
    assert (root / "output/brief.pdf").read_bytes().startswith(b"%PDF-")


def test_two_builds_never_write_at_once(tmp_path: Path) -> None:
    root = minimal_project(tmp_path)
    out = root / "output"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as another build in its write phase would
    writer = threading.Thread(target=write_outputs, args=(out, [(out / "a.html", b"x")], root))
    try:
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # waiting for the lock
        assert not (out / "a.html").exists()
    finally:
        os.close(fd)
    writer.join()
    assert (out / "a.html").read_bytes() == b"x"


def test_the_next_build_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    root, _ = built_project(tmp_path)
    out = root / "output"
    for name in (".brief.pdf.k2j4_x9a.part", ".brief.html.abc12345.part"):
        (out / name).write_bytes(b"%PDF-1.7 half")
    (out / "notes.part").write_text("not ours")  # not hidden: not a temporary file of ours
    (out / ".keep").write_text("")

    assert run("build", "--project", root).exit_code == 0

    assert sorted(os.listdir(out)) == [CACHE_NAME, ".keep", "brief.html", "brief.pdf", "notes.part"]
    assert remove_stale_temps(out) == []


def test_a_failed_build_leaves_output_exactly_as_it_was(tmp_path: Path) -> None:
    root, _ = built_project(tmp_path)
    out = root / "output"
    (out / ".brief.pdf.k2j4_x9a.part").write_bytes(b"left by a killed build")
    before = state(out)
    time.sleep(0.01)  # so a rewrite would show in the modification times
    (root / "facts/main.yaml").write_text(MINIMAL_SHEET.replace("confidence: moderate", "x: y"))

    result = run("build", "--project", root)

    assert result.exit_code == 1
    assert state(out) == before  # not even the stale temporary file is touched


@pytest.mark.slow
def test_when_a_later_briefing_fails_no_briefing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = MINIMAL_CONFIG + "  - id: second\n    title: Another\n    edition: 2024-11-26\n"
    root, _ = built_project(tmp_path, **{"briefgen.yaml": second})
    before = state(root / "output")
    real = build_module.render_briefing

    def fail_second(project: object, briefing_id: str, *args: object) -> object:
        if briefing_id == "second":
            raise BuildError("PDF: refused to fetch http://example.org/x")
        return real(project, briefing_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "render_briefing", fail_second)
    with pytest.raises(BuildError):
        build(root, options=BuildOptions(force=True))  # up to date, else nothing renders
    assert state(root / "output") == before


def test_briefgen_never_writes_to_facts(tmp_path: Path) -> None:
    root = minimal_project(tmp_path)
    facts = root / "facts"
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in facts.rglob("*")}
    os.chmod(facts / "main.yaml", 0o444)
    os.chmod(facts, 0o555)  # a write would fail loudly, not just change bytes
    try:
        assert run("validate", "--project", root).exit_code == 0
        assert run("build", "--project", root).exit_code == 0
    finally:
        os.chmod(facts, 0o755)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in facts.rglob("*")} == before


# -- SIGKILL: the last good file or the new one, never half of either -------------------

# Run in a child process: build the project, but pause (and say so on stdout) at one
# moment of the write, so the test can kill it exactly there.
CHILD = """\
import os, sys, time
sys.path.insert(0, {repo!r})
moment = sys.argv[2]
real_fdopen, real_fsync, real_replace = os.fdopen, os.fsync, os.replace

def pause(word):
    print(word, flush=True)
    time.sleep(600)

class HalfWriter:
    def __init__(self, handle):
        self._handle = handle
    def write(self, data):
        if moment == "mid-write" and data[:5] == b"%PDF-":
            self._handle.write(data[: len(data) // 2])
            self._handle.flush()
            pause("PAUSED")
        return self._handle.write(data)
    def __getattr__(self, name):
        return getattr(self._handle, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)

def fsync(fd):
    real_fsync(fd)
    if moment == "after-fsync" and ".brief.pdf." in os.readlink(f"/proc/self/fd/{{fd}}"):
        pause("PAUSED")

def replace(src, dst):
    real_replace(src, dst)
    # The first rename into output/: the parse cache's own renames come before it.
    if moment == "between-renames" and os.path.basename(os.path.dirname(dst)) == "output":
        pause("PAUSED")

os.fdopen = lambda *a, **k: HalfWriter(real_fdopen(*a, **k))
os.fsync = fsync
os.replace = replace
from briefgen.cli import main
main(["build", "--project", sys.argv[1]], prog_name="briefgen")
"""


def spawn(root: Path, moment: str) -> subprocess.Popen[str]:
    script = root.parent / "child.py"
    script.write_text(CHILD.format(repo=str(REPO)))
    return subprocess.Popen(
        [sys.executable, str(script), str(root), moment],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def assert_old_or_new(root: Path, old: dict[str, bytes], new_text: str) -> None:
    """Each output is absent, the old bytes, or a complete new file; the rest are our
    hidden temporary files, which nobody could take for a briefing."""
    out = root / "output"
    for path in out.iterdir():
        if path.name == CACHE_NAME:
            continue  # written with the outputs, all or none, like them
        if path.name.startswith("."):
            assert TEMP.fullmatch(path.name), path.name
            continue
        assert path.name in old, path.name
        data = path.read_bytes()
        if data == old[path.name]:
            continue
        if path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF")
            text = "".join(page.extract_text() for page in PdfReader(path).pages)
        else:
            text = data.decode("utf-8")
            assert text.rstrip().endswith("</html>")
        assert new_text in text


@pytest.fixture
def changed_project(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A project with a good build in output/ and a fact changed since."""
    root, old = built_project(tmp_path / "p")
    sheet = MINIMAL_SHEET.replace("Something happened.", "Something new happened.")
    (root / "facts/main.yaml").write_text(sheet)
    return root, old


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["mid-write", "after-fsync", "between-renames"])
def test_a_build_killed_while_writing_leaves_old_or_new_files(
    changed_project: tuple[Path, dict[str, bytes]], moment: str
) -> None:
    root, old = changed_project
    with spawn(root, moment) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "PAUSED\n"
        finally:
            child.send_signal(signal.SIGKILL)

    assert_old_or_new(root, old, "Something new happened.")
    out = root / "output"
    if moment == "between-renames":  # the HTML is new and whole, the PDF still the old one
        assert "Something new happened." in (out / "brief.html").read_text()
        assert (out / "brief.pdf").read_bytes() == old["brief.pdf"]
    else:
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.name in old} == old
        assert [p.name for p in out.iterdir() if TEMP.fullmatch(p.name)] != []

    # The next build tidies up and writes the new briefing.
    assert run("build", "--project", root).exit_code == 0
    assert sorted(os.listdir(out)) == [CACHE_NAME, "brief.html", "brief.pdf"]
    assert "Something new happened." in (out / "brief.html").read_text()


@pytest.fixture(scope="module")
def build_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long one child build of the changed project takes here, to spread the kills
    below across it (used to choose moments, never asserted)."""
    root, _ = built_project(tmp_path_factory.mktemp("timing") / "p")
    (root / "facts/main.yaml").write_text(MINIMAL_SHEET.replace("Something", "Something new"))
    started = time.monotonic()
    with spawn(root, "never") as child:
        assert child.wait() == 0
    return time.monotonic() - started


@pytest.mark.slow
@pytest.mark.parametrize("fraction", [0.4, 0.8, 0.95, 1.1])
def test_a_build_killed_at_any_moment_leaves_old_or_new_files(
    changed_project: tuple[Path, dict[str, bytes]], build_seconds: float, fraction: float
) -> None:
    root, old = changed_project
    with spawn(root, "never") as child:
        time.sleep(build_seconds * fraction)
        child.send_signal(signal.SIGKILL)
    assert_old_or_new(root, old, "Something new happened.")
