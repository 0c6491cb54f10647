"""Speed at desk scale: the commands an analyst runs on every save, on a 10,000-fact project.

    python bench/desk.py --facts 10000 --runs 5   # writes its table into BENCHMARKS.md

Rows (each command in a fresh process, as an analyst runs it; medians):

- `validate` cold: the parse cache (.briefgen-cache/) removed first;
- `validate` warm: nothing changed since the last run;
- `validate` after one edit: one fact's text changed in one sheet;
- `build main`, no-op: every output up to date (and the cold build it follows);
- `serve`, save to reload: from writing an edited sheet to the open page in
  Chromium (Debian's, through Playwright, as tests/ start it) showing the
  edit, which takes serve's wait for quiet (0.1 s), the HTML build, the
  page's poll (every 0.5 s) and the reload; the CPU column is serve's own,
  for the rebuild. The project's briefings are built as HTML only for this
  row: the page reloads after the HTML step, before any PDF is laid out, and
  a PDF step running on would only slow the next round.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import (  # noqa: E402
    PY,
    REPO,
    Sample,
    Series,
    briefgen,
    change_fact,
    child,
    fmt_time,
    generate,
    load_average,
)

BEGIN = "<!-- desk:begin (written by bench/desk.py; edit around it) -->"
END = "<!-- desk:end -->"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [  # as tests/helpers.py starts it: headless, no background connections
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TARGETS = {"cold": 2.0, "warm": 0.5, "edit": 0.8}
FIRST_OF_MAIN = (
    "from pathlib import Path; from briefgen.build import validate; "
    "from briefgen.rules import included_facts; p, _ = validate(Path.cwd()); "
    "print(included_facts(p, p.briefings['main'].item)[0].id)"
)


def first_fact_of_main(root: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [PY, "-c", FIRST_OF_MAIN], cwd=root, capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


def measure_validate(root: Path, fact_id: str, runs: int) -> dict[str, Series]:
    command = briefgen("validate")
    series = {name: Series("briefgen validate") for name in ("cold", "warm", "edit")}
    for run in range(runs):
        shutil.rmtree(root / ".briefgen-cache", ignore_errors=True)
        series["cold"].samples.append(child(command, root))
        series["warm"].samples.append(child(command, root))
        change_fact(root, fact_id, f"bench {run}")
        series["edit"].samples.append(child(command, root))
    change_fact(root, fact_id, None)
    return series


def measure_noop(root: Path, runs: int) -> dict[str, Series]:
    command = briefgen("build", "main")
    shutil.rmtree(root / "output", ignore_errors=True)
    cold = Series("briefgen build main", [child(command, root)])
    noop = Series("briefgen build main", [child(command, root) for _ in range(runs)])
    return {"cold build": cold, "noop": noop}


class Serving:
    """`briefgen serve --port 0` in `root`, its output read line by line."""

    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            briefgen("serve", "--port", "0"),
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, pattern: str, timeout: float = 600) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.1))
            if re.search(pattern, line):
                return line

    def cpu(self) -> float:
        """The CPU time serve has used so far (the rebuilds run in its main process)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, quiet: float = 2.0) -> None:
        """Until serve has used no CPU for `quiet` seconds: after the page reloads it
        goes on with the build's other steps (one per format), each validating again."""
        used, since = self.cpu(), time.monotonic()
        while time.monotonic() - since < quiet:
            time.sleep(0.25)
            now = self.cpu()
            if now != used:
                used, since = now, time.monotonic()

    def stop(self) -> None:
        self.process.send_signal(2)  # Ctrl-C, as an analyst stops it
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def html_only(root: Path) -> None:
    config = root / "briefgen.yaml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(    edition: .*)$", r"\1\n    formats: [html]", text)
    config.write_text(text, encoding="utf-8")


def measure_serve(root: Path, fact_id: str, runs: int) -> Series:
    from playwright.sync_api import sync_playwright

    html_only(root)
    series = Series("briefgen serve  # save a sheet, wait for the open page to show it")
    serving = Serving(root)
    try:
        url = serving.expect(r"serving http://127\.0\.0\.1:\d+/").split()[-1]
        serving.expect(r"output/main\.html")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(url + "main.html")
                for run in range(runs):
                    mark = f"saved {run}"
                    serving.wait_idle()  # each round starts from an idle server
                    start, cpu = time.perf_counter(), serving.cpu()
                    change_fact(root, fact_id, mark)
                    page.locator("article", has_text=f"Revision {mark}:").wait_for(timeout=600_000)
                    wall, cpu = time.perf_counter() - start, serving.cpu() - cpu
                    series.samples.append(Sample(wall, cpu, 0.0))
                    print(f"  serve reload {wall:.2f} s, serve's CPU {cpu:.2f} s", file=sys.stderr)
            finally:
                browser.close()
    finally:
        serving.stop()
    return series


def report(series: dict[str, Series], runs: int, loads: tuple[str, str], facts: int) -> str:
    today = dt.date.today().isoformat()
    cold = series["cold"]

    def cpu(s: Series) -> str:
        return f"{fmt_time(s.cpu)}" if s.cpu else "—"

    def ratio(s: Series, to: Series) -> str:
        return f"{s.wall / to.wall:.1%} ({s.cpu / to.cpu:.1%} in CPU)"

    rows = [
        (
            "`validate`, cold (no parse cache)",
            series["cold"],
            "100%",
            "`rm -r .briefgen-cache; briefgen validate`",
        ),
        (
            "`validate`, warm (nothing changed)",
            series["warm"],
            ratio(series["warm"], cold),
            "`briefgen validate  # again`",
        ),
        (
            "`validate`, one sheet edited",
            series["edit"],
            ratio(series["edit"], cold),
            "`briefgen validate  # after editing one fact's text`",
        ),
        (
            "`build main`, cold (output/ removed)",
            series["cold build"],
            "—",
            "`rm -r output; briefgen build main`",
        ),
        (
            "`build main`, no-op",
            series["noop"],
            ratio(series["noop"], series["cold build"]) + " of the cold build",
            "`briefgen build main  # again, nothing changed`",
        ),
        (
            "`serve`: save → page reloaded (CPU: serve's own)",
            series["serve"],
            "—",
            "`briefgen serve` + Chromium: write the sheet, wait for the new text",
        ),
    ]
    lines = [
        f"Measured {today} with `python bench/desk.py --facts {facts} --runs {runs}` on "
        f"bench/generate.py's {facts:,}-fact project: medians of {runs} runs, each command "
        f"in a fresh process; load average {loads[0]} before, {loads[1]} after.",
        "",
        "| | wall (median) | CPU (median) | peak memory | of cold | command |",
        "|---|---|---|---|---|---|",
    ]
    for label, s, share, command in rows:
        memory = f"{s.rss_mb:.0f} MB" if s.rss_mb else "—"
        runs_of = f" ({len(s.samples)} run)" if len(s.samples) == 1 else ""
        lines.append(
            f"| {label}{runs_of} | {fmt_time(s.wall)} | {cpu(s)} | {memory} | {share} | {command} |"
        )
    lines += [
        "",
        "Targets (issue 16), on the median wall time and, since the machine is shared, "
        "on the CPU time:",
        "",
    ]
    for name, label in (
        ("cold", "cold `validate` under 2 s"),
        ("warm", "warm `validate` at most 0.5 s"),
        ("edit", "`validate` after one edit at most 0.8 s"),
    ):
        s, target = series[name], TARGETS[name]
        verdict = (
            "met" if s.wall <= target else ("met in CPU time" if s.cpu <= target else "**not met**")
        )
        lines.append(f"- {verdict}: {label}: {fmt_time(s.wall)} wall, {fmt_time(s.cpu)} CPU")
    return "\n".join(lines) + "\n"


def write_report(out: Path, table: str) -> None:
    text = out.read_text(encoding="utf-8") if out.exists() else "# briefgen benchmarks\n"
    block = f"{BEGIN}\n\n{table}\n{END}"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    out.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--skip-serve", action="store_true", help="leave out the serve row")
    parser.add_argument("--only-serve", action="store_true", help="measure only the serve row")
    args = parser.parse_args()
    before = load_average()
    with tempfile.TemporaryDirectory(prefix="briefgen-desk-") as temporary:
        workdir = (args.workdir or Path(temporary)).resolve()
        root = workdir / f"facts-{args.facts}"
        shutil.rmtree(root, ignore_errors=True)
        generate(root, args.facts)
        fact_id = first_fact_of_main(root)
        if args.only_serve:  # printed, not written: the table needs every row
            served = measure_serve(root, fact_id, args.runs)
            print(f"serve: median {served.wall:.2f} s wall, {served.cpu:.2f} s CPU (serve's)")
            return
        series = measure_validate(root, fact_id, args.runs)
        print(
            f"  validate cold {series['cold'].wall:.2f} s, warm {series['warm'].wall:.2f} s, "
            f"edit {series['edit'].wall:.2f} s",
            file=sys.stderr,
        )
        series |= measure_noop(root, args.runs)
        print(f"  no-op build {series['noop'].wall:.2f} s", file=sys.stderr)
        if not args.skip_serve:
            series["serve"] = measure_serve(root, fact_id, args.runs)
        else:
            series["serve"] = Series("not measured", [Sample(0.0, 0.0, 0.0)])
    table = report(series, args.runs, (before, load_average()), args.facts)
    write_report(args.out, table)
    print(table)


if __name__ == "__main__":
    main()
