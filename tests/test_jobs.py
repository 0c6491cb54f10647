"""`build --jobs N`: PDFs laid out in spawned worker processes, with the same bytes
as a serial build, nothing written when any briefing fails, and progress shown
only on a terminal."""

from __future__ import annotations

import multiprocessing
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, run
from projects import briefing, fact, project, section, sheet, write_tree

import briefgen.workers


def desk(root: Path, briefings: list[str], formats: tuple[str, ...] = ("html", "pdf")) -> Path:
    facts = [
        fact(
            f"fact-{n}",
            f"Fact number {n}",
            text=f"Something happened, *for the {n}th time*.",
            date=f"2024-{n % 11 + 1:02d}",
            actors=None,
            tags=[briefings[n % len(briefings)]],
        )
        for n in range(12)
    ]
    return project(
        root,
        sections=[section("aid-flows", "Aid flows")],
        briefings=[
            briefing(b, f"Briefing {b}", formats=list(formats), include={"tags": [b]})
            for b in briefings
        ],
        sheets={"main": sheet(actors=[], facts=facts)},
    )


def outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "output").iterdir())}


@pytest.mark.slow
def test_parallel_build_writes_the_same_bytes_as_a_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    methods: list[str | None] = []
    real = multiprocessing.get_context

    def get_context(method: str | None = None) -> Any:
        methods.append(method)
        return real(method)

    monkeypatch.setattr(briefgen.workers.multiprocessing, "get_context", get_context)
    serial = desk(tmp_path / "serial", ["one", "two", "three"])
    parallel = desk(tmp_path / "parallel", ["one", "two", "three"])

    first = run("build", "--project", serial, "--jobs", "1")
    assert first.exit_code == 0, first.output
    assert methods == []  # one job: no workers at all
    second = run("build", "--project", parallel, "--jobs", "2")
    assert second.exit_code == 0, second.output
    assert methods == ["spawn"]

    assert second.stdout == first.stdout
    assert first.stdout.splitlines() == [
        f"output/{b}.{f}" for b in ("one", "two", "three") for f in ("html", "pdf")
    ]
    assert outputs(parallel) == outputs(serial)
    assert outputs(parallel)["three.pdf"].startswith(b"%PDF-")


FAILING_TEMPLATE = """\
{% extends "default:briefing.html" %}
{% block head %}
{% if briefing.id == "two" and medium == "pdf" %}
<link rel="stylesheet" href="https://example.invalid/brand.css">
{% endif %}
{% endblock %}
"""


@pytest.mark.slow
def test_a_failing_briefing_in_a_parallel_build_writes_nothing(tmp_path: Path) -> None:
    root = desk(tmp_path / "desk", ["one", "two", "three"])
    result = run("build", "--project", root, "--jobs", "2")
    assert result.exit_code == 0, result.output
    good = outputs(root)

    write_tree(root, {"templates/briefing.html": FAILING_TEMPLATE})
    result = run("build", "--project", root, "--jobs", "2")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "briefgen: PDF: refused to fetch https://example.invalid/brand.css; the theme and the "
        "project's templates/ may use only files inside themselves; nothing was written\n"
    )
    assert outputs(root) == good  # every file as it was, the cache too
    assert not [p for p in (root / "output").iterdir() if p.name.endswith(".part")]


@pytest.mark.slow
def test_a_failing_briefing_in_a_first_parallel_build_leaves_no_output(tmp_path: Path) -> None:
    root = desk(tmp_path / "desk", ["one", "two", "three"])
    write_tree(root, {"templates/briefing.html": FAILING_TEMPLATE})
    result = run("build", "--project", root, "--jobs", "3")
    assert result.exit_code == 1
    assert not (root / "output").exists()


def test_progress_is_shown_on_a_terminal_only(tmp_path: Path) -> None:
    root = desk(tmp_path / "desk", ["one", "two"], formats=("html",))
    result = run("build", "--project", root)
    assert result.exit_code == 0
    assert result.stderr == ""  # not a terminal: the paths on stdout and nothing else

    shutil.rmtree(root / "output")
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--project", str(root)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
        check=False,
    )
    os.close(follower)
    shown = os.read(leader, 4096).decode()
    os.close(leader)
    assert done.returncode == 0
    assert done.stdout.decode().splitlines() == ["output/one.html", "output/two.html"]
    assert shown == (
        "\r\x1b[Krendering 2 briefings\r\x1b[Krendered 1/2: one\r\x1b[Krendered 2/2: two\r\x1b[K"
    )
