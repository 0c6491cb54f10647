"""PDF: the briefing's HTML -> a PDF through WeasyPrint, reaching nothing outside.

WeasyPrint is imported inside the functions that need it, so `briefgen
--help` and `validate` never pay for it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import BuildError
from .load import collector_off
from .options import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from .paths import inside

# Served to WeasyPrint under this scheme from memory, so an attachment is exactly
# the bytes the build hashed and its type never depends on the machine's mime.types.
_INPUT_SCHEME = "briefgen-input:"


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF, named by its path in the project."""

    name: str
    data: bytes
    description: str
    media_type: str = "application/yaml"


@dataclass(frozen=True)
class PdfArguments:
    """Everything one PDF is laid out from, all picklable: prepared in the main
    process (formats/page.py) and laid out there or in a worker (workers.py)."""

    html: str  # the print HTML
    base_dir: Path  # where its relative URLs resolve
    allowed: list[Path]  # the only folders it may read files from
    variant: str
    identifier: bytes  # the PDF file identifier
    date: dt.date  # every date in the file
    attachments: list[Attachment]

    def lay_out(self) -> bytes:
        """The PDF's bytes."""
        return write_pdf(
            self.html,
            base_dir=self.base_dir,
            allowed=self.allowed,
            variant=self.variant,
            identifier=self.identifier,
            date=self.date,
            attachments=self.attachments,
        )


def _fetcher_class() -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ThemeOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves files inside the allowed folders and the attachments, nothing else.

        Any other URL (http, data, a file elsewhere) stops the build: a
        briefing that silently lost an image or font is worse than no build.
        Every refusal is also kept in `refused`, since a few places in
        WeasyPrint (drawing an SVG) swallow even a fatal error.
        """

        def __init__(
            self,
            allowed: list[Path],
            attachments: dict[str, Attachment],
        ) -> None:
            super().__init__(fail_on_errors=True)
            self._allowed = [folder.resolve() for folder in allowed]
            self._attachments = attachments
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                return self._serve(url)
            except Exception as exc:  # a malformed URL, a NUL byte: refused all the same
                raise self._refuse(f"refused to fetch {url[:80]} ({exc})") from exc
            except FatalURLFetchingError as exc:
                self.refused.append(str(exc))
                raise

        def _refuse(self, reason: str) -> BaseException:
            self.refused.append(reason)
            error: BaseException = FatalURLFetchingError(reason)
            return error

        def _serve(self, url: str) -> Any:
            from urllib.parse import unquote, urlsplit

            if url in self._attachments:
                attachment = self._attachments[url]
                content_type = {"Content-Type": attachment.media_type}
                return URLFetcherResponse(url, body=attachment.data, headers=content_type)
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise FatalURLFetchingError(f"refused to fetch {url[:80]}")
            path = Path(unquote(parts.path)).resolve()
            if not any(inside(path, folder) for folder in self._allowed):
                raise FatalURLFetchingError(f"refused to read {path}: outside the theme")
            if not path.is_file():
                raise FatalURLFetchingError(f"theme file not found: {path}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={})

    return ThemeOnlyFetcher


def write_pdf(
    html: str,
    *,
    base_dir: Path,
    allowed: list[Path],
    variant: str = DEFAULT_PDF_VARIANT,
    identifier: bytes,
    date: dt.date,
    attachments: list[Attachment] | None = None,
) -> bytes:
    """Lay out `html` (relative URLs resolve in `base_dir`) and return the PDF bytes.

    The same arguments give the same bytes: the file identifier is `identifier`
    and every date in the file (document and attachments) is `date`, so nothing
    depends on the clock or on chance.
    """
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from . import svgtext

    svgtext.install()
    if variant not in PDF_VARIANTS:
        raise ValueError(f"unknown PDF variant {variant!r}; choose one of {PDF_VARIANTS}")
    by_url = {_INPUT_SCHEME + quote(a.name): a for a in attachments or []}
    fetcher = _fetcher_class()(allowed, by_url)
    midnight = dt.datetime(date.year, date.month, date.day)
    embedded = [
        weasyprint.Attachment(
            url=url,
            url_fetcher=fetcher,
            name=attachment.name,
            description=attachment.description,
            created=midnight,
            modified=midnight,
            relationship="Source",
        )
        for url, attachment in by_url.items()
    ]
    try:
        with _pause_collector_for_layout():
            document = weasyprint.HTML(
                string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher
            )
            pdf = bytes(
                document.write_pdf(
                    pdf_variant=variant,
                    pdf_tags=True,  # PDF/A-3b does not ask for tags; readers still need them
                    pdf_identifier=identifier,
                    attachments=embedded,
                )
            )
    except FatalURLFetchingError as exc:
        cause = fetcher.refused[0] if fetcher.refused else exc.__cause__ or exc
        raise BuildError(f"PDF: {cause}{_ONLY_OWN_FILES}") from exc
    if fetcher.refused:
        raise BuildError(f"PDF: {fetcher.refused[0]}{_ONLY_OWN_FILES}")
    return pdf


# Python's cycle collector off while WeasyPrint lays out. Layout makes millions of
# short-lived objects, and the collector walks the ones that stay (boxes, styles,
# pages) again and again: pausing it saved 16 % of the CPU time of a 35-page
# briefing and 8-14 % of a 329-page one, for 14 % and 6 % more peak memory, with
# the same bytes (bench/gc_pause.py, BENCHMARKS.md). Collection resumes when the
# PDF is done.
_pause_collector_for_layout = collector_off


@functools.cache
def weasyprint_version() -> str:
    """The installed WeasyPrint's version, from its metadata: importing WeasyPrint
    to ask would cost half a second."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:  # pragma: no cover - WeasyPrint is a dependency
        return "unknown"


_ONLY_OWN_FILES = "; the theme and the project's templates/ may use only files inside themselves"
