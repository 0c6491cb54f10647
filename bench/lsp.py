"""`briefgen lsp` at desk scale: from a `didChange` to its `publishDiagnostics`, on a
10,000-fact project, against a warm `validate` measured in the same run.

    python bench/lsp.py --facts 10000 --runs 21   # writes its table into BENCHMARKS.md

The server runs as an editor starts it (`briefgen lsp` over stdio, driven by
pygls's client). Each round changes one open sheet: a citation's source id is
misspelt, then put back, so every change has diagnostics to publish (the error,
then none). The timer runs from sending the change to the first
`publishDiagnostics` for that sheet: the whole of `validate`, errors and
warnings, which the desk finds again only where the change can alter them. The
same check is timed in a process of its own, on the same edits, as `Desk.check()`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import PY, REPO, briefgen, child, generate, load_average  # noqa: E402

BEGIN = "<!-- lsp:begin (written by bench/lsp.py; edit around it) -->"
END = "<!-- lsp:end -->"
TARGET = 0.3  # seconds, issue 23
MARKER = "- source: "  # a citation, whose source id each round misspells and restores
SETTLE = 4.0  # seconds between changes: the check of the last one is over by then
# What the server runs in-process for the full-check row: the desk after one edit.
FULL_CHECK = """
import statistics, sys, time
from pathlib import Path
from briefgen.lsp.state import Desk
root, rel, runs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
desk = Desk(root)
desk.scan()
desk.check()
text = desk.text(rel).encode()
times = []
for index in range(runs):
    start = time.perf_counter()
    desk.edit(rel, text + b"\\n" * (index % 2))
    desk.check()
    times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


async def _latencies(root: Path, rel: str, runs: int) -> tuple[list[float], float, float]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("bench", "1")
    published: asyncio.Queue[float] = asyncio.Queue()
    uri = (root / rel).as_uri()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
    def on_publish(ls: object, params: types.PublishDiagnosticsParams) -> None:
        if params.uri == uri:
            published.put_nowait(time.perf_counter())

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    await client.start_io(PY, "-m", "briefgen", "lsp", cwd=str(root), env=env)
    started = time.perf_counter()
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=root.as_uri())
    )
    client.initialized(types.InitializedParams())
    text = (root / rel).read_text(encoding="utf-8")
    item = types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(item))
    position = types.Position(0, 0)
    await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), position)
    )
    ready = time.perf_counter() - started
    at = text.index(MARKER) + len(MARKER)
    typo = text[:at] + "x" + text[at:]
    latencies = []
    for version in range(2, runs + 2):
        await asyncio.sleep(SETTLE)
        while not published.empty():
            published.get_nowait()
        document = types.VersionedTextDocumentIdentifier(version=version, uri=uri)
        change = types.TextDocumentContentChangeWholeDocument(
            text=typo if version % 2 == 0 else text
        )
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(document, [change]))
        latencies.append(await asyncio.wait_for(published.get(), 60) - sent)
    await asyncio.sleep(1.0)
    assert client._server is not None  # started above
    rss = _memory_mb(client._server.pid)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]
    return latencies, rss, ready


def _memory_mb(pid: int) -> float:
    """The resident set of process `pid` now, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _full_check(root: Path, rel: str, runs: int) -> float:
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [PY, "-c", FULL_CHECK, str(root), rel, str(runs)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    before = load_average()
    with tempfile.TemporaryDirectory(prefix="briefgen-lsp-") as tmp:
        project = generate(Path(tmp) / "desk", args.facts)
        root = project.root
        sheets = sorted(p for p in (root / "facts").rglob("*.yaml") if MARKER in p.read_text())
        rel = sheets[-1].relative_to(root).as_posix()
        child(briefgen("validate"), root)  # the parse cache filled: warm from here
        validate = statistics.median(
            child(briefgen("validate"), root).wall for _ in range(max(3, args.runs // 4))
        )
        latencies, rss, ready = asyncio.run(_latencies(root, rel, args.runs))
        full = _full_check(root, rel, max(3, args.runs // 4))
    latency = statistics.median(latencies)
    table = _table(args, latency, latencies, validate, full, rss, ready, before)
    print(table)
    text = args.out.read_text(encoding="utf-8")
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + BEGIN + "\n\n" + table + "\n" + END + rest.split(END, 1)[1]
    else:
        text += f"\n## The language server\n\n{BEGIN}\n\n{table}\n{END}\n"
    args.out.write_text(text, encoding="utf-8")


def _table(
    args: argparse.Namespace,
    latency: float,
    latencies: list[float],
    validate: float,
    full: float,
    rss: float,
    ready: float,
    before: str,
) -> str:
    ratio = latency / validate
    met = latency <= TARGET and ratio <= 0.25
    verdict = "met" if met else "**not met**"
    return "\n".join(
        [
            f"Measured {dt.date.today().isoformat()} with `python bench/lsp.py --facts "
            f"{args.facts} --runs {args.runs}` on bench/generate.py's {args.facts:,}-fact "
            f"project; load average {before} before, {load_average()} after.",
            "",
            "| | median | range | command |",
            "|---|---|---|---|",
            f"| `didChange` → `publishDiagnostics` (errors and warnings) | {latency:.3f} s | "
            f"{min(latencies):.3f}–{max(latencies):.3f} s | `briefgen lsp`, {args.runs} changes |",
            f"| the check after a change, in-process | {full:.3f} s | — | "
            "`Desk.edit` + `Desk.check()` |",
            f"| warm `validate`, same run | {validate:.3f} s | — | `briefgen validate` |",
            f"| **diagnostics ÷ warm validate** | **{ratio:.1%}** | — | |",
            f"| server started, project read | {ready:.2f} s | — | `initialize` → first answer |",
            f"| server memory at {args.facts:,} facts | {rss:.0f} MB | — | resident set |",
            "",
            f"Target (issue 23): median ≤ {TARGET} s and ≤ 25 % of a warm `validate`: "
            f"{verdict} ({latency:.3f} s, {ratio:.1%}).",
            "",
        ]
    )


if __name__ == "__main__":
    main()
