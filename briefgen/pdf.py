"""PDF: the briefing's HTML -> a PDF through WeasyPrint, reaching nothing outside.

WeasyPrint is imported inside the functions that need it, so `briefgen
--help` and `validate` never pay for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import BuildError


def _fetcher_class() -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ThemeOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves files inside the allowed folders and nothing else.

        Any other URL (http, data, a file elsewhere) stops the build: a
        briefing that silently lost an image or font is worse than no build.
        """

        def __init__(self, allowed: list[Path]) -> None:
            super().__init__(fail_on_errors=True)
            self._allowed = [folder.resolve() for folder in allowed]

        def fetch(self, url: str, headers: Any = None) -> Any:
            from urllib.parse import unquote, urlsplit

            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise FatalURLFetchingError(f"refused to fetch {url[:80]}")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(folder) for folder in self._allowed):
                raise FatalURLFetchingError(f"refused to read {path}: outside the theme")
            if not path.is_file():
                raise FatalURLFetchingError(f"theme file not found: {path}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={})

    return ThemeOnlyFetcher


def write_pdf(html: str, base_dir: Path, allowed: list[Path], options: dict[str, Any]) -> bytes:
    """Lay out `html` (relative URLs resolve in `base_dir`) and return the PDF bytes."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher_class()(allowed)
    try:
        document = weasyprint.HTML(
            string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher
        )
        return bytes(document.write_pdf(**options))
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise BuildError(f"PDF: {cause}") from exc
