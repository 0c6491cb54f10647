"""Exit statuses, and the guard that turns a crash into one line and a bug report."""

from __future__ import annotations

import functools
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
BUG_URL = "https://github.com/briefgen/briefgen/issues"

F = TypeVar("F", bound=Callable[..., Any])


def guard(command: F) -> F:
    """Turn any unexpected exception into one line and a request for a bug report."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("briefgen: interrupted; output/ is unchanged", err=True)
            sys.exit(130)
        except Exception as exc:  # the one place a traceback is turned into a sentence
            where = traceback.extract_tb(exc.__traceback__)[-1]
            message = (
                f"briefgen: internal error: {type(exc).__name__}: {exc} "
                f"(at {Path(where.filename).name}:{where.lineno}); this is a bug in briefgen "
                f"{__version__}, please report it with the command you ran at {BUG_URL}"
            )
            click.echo(printable(message), err=True)  # the exception may quote a name
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


class WrongUse(click.ClickException):
    """A command used wrongly (exit 2), said in one line without the usage text."""

    exit_code = EXIT_USAGE

    def format_message(self) -> str:  # it may quote a name from the project
        return printable(self.message)


__all__ = ["BUG_URL", "EXIT_INTERNAL", "EXIT_PROBLEMS", "EXIT_USAGE", "WrongUse", "guard"]
