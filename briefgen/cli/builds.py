"""The commands that check, build, issue and compare a project's briefings:
validate, build, issue, diff."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import BuildError, ProjectError
from ..options import DEFAULT_PDF_VARIANT, DEFAULT_RENDER_TIMEOUT, PDF_VARIANTS, BuildOptions
from .exits import EXIT_PROBLEMS, WrongUse, guard
from .params import (
    FormatName,
    Shard,
    complete_briefings,
    format_option,
    project_option,
    strict_option,
)
from .preview import build_on_change
from .report import Progress, report_json, report_problems, say, shown
from .sharing import signing_key

if TYPE_CHECKING:
    from ..issuing import Issuing

F = TypeVar("F", bound=Callable[..., Any])


@click.command()
@project_option
@strict_option
@format_option(
    "text: one line per problem; json: the problems as JSON on stdout, for editors and CI."
)
@guard
def validate(project: Path, strict: bool, output_format: str) -> None:
    """Check every file of the project and report all problems at once.

    Problems are printed one per line as path:line:column: message. Exits 1
    when there are errors, 0 when there are none (warnings allowed, unless
    --strict).
    """
    from ..build import validate as validate_project

    root = project.resolve()
    loaded, problems = validate_project(root, strict=strict)
    if output_format == "json":
        report_json(problems)
        return
    report_problems(problems)
    if any(p.severity == "error" for p in problems):
        sys.exit(EXIT_PROBLEMS)
    counts = (
        (len(loaded.facts), "fact"),
        (len(loaded.sources), "source"),
        (len(loaded.actors), "actor"),
        (len(loaded.briefings), "briefing"),
    )
    say("ok: " + ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts))


def _build_options(command: F) -> F:
    """The options `build` and `issue` share: what to build, and how."""
    for option in reversed(
        (
            click.argument(
                "briefing_ids",
                nargs=-1,
                metavar="[BRIEFING-ID]...",
                shell_complete=complete_briefings,
            ),
            project_option,
            click.option(
                "--timeout",
                type=click.FloatRange(min=0, min_open=True),
                default=DEFAULT_RENDER_TIMEOUT,
                show_default=True,
                metavar="SECONDS",
                help="Stop with an error when one briefing takes longer than this to render.",
            ),
            strict_option,
            click.option(
                "--pdf-variant",
                type=click.Choice(PDF_VARIANTS),
                default=DEFAULT_PDF_VARIANT,
                show_default=True,
                help="pdf/ua-1: tagged and accessible; pdf/a-3b: for archives. Both carry "
                "the inputs.",
            ),
            click.option(
                "--force", is_flag=True, help="Render every output, even those up to date."
            ),
            click.option(
                "--format",
                "formats",
                type=FormatName(),
                multiple=True,
                help="Write every briefing in this format instead of those it lists; repeat "
                "for more.",
            ),
            click.option(
                "--jobs",
                "-j",
                type=click.IntRange(min=1),
                default=1,
                show_default=True,
                help="Lay out this many briefings' PDFs at once, in worker processes.",
            ),
            click.option(
                "--shard",
                type=Shard(),
                metavar="K/N",
                help="Build only shard K of N of the briefings, split by fact count (for a "
                "CI matrix).",
            ),
            click.option(
                "--sign",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                metavar="KEY.p12",
                help="Sign each PDF with this PKCS#12 key; its password from "
                "BRIEFGEN_SIGN_PASSWORD or asked.",
            ),
        )
    ):
        command = option(command)
    return command


@click.command()
@_build_options
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: build again whenever briefgen.yaml, facts/ or templates/ change.",
)
@guard
def build(briefing_ids: tuple[str, ...], project: Path, watch: bool, **given: Any) -> None:
    """Validate the project, then write each briefing in each of its formats.

    With BRIEFING-IDs, build only those briefings (the whole project is still
    validated). Nothing is written if anything is wrong: the last good files
    in output/ stay as they were. Prints the path of every file written.
    Analytic warnings are printed and do not stop the build, unless --strict.
    An output whose inputs are unchanged since it was written is reported as
    up to date and left alone; --force renders it anyway. With --sign, each PDF
    is signed (the key is checked before anything renders). An edition issued
    with `briefgen issue` is not built with changed facts.
    """
    from ..build import build as build_project

    root = project.resolve()
    options = _options(**given)
    if watch:
        ids = list(briefing_ids) or None
        build_on_change(root, [functools.partial(build_project, root, ids, options)])
        return
    _build(root, briefing_ids, options)


@click.command()
@_build_options
@click.option(
    "--correction",
    metavar="REASON",
    help="Issue a correction of an edition already issued; the reason shows under its title.",
)
@click.option(
    "--at",
    metavar="DATE",
    help="The date of the issue or correction (ISO, e.g. 2025-10-31). Default: today.",
)
@guard
def issue(
    briefing_ids: tuple[str, ...],
    project: Path,
    correction: str | None,
    at: str | None,
    **given: Any,
) -> None:
    """Build each briefing, as `build` does, and mark its edition issued.

    The edition's record in editions/<briefing-id>/ then says when it was
    issued, with each output's SHA-256. From then on a build or issue of that
    edition whose facts would differ is refused; set a new edition date, or
    issue a correction with --correction "REASON": the record keeps the
    earlier hashes with the reason and the date, and the briefing says
    "Corrected edition" with the reason under its title.
    """
    import datetime as dt

    from ..dates import PartialDate
    from ..errors import InvalidValue
    from ..issuing import Issuing

    if correction is not None and not correction.strip():
        raise WrongUse('--correction needs a reason, e.g. --correction "wrong quantity"')
    if at is None:
        at = dt.date.today().isoformat()
    try:
        when = PartialDate.parse(at)
    except InvalidValue as error:
        raise WrongUse(f"--at {at}: {error}; give a date such as 2025-10-31") from None
    if str(when) != at or len(at) != len("2025-10-31"):
        raise WrongUse(f"--at {at}: give a whole date such as 2025-10-31")
    root = project.resolve()
    options = _options(**given)
    reason = " ".join(correction.split()) if correction is not None else None
    _build(root, briefing_ids, options, Issuing(at, reason))


def _options(
    timeout: float,
    strict: bool,
    pdf_variant: str,
    force: bool,
    formats: tuple[str, ...],
    jobs: int,
    shard: tuple[int, int] | None,
    sign: Path | None,
) -> BuildOptions:
    return BuildOptions(
        pdf_variant=pdf_variant,
        strict=strict,
        render_timeout=timeout,
        force=force,
        jobs=jobs,
        override_formats=tuple(dict.fromkeys(formats)) or None,
        shard=shard,
        signing=signing_key(sign) if sign is not None else None,
    )


def _build(
    root: Path,
    briefing_ids: tuple[str, ...],
    options: BuildOptions,
    issuing: Issuing | None = None,
) -> None:
    """Build (and, with `issuing`, issue) and say what was written."""
    from ..build import UnknownBriefing
    from ..build import build as build_project

    progress = Progress() if sys.stderr.isatty() else None
    try:
        built, warnings = build_project(
            root, list(briefing_ids) or None, options, progress, issuing
        )
    except ProjectError as error:
        report_problems(error.problems)
        say("nothing was written; output/ is unchanged", err=True)
        sys.exit(EXIT_PROBLEMS)
    except UnknownBriefing as error:
        raise click.UsageError(str(error)) from error
    except BuildError as error:
        say(f"briefgen: {error}; nothing was written", err=True)
        sys.exit(EXIT_PROBLEMS)
    finally:
        if progress is not None:
            progress.clear()
    report_problems(warnings)
    if options.shard is not None and not built:
        shard = options.shard
        say(f"shard {shard[0]}/{shard[1]} has no briefing to build", err=True)
    for item in built:
        if item.withheld:  # the analyst's to know; never in an output
            withheld = ", ".join(item.withheld)
            say(f"{item.briefing_id}: release {item.release} withheld {withheld}", err=True)
        for path in item.up_to_date:
            say(f"up to date: {shown(path, root)}", err=True)
        for path in item.paths:
            say(shown(path, root))
        if issuing is not None:
            what = "corrected" if issuing.correction else "issued"
            say(f"{item.briefing_id}: edition {what} on {issuing.at}", err=True)


@click.command()
@click.argument("briefing_id", metavar="BRIEFING-ID", shell_complete=complete_briefings)
@click.option(
    "--from",
    "since",
    metavar="EDITION",
    help="Compare from this recorded edition (its date). Default: as the Changes section, "
    "the latest issued edition (before --to, if given); when none was issued, the latest "
    "recorded.",
)
@click.option(
    "--to",
    "until",
    metavar="EDITION",
    help="Compare to this recorded edition (its date). Default: the current facts.",
)
@project_option
@format_option("text: for reading; json: the changes as JSON on stdout, for scripts.")
@guard
def diff(
    briefing_id: str, since: str | None, until: str | None, project: Path, output_format: str
) -> None:
    """Show what changed in a briefing between two editions.

    Compares the records briefgen build keeps in editions/<briefing-id>/: by
    default the latest issued edition (briefgen issue), or, when none was
    issued, the latest record (whatever the edition in briefgen.yaml), against
    the current facts, that is, what changed since. Facts added, changed (and
    how) and withdrawn; judgments added, changed and withdrawn; the briefing's
    title and summary.
    Exits 0 with or without changes, 1 when the project or a record is bad.
    """
    from ..build import UnknownBriefing
    from ..changes import describe_changes
    from ..diff import NoEdition, diff_editions

    root = project.resolve()
    try:
        found = diff_editions(root, briefing_id, since, until)
    except ProjectError as error:
        report_problems(error.problems)
        sys.exit(EXIT_PROBLEMS)
    except (UnknownBriefing, NoEdition) as error:
        raise WrongUse(str(error)) from error
    if output_format == "json":
        click.echo(json.dumps(found.as_json(), indent=2, ensure_ascii=False))
        return
    to = f"the edition of {found.after}" if found.after else "the current facts"
    say(f"{briefing_id}: changes from the edition of {found.before} to {to}")
    for line in describe_changes(found.changes):
        say(line)


__all__ = ["build", "diff", "issue", "validate"]
