"""Benchmark briefgen on generated projects and write the table to BENCHMARKS.md.

    python bench/run.py [--sizes 100,1000,10000] [--runs 3] [--out BENCHMARKS.md]

For each size it generates a project (bench/generate.py) and runs briefgen as a
user does, each time in a fresh process (`python -m briefgen ...`), --runs
times, reporting medians: `--help`, `validate`, a cold `build main`, a no-op
rebuild, a rebuild after one fact of `main` changed (and, where `main` leaves
some sheets out, after a fact in one of those changed), WeasyPrint alone laying
out the same final HTML, and the four `desk-N` briefings with `--jobs 1` and
`--jobs 2`. Peak memory is the child's ru_maxrss (from os.wait4, so it covers
the workers a build spawns); CPU time is the child's user + system time.

The measured part of the output file sits between two marker lines; when the
file exists, only that part is replaced, so notes written around it stay.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import pickle
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from generate import DESKS, Generated, generate_project  # noqa: E402

BEGIN = "<!-- bench:begin (written by bench/run.py; edit around it) -->"
END = "<!-- bench:end -->"
PY = sys.executable
DESK_IDS = [f"desk-{n}" for n in range(1, DESKS + 1)]
# WeasyPrint alone: a fresh process that lays out the very arguments briefgen
# passes it for `main` (HTML, theme, attachments, identifier, date) and writes the
# PDF; it imports nothing of briefgen but pdf.py's thin wrapper.
WEASYPRINT_ALONE = (
    "import pickle, sys; "
    "args = pickle.load(open(sys.argv[1], 'rb')); "
    "open(sys.argv[2], 'wb').write(args.lay_out())"
)


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float


@dataclass
class Series:
    """Several runs of one command."""

    command: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)


@dataclass
class SizeResult:
    project: Generated
    main_facts: int = 0
    main_pages: int = 0
    desk_facts: list[int] = field(default_factory=list)
    # A fact in a sheet `main` does not draw on, if the project has one (inputs.py).
    elsewhere: str | None = None
    same_pdf: bool = False
    validate_imports_weasyprint: bool = True
    series: dict[str, Series] = field(default_factory=dict)
    worker_inputs: dict[str, float] = field(default_factory=dict)


def child(args: list[str], cwd: Path) -> Sample:
    """Run one command to the end; its wall time, CPU time and peak memory."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            sys.exit(f"bench: {' '.join(args)} failed:\n{err.read().decode()[-3000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def briefgen(*args: str) -> list[str]:
    return [PY, "-m", "briefgen", *args]


def shown(args: list[str]) -> str:
    """A command as a reader would type it."""
    if args[:3] == [PY, "-m", "briefgen"]:
        return " ".join(["briefgen", *args[3:]])
    return " ".join(a if " " not in a else repr(a) for a in [Path(args[0]).name, *args[1:]])


def run_series(result: SizeResult, name: str, args: list[str], cwd: Path, runs: int) -> None:
    series = result.series.setdefault(name, Series(shown(args)))
    for _ in range(runs):
        series.samples.append(child(args, cwd))


def change_fact(root: Path, fact_id: str, revision: str | None) -> None:
    """Mark the first line of one fact's text with `revision` (None: as generated),
    as an analyst's edit would change it."""
    for sheet in sorted((root / "facts").rglob("*.yaml")):
        text = sheet.read_text(encoding="utf-8")
        at = text.find(f"  - id: {fact_id}\n")
        if at < 0:
            continue
        marker = "    text: |\n      "
        start = text.index(marker, at) + len(marker)
        rest = re.sub(r"^Revision [^:]*: ", "", text[start:], count=1)
        mark = f"Revision {revision}: " if revision is not None else ""
        sheet.write_text(text[:start] + mark + rest, encoding="utf-8")
        return
    raise LookupError(fact_id)


def generate(root: Path, size: int) -> Generated:
    """bench/generate.py's project of `size` facts, written by a child process.

    Not here: memory Python frees stays in the process, and every command the
    benchmark then starts would count this process's size in its peak memory
    (a child's ru_maxrss starts from its parent's resident set).
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [PY, __file__, "--generate", str(size), str(root)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    fields = json.loads(done.stdout)
    return Generated(**{**fields, "root": Path(fields["root"])})


def inspect(result: SizeResult, root: Path) -> tuple[str, Path]:
    """Facts per briefing, a fact of `main` to edit, and the arguments briefgen
    passes WeasyPrint for main's PDF (saved, for WeasyPrint alone).

    Worked out in a child process: a benchmark process that held a loaded
    project would lend its size to every child's peak memory (ru_maxrss counts
    the copy a child starts as, before it runs the command).
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [PY, __file__, "--inspect", str(root)], capture_output=True, text=True, env=env, check=True
    )
    found = json.loads(done.stdout)
    result.main_facts, result.desk_facts = found["main_facts"], found["desk_facts"]
    result.elsewhere = found["elsewhere"]
    return found["fact_id"], Path(found["arguments"])


def inspect_here(root: Path) -> dict[str, object]:
    from briefgen.assemble import included_facts
    from briefgen.build import _prepare, validate
    from briefgen.options import BuildOptions
    from briefgen.pdf import PdfArguments
    from briefgen.projection import project_briefing

    project, problems = validate(root)
    assert not [p for p in problems if p.severity == "error"], problems[:5]
    main = included_facts(project, project.briefings["main"].item)
    # Exactly what `briefgen build main` lays out: the print HTML, the theme, the
    # attached inputs, the file identifier and the edition date.
    [(_, pdf)] = _prepare(project, "main", BuildOptions(formats=("pdf",)))
    assert isinstance(pdf, PdfArguments)
    arguments = root.parent / f"{root.name}-main.pickle"
    arguments.write_bytes(pickle.dumps(pdf))
    html = root.parent / f"{root.name}-main.html"  # for bench/profile_weasyprint.py
    html.write_text(pdf.html, encoding="utf-8")
    drawn_on = {item.path for item in project_briefing(project, "main")}
    elsewhere = [p.item.id for p in project.facts.values() if p.file.path not in drawn_on]
    return {
        "elsewhere": elsewhere[0] if elsewhere else None,
        "main_facts": len(main),
        "desk_facts": [len(included_facts(project, project.briefings[i].item)) for i in DESK_IDS],
        "fact_id": main[0].id,
        "arguments": str(arguments),
    }


def pages(pdf: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a test dependency
        return 0
    return len(PdfReader(pdf).pages)


def imports_weasyprint(root: Path) -> bool:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [PY, "-X", "importtime", "-m", "briefgen", "validate"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return bool(re.search(r"\|\s+weasyprint(\.|$)", done.stderr, re.MULTILINE))


def bench_size(size: int, runs: int, workdir: Path, log: list[str]) -> SizeResult:
    root = workdir / f"facts-{size}"
    shutil.rmtree(root, ignore_errors=True)
    result = SizeResult(generate(root, size))
    fact_id, arguments = inspect(result, root)
    say = log.append
    say(f"{size} facts: main has {result.main_facts}, desks {result.desk_facts}")

    run_series(result, "help", briefgen("--help"), root, runs)
    run_series(result, "validate", briefgen("validate"), root, runs)
    result.validate_imports_weasyprint = imports_weasyprint(root)
    say(f"  validate {result.series['validate'].wall:.2f} s")

    for revision in range(runs):
        shutil.rmtree(root / "output", ignore_errors=True)
        run_series(result, "cold", briefgen("build", "main"), root, 1)
        run_series(result, "noop", briefgen("build", "main"), root, 1)
        change_fact(root, fact_id, str(revision + 1))
        run_series(result, "changed", briefgen("build", "main"), root, 1)
        if result.elsewhere is not None:
            change_fact(root, result.elsewhere, str(revision + 1))
            run_series(result, "elsewhere", briefgen("build", "main"), root, 1)
        say(f"  build run {revision + 1}: cold {result.series['cold'].samples[-1].wall:.1f} s")
    result.series["changed"].command += f"  # after editing {fact_id}'s text"
    result.series["noop"].command += "  # again, nothing changed"
    if result.elsewhere is not None:
        result.series["elsewhere"].command += f"  # after editing {result.elsewhere}'s text"
        change_fact(root, result.elsewhere, None)

    # WeasyPrint alone on what briefgen lays out for `main` as generated.
    change_fact(root, fact_id, None)
    child(briefgen("build", "main"), root)
    alone = root.parent / f"{root.name}-alone.pdf"
    run_series(
        result, "weasyprint", [PY, "-c", WEASYPRINT_ALONE, str(arguments), str(alone)], root, runs
    )
    result.series[
        "weasyprint"
    ].command = "python -c 'arguments.lay_out()'  # main's pdf.PdfArguments, as build makes them"
    result.same_pdf = alone.read_bytes() == (root / "output/main.pdf").read_bytes()
    result.main_pages = pages(root / "output/main.pdf")
    say(f"  weasyprint alone {result.series['weasyprint'].wall:.1f} s, {result.main_pages} pages")

    for jobs in (1, 2):
        args = briefgen("build", *DESK_IDS, "--force", "--jobs", str(jobs))
        child(briefgen("build", *DESK_IDS), root)  # outputs in place, so --force has work
        run_series(result, f"jobs{jobs}", args, root, runs)
    say(f"  jobs 1 {result.series['jobs1'].wall:.1f} s, jobs 2 {result.series['jobs2'].wall:.1f} s")

    done = subprocess.run(
        [PY, str(BENCH / "worker_inputs.py"), str(root), *DESK_IDS, "--runs", str(runs)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    result.worker_inputs = json.loads(done.stdout)
    return result


def machine() -> dict[str, str]:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    from importlib.metadata import version

    memory = first("/proc/meminfo", "MemTotal")
    if memory.endswith(" kB"):
        memory = f"{int(memory[:-3]) / 1024 / 1024:.1f} GiB"
    return {
        "CPU": first("/proc/cpuinfo", "model name"),
        "cores": str(os.cpu_count()),
        "RAM": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "WeasyPrint": version("weasyprint"),
        "pydantic": version("pydantic"),
        "PyYAML": version("pyyaml") + (" (libyaml)" if _libyaml() else " (pure Python)"),
    }


def _libyaml() -> bool:
    import yaml

    return bool(getattr(yaml, "__with_libyaml__", False))


def fmt_time(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def report(results: dict[int, SizeResult], runs: int, started: dict[str, str]) -> str:
    sizes = list(results)
    head = "| | " + " | ".join(f"{s:,} facts" for s in sizes) + " |"
    rule = "|---|" + "---|" * len(sizes)

    def row(label: str, cell: object) -> str:
        assert callable(cell)
        return f"| {label} | " + " | ".join(cell(results[s]) for s in sizes) + " |"

    def timed(name: str, memory: bool = False) -> object:
        def cell(r: SizeResult) -> str:
            series = r.series[name]
            text = f"{fmt_time(series.wall)} (CPU {fmt_time(series.cpu)})"
            return f"{text}, {series.rss_mb:.0f} MB" if memory else text

        return cell

    def elsewhere(r: SizeResult) -> str:
        if r.elsewhere is None:
            return "— (`main` draws on every sheet)"
        cell = timed("elsewhere")
        assert callable(cell)
        return str(cell(r))

    lines = [
        BEGIN,
        "",
        f"Measured {started['date']} with `python bench/run.py --sizes "
        f"{','.join(map(str, sizes))} --runs {runs}`: medians of {runs} "
        f"run{'s' if runs != 1 else ''}, wall clock (CPU time of the process and "
        "its workers in brackets); memory is the peak resident set of the process "
        "or its largest worker.",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in started["machine"].items()),  # type: ignore[attr-defined]
        f"| load average | {started['load_before']} before, {started['load_after']} after |",
        "",
        head,
        rule,
        row("project", lambda r: f"{r.project.sheets} sheets, {r.project.sources:,} sources"),
        row(
            "`main` briefing",
            lambda r: (
                f"{r.main_facts:,} facts, {r.main_pages} pages"
                + ("" if r.main_facts == r.project.facts else " (include filter)")
            ),
        ),
        row("`desk-1`…`desk-4`", lambda r: "/".join(map(str, r.desk_facts)) + " facts"),
        row("`briefgen --help`", timed("help")),
        row("`briefgen validate`", timed("validate", memory=True)),
        row(
            "`validate` imports WeasyPrint",
            lambda r: "yes" if r.validate_imports_weasyprint else "no",
        ),
        row("cold `build main`", timed("cold", memory=True)),
        row("WeasyPrint alone, same HTML", timed("weasyprint", memory=True)),
        row(
            "**cold build ÷ WeasyPrint alone**",
            lambda r: (
                f"**{r.series['cold'].wall / r.series['weasyprint'].wall:.2f}**"
                + ("" if r.same_pdf else " (PDFs differ!)")
            ),
        ),
        row("no-op rebuild", timed("noop")),
        row(
            "**no-op ÷ cold**",
            lambda r: f"**{100 * r.series['noop'].wall / r.series['cold'].wall:.1f} %**",
        ),
        row("rebuild, one fact changed", timed("changed")),
        row("rebuild, a fact in a sheet `main` does not draw on changed", elsewhere),
        row("4 desks, `--jobs 1`", timed("jobs1", memory=True)),
        row("4 desks, `--jobs 2`", timed("jobs2", memory=True)),
        row(
            "**`--jobs 1` ÷ `--jobs 2`**",
            lambda r: f"**{r.series['jobs1'].wall / r.series['jobs2'].wall:.2f}×**",
        ),
        row(
            "workers given HTML / given project+id",
            lambda r: (
                f"{fmt_time(r.worker_inputs['html'])} / {fmt_time(r.worker_inputs['project'])}"
            ),
        ),
        "",
        "Targets:",
        "",
        *targets(results),
        "",
        "The commands (run in the generated project's folder, "
        "`python -m briefgen` with the checkout on PYTHONPATH):",
        "",
        "| row | command |",
        "|---|---|",
    ]
    any_result = results[sizes[-1]]
    labels = {
        "help": "`--help`",
        "validate": "`validate`",
        "cold": "cold build (output/ removed first)",
        "noop": "no-op rebuild",
        "changed": "one fact changed",
        "elsewhere": "a fact elsewhere changed",
        "weasyprint": "WeasyPrint alone",
        "jobs1": "`--jobs 1`",
        "jobs2": "`--jobs 2`",
    }
    for name, label in labels.items():
        if name in any_result.series:
            lines.append(f"| {label} | `{any_result.series[name].command}` |")
    lines += [
        "| workers given HTML / project+id | "
        f"`python bench/worker_inputs.py PROJECT {' '.join(DESK_IDS)} --runs {runs}` |",
        "",
        END,
    ]
    return "\n".join(lines) + "\n"


def targets(results: dict[int, SizeResult]) -> list[str]:
    out = []

    def check(ok: bool, text: str) -> None:
        out.append(f"- {'met' if ok else '**not met**'}: {text}")

    for size, r in results.items():
        check(
            not r.validate_imports_weasyprint,
            f"{size:,} facts: `validate` does not import WeasyPrint",
        )
    if 10_000 in results:
        v = results[10_000].series["validate"].wall
        check(v < 2, f"`validate` on 10,000 facts under 2 s: {fmt_time(v)}")
    if 1000 in results and 10_000 in results:
        ratio = results[10_000].series["validate"].wall / results[1000].series["validate"].wall
        check(ratio <= 10, f"`validate` no worse than linear, 1,000 → 10,000 facts: ×{ratio:.1f}")
    for size, r in results.items():
        cold, noop = r.series["cold"].wall, r.series["noop"].wall
        check(
            noop <= 0.1 * cold, f"{size:,}: no-op rebuild ≤ 10 % of cold: {100 * noop / cold:.1f} %"
        )
    for size, r in results.items():
        if r.elsewhere is not None:
            cold, other = r.series["cold"].wall, r.series["elsewhere"].wall
            check(
                other <= 0.1 * cold,
                f"{size:,}: an edit to a sheet `main` does not draw on is a no-op "
                f"(≤ 10 % of cold): {100 * other / cold:.1f} %",
            )
    for size, r in results.items():
        ratio = r.series["cold"].wall / r.series["weasyprint"].wall
        check(ratio <= 1.15, f"{size:,}: cold build ≤ 1.15 × WeasyPrint alone: {ratio:.2f}")
    for r in results.values():
        if r.main_facts >= 1000:
            big = r.series["cold"]
            check(
                big.wall < 30 and big.rss_mb < 600,
                f"{r.main_facts:,}-fact briefing under 30 s and 600 MB: "
                f"{fmt_time(big.wall)}, {big.rss_mb:.0f} MB",
            )
    for size, r in results.items():
        speedup = r.series["jobs1"].wall / r.series["jobs2"].wall
        check(
            speedup >= 1.6, f"{size:,}: `--jobs 2` ≥ 1.6 × faster than `--jobs 1`: {speedup:.2f}×"
        )
    return out


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="facts per project")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command")
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument(
        "--workdir", type=Path, help="where projects are generated (default: a temporary folder)"
    )
    parser.add_argument("--inspect", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inspect:
        print(json.dumps(inspect_here(args.inspect.resolve())))
        return
    if args.generate:
        size, root = args.generate
        made = dataclasses.asdict(generate_project(Path(root), int(size)))
        print(json.dumps({**made, "root": str(made["root"])}))
        return
    sizes = [int(s.replace(",", "").replace("_", "")) for s in args.sizes.split(",") if s]
    started: dict[str, object] = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "load_before": load_average(),
    }
    log: list[str] = []
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as temporary:
        workdir = (args.workdir or Path(temporary)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        results = {}
        for size in sizes:
            results[size] = bench_size(size, args.runs, workdir, log)
            print("\n".join(log), file=sys.stderr)
            log.clear()
    started["load_after"] = load_average()
    table = report(results, args.runs, started)  # type: ignore[arg-type]
    write_report(args.out, table)
    print(table)


def write_report(out: Path, table: str) -> None:
    """Replace the measured part of `out`, keeping what is written around it."""
    if out.exists():
        text = out.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            before, rest = text.split(BEGIN, 1)
            after = rest.split(END, 1)[1]
            out.write_text(before + table.rstrip("\n") + after, encoding="utf-8")
            return
    out.write_text("# briefgen benchmarks\n\n" + table, encoding="utf-8")


if __name__ == "__main__":
    main()
