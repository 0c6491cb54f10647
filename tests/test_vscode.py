"""The VS Code extension loads (editors/vscode/). Node.js and the one package it
needs are installed by scripts/system-deps (make test, CI); without them this fails
saying so, as the tests of the other tools do, rather than skip."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parent.parent / "editors" / "vscode"


@pytest.mark.slow  # drives Node.js
def test_the_extension_loads_and_exports_its_entry_points() -> None:
    node = shutil.which("node")
    installed = (EXTENSION / "node_modules" / "vscode-languageclient").is_dir()
    assert node is not None and installed, "needs Node.js and npm ci: run scripts/system-deps"
    done = subprocess.run(
        [node, "check-load.js"], cwd=EXTENSION, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "extension.js loads: activate, deactivate"
