"""`build --watch`: rebuild on every change to the inputs, print located problems, and
keep the last good output while the facts are broken."""

from __future__ import annotations

import functools
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import DEADLINE, HTML_CONFIG, MINIMAL_SHEET, LiveCommand, minimal_project

from briefgen.build import Built, UnknownBriefing
from briefgen.build import build as build_project
from briefgen.cache import CACHE_NAME
from briefgen.errors import BuildError, Problem, ProjectError
from briefgen.options import BuildOptions
from briefgen.watch import Rebuild, is_input, run_step, watch_project

CHANGED = re.compile(r"\d\d:\d\d:\d\d changed: facts/main\.yaml")
BROKEN = MINIMAL_SHEET.replace("confidence: moderate", "confidence: hgh")
BROKEN_LINE = "facts/main.yaml:17:17: error: 'hgh' is not a valid confidence (did you mean 'high'?)"


def _retitle(project: Path, title: str) -> None:
    sheet = project / "facts/main.yaml"
    sheet.write_text(MINIMAL_SHEET.replace("title: A fact", f"title: {title}"))


class Watcher:
    """watch_project in a thread, its reports in a queue."""

    def __init__(self, project: Path) -> None:
        self.results: queue.Queue[Rebuild] = queue.Queue()
        self.stop = threading.Event()
        step = functools.partial(build_project, project, None)
        self.thread = threading.Thread(
            target=watch_project, args=(project, [step], self.results.put, self.stop)
        )
        self.thread.start()

    def next(self) -> Rebuild:
        return self.results.get(timeout=DEADLINE)


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, Watcher]]:
    project = minimal_project(tmp_path, **{"templates/README": "project templates go here\n"})
    watcher = Watcher(project)
    yield project, watcher
    watcher.stop.set()
    watcher.thread.join(DEADLINE)
    assert not watcher.thread.is_alive()


@pytest.mark.slow
def test_watch_rebuilds_on_change_and_keeps_the_last_good_output(
    watched: tuple[Path, Watcher],
) -> None:
    project, watcher = watched
    html = project / "output/brief.html"
    first = watcher.next()
    assert (first.changed, first.ok) == ((), True)
    assert [b.briefing_id for b in first.built] == ["brief"]
    assert "A fact" in html.read_text()

    _retitle(project, "A changed fact")
    second = watcher.next()
    assert (second.changed, second.ok) == (("facts/main.yaml",), True)
    assert "A changed fact" in html.read_text()
    good = html.read_bytes()

    (project / "facts/main.yaml").write_text(BROKEN)
    broken = watcher.next()
    assert broken.ok is False
    assert [str(p) for p in broken.problems] == [BROKEN_LINE]
    assert broken.built == ()
    assert html.read_bytes() == good  # the last good output stays

    _retitle(project, "A fixed fact")
    fixed = watcher.next()
    assert fixed.ok is True
    assert "A fixed fact" in html.read_text()


@pytest.mark.slow
def test_watch_ignores_output_and_files_a_build_does_not_read(
    watched: tuple[Path, Watcher],
) -> None:
    project, watcher = watched
    watcher.next()
    (project / "notes.txt").write_text("not an input")
    (project / "facts/.main.yaml.swp").write_text("editor swap file")
    (project / "output/extra.html").write_text("written by someone else")
    (project / "briefgen.yaml").write_bytes((project / "briefgen.yaml").read_bytes())
    result = watcher.next()
    assert result.changed == ("briefgen.yaml",)
    with pytest.raises(queue.Empty):
        watcher.results.get(timeout=1)

    (project / "templates/extra.css").write_text("p { color: black }\n")
    assert watcher.next().changed == ("templates/extra.css",)


def test_a_step_can_build_only_the_html(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    built, _ = build_project(project, None, BuildOptions(formats=("html",)))
    assert [path.name for item in built for path in item.paths] == ["brief.html"]
    assert sorted(p.name for p in (project / "output").iterdir() if p.name != CACHE_NAME) == [
        "brief.html"
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("briefgen.yaml", True),
        ("facts/main.yaml", True),
        ("facts/deep/er/sheet.yml", True),
        ("templates/briefing.css", True),
        ("templates/_fact.html", True),
        ("facts/.main.yaml.swp", False),
        ("facts/main.yaml~", False),
        ("facts/sedX1b2c3", False),
        ("facts/4913", False),
        ("output/brief.html", False),
        ("output/.brief.html.x.part", False),
        ("editions/brief.json", False),
        ("other.yaml", False),
        (".git/index", False),
    ],
)
def test_inputs_are_what_a_build_reads(tmp_path: Path, path: str, expected: bool) -> None:
    assert is_input(tmp_path, tmp_path / path) is expected


def test_is_input_refuses_paths_outside_the_project(tmp_path: Path) -> None:
    assert is_input(tmp_path / "p", tmp_path / "facts/main.yaml") is False


def test_run_step_turns_every_failure_into_a_result() -> None:
    problem = Problem("facts/a.yaml", 1, 1, "bad")

    def fails(error: Exception) -> tuple[list[Built], list[Problem]]:
        raise error

    located = run_step(functools.partial(fails, ProjectError([problem])), ("facts/a.yaml",))
    assert (located.ok, located.problems, located.failure) == (False, (problem,), None)
    render = run_step(functools.partial(fails, BuildError("PDF: refused")))
    assert (render.ok, render.failure) == (False, "PDF: refused; nothing was written")
    unknown = run_step(functools.partial(fails, UnknownBriefing("no briefing 'x'")))
    assert unknown.failure == "no briefing 'x'; nothing was written"
    warned = run_step(lambda: ([], [problem.as_warning()]))
    assert warned.ok is True


@pytest.mark.slow
def test_build_watch_command_end_to_end(tmp_path: Path, live: type[LiveCommand]) -> None:
    project = minimal_project(tmp_path)
    command = live("build", "--watch", "--project", project)
    command.expect("watching briefgen.yaml, facts/ and templates/; Ctrl-C to stop")
    command.expect("output/brief.html")
    command.expect("output/brief.pdf")

    _retitle(project, "A changed fact")
    command.expect(CHANGED)
    command.expect("output/brief.pdf")
    assert "A changed fact" in (project / "output/brief.html").read_text()

    (project / "facts/main.yaml").write_text(BROKEN)
    command.expect(CHANGED)
    command.expect(BROKEN_LINE)
    command.expect("1 error")
    command.expect("nothing was written; output/ is unchanged")
    assert "A changed fact" in (project / "output/brief.html").read_text()

    # Saved again as it was: seen at once, then found up to date, and said so.
    (project / "facts/main.yaml").write_text(MINIMAL_SHEET.replace("A fact", "A changed fact"))
    command.expect(CHANGED)
    command.expect("up to date: output/brief.html")
    command.expect("up to date: output/brief.pdf")

    assert command.interrupt() == 0
    command.expect("stopped; output/ holds the last good build")


def test_a_save_is_told_as_soon_as_it_is_seen_before_the_build(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    events: queue.Queue[str] = queue.Queue()
    stop = threading.Event()

    def step() -> tuple[list[Built], list[Problem]]:
        events.put("build")
        return [], []

    thread = threading.Thread(
        target=watch_project,
        args=(project, [step], lambda _result: None, stop),
        kwargs={"seen": lambda changed: events.put(f"seen {', '.join(changed)}")},
    )
    thread.start()
    try:
        assert events.get(timeout=DEADLINE) == "build"  # the first build
        _retitle(project, "A changed fact")
        assert events.get(timeout=DEADLINE) == "seen facts/main.yaml"
        assert events.get(timeout=DEADLINE) == "build"
    finally:
        stop.set()
        thread.join(DEADLINE)


@pytest.mark.slow
def test_build_watch_started_by_a_script_ignores_ctrl_c_and_stops_on_sigterm(
    tmp_path: Path, live: type[LiveCommand]
) -> None:
    project = minimal_project(tmp_path, **{"briefgen.yaml": HTML_CONFIG})
    command = live("build", "--watch", "--project", project, sigint_ignored=True)
    command.expect("output/brief.html")

    # `briefgen build --watch &` in a script: the shell ignores SIGINT for it, so
    # Ctrl-C meant for the script leaves it running, as for any Unix program.
    command.process.send_signal(signal.SIGINT)
    _retitle(project, "A changed fact")
    command.expect(CHANGED)
    command.expect("output/brief.html")

    # The script stops it with `kill`: as cleanly as Ctrl-C from a terminal.
    assert command.stop(signal.SIGTERM) == 0
    command.expect("stopped; output/ holds the last good build")
    assert "A changed fact" in (project / "output/brief.html").read_text()


@pytest.mark.slow
def test_the_ctrl_c_test_passes_when_pytest_runs_with_sigint_ignored(tmp_path: Path) -> None:
    # A script that starts the suite in the background starts it with SIGINT ignored,
    # and every child inherits that unless the tests start them as a terminal would.
    test = "tests/test_watch.py::test_build_watch_command_end_to_end"
    pytest_command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [
            "bash",
            "-c",
            'trap "" INT; exec "$@"',
            "bash",
            *pytest_command,
            "--basetemp",
            str(tmp_path / "inner"),
            test,
        ],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=4 * DEADLINE,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
