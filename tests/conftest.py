"""Shared test helpers: build projects from text, run the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli import main

REPO = Path(__file__).resolve().parent.parent

MINIMAL_CONFIG = """\
sections:
  - id: aid-flows
    title: Aid flows
  - id: risks
    title: Risks
briefings:
  - id: brief
    title: A briefing
    edition: 2024-11-25
"""

MINIMAL_SHEET = """\
section: aid-flows
actors:
  - id: RU
    name: Russia
  - id: KP
    name: North Korea
sources:
  - id: src
    title: A source
    reliability: B
    type: official
facts:
  - id: fact-one
    title: A fact
    text: Something happened.
    date: 2024-11
    confidence: moderate
    actors: [RU, KP]
    sources:
      - source: src
        credibility: 2
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` ({relative path: text or bytes}) under `root`; return `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def minimal_project(root: Path, **overrides: str | bytes) -> Path:
    """A small valid project; keyword names are paths with '/' written as '__'."""
    files: dict[str, str | bytes] = {
        "briefgen.yaml": MINIMAL_CONFIG,
        "facts/main.yaml": MINIMAL_SHEET,
    }
    files.update({name.replace("__", "/"): text for name, text in overrides.items()})
    return write_tree(root, files)


def run(*args: str | Path) -> Result:
    """Run the briefgen CLI in-process, as a user would type it."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def copy_example(target: Path) -> Path:
    """Copy the repository's example project (briefgen.yaml and facts/) to `target`."""
    target.mkdir(parents=True)
    shutil.copy(REPO / "briefgen.yaml", target / "briefgen.yaml")
    shutil.copytree(REPO / "facts", target / "facts")
    return target


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the repository's example project."""
    return copy_example(tmp_path / "example")


def edit(text: str, old: str, new: str) -> str:
    """`text` with its one occurrence of `old` replaced, failing loudly if it is absent."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def problems_in(root: Path) -> list[str]:
    """Every error `briefgen validate` would print for the project at `root`.

    Analytic warnings are left out: they are tested on their own, and a broken
    fact often also leaves a source uncited.
    """
    from briefgen.build import validate

    return [str(p) for p in validate(root)[1] if p.severity == "error"]


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, built once per test session; tests only read it."""
    target = copy_example(tmp_path_factory.mktemp("built") / "example")
    result = run("build", "--project", target)
    assert result.exit_code == 0, result.output
    return target


def require_tool(name: str, debian_package: str) -> str:
    """The path of a program the tests drive; fail (never skip) when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: the tests need the Debian package {debian_package} "
            "(run scripts/system-deps, as CI does)",
            pytrace=False,
        )
    return path
