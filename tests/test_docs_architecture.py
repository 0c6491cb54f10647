"""ARCHITECTURE.md names every module of the package, so a new module is placed in
the pipeline where a reader looks for it."""

from __future__ import annotations

import re

from helpers import REPO


def test_architecture_names_every_module() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    package = REPO / "briefgen"
    modules = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py"))
    assert "load.py" in modules  # the walk found the package
    missing = [m for m in modules if f"`{m}`" not in text]
    assert missing == [], f"ARCHITECTURE.md does not name {', '.join(missing)}"


def test_architecture_names_no_module_that_is_gone() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    package = REPO / "briefgen"
    named = set(re.findall(r"`([a-z_]+(?:/[a-z_]+)*\.py)`", text))
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*.py")}
    # A name is a module of the package (by its path, or by its file name where the
    # text is already inside its folder), or a path from the repository's root.
    gone = sorted(
        name
        for name in named
        if name not in modules
        and not any(m.endswith(f"/{name}") for m in modules)
        and not (REPO / name).is_file()
    )
    assert gone == [], f"ARCHITECTURE.md names modules that do not exist: {', '.join(gone)}"
