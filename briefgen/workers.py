"""Worker processes for `build --jobs N`: PDFs laid out side by side.

Any format with a `prepare` step (formats/) is finished here the same way;
today that is the PDF.

Workers are started with 'spawn', never forked: a fork of a process that has
imported WeasyPrint (Pango, fontconfig and their caches) can hang or crash.
Each worker is sent one briefing's finished print HTML (with the files to
attach, as a `pdf.PdfArguments`) and lays it out; it does not load or check
the project again. That
measured no slower than sending the project folder and a briefing id, a
little faster in a large project (BENCHMARKS.md), and it keeps every
decision about content in the main process.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .timelimit import call_with_time_limit

if TYPE_CHECKING:  # a worker imports no more of briefgen than it unpickles
    from .formats.base import Layout


@dataclass(frozen=True)
class LayoutTask:
    """One output to finish in a worker: a format's prepared `Layout`, picklable."""

    name: str  # the briefing id
    path: Path  # the output file it becomes
    layout: Layout
    timeout: float | None  # seconds, as BuildOptions.render_timeout


def lay_out_all(
    tasks: Iterable[LayoutTask],
    expected: int,
    jobs: int,
    on_done: Callable[[LayoutTask, bytes], None],
) -> None:
    """Finish `expected` tasks in up to `jobs` worker processes, calling `on_done`
    with each output's bytes as it is finished. The first failure stops every worker and is
    raised.

    `tasks` may be a generator: the workers start on the first PDF while the
    main process prepares the next.
    """
    results: queue.SimpleQueue[tuple[LayoutTask, bytes | BaseException]] = queue.SimpleQueue()
    context = multiprocessing.get_context("spawn")
    # Leaving this block terminates the workers, so a failure (or Ctrl-C) does
    # not wait for the PDFs still being laid out.
    with context.Pool(min(jobs, expected), initializer=_warm_up) as pool:
        submitted = 0
        for task in tasks:
            pool.apply_async(
                lay_out,
                (task,),
                callback=_put(results, task),
                error_callback=_put(results, task),
            )
            submitted += 1
        for _ in range(submitted):
            task, outcome = results.get()
            if isinstance(outcome, BaseException):
                raise outcome
            on_done(task, outcome)


def lay_out(task: LayoutTask) -> bytes:
    """In a worker: the PDF of `task`, within its time limit (the worker's main
    thread, where the limit's alarm can be delivered)."""
    return call_with_time_limit(task.timeout, f"briefing '{task.name}'", task.layout.lay_out)


def _put(
    results: queue.SimpleQueue[tuple[LayoutTask, bytes | BaseException]], task: LayoutTask
) -> Callable[[Any], None]:
    def put(outcome: Any) -> None:
        results.put((task, outcome))

    return put


def _warm_up() -> None:
    """Import WeasyPrint while the main process is still preparing HTML."""
    import weasyprint  # noqa: F401
