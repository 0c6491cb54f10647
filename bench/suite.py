"""How long `make check`'s tests take, at one commit or several side by side.

    python bench/suite.py --runs 3 HEAD~3 HEAD

Checks each commit out into a temporary worktree and runs the tests `make check`
runs there (`pytest -n 2 -m "not slow" -q`, lint left out), with this checkout's
virtual environment; the commits take turns, run after run, so a change in the
machine's load falls on all of them alike. Prints, for each commit, its wall and
CPU times (user + system, the xdist workers included) run by run and their
medians, then the ratio of medians to the first commit's, as JSON. The tests must
pass: a failing run is reported and stops the measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TESTS = ["-m", "pytest", "-n", "2", "-m", "not slow", "-q", "-p", "no:cacheprovider"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(tree: Path, basetemp: Path) -> tuple[float, float]:
    """One run of the tests in `tree`: wall and CPU seconds."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cpu, start = _children_cpu(), time.perf_counter()
    result = subprocess.run(
        [sys.executable, *TESTS, f"--basetemp={basetemp}"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"the tests failed in {tree}:\n{result.stdout[-3000:]}")
    return wall, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commits", nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="briefgen-suite-") as scratch:
        trees = {}
        for n, commit in enumerate(args.commits):
            tree = Path(scratch) / f"tree-{n}"
            subprocess.run(
                ["git", "worktree", "add", "--detach", "--quiet", str(tree), commit],
                cwd=REPO,
                check=True,
            )
            trees[commit] = tree
        times: dict[str, dict[str, list[float]]] = {
            c: {"wall": [], "cpu": []} for c in args.commits
        }
        try:
            for run in range(args.runs):
                for commit, tree in trees.items():
                    wall, cpu = _run(tree, Path(scratch) / f"tmp-{run}-{commit}")
                    times[commit]["wall"].append(round(wall, 1))
                    times[commit]["cpu"].append(round(cpu, 1))
                    print(f"{commit}: {wall:.1f} s wall, {cpu:.1f} s CPU", file=sys.stderr)
        finally:
            for tree in trees.values():
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO)
    first = args.commits[0]
    medians = {c: {k: statistics.median(v) for k, v in t.items()} for c, t in times.items()}
    report = {
        "load average before": load,
        "load average after": os.getloadavg(),
        "runs": times,
        "medians": medians,
        f"ratio of medians to {first}": {
            c: {k: round(m[k] / medians[first][k], 2) for k in m} for c, m in medians.items()
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
