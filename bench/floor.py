"""How fast WeasyPrint can lay out a briefing's content at all: the theme against
lighter variants of it, each in a fresh process.

    python bench/floor.py FACTS-N-main.html [--only theme,no-flex]

`bench/run.py` leaves each size's `main` print HTML next to its project
(`facts-N-main.html`). Each variant lays that HTML out and writes a PDF/UA-1
file as `briefgen build` does, and reports wall time, pages and peak memory:

- theme: the HTML as briefgen writes it;
- no-flex: the theme with its flex boxes (fact badges, agreement and risk
  details) laid out as blocks and floats instead;
- browser-defaults: every stylesheet removed, so only WeasyPrint's own HTML
  defaults apply: a floor for this much text, whatever the theme;
- gc-off: the theme with Python's cycle collector off while laying out.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

NO_FLEX = (
    ".fact-meta { display: block } .fact-meta > * { margin-right: 1mm }"
    " .details > div { display: block; clear: both }"
    " .details dt { float: left; width: 22mm } .details dd { margin-left: 25mm }"
)
VARIANTS = ("theme", "no-flex", "browser-defaults", "gc-off")


def lay_out(html_path: Path, variant: str) -> dict[str, float]:
    """Run in the child: one variant, timed from parsing to the written PDF."""
    import gc
    import resource

    import weasyprint

    html = html_path.read_text(encoding="utf-8")
    if variant == "no-flex":
        html = html.replace("</head>", f"<style>{NO_FLEX}</style></head>", 1)
    elif variant == "browser-defaults":
        html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    elif variant == "gc-off":
        gc.disable()
    theme = (REPO / "templates").resolve().as_uri() + "/"
    start = time.perf_counter()
    document = weasyprint.HTML(string=html, base_url=theme).render()
    laid_out = time.perf_counter()
    document.write_pdf(pdf_variant="pdf/ua-1")
    end = time.perf_counter()
    return {
        "pages": len(document.pages),
        "layout": laid_out - start,
        "total": end - start,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("--only", default=",".join(VARIANTS), help="variants, comma-separated")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(lay_out(args.html, args.child)))
        return
    print("| variant | pages | layout | layout + PDF | per page | peak memory |")
    print("|---|---|---|---|---|---|")
    for variant in args.only.split(","):
        done = subprocess.run(
            [sys.executable, __file__, str(args.html), "--child", variant],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        r = json.loads(done.stdout)
        print(
            f"| {variant} | {r['pages']:.0f} | {r['layout']:.1f} s | {r['total']:.1f} s "
            f"| {1000 * r['total'] / r['pages']:.0f} ms | {r['peak_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
