"""A time limit on rendering, so a pathological briefing fails with a clear error
instead of holding a build (or a CI job) forever."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import BuildError

T = TypeVar("T")

# After the limit, the alarm repeats this often, in case a library caught the
# first one (WeasyPrint's SVG drawing catches even BaseException).
_RETRY_SECONDS = 0.25


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so that a library's `except Exception`
    between here and the code running does not swallow it."""


@dataclass
class _State:
    expired: bool = False
    done: bool = False


def can_limit() -> bool:
    """Whether limits are enforced here: on Unix, in the main thread (where Python
    delivers signals). Elsewhere `call_with_time_limit` runs without one."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def call_with_time_limit(seconds: float | None, what: str, function: Callable[[], T]) -> T:
    """`function()`, or BuildError naming `what` if it runs longer than `seconds`.

    None means no limit.
    """
    if seconds is None or not can_limit():
        return function()
    state = _State()

    def on_alarm(signum: int, frame: Any) -> None:
        if not state.done:
            state.expired = True
            raise _Expired

    # An alarm that lands in a finalizer or a collector callback cannot be raised
    # there: Python prints it as "Exception ignored in ..." instead. That one is
    # dropped quietly (the repeat raises it again); any other goes on as before.
    unraisable = sys.unraisablehook

    def drop_expired(args: Any) -> None:
        if args.exc_type is not _Expired:
            unraisable(args)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    sys.unraisablehook = drop_expired
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, _RETRY_SECONDS)
        try:
            result = function()
        except _Expired:
            pass
        finally:
            state.done = True
    except _Expired:  # the alarm landed just as the function returned
        state.done = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = unraisable
    if state.expired:  # also when a library swallowed the alarm and carried on
        raise BuildError(
            f"{what} took longer than the limit of {seconds:g} seconds to render "
            "(raise it with --timeout SECONDS)"
        )
    return result
