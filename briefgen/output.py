"""Writing: files appear whole or not at all.

Each file is written to a hidden temporary name in the same folder, flushed
to disk, and only when every file of the build is staged are they renamed
over the old ones. A failure before that leaves `output/` as it was; a crash
or a kill at any moment leaves each file old or new, never half of either,
plus at most some `.*.part` files that the next build removes.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import BuildError
from .paths import inside

TEMP_SUFFIX = ".part"
# The names write_atomic gives its temporary files: ".<name>.<random>.part".
_TEMP_NAME = re.compile(r"\..+\.[A-Za-z0-9_]+\.part")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(_stage(path, data), path)


def write_outputs(
    output_dir: Path,
    files: list[tuple[Path, bytes]],
    project_root: Path,
    records: list[tuple[Path, bytes]] | None = None,
) -> None:
    """Write every file of a build into `output_dir`, and its `records` (editions/),
    all or none.

    Refuses an `output_dir` that leads out of `project_root` (a link to
    elsewhere), any path not directly inside `output_dir`, and a record whose
    folder leads out of the project or is in the way (a file). Raises
    BuildError, with output_dir and the records unchanged, when anything
    cannot be written; the records are renamed into place after the outputs.
    """
    records = records or []
    if not inside(output_dir, project_root):
        raise BuildError(
            f"{output_dir.name}/ links to {output_dir.resolve()}, outside the project; "
            "briefgen writes only inside the project (remove the link)"
        )
    for path, _ in files:
        if path.parent != output_dir:
            raise BuildError(f"refused to write {path}: not directly inside {output_dir}")
        if path.is_dir() and not path.is_symlink():
            raise BuildError(f"cannot write {_shown(path)}: a folder of that name is in the way")
    for path, _ in records:
        _check_record_path(path, project_root)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        with _locked(output_dir):
            remove_stale_temps(output_dir)
            staged: list[tuple[str, Path]] = []
            try:
                for path, data in [*files, *records]:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    staged.append((_stage(path, data), path))
            except BaseException:
                for temp, _ in staged:
                    _remove(temp)
                raise
            # Every file is on disk under its temporary name: now the quick part.
            # A rename over a link replaces the link, never the file it points to.
            for temp, path in staged:
                os.replace(temp, path)
            _sync_folder(output_dir)
    except OSError as exc:
        where = exc.filename or output_dir
        raise BuildError(f"cannot write {where}: {exc.strerror}") from exc


def _check_record_path(path: Path, project_root: Path) -> None:
    """Refuse, before anything is written, a record whose folder leads out of the
    project or that a file (or a folder) stands in the way of."""
    shown = path.relative_to(project_root).as_posix()
    if not inside(path, project_root):
        top = path.relative_to(project_root).parts[0]
        raise BuildError(f"{top}/ leads outside the project; remove the link")
    for folder in reversed(path.parents):
        if folder.is_relative_to(project_root) and folder.exists() and not folder.is_dir():
            where = folder.relative_to(project_root).as_posix()
            raise BuildError(
                f"cannot write {shown}: {where} is a file, not a folder (move it away)"
            )
    if path.is_dir():
        raise BuildError(f"cannot write {shown}: a folder of that name is in the way")


def remove_stale_temps(output_dir: Path) -> list[Path]:
    """Delete the temporary files a killed build left in `output_dir`; return them."""
    removed = []
    for entry in output_dir.iterdir():
        if _TEMP_NAME.fullmatch(entry.name) and entry.is_file() and not entry.is_symlink():
            _remove(str(entry))
            removed.append(entry)
    return removed


def output_path(output_dir: Path, briefing_id: str, suffix: str) -> Path:
    """`output/<id>.<suffix>`, refusing any id that would land outside `output_dir`.

    Ids are validated long before this (FORMAT.md's pattern allows no
    separator and no leading dot); this is the last line of defence.
    """
    name = f"{briefing_id}.{suffix}"
    if (
        not briefing_id
        or briefing_id.startswith(".")
        or any(c in name for c in "/\\\0")
        or Path(name).name != name
    ):
        raise ValueError(f"briefing id {briefing_id!r} would write outside {output_dir}")
    return output_dir / name


def _stage(path: Path, data: bytes) -> str:
    """`data` on disk, flushed, under a temporary name beside `path`; that name."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _remove(temp)
        raise
    return temp


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` so two builds never interleave their writes
    (nor one remove the other's temporary files). The kernel drops it if we die."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks on folders
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _sync_folder(folder: Path) -> None:
    """Make the renames themselves durable, not just the files' bytes."""
    with contextlib.suppress(OSError):  # not every file system lets a folder be synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)


def _shown(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
