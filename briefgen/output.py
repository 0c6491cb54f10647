"""Writing: files appear whole or not at all.

Each file is written to a temporary name in the same folder, flushed to disk
and renamed over the old one, so a crash or a kill at any moment leaves the
last good file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def output_path(output_dir: Path, briefing_id: str, suffix: str) -> Path:
    """`output/<id>.<suffix>`, refusing any id that would land outside `output_dir`."""
    target = (output_dir / f"{briefing_id}.{suffix}").resolve()
    if target.parent != output_dir.resolve():
        raise ValueError(f"briefing id {briefing_id!r} would write outside {output_dir}")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
