"""Where WeasyPrint spends its time on a briefing: a profile, as a Markdown table.

    python bench/profile_weasyprint.py BRIEFING.html [--theme DIR]

Lays the HTML out and writes the PDF (as `briefgen build` does, PDF/UA-1)
under cProfile, then prints the share of the total spent in the stages and
functions that matter. `bench/run.py` leaves each size's `main` briefing HTML
next to its project (`facts-N-main.html`).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (label, file suffix, function name) of the functions whose cumulative time
# tells the story; a share is of the whole run.
STAGES = [
    ("computed styles (CSS cascade)", "weasyprint/css/__init__.py", "get_all_computed_styles"),
    ("box tree", "weasyprint/formatting_structure/build.py", "build_formatting_structure"),
    ("layout, all pages", "weasyprint/layout/__init__.py", "layout_document"),
    ("  of which line breaking (Pango)", "weasyprint/layout/inline.py", "split_inline_box"),
    ("  of which flex boxes", "weasyprint/layout/flex.py", "flex_layout"),
    ("  of which min/max-content widths", "weasyprint/layout/preferred.py", "min_content_width"),
    ("drawing pages", "weasyprint/document.py", "paint"),
    ("PDF/UA tags", "weasyprint/pdf/tags.py", "add_tags"),
    ("fonts (subsetting)", "weasyprint/pdf/fonts.py", "build_fonts_dictionary"),
    ("writing the PDF file", "pydyf/__init__.py", "write"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("--theme", type=Path, default=REPO / "templates")
    args = parser.parse_args()

    import weasyprint

    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    document = weasyprint.HTML(
        filename=str(args.html), base_url=args.theme.resolve().as_uri() + "/"
    ).render()
    with tempfile.TemporaryDirectory() as folder:
        document.write_pdf(Path(folder) / "out.pdf", pdf_variant="pdf/ua-1")
    profile.disable()
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(
        f"{args.html.name}: {len(document.pages)} pages, {wall:.1f} s under the profiler, "
        f"peak {peak:.0f} MB\n"
    )
    print("| stage | share of the time |")
    print("|---|---|")
    for label, suffix, name in STAGES:
        cumulative = sum(
            entry[3]
            for (path, _, function), entry in stats.stats.items()  # type: ignore[attr-defined]
            if path.endswith(suffix) and function == name
        )
        print(f"| {label} | {100 * cumulative / total:.0f} % |")


if __name__ == "__main__":
    main()
