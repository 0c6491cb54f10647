"""The loader's bounds: depth, file count, file size, width, and files that are not files.

A hostile project must be refused or handled, never hang, crash or exhaust memory.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import MINIMAL_SHEET, REPO, minimal_project, run

from briefgen import load, yamlfile
from briefgen.build import validate
from briefgen.yamlfile import MAX_BYTES, MAX_DEPTH, load_yaml

CORPUS = Path(__file__).parent / "corpus"


HELD_BACK = "(warnings that depend on what it declares or cites are held back)"


def messages(root: Path) -> list[str]:
    return [str(p) for p in validate(root)[1]]


def nested(depth: int) -> bytes:
    """A list `depth` collections deep, in flow and in block style."""
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_up_to_the_limit_is_read(style: str) -> None:
    if style == "flow":
        raw = nested(MAX_DEPTH)
    else:
        raw = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH - 1)).encode()
        raw += b"  " * (MAX_DEPTH - 1) + b"- leaf\n"
    loaded = load_yaml(raw, "f.yaml")
    assert loaded.problems == []
    assert loaded.data is not None


def test_nesting_far_past_the_limit_is_refused_without_walking_it() -> None:
    # 2.5 million brackets. libyaml reads ahead to 1,000 levels, where its own bound
    # stops it before briefgen's composer sees the 33rd; either way, one refusal.
    loaded = load_yaml(nested(MAX_BYTES // 2), "f.yaml")
    assert [str(p) for p in loaded.problems] == [
        f"f.yaml:1:1001: error: nesting deeper than {MAX_DEPTH} levels "
        "(no briefgen field nests this deep)"
    ]


def test_more_fact_sheets_than_the_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "MAX_FILES", 3)
    root = minimal_project(tmp_path, **{f"facts/more/{i}.yaml": "" for i in range(5)})
    assert messages(root) == [
        "facts:1:1: error: more than 3 fact sheets "
        "(merge small sheets; briefgen reads at most this many)",
        # What the sheets left unread hold is unknown: no "never cited" for it.
        f"facts:1:1: warning: warnings are incomplete until this folder can be read {HELD_BACK}",
    ]


@pytest.mark.slow
def test_a_very_deep_folder_tree_is_walked_without_recursion(tmp_path: Path) -> None:
    root = minimal_project(tmp_path)
    deep = root / "facts"
    for _ in range(1200):  # deeper than Python's recursion limit
        deep = deep / "d"
        deep.mkdir()
    sheet = MINIMAL_SHEET.replace("id: fact-one", "id: fact-deep").replace("- id: src", "- id: s2")
    sheet = sheet.replace("id: RU", "id: R2").replace("id: KP", "id: K2")
    sheet = sheet.replace("[RU, KP]", "[R2, K2]").replace("source: src", "source: s2")
    (deep / "deep.yaml").write_text(sheet)
    try:
        loaded, problems = validate(root)
    finally:  # pytest's own clean-up recurses, and would fail on a tree this deep
        subprocess.run(["rm", "-rf", str(root / "facts/d")], check=True)
    assert problems == []
    assert sorted(loaded.facts) == ["fact-deep", "fact-one"]


@pytest.mark.slow
def test_a_file_of_a_million_tiny_list_items_is_read() -> None:
    raw = b"- a\n" * (MAX_BYTES // 4)
    loaded = load_yaml(raw, "f.yaml")
    assert loaded.problems == []
    assert len(loaded.data) == 1_310_720
    assert loaded.positions.of((1_310_719,)) == (1_310_720, 3)


@pytest.mark.slow
def test_a_fact_sheet_of_many_bad_items_reports_each_one(tmp_path: Path) -> None:
    count = 100_000
    root = minimal_project(tmp_path, **{"facts/wide.yaml": "facts:\n" + "- a\n" * count})
    found = messages(root)
    assert len(found) == count
    assert found[0].startswith("facts/wide.yaml:2:3: error: ")
    assert found[-1].startswith(f"facts/wide.yaml:{count + 1}:3: error: ")


def test_a_very_long_line_is_read(tmp_path: Path) -> None:
    text = "word " * ((MAX_BYTES - 2048) // 5)
    sheet = MINIMAL_SHEET.replace("Something happened.", text.strip())
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    loaded, problems = validate(root)
    assert problems == []
    assert len(loaded.facts["fact-one"].item.text) == len(text.strip())


def test_a_very_long_key_is_a_located_syntax_error() -> None:
    loaded = load_yaml(b"k" * 100_000 + b": v\n", "f.yaml")
    assert [str(p) for p in loaded.problems] == [
        "f.yaml:1:100001: error: invalid YAML: a key longer than YAML's limit of 1024 "
        "characters (shorten the key)"
    ]


def test_a_huge_file_is_refused_after_reading_only_its_first_5_mib(tmp_path: Path) -> None:
    root = minimal_project(tmp_path)
    with (root / "facts/huge.yaml").open("wb") as handle:
        handle.truncate(1024**3)  # a sparse gigabyte: costs no disk
    tracemalloc.start()
    try:
        found = messages(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(found) == 2
    assert found[0].startswith("facts/huge.yaml:1:1: error: file is")
    assert found[1].startswith("facts/huge.yaml:1:1: warning: warnings are incomplete")
    assert peak < 64 * 1024**2  # it read 5 MiB and one byte, not the gigabyte


def test_a_fifo_or_folder_named_like_a_sheet_is_skipped_without_hanging(tmp_path: Path) -> None:
    root = minimal_project(tmp_path)
    os.mkfifo(root / "facts/pipe.yaml")  # reading it would wait forever for a writer
    (root / "facts/folder.yaml").mkdir()
    # In a child with a deadline, so a regression fails instead of hanging the suite.
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", "--project", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 1 fact,")


def test_the_example_still_validates_with_python_yaml(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlfile, "_FastParser", None)
    assert run("validate", "--project", example).exit_code == 0


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.yaml") if p.is_file())


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_both_parsers_enforce_the_rules_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml is the fast path; PyYAML's parser, the fallback, must refuse the same things
    at the same places (only the wording of a syntax error may differ)."""
    raw = path.read_bytes()
    fast = load_yaml(raw, "f.yaml")
    monkeypatch.setattr(yamlfile, "_FastParser", None)
    slow = load_yaml(raw, "f.yaml")
    if any(p.code == "yaml-syntax" for p in fast.problems + slow.problems):
        assert [p.code for p in fast.problems] == [p.code for p in slow.problems]
        return
    assert slow.data == fast.data
    assert slow.positions == fast.positions
    assert [str(p) for p in slow.problems] == [str(p) for p in fast.problems]


@pytest.mark.slow
def test_a_folder_deeper_than_the_system_allows_is_no_crash(tmp_path: Path) -> None:
    root = minimal_project(tmp_path)
    fd = os.open(root / "facts", os.O_RDONLY)
    try:
        for _ in range(1400):  # "dd/" * 1400 is longer than PATH_MAX: made one level at a time
            os.mkdir("dd", dir_fd=fd)
            inner = os.open("dd", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("x.yaml", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as handle:
            handle.write("- no path can name this file\n")
    finally:
        os.close(fd)
    try:
        found = messages(root)
    finally:  # pytest's own clean-up cannot remove a tree this deep; rm can
        subprocess.run(["rm", "-rf", str(root / "facts/dd")], check=True)
    assert len(found) == 2
    assert re.fullmatch(r"facts(/dd)+:1:1: error: cannot read folder: File name too long", found[0])
    assert found[1].endswith(f"warnings are incomplete until this folder can be read {HELD_BACK}")


def test_a_folder_that_cannot_be_listed_is_a_located_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = minimal_project(tmp_path, **{"facts/locked/a.yaml": ""})
    real = os.scandir

    def scandir(path: Path) -> Iterator[os.DirEntry[str]]:
        if Path(path).name == "locked":  # as chmod 000 would, for anyone but root
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert messages(root) == [
        "facts/locked:1:1: error: cannot read folder: Permission denied",
        "facts/locked:1:1: warning: warnings are incomplete until this folder can be read "
        + HELD_BACK,
    ]
