"""What the theme's fonts for every script (issue 21) cost: in the wheel, in a PDF,
in the HTML, and in build time.

    python bench/fonts.py --runs 5

Builds the example project (HTML and PDF of both briefings) in fresh processes,
alternating two variants: as it is, quoting KCNA in Korean and TASS in Russian,
and the same project with those titles and quotes replaced by their English
translations (Latin text only: no CJK face). Prints, per variant, the medians of
the build's wall and CPU time and of the CPU spent subsetting fonts
(`fonts.subset` and the WOFF2 compression), the size of the main briefing's HTML
and PDF and, of each, the bytes that are fonts (the HTML's @font-face data: URLs,
the PDF's embedded font files); then what the theme's font files add to the wheel
(deflated, as a wheel stores them), and the ratios of the two variants.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
MAIN = "ru-kp-exchange"

BUILD = """
import json, sys, time
from pathlib import Path
from briefgen import fonts
spent = [0.0]
def timed(function):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start
    return wrapper
fonts.subset = timed(fonts.subset)  # the cache inside stays: a hit costs nothing
fonts._compressed = timed(fonts._compressed)
wall, cpu = time.perf_counter(), time.process_time()
from briefgen.build import build
build(Path(sys.argv[1]))
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "font_cpu": spent[0]}))
"""


def latin_only(root: Path) -> None:
    """The example with its Korean and Russian titles and quotes replaced by their
    translations: the same facts and sources, in Latin script only."""
    sources = root / "facts/sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = re.sub(
        r"    title: .*\n    lang: \w+\n    translated_title: (.*)\n", r"    title: \1\n", text
    )
    sources.write_text(text, encoding="utf-8")
    agreements = root / "facts/agreements.yaml"
    text = agreements.read_text(encoding="utf-8")
    text = text.replace(
        "quote: 군사적 및 기타 원조를 제공한다",
        "quote: shall provide military and other assistance",
    )
    text = text.replace("quote: военную и иную помощь", "quote: military and other assistance")
    agreements.write_text(text, encoding="utf-8")
    everything = "".join(p.read_text(encoding="utf-8") for p in root.rglob("*.yaml"))
    assert not re.search(r"[\u0400-\u04ff\uac00-\ud7af]", everything), "non-Latin text left"


def project(workdir: Path, variant: str) -> Path:
    root = workdir / variant
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copy(REPO / "briefgen.yaml", root)
    shutil.copytree(REPO / "facts", root / "facts")
    if variant == "latin":
        latin_only(root)
    return root


def font_bytes_in_html(html: str) -> int:
    return sum(len(m) for m in re.findall(r'url\("(data:font/[^"]+)"\)', html))


def font_bytes_in_pdf(pdf: Path) -> int:
    import pypdf

    total = 0
    reader = pypdf.PdfReader(pdf)
    seen = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor and descriptor.raw_get(key).idnum not in seen:
                        seen.add(descriptor.raw_get(key).idnum)
                        total += len(descriptor[key].get_object()._data)  # as stored
    return total


def measure(root: Path) -> dict[str, float]:
    shutil.rmtree(root / "output", ignore_errors=True)
    shutil.rmtree(root / ".briefgen-cache", ignore_errors=True)
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(root)}
    done = subprocess.run(
        [PY, "-c", BUILD, str(root)], capture_output=True, text=True, check=True, env=env
    )
    out: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    html = (root / "output" / f"{MAIN}.html").read_text(encoding="utf-8")
    pdf = root / "output" / f"{MAIN}.pdf"
    out.update(
        html_kb=len(html.encode()) / 1024,
        html_font_kb=font_bytes_in_html(html) / 1024,
        pdf_kb=pdf.stat().st_size / 1024,
        pdf_font_kb=font_bytes_in_pdf(pdf) / 1024,
    )
    return out


def wheel_kb() -> tuple[float, float]:
    """The theme's font folder as a wheel stores it (deflated): the Noto faces and
    coverage.json (the only file issue 21 added there)."""
    folder = REPO / "templates" / "fonts"
    sizes = {}
    for path in sorted(folder.iterdir()):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, path.name)
        sizes[path.name] = len(buffer.getvalue())
    return sum(sizes.values()) / 1024, sizes["coverage.json"] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-fonts-"))
    variants = ("latin", "multilingual")
    roots = {variant: project(workdir, variant) for variant in variants}
    results: dict[str, list[dict[str, float]]] = {variant: [] for variant in variants}
    for run in range(args.runs):
        for variant in variants if run % 2 == 0 else variants[::-1]:
            results[variant].append(measure(roots[variant]))
            print(variant, run + 1, json.dumps(results[variant][-1]), file=sys.stderr)
    keys = ("wall", "cpu", "font_cpu", "html_kb", "html_font_kb", "pdf_kb", "pdf_font_kb")
    medians = {v: {k: statistics.median(r[k] for r in results[v]) for k in keys} for v in variants}
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"medians of {args.runs} runs each, alternating; load average {' '.join(load)} at the end\n"
    )
    print("| | Latin only | with Korean and Russian | ratio |")
    print("|---|---|---|---|")
    labels = {
        "wall": "build wall (s)",
        "cpu": "build CPU (s)",
        "font_cpu": "of which subsetting fonts, CPU (s)",
        "html_kb": f"{MAIN}.html (KB)",
        "html_font_kb": "of which fonts (KB)",
        "pdf_kb": f"{MAIN}.pdf (KB)",
        "pdf_font_kb": "of which fonts (KB)",
    }
    for key in keys:
        a, b = medians["latin"][key], medians["multilingual"][key]
        print(f"| {labels[key]} | {a:.2f} | {b:.2f} | {b / a:.2f}× |")
    total, coverage = wheel_kb()
    print(
        f"\nwheel: templates/fonts/ deflated {total:.0f} KB, "
        f"of which coverage.json {coverage:.0f} KB"
    )


if __name__ == "__main__":
    main()
