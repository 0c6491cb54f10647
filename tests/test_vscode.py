"""The VS Code extension loads (editors/vscode/): skipped where Node or the packages
`npm install` fetches are absent, so CI never waits on the npm registry."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parent.parent / "editors" / "vscode"


def test_the_extension_loads_and_exports_its_entry_points() -> None:
    node = shutil.which("node")
    if node is None or not (EXTENSION / "node_modules" / "vscode-languageclient").is_dir():
        pytest.skip("needs node and `npm install` in editors/vscode")
    done = subprocess.run(
        [node, "check-load.js"], cwd=EXTENSION, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "extension.js loads: activate, deactivate"
