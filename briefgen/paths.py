"""Paths: whether a path stays inside a folder once every link is followed.

briefgen reads and writes only inside the project (and the theme); a link in
the project that leads out of it is refused wherever a path is used, always
by this one test.
"""

from __future__ import annotations

from pathlib import Path


def inside(path: Path, folder: Path) -> bool:
    """`path` is `folder` or lies within it, both with every link followed.

    Raises OSError (or RuntimeError, before Python 3.13) for a link loop.
    """
    return path.resolve().is_relative_to(folder.resolve())
