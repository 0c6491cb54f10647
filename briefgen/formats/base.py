"""What every output format is made of: the `Format` entry, the `RenderContext` a
renderer draws on, and the `Layout` a worker process finishes.

The format modules (page.py, jsonout.py, stix.py, word.py) import this
module, never the package's `__init__`, which holds the table of formats
and imports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import jinja2

    from ..assemble import BriefingView
    from ..editions import Lineage
    from ..figures.base import Figure
    from ..inputs import InputFile
    from ..options import BuildOptions


@dataclass(frozen=True)
class RenderContext:
    """Everything a renderer may draw on for one briefing."""

    view: BriefingView  # what the reader sees, made once and frozen (edition.py)
    root: Path  # the project folder
    options: BuildOptions
    inputs: list[InputFile]  # briefgen.yaml and the sheets the briefing draws on, as read
    env: jinja2.Environment  # the theme's templates (render.py)
    # When each thing first appeared, and the earlier record (editions.py): STIX's
    # `created` and revocations. None: as if this were the briefing's first edition.
    lineage: Lineage | None = None

    @property
    def figures(self) -> list[Figure]:
        """The briefing's figures, drawn with its edition (edition.py, figures/)."""
        return self.view.figures


class Layout(Protocol):
    """The rest of a render, picklable, for a worker process to finish."""

    def lay_out(self) -> bytes: ...


@dataclass(frozen=True)
class Format:
    """One output format of a briefing: `output/<briefing-id>.<suffix>`."""

    name: str  # as a briefing's `formats:` lists it
    suffix: str  # of the file in output/, without the dot
    media_type: str  # as `serve` sends it
    render: Callable[[RenderContext], bytes]
    # Extra parts of the cache key, beyond the briefing's inputs and the format's name:
    # whatever else changes the bytes (the PDF variant, the renderer's version).
    key: Callable[[BuildOptions], tuple[str, ...]] | None = None
    # A render split in two for `build --jobs` (see the module's docstring).
    prepare: Callable[[RenderContext], Layout] | None = None
    # Whether it shows the figures: then the versions of the programs laying them
    # out are part of its cache key too (cache.output_key).
    figures: bool = True
    # Whether `build --sign` signs its files (signing.py): a PDF's signature is
    # appended to the bytes `render` gives.
    signable: bool = False


__all__ = ["Format", "Layout", "RenderContext"]
