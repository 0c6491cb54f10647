"""Exit statuses, and the guard that turns a crash into one line and a bug report,
and a closed pipe (`briefgen diff | head -1`) into a quiet exit."""

from __future__ import annotations

import errno
import functools
import io
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__
from ..errors import printable

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_PIPE = 141  # 128 + SIGPIPE, as a program killed by the closed pipe would end
# Where a crash sends the user: the README says what to include in a report.
REPORTING = "see 'Reporting a problem' in briefgen's README"

F = TypeVar("F", bound=Callable[..., Any])


def guard(command: F) -> F:
    """Turn any unexpected exception into one line and a request for a bug report."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            _quiet_stdout()
            sys.exit(EXIT_PIPE)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise _internal(exc) from exc
            _quiet_stdout()
            sys.exit(EXIT_PIPE)
        except KeyboardInterrupt:
            click.echo("briefgen: interrupted; output/ is unchanged", err=True)
            sys.exit(130)
        except Exception as exc:  # the one place a traceback is turned into a sentence
            raise _internal(exc) from exc

    return wrapper  # type: ignore[return-value]


def _internal(exc: BaseException) -> SystemExit:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    message = (
        f"briefgen: internal error: {type(exc).__name__}: {exc} "
        f"(at {Path(where.filename).name}:{where.lineno}); this is a bug in briefgen "
        f"{__version__}: please report it with the command you ran ({REPORTING})"
    )
    click.echo(printable(message), err=True)  # the exception may quote a name
    return SystemExit(EXIT_INTERNAL)


def _quiet_stdout() -> None:
    """The reader of stdout has gone (`briefgen diff | head -1`): point stdout at
    /dev/null, so that the flush at exit finds nowhere to fail and says nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's runner): there is no flush at exit to fail


class WrongUse(click.ClickException):
    """A command used wrongly (exit 2), said in one line without the usage text."""

    exit_code = EXIT_USAGE

    def format_message(self) -> str:  # it may quote a name from the project
        return printable(self.message)


__all__ = ["EXIT_INTERNAL", "EXIT_PROBLEMS", "EXIT_USAGE", "REPORTING", "WrongUse", "guard"]
