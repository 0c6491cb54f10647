"""Building on every change, for build --watch and serve, and the serve command."""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .exits import guard
from .params import project_option, strict_option
from .report import report_problems, say, shown

if TYPE_CHECKING:
    from ..serve import PreviewServer
    from ..watch import Step


def build_on_change(root: Path, steps: Sequence[Step], server: PreviewServer | None = None) -> None:
    """Build now and after every change, printing each result, until Ctrl-C."""
    from ..watch import Rebuild, watch_project

    def report(result: Rebuild) -> None:
        if server is not None:
            server.publish(result)
        if result.step == 0 or not result.ok:
            report_problems(result.problems)
        if result.failure:
            say(f"briefgen: {result.failure}", err=True)
        elif not result.ok:
            say("nothing was written; output/ is unchanged", err=True)
        for item in result.built:
            for path in item.up_to_date:
                say(f"up to date: {shown(path, root)}", err=True)
            for path in item.paths:
                say(shown(path, root))

    def seen(changed: tuple[str, ...]) -> None:
        # Said at once: a build of a large desk takes a while to say anything else.
        say(f"{time.strftime('%H:%M:%S')} changed: {', '.join(changed)}", err=True)

    say("watching briefgen.yaml, facts/ and templates/; Ctrl-C to stop", err=True)
    try:
        with _stop_on_sigterm():
            watch_project(root, steps, report, seen=seen)
    except KeyboardInterrupt:
        say("stopped; output/ holds the last good build", err=True)


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Make SIGTERM (`kill PID`) stop a watching command as cleanly as Ctrl-C does.

    A shell script that starts `build --watch` or `serve` in the background
    starts it with SIGINT ignored, so that Ctrl-C meant for the script's
    foreground leaves it running; Python, like any Unix program, keeps that
    choice. SIGTERM is how such a script stops it, and it should not cost the
    clean stop (workers ended, the server closed, output/ as it was).
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a library caller's thread)
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port on 127.0.0.1 to serve on; 0 picks a free one.",
)
@project_option
@strict_option
@guard
def serve(port: int, project: Path, strict: bool) -> None:
    """Preview in a browser, rebuilding on change.

    Builds, then serves output/ on 127.0.0.1: open the address it prints.
    Each change to briefgen.yaml, facts/ or templates/ rebuilds the HTML
    first (the open page reloads by itself), then the PDF. While the facts
    have errors the page keeps the last good build and shows the problems
    over it.
    """
    from ..build import OUTPUT_DIR
    from ..build import build as build_project
    from ..options import BuildOptions
    from ..serve import PreviewServer

    root = project.resolve()
    try:
        server = PreviewServer(root / OUTPUT_DIR, port)
    except OSError as error:
        raise click.ClickException(
            f"cannot serve on 127.0.0.1:{port}: {error.strerror}; "
            "pass --port 0 to use any free port"
        ) from error
    server.start()
    say(f"serving {server.url}")
    from ..formats import FORMATS

    # One format at a time, the table's first (html) first, so the page reloads soonest.
    steps = [
        functools.partial(build_project, root, None, BuildOptions(strict=strict, formats=(fmt,)))
        for fmt in FORMATS
    ]
    try:
        build_on_change(root, steps, server)
    finally:
        server.close()


__all__ = ["build_on_change", "serve"]
