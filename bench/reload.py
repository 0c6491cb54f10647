"""A process that validates one project again and again, as `serve`, `build
--watch` and the language server do: how long each `validate` takes, and how many
full collections of the cycle collector the loads make.

    python bench/reload.py --facts 10000 --loads 12 [--tree CHECKOUT]

Generates bench/generate.py's project of `--facts` facts in a temporary folder,
validates it `--loads` times in this process, and prints as JSON the number of
full (oldest-generation) collections and the median time of the loads after the
first two (the first parses every sheet; the parse cache serves the rest).
`--tree` imports briefgen from another checkout, to compare two commits.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=12)
    parser.add_argument("--tree", type=Path, default=BENCH.parent)
    args = parser.parse_args()
    sys.path[:0] = [str(args.tree.resolve()), str(BENCH)]
    from generate import generate_project

    from briefgen.build import validate

    full: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    with tempfile.TemporaryDirectory(prefix="briefgen-reload-") as folder:
        root = Path(folder) / "project"
        generate_project(root, args.facts)
        gc.callbacks.append(seen)
        times = []
        for _ in range(args.loads):
            start = time.perf_counter()
            validate(root)
            times.append(time.perf_counter() - start)
        gc.callbacks.remove(seen)
    report = {
        "briefgen": str(sys.modules["briefgen"].__file__),
        "facts": args.facts,
        "loads": args.loads,
        "full collections": len(full),
        "median validate after the first two (s)": round(statistics.median(times[2:]), 3),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
