"""The command line: parse options, call the library, print what happened.

This is the only module that prints or exits. Exit status: 0 done (warnings
allowed), 1 the project has problems, 2 the command was used wrongly,
70 briefgen itself failed (a bug to report).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from . import __version__
from .errors import BuildError, Problem, ProjectError, summarize
from .pdf import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from .timelimit import DEFAULT_RENDER_TIMEOUT

if TYPE_CHECKING:
    from .model import Kind
    from .schema import SchemaName
    from .serve import PreviewServer
    from .watch import Step

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
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


class _FormatName(click.ParamType[str]):
    """A name from formats.FORMATS, looked up only when the option is given, so
    `briefgen --help` does not import every renderer."""

    name = "format"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from .formats import FORMATS

        if value not in FORMATS:
            self.fail(f"unknown format '{value}'; the formats are {', '.join(FORMATS)}", param, ctx)
        return str(value)


class _Shard(click.ParamType[tuple[int, int]]):
    """K/N: shard K (from 1) of N, for build --shard."""

    name = "K/N"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, int]:
        from .shard import parse_shard

        if isinstance(value, tuple):
            return value
        try:
            return parse_shard(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def _complete_briefings(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from .scaffold import briefing_ids

    root = Path(ctx.params.get("project") or ".")
    chosen = set(ctx.params.get(param.name or "") or ())
    return [b for b in briefing_ids(root) if b.startswith(incomplete) and b not in chosen]


class _WrongUse(click.ClickException):
    """A command used wrongly (exit 2), said in one line without the usage text."""

    exit_code = EXIT_USAGE


def _format_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )


def _report(problems: list[Problem] | tuple[Problem, ...]) -> None:
    color = _color(sys.stderr)
    for problem in problems:
        click.echo(_styled(problem) if color else str(problem), err=True, color=color)
    if problems:
        click.echo(summarize(list(problems)), err=True)


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
@_format_option(
    "text: one line per problem; json: the problems as JSON on stdout, for editors and CI."
)
@_guard
def validate(project: Path, strict: bool, output_format: str) -> None:
    """Check every file of the project and report all problems at once.

    Problems are printed one per line as path:line:column: message. Exits 1
    when there are errors, 0 when there are none (warnings allowed, unless
    --strict).
    """
    from .build import validate as validate_project

    root = project.resolve()
    loaded, problems = validate_project(root, strict=strict)
    if output_format == "json":
        _report_json(problems)
        return
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
@click.argument(
    "briefing_ids", nargs=-1, metavar="[BRIEFING-ID]...", shell_complete=_complete_briefings
)
@_project_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_RENDER_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Stop with an error when one briefing takes longer than this to render.",
)
@_strict_option
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    default=DEFAULT_PDF_VARIANT,
    show_default=True,
    help="pdf/ua-1: tagged and accessible; pdf/a-3b: for archives. Both carry the inputs.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: build again whenever briefgen.yaml, facts/ or templates/ change.",
)
@click.option("--force", is_flag=True, help="Render every output, even those up to date.")
@click.option(
    "--format",
    "formats",
    type=_FormatName(),
    multiple=True,
    help="Write every briefing in this format instead of those it lists; repeat for more.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Lay out this many briefings' PDFs at once, in worker processes.",
)
@click.option(
    "--shard",
    type=_Shard(),
    metavar="K/N",
    help="Build only shard K of N of the briefings, split by fact count (for a CI matrix).",
)
@_guard
def build(
    briefing_ids: tuple[str, ...],
    project: Path,
    timeout: float,
    strict: bool,
    pdf_variant: str,
    watch: bool,
    force: bool,
    formats: tuple[str, ...],
    jobs: int,
    shard: tuple[int, int] | None,
) -> None:
    """Validate the project, then write each briefing in each of its formats.

    With BRIEFING-IDs, build only those briefings (the whole project is still
    validated). Nothing is written if anything is wrong: the last good files
    in output/ stay as they were. Prints the path of every file written.
    Analytic warnings are printed and do not stop the build, unless --strict.
    An output whose inputs are unchanged since it was written is reported as
    up to date and left alone; --force renders it anyway.
    """
    from .build import BuildOptions, UnknownBriefing
    from .build import build as build_project

    root = project.resolve()
    options = BuildOptions(
        pdf_variant=pdf_variant,
        strict=strict,
        render_timeout=timeout,
        force=force,
        jobs=jobs,
        override_formats=tuple(dict.fromkeys(formats)) or None,
        shard=shard,
    )
    if watch:
        ids = list(briefing_ids) or None
        _watch(root, [functools.partial(build_project, root, ids, options)])
        return
    progress = _Progress() if sys.stderr.isatty() else None
    try:
        built, warnings = build_project(root, list(briefing_ids) or None, options, progress)
    except ProjectError as error:
        _report(error.problems)
        click.echo("nothing was written; output/ is unchanged", err=True)
        sys.exit(EXIT_PROBLEMS)
    except UnknownBriefing as error:
        raise click.UsageError(str(error)) from error
    except BuildError as error:
        click.echo(f"briefgen: {error}; nothing was written", err=True)
        sys.exit(EXIT_PROBLEMS)
    finally:
        if progress is not None:
            progress.clear()
    _report(warnings)
    if shard is not None and not built:
        click.echo(f"shard {shard[0]}/{shard[1]} has no briefing to build", err=True)
    for item in built:
        for path in item.up_to_date:
            click.echo(f"up to date: {_shown(path, root)}", err=True)
        for path in item.paths:
            click.echo(_shown(path, root))


class _Progress:
    """One line on a terminal's stderr, rewritten as each briefing finishes."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, done: int, total: int, briefing_id: str) -> None:
        if total > 1:  # one briefing needs no progress line
            text = (
                f"rendered {done}/{total}: {briefing_id}"
                if done
                else f"rendering {total} briefings"
            )
            click.echo(f"\r\x1b[K{text}", err=True, nl=False)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


# -- colour and machine-readable output --------------------------------------------------


def _color(stream: Any) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    return not os.environ.get("NO_COLOR") and bool(getattr(stream, "isatty", lambda: False)())


_SEVERITY_COLOR = {"error": "red", "warning": "yellow"}


def _styled(problem: Problem) -> str:
    where = click.style(f"{problem.path}:{problem.line}:{problem.column}:", bold=True)
    severity = click.style(
        f"{problem.severity}:", fg=_SEVERITY_COLOR.get(problem.severity), bold=True
    )
    hint = click.style(f" ({problem.hint})", dim=True) if problem.hint else ""
    return f"{where} {severity} {problem.message}{hint}"


def _report_json(problems: list[Problem]) -> None:
    errors = sum(p.severity == "error" for p in problems)
    records = [
        {
            "path": p.path,
            "line": p.line,
            "column": p.column,
            "severity": p.severity,
            "code": p.code,
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]
    data = {"problems": records, "errors": errors, "warnings": len(problems) - errors}
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    if errors:
        sys.exit(EXIT_PROBLEMS)


@main.command()
@click.argument("briefing_id", metavar="BRIEFING-ID", shell_complete=_complete_briefings)
@click.option(
    "--from",
    "since",
    metavar="EDITION",
    help="Compare from this recorded edition (its date). Default: the edition before "
    "--to; without --to, the latest recorded edition.",
)
@click.option(
    "--to",
    "until",
    metavar="EDITION",
    help="Compare to this recorded edition (its date). Default: the current facts.",
)
@_project_option
@_format_option("text: for reading; json: the changes as JSON on stdout, for scripts.")
@_guard
def diff(
    briefing_id: str, since: str | None, until: str | None, project: Path, output_format: str
) -> None:
    """Show what changed in a briefing between two editions.

    Compares the records briefgen build keeps in editions/<briefing-id>/: by
    default the latest record (the newest edition recorded, whatever the
    edition in briefgen.yaml) against the current facts, that is, what changed
    since it was built. Facts added, changed (and how) and withdrawn; judgments
    added, changed and withdrawn.
    Exits 0 with or without changes, 1 when the project or a record is bad.
    """
    from .build import UnknownBriefing
    from .changes import describe_changes
    from .diff import NoEdition, diff_editions

    root = project.resolve()
    try:
        found = diff_editions(root, briefing_id, since, until)
    except ProjectError as error:
        _report(error.problems)
        sys.exit(EXIT_PROBLEMS)
    except (UnknownBriefing, NoEdition) as error:
        raise _WrongUse(str(error)) from error
    if output_format == "json":
        click.echo(json.dumps(found.as_json(), indent=2, ensure_ascii=False))
        return
    to = f"the edition of {found.after}" if found.after else "the current facts"
    click.echo(f"{briefing_id}: changes from the edition of {found.before} to {to}")
    for line in describe_changes(found.changes):
        click.echo(line)


# -- authoring: init, new, schema, build --watch, serve ------------------------------------


@main.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)
@click.option("--force", is_flag=True, help="Replace files of the same name already there.")
@_guard
def init(directory: Path, force: bool) -> None:
    """Start a project that builds at once.

    In DIRECTORY (default: here), writes the example project (briefgen.yaml
    and facts/), JSON Schemas for editors in schemas/ wired up for VS Code and
    any editor using the YAML language server, and a .gitignore for output/.
    Refuses to replace existing files unless --force.
    """
    from .scaffold import ScaffoldError, init_project

    try:
        written = init_project(directory, force=force)
    except ScaffoldError as error:
        # A folder that already holds a project is the wrong place, not a broken project.
        failure = _WrongUse if error.wrong_use else click.ClickException
        raise failure(str(error)) from error
    root = directory.resolve()
    for path in written:
        click.echo(_shown(path.resolve(), root))
    where = "" if root == Path.cwd().resolve() else f"cd {directory} && "
    click.echo(f"next: {where}briefgen build, or briefgen serve to preview as you edit")


@main.command()
@_guard
def lsp() -> None:
    """Answer an editor as a language server, over stdin and stdout.

    Diagnostics as you type (what `validate` finds), completion, hover, go to
    definition, references, rename and quick fixes for fact sheets and
    briefgen.yaml. Editors start it in the project folder (README, Editors).
    """
    from .lsp.server import serve  # pygls only for this command

    serve()


class _FactKinds(click.Choice[str]):
    """The kinds of fact (kinds.KINDS, plain last), read when `new` uses or shows
    them, so `briefgen --help` loads no model."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        from .kinds import KINDS, PLAIN

        return [*(name for name in KINDS if name != PLAIN.name), PLAIN.name]

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # click.Choice sets its choices once; these come from the table


def _complete_sections(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from .scaffold import section_ids

    root = Path(ctx.params.get("project") or ".")
    return [s for s in section_ids(root) if s.startswith(incomplete)]


@main.command()
@click.argument("kind", type=click.Choice(["fact", "source", "actor"]))  # scaffold.SHEET_KINDS
@click.option(
    "--sheet",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Add the entry to this fact sheet (created if missing) instead of printing it.",
)
@click.option(
    "--section",
    shell_complete=_complete_sections,
    help="The section of a new fact; default: the sheet's, or the first section.",
)
@click.option(
    "--kind",
    "fact_kind",
    type=_FactKinds(),
    help="The kind of a new fact; default: the kind most facts in the sheet have.",
)
@click.option("--id", "item_id", metavar="ID", help="The new entry's id; default: a fresh one.")
@_project_option
@_guard
def new(
    kind: str,
    sheet: Path | None,
    section: str | None,
    fact_kind: str | None,
    item_id: str | None,
    project: Path,
) -> None:
    """Add a skeleton fact, source or actor.

    Prints a commented skeleton with a fresh id. With --sheet, adds it to the
    end of that sheet's list instead; everything already in the sheet,
    comments included, stays byte for byte. The skeleton validates as
    written: replace its TODOs.
    """
    from .kinds import KINDS, PLAIN
    from .scaffold import ScaffoldError, new_entry

    root = project.resolve()
    try:
        if fact_kind is not None and kind != "fact":
            raise ScaffoldError(f"--kind is for facts; a {kind} has no kind")
        entry = new_entry(
            root,
            cast("Kind", kind),
            sheet=sheet,
            section=section,
            fact_kind=fact_kind,
            item_id=item_id,
        )
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from error
    what = f"{kind} '{entry.item_id}'"
    if entry.fact_kind is not None:
        kind_of = "a plain fact" if entry.fact_kind == PLAIN.name else KINDS[entry.fact_kind].label
        what += f" ({kind_of}) in section '{entry.section}' ({entry.section_reason})"
    if entry.sheet is None:
        click.echo(entry.text, nl=False)
        # On stderr, so the skeleton on stdout can be piped or pasted as it is.
        click.echo(f"printed {what}; replace its TODOs", err=True)
    else:
        where = f"{_shown(entry.sheet, root)}:{entry.line}"
        click.echo(f"{where}: added {what}; replace its TODOs")


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)
@_guard
def unpack(pdf: Path, directory: Path) -> None:
    """Rebuild a project from a briefing's PDF.

    Writes the briefgen.yaml and fact sheets attached to PDF into DIRECTORY
    (default: here), each in its folder, after checking that they give the
    inputs digest the PDF names and that no name leads out of DIRECTORY.
    `briefgen build BRIEFING-ID` there then makes the same PDF, byte for byte.
    Nothing is written if anything is wrong, or a file is already there.
    """
    from .unpack import UnpackError, unpack_pdf

    try:
        unpacked = unpack_pdf(pdf, directory)
    except UnpackError as error:
        click.echo(f"briefgen: {error}", err=True)
        sys.exit(EXIT_PROBLEMS)
    root = directory.resolve()
    for path in unpacked.written:
        click.echo(_shown(path.resolve(), root))
    where = "" if root == Path.cwd().resolve() else f"cd {directory} && "
    click.echo(
        f"inputs {unpacked.digest} check out; next: {where}briefgen build {unpacked.briefing_id}",
        err=True,
    )


@main.command()
@click.argument("kind", type=click.Choice(["facts", "config", "output"]))
@_guard
def schema(kind: str) -> None:
    """Print a JSON Schema.

    The schema (draft-07) of fact sheets (facts) or of briefgen.yaml (config).
    Editors use it for completion, choices and hover help; `briefgen init`
    writes both into schemas/. Run this after upgrading briefgen to refresh them.
    `output` is the schema (draft 2020-12) of the json format, output/<id>.json.
    """
    if kind == "output":
        from .formats.jsonout import schema_text as output_schema_text

        click.echo(output_schema_text(), nl=False)
        return
    from .scaffold import schema_text

    click.echo(schema_text(cast("SchemaName", kind)), nl=False)


def _watch(root: Path, steps: Sequence[Step], server: PreviewServer | None = None) -> None:
    """Build now and after every change, printing each result, until Ctrl-C."""
    from .watch import Rebuild, watch_project

    def report(result: Rebuild) -> None:
        if server is not None:
            server.publish(result)
        if result.step == 0 or not result.ok:
            _report(result.problems)
        if result.failure:
            click.echo(f"briefgen: {result.failure}", err=True)
        elif not result.ok:
            click.echo("nothing was written; output/ is unchanged", err=True)
        for item in result.built:
            for path in item.up_to_date:
                click.echo(f"up to date: {_shown(path, root)}", err=True)
            for path in item.paths:
                click.echo(_shown(path, root))

    def seen(changed: tuple[str, ...]) -> None:
        # Said at once: a build of a large desk takes a while to say anything else.
        click.echo(f"{time.strftime('%H:%M:%S')} changed: {', '.join(changed)}", err=True)

    click.echo("watching briefgen.yaml, facts/ and templates/; Ctrl-C to stop", err=True)
    try:
        with _stop_on_sigterm():
            watch_project(root, steps, report, seen=seen)
    except KeyboardInterrupt:
        click.echo("stopped; output/ holds the last good build", err=True)


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


@main.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port on 127.0.0.1 to serve on; 0 picks a free one.",
)
@_project_option
@_strict_option
@_guard
def serve(port: int, project: Path, strict: bool) -> None:
    """Preview in a browser, rebuilding on change.

    Builds, then serves output/ on 127.0.0.1: open the address it prints.
    Each change to briefgen.yaml, facts/ or templates/ rebuilds the HTML
    first (the open page reloads by itself), then the PDF. While the facts
    have errors the page keeps the last good build and shows the problems
    over it.
    """
    from .build import OUTPUT_DIR, BuildOptions
    from .build import build as build_project
    from .serve import PreviewServer

    root = project.resolve()
    try:
        server = PreviewServer(root / OUTPUT_DIR, port)
    except OSError as error:
        raise click.ClickException(
            f"cannot serve on 127.0.0.1:{port}: {error.strerror}; "
            "pass --port 0 to use any free port"
        ) from error
    server.start()
    click.echo(f"serving {server.url}")
    from .formats import FORMATS

    # One format at a time, the table's first (html) first, so the page reloads soonest.
    steps = [
        functools.partial(build_project, root, None, BuildOptions(strict=strict, formats=(fmt,)))
        for fmt in FORMATS
    ]
    try:
        _watch(root, steps, server)
    finally:
        server.close()
