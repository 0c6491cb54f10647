"""The fixtures the tests share; plain helpers are in helpers.py."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import LiveCommand, copy_example, run

from briefgen.parsecache import KEY_DIR_VARIABLE


@pytest.fixture(autouse=True, scope="session")
def cache_key_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The key signing parse-cache entries, kept out of the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("cache-key")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_DIR_VARIABLE, str(folder))
        yield folder


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the repository's example project."""
    return copy_example(tmp_path / "example")


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, built once per test run; tests only read it. Under
    pytest-xdist the workers share one build (seconds of CPU, two PDFs), made by
    whichever asks first while the others wait on a lock."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    target, done = shared / "built-example", shared / "built-example.done"
    with (shared / "built-example.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)  # what a failed worker left
            copy_example(target)
            result = run("build", "--project", target)
            assert result.exit_code == 0, result.output
            done.touch()
    return target


@pytest.fixture
def live() -> Iterator[Callable[..., LiveCommand]]:
    """Start briefgen commands in the background; every one is stopped after the test."""
    started: list[LiveCommand] = []

    def start(
        *args: str | Path, cwd: Path | None = None, sigint_ignored: bool = False
    ) -> LiveCommand:
        command = LiveCommand(*args, cwd=cwd, sigint_ignored=sigint_ignored)
        started.append(command)
        return command

    yield start
    for command in started:
        command.kill()
