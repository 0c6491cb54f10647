"""The commands that start and add to a project: init, new, unpack, schema, and lsp,
the language server editors start."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from .exits import EXIT_PROBLEMS, WrongUse, guard
from .params import complete_sections, project_option
from .report import say, shown

if TYPE_CHECKING:
    from ..model import ItemType
    from ..schema import SchemaName


@click.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)
@click.option("--force", is_flag=True, help="Replace files of the same name already there.")
@click.option(
    "--blank",
    is_flag=True,
    help="Start empty: a briefgen.yaml with one section and one briefing, and no facts.",
)
@guard
def init(directory: Path, force: bool, blank: bool) -> None:
    """Start a project that builds at once.

    In DIRECTORY (default: here), writes the example project (briefgen.yaml
    and facts/), JSON Schemas for editors in schemas/ wired up for VS Code and
    any editor using the YAML language server, and a .gitignore for output/.
    With --blank, briefgen.yaml has one section and one briefing, and there
    are no example facts. Refuses to replace existing files unless --force.
    """
    from ..scaffold import ScaffoldError, init_project

    try:
        written = init_project(directory, force=force, blank=blank)
    except ScaffoldError as error:
        # A folder that already holds a project is the wrong place, not a broken project.
        failure = WrongUse if error.wrong_use else click.ClickException
        raise failure(str(error)) from error
    root = directory.resolve()
    for path in written:
        say(shown(path.resolve(), root))
    where = "" if root == Path.cwd().resolve() else f"cd {directory} && "
    if blank:
        say(f"next: {where}briefgen new fact --sheet facts/main.yaml, then briefgen build")
    else:
        say(f"next: {where}briefgen build, or briefgen serve to preview as you edit")


class _FactKinds(click.Choice[str]):
    """The kinds of fact (kinds.KINDS, plain last), read when `new` uses or shows
    them, so `briefgen --help` loads no model."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        from ..kinds import KINDS, PLAIN

        return [*(name for name in KINDS if name != PLAIN.name), PLAIN.name]

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # click.Choice sets its choices once; these come from the table


@click.command()
@click.argument("kind", type=click.Choice(["fact", "source", "actor"]))  # scaffold.SHEET_KINDS
@click.option(
    "--sheet",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Add the entry to this fact sheet (created if missing) instead of printing it.",
)
@click.option(
    "--section",
    shell_complete=complete_sections,
    help="The section of a new fact; default: the sheet's, or the first section.",
)
@click.option(
    "--kind",
    "fact_kind",
    type=_FactKinds(),
    help="The kind of a new fact; default: the kind most facts in the sheet have.",
)
@click.option("--id", "item_id", metavar="ID", help="The new entry's id; default: a fresh one.")
@project_option
@guard
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
    from ..kinds import KINDS, PLAIN
    from ..scaffold import ScaffoldError, new_entry

    root = project.resolve()
    try:
        if fact_kind is not None and kind != "fact":
            raise ScaffoldError(f"--kind is for facts; a {kind} has no kind")
        entry = new_entry(
            root,
            cast("ItemType", kind),
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
        say(f"printed {what}; replace its TODOs", err=True)
    else:
        where = f"{shown(entry.sheet, root)}:{entry.line}"
        say(f"{where}: added {what}; replace its TODOs")


@click.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default=".", required=False
)
@guard
def unpack(pdf: Path, directory: Path) -> None:
    """Rebuild a project from a briefing's PDF.

    Writes the briefgen.yaml and fact sheets attached to PDF into DIRECTORY
    (default: here), each in its folder, after checking that they give the
    inputs digest the PDF names and that no name leads out of DIRECTORY.
    `briefgen build BRIEFING-ID` there then makes the same PDF, byte for byte.
    Nothing is written if anything is wrong, or a file is already there.
    """
    from ..unpack import UnpackError, unpack_pdf

    try:
        unpacked = unpack_pdf(pdf, directory)
    except UnpackError as error:
        say(f"briefgen: {error}", err=True)
        sys.exit(EXIT_PROBLEMS)
    root = directory.resolve()
    for path in unpacked.written:
        say(shown(path.resolve(), root))
    where = "" if root == Path.cwd().resolve() else f"cd {directory} && "
    say(
        f"inputs {unpacked.digest} check out; next: {where}briefgen build {unpacked.briefing_id}",
        err=True,
    )


@click.command()
@click.argument("kind", type=click.Choice(["facts", "config", "output"]))
@guard
def schema(kind: str) -> None:
    """Print a JSON Schema.

    The schema (draft-07) of fact sheets (facts) or of briefgen.yaml (config).
    Editors use it for completion, choices and hover help; `briefgen init`
    writes both into schemas/. Run this after upgrading briefgen to refresh them.
    `output` is the schema (draft 2020-12) of the json format, output/<id>.json.
    """
    if kind == "output":
        from ..formats.jsonout import schema_text as output_schema_text

        click.echo(output_schema_text(), nl=False)
        return
    from ..scaffold import schema_text

    click.echo(schema_text(cast("SchemaName", kind)), nl=False)


__all__ = ["init", "new", "schema", "unpack"]


@click.command()
@guard
def lsp() -> None:
    """Answer an editor as a language server, over stdin and stdout.

    Diagnostics as you type (what `validate` finds), completion, hover, go to
    definition, references, rename and quick fixes for fact sheets and
    briefgen.yaml. Editors start it in the project folder (README, Editors).
    """
    from ..lsp.server import serve  # pygls only for this command

    serve()
