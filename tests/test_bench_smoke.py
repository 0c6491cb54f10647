"""The benchmark runs end to end at its smallest size (a smoke test: nothing here is
timed) and writes its table, keeping what is written around it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from briefgen.build import validate

pytestmark = pytest.mark.slow


def test_the_benchmark_writes_its_table(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(
        "# Benchmarks\n\nNotes before.\n\n"
        "<!-- bench:begin (written by bench/run.py; edit around it) -->\nold table\n"
        "<!-- bench:end -->\n\nNotes after.\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench/run.py"),
            "--sizes",
            "100",
            "--runs",
            "1",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    assert text.startswith("# Benchmarks\n\nNotes before.\n\n<!-- bench:begin")
    assert text.endswith("<!-- bench:end -->\n\nNotes after.\n")
    assert "old table" not in text
    assert "| | 100 facts |" in text
    assert "| `main` briefing | 100 facts, " in text
    for label in (
        "`briefgen --help`",
        "`briefgen validate`",
        "cold `build main`",
        "WeasyPrint alone, same HTML",
        "no-op rebuild",
        "rebuild, one fact changed",
        "4 desks, `--jobs 2`",
    ):
        assert re.search(rf"^\| {re.escape(label)} \| \d+\.\d+ s \(CPU ", text, re.M), label
    assert "| `validate` imports WeasyPrint | no |" in text
    # At 100 facts `main` is every fact, so no sheet is left out for that row.
    assert "| rebuild, a fact in a sheet `main` does not draw on changed | — (" in text
    assert "(PDFs differ!)" not in text  # WeasyPrint alone laid out the very same HTML
    assert re.search(r"^\| WeasyPrint \| 70\.0 \|$", text, re.M)

    # What it generated is a valid project of the size asked for.
    project, problems = validate(tmp_path / "work/facts-100")
    assert problems == []
    assert len(project.facts) == 100
    assert len(project.briefings) == 5


def test_the_desk_benchmark_writes_its_table(tmp_path: Path) -> None:
    """bench/desk.py at its smallest: every row measured, the serve row through Chromium."""
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nNotes before.\n")
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench/desk.py"),
            *("--facts", "100", "--runs", "1", "--out", str(out), "--workdir", str(tmp_path)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    assert text.startswith("# Benchmarks\n\nNotes before.\n\n<!-- desk:begin")
    for label in (
        "`validate`, cold (no parse cache)",
        "`validate`, warm (nothing changed)",
        "`validate`, one sheet edited",
        "`build main`, no-op",
        "`serve`: save → page reloaded (CPU: serve's own)",
    ):
        row = rf"^\| {re.escape(label)}( \(1 run\))? \| \d+\.\d+ s \| \d+\.\d+ s \|"
        assert re.search(row, text, re.M), label


def test_the_language_server_benchmark_writes_its_table(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(
        "# Benchmarks\n\n<!-- lsp:begin (written by bench/lsp.py; edit around it) -->\nold\n"
        "<!-- lsp:end -->\n\nNotes after.\n"
    )
    command = [sys.executable, str(REPO / "bench/lsp.py"), "--facts", "100", "--runs", "2"]
    done = subprocess.run(
        [*command, "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    assert "old\n" not in text and text.endswith("<!-- lsp:end -->\n\nNotes after.\n")
    assert re.search(
        r"\| `didChange` → `publishDiagnostics` \(errors and warnings\) \| \d\.\d{3} s \|", text
    )
    assert re.search(r"\| server memory at 100 facts \| \d+ MB \|", text)
