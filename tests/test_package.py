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
from conftest import REPO

pytestmark = pytest.mark.package


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
    # Nothing of the example project or the tests ends up installed.
    assert not any(n.startswith(("facts/", "tests/", "templates/")) for n in names)


def test_the_unpacked_wheel_builds_the_example_outside_the_repository(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "briefgen.yaml", project)
    shutil.copytree(REPO / "facts", project / "facts")
    # Only the unpacked wheel is added to the path; the venv's site-packages gives
    # the dependencies. The working folder is outside the repository.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(site)

    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import briefgen.render as r; print(r.__file__); print(r.THEME_DIR)",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.splitlines()
    assert where == [str(site / "briefgen/render.py"), str(site / "briefgen/theme")]

    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--project", str(project)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
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
