"""The corpus of bad inputs: each case must produce exactly its located messages.

Every folder under tests/corpus/ is one case: its files are laid over the
minimal valid project (replacing files of the same name), and `expected.txt`
holds the exact lines `briefgen validate` must print, one problem per line.
No case may crash, write anything but the parse cache or reach past its
project, and a second run, served from the parse cache, must print the same.

After a deliberate change of wording, rewrite every expected.txt with
    BRIEFGEN_UPDATE_CORPUS=1 python -m pytest tests/test_corpus.py
and read the diff before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import minimal_project, run

from briefgen.errors import Problem, summarize
from briefgen.parsecache import CACHE_DIR

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = "expected.txt"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_the_corpus_has_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_exactly_its_located_messages(tmp_path: Path, case: str) -> None:
    folder = CORPUS / case
    root = minimal_project(tmp_path / "project")
    for source in sorted(folder.rglob("*")):
        if source.is_file() and source.name != EXPECTED:
            target = root / source.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    before = _snapshot(root)

    result = run("validate", "--project", root)

    lines = result.stderr.splitlines()
    if os.environ.get("BRIEFGEN_UPDATE_CORPUS"):
        (folder / EXPECTED).write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    expected = (folder / EXPECTED).read_text(encoding="utf-8").splitlines()
    assert expected, f"{case}: a bad input must produce at least one problem"
    assert result.exit_code == 1, result.output
    assert lines[:-1] == expected
    assert lines[-1] == summarize([_severity(line) for line in expected])
    assert result.stdout == ""
    assert _snapshot(root) == before  # validate reads; it writes only its parse cache

    again = run("validate", "--project", root)  # what parsed clean now comes from the cache
    assert (again.exit_code, again.stderr) == (result.exit_code, result.stderr)


def _severity(line: str) -> Problem:
    """Just enough of a Problem for `summarize` to count it."""
    severity = "warning" if ": warning: " in line else "error"
    return Problem("", 0, 0, "", severity=severity)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and CACHE_DIR not in p.relative_to(root).parts
    }
