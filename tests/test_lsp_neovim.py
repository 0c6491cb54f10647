"""One end-to-end run in a real editor: Neovim, headless, attaches `briefgen lsp` to a
sheet with a misspelt source and reads the diagnostic it shows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, copy_example

# Debian's Neovim (0.7) has vim.lsp.start_client; 0.8 and later also vim.lsp.start,
# which README shows. The diagnostics are read back through vim.diagnostic.
SCRIPT = """
local id = vim.lsp.start_client({
  name = "briefgen",
  cmd = { PYTHON, "-m", "briefgen", "lsp" },
  cmd_env = { PYTHONPATH = REPO },
  root_dir = vim.fn.getcwd(),
})
vim.cmd("edit facts/aid-flows.yaml")
vim.lsp.buf_attach_client(0, id)
vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
  table.insert(lines, string.format("%d:%d-%d:%s:%s", d.lnum, d.col, d.end_col, code, d.message))
end
vim.fn.writefile(lines, OUT)
vim.cmd("qa!")
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("nvim") is None, reason="needs Neovim (scripts/system-deps)")
def test_neovim_shows_the_servers_diagnostic(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    sheet = root / "facts/aid-flows.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("source: shin-interview-2024-11", "source: shin-intervew", 1))
    out = tmp_path / "diagnostics.txt"
    script = tmp_path / "attach.lua"
    names = f"local PYTHON, REPO, OUT = {sys.executable!r}, {str(REPO)!r}, {str(out)!r}\n"
    script.write_text(names + SCRIPT, encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state")}
    subprocess.run(
        ["nvim", "--headless", "--clean", "-c", f"luafile {script}"],
        cwd=root,
        env=env,
        timeout=120,
        check=True,
        capture_output=True,
    )
    line = text[: text.index("source: shin-interview-2024-11")].count("\n")
    column = len("      - source: ")
    assert out.read_text(encoding="utf-8").splitlines() == [
        f"{line}:{column}-{column + len('shin-intervew')}:unknown-reference:"
        "unknown source 'shin-intervew' (did you mean 'shin-interview-2024-11'?)"
    ]
