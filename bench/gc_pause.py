"""Does pausing Python's cycle collector while WeasyPrint lays out pay, and what does it cost?

    python bench/gc_pause.py --sizes 100,1000 --runs 3

For each size, generates bench/generate.py's project, works out exactly what
`briefgen build main` hands WeasyPrint (bench/run.py --inspect), then lays it
out in fresh processes, alternating: with the collector paused for the layout,
as `briefgen.pdf.write_pdf` does, and running throughout, as it did before.
Prints, per size, the median wall and CPU time and the peak memory of each,
and whether the PDFs are byte for byte the same.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import PY, REPO, generate  # noqa: E402

LAY_OUT = """
import contextlib, json, pickle, resource, sys, time
import briefgen.pdf
if sys.argv[3] == "on":  # as before briefgen paused it: the collector runs throughout
    briefgen.pdf._pause_collector_for_layout = contextlib.nullcontext
layout = pickle.load(open(sys.argv[1], "rb"))  # what `build main` hands WeasyPrint
wall, cpu = time.perf_counter(), time.process_time()
data = layout.lay_out()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
open(sys.argv[2], "wb").write(data)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": peak}))
"""


def lay_out(arguments: Path, out: Path, collector: str) -> dict[str, float]:
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [PY, "-c", LAY_OUT, str(arguments), str(out), collector],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return dict(json.loads(done.stdout))


def inspect(root: Path) -> Path:
    """What `briefgen build main` hands WeasyPrint, pickled (bench/run.py --inspect)."""
    done = subprocess.run(
        [PY, str(BENCH / "run.py"), "--inspect", str(root)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    return Path(json.loads(done.stdout)["arguments"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--modes", default="on,off", help="on: collector running; off: paused")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-gc-") as temporary:
        workdir = (args.workdir or Path(temporary)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            root = workdir / f"facts-{size}"
            if not (root / "briefgen.yaml").exists():
                generate(root, size)
            arguments = inspect(root)
            modes = args.modes.split(",")
            samples: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
            outputs: dict[str, bytes] = {}
            for run in range(args.runs):
                for collector in modes if run % 2 == 0 else modes[::-1]:
                    out = workdir / f"facts-{size}-{collector}.pdf"
                    samples[collector].append(lay_out(arguments, out, collector))
                    outputs[collector] = out.read_bytes()
                    print(size, collector, samples[collector][-1], file=sys.stderr, flush=True)
            summary = {
                collector: {
                    key: round(statistics.median(s[key] for s in runs), 2)
                    for key in ("wall", "cpu", "rss_mb")
                }
                for collector, runs in samples.items()
            }
            if len(modes) != 2:
                print(json.dumps(summary), flush=True)
                continue
            on, off = summary["on"], summary["off"]
            result = {
                "facts": size,
                "runs": args.runs,
                "collector on": on,
                "collector paused": off,
                "time saved": f"{1 - off['wall'] / on['wall']:.0%} wall, "
                f"{1 - off['cpu'] / on['cpu']:.0%} CPU",
                "memory added": f"{off['rss_mb'] - on['rss_mb']:+.0f} MB "
                f"({off['rss_mb'] / on['rss_mb'] - 1:+.0%})",
                "same bytes": outputs["on"] == outputs["off"],
            }
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
