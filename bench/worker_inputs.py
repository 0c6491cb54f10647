"""What to send a `--jobs` worker: the finished HTML, or the project and a briefing id?

    python bench/worker_inputs.py PROJECT --jobs 2 --runs 3 BRIEFING-ID...

Times both ways of building the same briefings (every output forced) with the
same number of spawned workers, alternating runs, and prints the medians as
JSON: `html` is what `briefgen build --jobs` does (the main process loads the
project once, assembles each briefing and renders its HTML; workers only lay
out PDFs); `project` sends each worker the project folder and a briefing id,
and the worker loads, checks and renders the briefing itself.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefgen.build import build, render_briefing, validate
from briefgen.options import BuildOptions
from briefgen.output import write_atomic


def _render_from_project(root: Path, briefing_id: str) -> list[tuple[Path, bytes]]:
    project, _ = validate(root)
    return render_briefing(project, briefing_id, BuildOptions())


def send_project(root: Path, ids: list[str], jobs: int) -> None:
    validate(root)  # the CLI checks the whole project before building, either way
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        results = pool.starmap(_render_from_project, [(root, i) for i in ids])
    for files in results:
        for path, data in files:
            write_atomic(path, data)


def send_html(root: Path, ids: list[str], jobs: int) -> None:
    build(root, ids, BuildOptions(force=True, jobs=jobs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("ids", nargs="+")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = args.project.resolve()
    times: dict[str, list[float]] = {"html": [], "project": []}
    for _ in range(args.runs):
        for name, way in (("html", send_html), ("project", send_project)):
            start = time.perf_counter()
            way(root, args.ids, args.jobs)
            times[name].append(time.perf_counter() - start)
    print(json.dumps({name: statistics.median(values) for name, values in times.items()}))


if __name__ == "__main__":
    main()
