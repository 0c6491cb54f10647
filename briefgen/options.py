"""Build options: how to build, as one frozen value every layer may take.

This module sits at the bottom and imports nothing of briefgen's: it checks
its own shape (a known PDF variant, a shard that exists) and leaves format
names, which point into the table of formats, to the build (build.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# Tagged PDF/UA-1 reads aloud and reflows for every reader; PDF/A-3b is for
# archives, and keeps the attached inputs (PDF/A-3 allows any attachment).
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
DEFAULT_PDF_VARIANT = PDF_VARIANTS[0]

# Seconds one briefing may take to render: ten times what a long briefing needs.
DEFAULT_RENDER_TIMEOUT = 300.0


class Signer(Protocol):
    """What `build --sign` signs with (signing.SigningKey), opened before anything renders."""

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate: part of a signed PDF's cache key."""
        ...

    def sign(self, pdf: bytes) -> bytes:
        """`pdf` with a signature appended as an incremental update."""
        ...


@dataclass(frozen=True)
class BuildOptions:
    """How to build; the CLI fills this from its flags."""

    pdf_variant: str = DEFAULT_PDF_VARIANT  # or "pdf/a-3b"; see PDF_VARIANTS
    strict: bool = False  # analytic warnings are errors: nothing is written
    # Every briefing in these formats instead of those it lists (build --format).
    override_formats: tuple[str, ...] | None = None
    # Only these formats of each briefing (a preview builds html first); None: all it lists.
    formats: tuple[str, ...] | None = None
    # Seconds one briefing may take to render (None: no limit); enforced on Unix
    # in the main thread, which is where builds run.
    render_timeout: float | None = DEFAULT_RENDER_TIMEOUT
    force: bool = False  # render every output, even those that are up to date
    jobs: int = 1  # worker processes laying out PDFs side by side
    # (K, N): build only shard K (from 1) of N of the briefings asked for (shard.py).
    shard: tuple[int, int] | None = None
    # Sign each PDF with this key (build --sign); it joins the PDFs' cache key
    # (formats/page.py's pdf_key).
    signing: Signer | None = None

    def __post_init__(self) -> None:
        if self.pdf_variant not in PDF_VARIANTS:
            choices = ", ".join(PDF_VARIANTS)
            raise ValueError(f"unknown PDF variant {self.pdf_variant!r}; choose {choices}")
        if self.shard is not None and not 1 <= self.shard[0] <= self.shard[1]:
            raise ValueError(f"shard {self.shard[0]}/{self.shard[1]}: K must be from 1 to N")

    @property
    def format_names(self) -> tuple[str, ...]:
        """Every format name these options give (to check against the table)."""
        return (*(self.override_formats or ()), *(self.formats or ()))


__all__ = [
    "DEFAULT_PDF_VARIANT",
    "DEFAULT_RENDER_TIMEOUT",
    "PDF_VARIANTS",
    "BuildOptions",
    "Signer",
]
