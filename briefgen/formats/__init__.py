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

from . import docx, jsonout, stix
from .base import Format, Layout, RenderContext
from .page import pdf_key, prepare_pdf, render_html_page, render_pdf

FORMATS: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format("html", "html", "text/html; charset=utf-8", render_html_page),
        Format(
            "pdf",
            "pdf",
            "application/pdf",
            render_pdf,
            key=pdf_key,
            prepare=prepare_pdf,
            signable=True,
        ),
        Format("json", "json", jsonout.MEDIA_TYPE, jsonout.render_json),
        Format("stix", "stix.json", stix.MEDIA_TYPE, stix.render_stix, figures=False),
        Format("docx", "docx", docx.MEDIA_TYPE, docx.render_docx, key=docx.docx_key),
    )
}


def format_for_file(name: str) -> Format | None:
    """The format whose files are named like `name` (the longest suffix wins:
    `x.stix.json` is stix, not json), or None."""
    matches = [f for f in FORMATS.values() if name.endswith(f".{f.suffix}")]
    return max(matches, key=lambda f: len(f.suffix), default=None)


__all__ = ["FORMATS", "Format", "Layout", "RenderContext", "format_for_file"]
