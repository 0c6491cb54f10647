"""Worker processes for `build --jobs N`: PDFs laid out side by side.

Workers are started with 'spawn', never forked: a fork of a process that has
imported WeasyPrint (Pango, fontconfig and their caches) can hang or crash.
Each worker is sent one briefing's finished print HTML (with the files to
attach) and lays it out; it does not load or check the project again. That
measured no slower than sending the project folder and a briefing id, a
little faster in a large project (BENCHMARKS.md), and it keeps every
decision about content in the main process.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .pdf import write_pdf
from .timelimit import call_with_time_limit


@dataclass(frozen=True)
class PdfTask:
    """One PDF to lay out: the arguments of `pdf.write_pdf`, all picklable."""

    name: str  # the briefing id
    arguments: dict[str, Any]
    timeout: float | None  # seconds, as BuildOptions.render_timeout


def render_pdfs(
    tasks: Iterable[PdfTask],
    expected: int,
    jobs: int,
    on_done: Callable[[PdfTask, bytes], None],
) -> None:
    """Lay out `expected` tasks in up to `jobs` worker processes, calling `on_done`
    with each PDF as it is finished. The first failure stops every worker and is
    raised.

    `tasks` may be a generator: the workers start on the first PDF while the
    main process prepares the next.
    """
    results: queue.SimpleQueue[tuple[PdfTask, bytes | BaseException]] = queue.SimpleQueue()
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


def lay_out(task: PdfTask) -> bytes:
    """In a worker: the PDF of `task`, within its time limit (the worker's main
    thread, where the limit's alarm can be delivered)."""
    return call_with_time_limit(
        task.timeout, f"briefing '{task.name}'", lambda: write_pdf(**task.arguments)
    )


def _put(
    results: queue.SimpleQueue[tuple[PdfTask, bytes | BaseException]], task: PdfTask
) -> Callable[[Any], None]:
    def put(outcome: Any) -> None:
        results.put((task, outcome))

    return put


def _warm_up() -> None:
    """Import WeasyPrint while the main process is still preparing HTML."""
    import weasyprint  # noqa: F401
