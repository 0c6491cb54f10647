"""The wheel: it carries the theme and the console script, and works outside the repository.

pip builds the wheel with build isolation, fetching hatchling from PyPI (or its
cache). This runs in the normal suite, in well under a minute; deselect it with
`-m "not package"` on a machine with no access to PyPI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import REPO

pytestmark = [pytest.mark.package, pytest.mark.slow]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(out)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    (built,) = out.glob("briefgen-*.whl")
    return built


def test_the_wheel_carries_the_theme_fonts_and_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    theme = {p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").rglob("*")}
    for name in sorted(theme):
        if (REPO / "templates" / name).is_file():
            assert f"briefgen/theme/{name}" in names
    assert "briefgen/theme/briefing.html" in names
    assert {n for n in names if n.startswith("briefgen/theme/fonts/") and n.endswith(".ttf")}
    assert "briefgen/__main__.py" in names
    assert "[console_scripts]\nbriefgen = briefgen.cli:main" in scripts
    # The example project, for `briefgen init`, inside the package.
    example = [REPO / "briefgen.yaml", *sorted((REPO / "facts").rglob("*.yaml"))]
    for path in example:
        assert f"briefgen/example/{path.relative_to(REPO).as_posix()}" in names
    # Nothing of the repository's layout or the tests ends up installed at the top.
    assert not any(n.startswith(("facts/", "tests/", "templates/")) for n in names)


def _unpacked(wheel: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The wheel unpacked into a folder, and an environment that imports briefgen from it.

    Only the unpacked wheel is added to the path; the venv's site-packages gives
    the dependencies. Tests run it from a working folder outside the repository.
    """
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(site)
    return site, env


def _python(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_unpacked_wheel_builds_the_example_outside_the_repository(
    wheel: Path, tmp_path: Path
) -> None:
    site, env = _unpacked(wheel, tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "briefgen.yaml", project)
    shutil.copytree(REPO / "facts", project / "facts")

    where = _python(
        env, tmp_path, "-c", "import briefgen.theme as t; print(t.__file__); print(t.THEME_DIR)"
    )
    assert where.stdout.splitlines() == [
        str(site / "briefgen/theme.py"),
        str(site / "briefgen/theme"),
    ]

    result = _python(env, tmp_path, "-m", "briefgen", "build", "--project", str(project))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "output/ru-kp-exchange.html",
        "output/ru-kp-exchange.pdf",
        "output/ru-kp-air-defence.html",
        "output/ru-kp-air-defence.pdf",
    ]
    assert (project / "output/ru-kp-exchange.pdf").read_bytes().startswith(b"%PDF-")
    html = (project / "output/ru-kp-exchange.html").read_text()
    assert "Russia has begun delivering air-defence missiles" in html


def test_init_from_the_unpacked_wheel_copies_the_example_it_carries(
    wheel: Path, tmp_path: Path
) -> None:
    """Installed, there is no repository: `init` takes the example from the package."""
    site, env = _unpacked(wheel, tmp_path)
    where = _python(env, tmp_path, "-c", "import briefgen.scaffold as s; print(s.example_dir())")
    assert where.stdout.splitlines() == [str(site / "briefgen/example")]

    result = _python(env, tmp_path, "-m", "briefgen", "init", "desk")
    assert result.returncode == 0, result.stderr
    for path in [REPO / "briefgen.yaml", *(REPO / "facts").glob("*.yaml")]:
        copied = tmp_path / "desk" / path.relative_to(REPO)
        assert copied.read_text().endswith(path.read_text())
    assert (tmp_path / "desk/schemas/facts.schema.json").is_file()
