"""Output formats: one table, read by every stage that cares which formats exist.

A format is a name (as a briefing's `formats:` lists it), the suffix of its
file in output/, the media type `serve` sends it with, the extra parts of its
cache key, and the function that renders it from a `RenderContext`. The
build, the cache, the preview server, the CLI, the model's check of
`formats:` and the editor schema all read `FORMATS`; nothing else names a
format. To add one, write `briefgen/formats/<module>.py` with a render
function and add one entry below (ARCHITECTURE.md).

A format whose rendering is slow may also give `prepare`: the part of the
work done in the main process, returning a picklable `Layout` whose
`lay_out()` a worker process finishes (`build --jobs`, workers.py). Its
`render` must then be `prepare` followed by `lay_out`, so one process gives
the same bytes as many.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import jsonout, stix, word
from .page import pdf_key, prepare_pdf, render_html_page, render_pdf

if TYPE_CHECKING:
    import jinja2

    from ..assemble import BriefingView
    from ..figures import Figure
    from ..inputs import InputFile
    from ..options import BuildOptions


@dataclass(frozen=True)
class RenderContext:
    """Everything a renderer may draw on for one briefing."""

    view: BriefingView  # what the reader sees, assembled once (assemble.py)
    root: Path  # the project folder
    options: BuildOptions
    inputs: list[InputFile]  # briefgen.yaml and the sheets the briefing draws on, as read
    env: jinja2.Environment  # the theme's templates (render.py)

    @property
    def figures(self) -> list[Figure]:
        """The briefing's figures, drawn at assembly (figures/)."""
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


FORMATS: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format("html", "html", "text/html; charset=utf-8", render_html_page),
        Format("pdf", "pdf", "application/pdf", render_pdf, key=pdf_key, prepare=prepare_pdf),
        Format("json", "json", jsonout.MEDIA_TYPE, jsonout.render_json),
        Format("stix", "stix.json", stix.MEDIA_TYPE, stix.render_stix, figures=False),
        Format("docx", "docx", word.MEDIA_TYPE, word.render_docx, key=word.docx_key),
    )
}


def format_for_file(name: str) -> Format | None:
    """The format whose files are named like `name` (the longest suffix wins:
    `x.stix.json` is stix, not json), or None."""
    matches = [f for f in FORMATS.values() if name.endswith(f".{f.suffix}")]
    return max(matches, key=lambda f: len(f.suffix), default=None)


__all__ = ["FORMATS", "Format", "Layout", "RenderContext", "format_for_file"]
