"""The rebuild cache: which outputs are already up to date.

`output/.briefgen-cache.json` maps each output file to a key of everything it
is made from, and to the size and SHA-256 of the file as written. An output is
up to date, and is not rendered again, when both still match: its key is
unchanged and the file is still there, byte for byte.

The key is the whole hash behind the briefing's inputs digest (inputs.py:
briefgen's version, the briefing id, briefgen.yaml and the sheets the briefing
draws on byte for byte, the templates and the theme), with the format and
what its entry in `formats.FORMATS` adds (for a PDF, the PDF variant and
WeasyPrint's version), and, for a format showing figures, the versions of the
programs that laid out the briefing's figures (Graphviz for a flow diagram:
`FigureSpec.tools`). Those are not inputs, so the digest leaves them out. So an
edit to a sheet a briefing does not draw on leaves its outputs up to date, and
a Graphviz upgrade rebuilds only what shows a flow diagram.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .formats import FORMATS

if TYPE_CHECKING:
    from .options import BuildOptions

CACHE_NAME = ".briefgen-cache.json"
CACHE_VERSION = 1


@dataclass
class Cache:
    """What was last written to an output folder, and from what."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, output_dir: Path) -> Cache:
        """The cache of `output_dir`; empty when there is none or it cannot be read
        (the worst a lost cache costs is one full build)."""
        path = output_dir / CACHE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # RecursionError: nested too deeply
            return cls(path)
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return cls(path)
        entries = data.get("outputs")
        if not isinstance(entries, dict):
            return cls(path)
        return cls(path, {k: v for k, v in entries.items() if isinstance(v, dict)})

    def is_fresh(self, output: Path, key: str) -> bool:
        """True when `output` was written from inputs with this `key` and is unchanged."""
        entry = self.entries.get(output.name)
        if entry is None or entry.get("inputs") != key:
            return False
        try:
            if output.stat().st_size != entry.get("size"):
                return False
            return _file_sha256(output) == entry.get("sha256")
        except OSError:
            return False

    def record(self, output: Path, key: str, data: bytes) -> None:
        """Remember that `data`, about to be written to `output`, was made from `key`."""
        self.entries[output.name] = {
            "inputs": key,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }

    def written(self, output: Path) -> tuple[str, int]:
        """The SHA-256 and size of `output` as recorded: by this build as it wrote the
        file, or found unchanged by `is_fresh`."""
        entry = self.entries[output.name]
        return str(entry["sha256"]), int(entry["size"])

    def dump(self) -> bytes:
        """The cache file's new content."""
        data = {"version": CACHE_VERSION, "outputs": dict(sorted(self.entries.items()))}
        return (json.dumps(data, indent=1) + "\n").encode("utf-8")


def output_key(
    inputs_hash: str, fmt: str, options: BuildOptions, tools: tuple[str, ...] = ()
) -> str:
    """The cache key of one output file, in format `fmt`, of a briefing whose inputs
    hash to `inputs_hash`: those, the format, what else its table entry says
    changes its bytes, and, if it shows figures, `tools`: the versions of the
    programs that laid out the briefing's figures (figures.figure_tools)."""
    entry = FORMATS[fmt]
    parts = [inputs_hash, fmt, *(entry.key(options) if entry.key else ())]
    parts += tools if entry.figures else ()
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def file_digest(path: Path) -> tuple[str, int]:
    """The SHA-256 and size of the file at `path`, as a record lists an output."""
    return _file_sha256(path), path.stat().st_size


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
