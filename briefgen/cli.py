"""The command line: parse options, call the library, print what happened.

This is the only module that prints or exits. Exit status: 0 done (warnings
allowed), 1 the project has problems, 2 the command was used wrongly,
70 briefgen itself failed (a bug to report).
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import BuildError, Problem, ProjectError, summarize
from .pdf import DEFAULT_PDF_VARIANT, PDF_VARIANTS

EXIT_PROBLEMS = 1
EXIT_INTERNAL = 70
BUG_URL = "https://github.com/briefgen/briefgen/issues"

F = TypeVar("F", bound=Callable[..., Any])


def _guard(command: F) -> F:
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
            click.echo(
                f"briefgen: internal error: {type(exc).__name__}: {exc} "
                f"(at {Path(where.filename).name}:{where.lineno}); this is a bug in briefgen "
                f"{__version__}, please report it with the command you ran at {BUG_URL}",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _project_option(command: F) -> F:
    return click.option(
        "--project",
        "project",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=".",
        show_default="the current folder",
        help="The project folder: the one holding briefgen.yaml and facts/.",
    )(command)


def _strict_option(command: F) -> F:
    return click.option(
        "--strict",
        is_flag=True,
        help="Treat analytic warnings (an uncited source, a stale fact, ...) as errors.",
    )(command)


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(summarize(problems), err=True)


@click.group(name="briefgen", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn a project of YAML fact sheets into checked briefings (HTML and PDF).

    A project is a folder with briefgen.yaml (sections and briefings) and
    facts/ (fact sheets). Run `briefgen validate` while you edit and
    `briefgen build` to write output/<briefing-id>.html and .pdf.
    """


@main.command()
@_project_option
@_strict_option
@_guard
def validate(project: Path, strict: bool) -> None:
    """Check every file of the project and report all problems at once.

    Problems are printed one per line as path:line:column: message. Exits 1
    when there are errors, 0 when there are none (warnings allowed, unless
    --strict).
    """
    from .build import validate as validate_project

    root = project.resolve()
    loaded, problems = validate_project(root, strict=strict)
    _report(problems)
    if any(p.severity == "error" for p in problems):
        sys.exit(EXIT_PROBLEMS)
    counts = (
        (len(loaded.facts), "fact"),
        (len(loaded.sources), "source"),
        (len(loaded.actors), "actor"),
        (len(loaded.briefings), "briefing"),
    )
    click.echo("ok: " + ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts))


@main.command()
@click.argument("briefing_ids", nargs=-1, metavar="[BRIEFING-ID]...")
@_project_option
@_strict_option
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    default=DEFAULT_PDF_VARIANT,
    show_default=True,
    help="pdf/ua-1: tagged and accessible; pdf/a-3b: for archives. Both carry the inputs.",
)
@_guard
def build(briefing_ids: tuple[str, ...], project: Path, strict: bool, pdf_variant: str) -> None:
    """Validate the project, then write each briefing as HTML and PDF.

    With BRIEFING-IDs, build only those briefings (the whole project is still
    validated). Nothing is written if anything is wrong: the last good files
    in output/ stay as they were. Prints the path of every file written.
    Analytic warnings are printed and do not stop the build, unless --strict.
    """
    from .build import BuildOptions, UnknownBriefing
    from .build import build as build_project

    root = project.resolve()
    options = BuildOptions(pdf_variant=pdf_variant, strict=strict)
    try:
        built, warnings = build_project(root, list(briefing_ids) or None, options)
    except ProjectError as error:
        _report(error.problems)
        click.echo("nothing was written; output/ is unchanged", err=True)
        sys.exit(EXIT_PROBLEMS)
    except UnknownBriefing as error:
        raise click.UsageError(str(error)) from error
    except BuildError as error:
        click.echo(f"briefgen: {error}; nothing was written", err=True)
        sys.exit(EXIT_PROBLEMS)
    _report(warnings)
    for item in built:
        for path in item.paths:
            click.echo(_shown(path, root))


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
