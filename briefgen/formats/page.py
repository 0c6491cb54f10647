"""The briefing page: `html` for the screen, `pdf` for print (laid out by pdf.py).

Both render the theme's briefing.html, in the medium each is read in. The
PDF is prepared here, in the main process: its print HTML, its attachments
(the briefing's inputs) and its file identifier, as a `pdf.PdfArguments`
that a worker process can lay out on its own.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from .. import fonts
from ..load import CONFIG_NAME
from ..pdf import Attachment, PdfArguments, weasyprint_version
from ..theme import template_dirs

if TYPE_CHECKING:
    from ..options import BuildOptions
    from .base import RenderContext


def render_html_page(context: RenderContext) -> bytes:
    """The self-contained HTML page, carrying the theme's faces its text needs."""
    from ..render import render_html  # Jinja2: not imported by `validate`

    html = render_html(context.view, context.root, "html", context.env)
    return with_fonts(html, fonts.embedded_css(html)).encode("utf-8")


FONTS_MARK = "/* briefgen:fonts */"


def with_fonts(html: str, css: str) -> str:
    """`html` with the @font-face rules `css` where the theme's <style> marks them
    (a project's own briefing.html without the mark gets them before </head>)."""
    if not css:
        return html
    if FONTS_MARK in html:
        return html.replace(FONTS_MARK, css, 1)
    return html.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1)


def prepare_pdf(context: RenderContext) -> PdfArguments:
    """Everything the PDF is laid out from, decided in the main process."""
    from ..render import render_html  # Jinja2: not imported by `validate`

    view = context.view
    dirs = template_dirs(context.root)
    variant = context.options.pdf_variant
    # The file identifier names this exact file: these inputs, in this variant.
    identifier = hashlib.sha256(f"{view.inputs_digest} {variant}".encode())
    html = render_html(view, context.root, "pdf", context.env)
    # The faces outside the theme folder (Arabic, Hebrew, CJK) print from Debian's
    # files, which WeasyPrint's fontconfig finds by family name and subsets as it
    # embeds them (the same bytes as when briefgen served its own subsets, in half
    # the CPU); they must be installed, never stood in for.
    fonts.require(fonts.faces_for(html))
    return PdfArguments(
        html=with_fonts(html, ""),
        base_dir=dirs[-1],
        allowed=dirs,
        variant=variant,
        identifier=identifier.hexdigest()[:32].encode(),
        date=view.edition_date,  # a partial edition date counts as its first day
        attachments=[
            Attachment(item.path, item.data, _describe(item.path, view.inputs_digest))
            for item in context.inputs
        ],
    )


def render_pdf(context: RenderContext) -> bytes:
    """The PDF, prepared and laid out in this process."""
    return prepare_pdf(context).lay_out()


def pdf_key(options: BuildOptions) -> tuple[str, ...]:
    """What else makes a PDF's bytes: its variant, the WeasyPrint that lays it out and,
    if it is signed, the certificate it is signed with."""
    signed = (f"signed {options.signing.fingerprint}",) if options.signing else ()
    return (options.pdf_variant, f"weasyprint {weasyprint_version()}", *signed)


def _describe(path: str, digest: str) -> str:
    if path == CONFIG_NAME:
        return f"briefgen project file: sections and briefings (inputs {digest})"
    if path.startswith("editions/"):  # the earlier edition's record (editions.py)
        return f"briefgen record of the earlier edition compared with (inputs {digest})"
    return f"briefgen fact sheet (inputs {digest})"
