"""The options and arguments the commands share, their types and their completion."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def project_option(command: F) -> F:
    """--project: the project folder, the current one by default."""
    return click.option(
        "--project",
        "project",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=".",
        show_default="the current folder",
        help="The project folder: the one holding briefgen.yaml and facts/.",
    )(command)


def strict_option(command: F) -> F:
    """--strict: warnings count as errors."""
    return click.option(
        "--strict",
        is_flag=True,
        help="Treat analytic warnings (an uncited source, a stale fact, ...) as errors.",
    )(command)


class FormatName(click.ParamType[str]):
    """A name from formats.FORMATS, looked up only when the option is given, so
    `briefgen --help` does not import every renderer."""

    name = "format"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..formats import FORMATS

        if value not in FORMATS:
            self.fail(f"unknown format '{value}'; the formats are {', '.join(FORMATS)}", param, ctx)
        return str(value)


class Shard(click.ParamType[tuple[int, int]]):
    """K/N: shard K (from 1) of N, for build --shard."""

    name = "K/N"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, int]:
        from ..shard import parse_shard

        if isinstance(value, tuple):
            return value
        try:
            return parse_shard(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def complete_briefings(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """The project's briefing ids not yet given, for shell completion."""
    from ..scaffold import briefing_ids

    root = Path(ctx.params.get("project") or ".")
    chosen = set(ctx.params.get(param.name or "") or ())
    return [b for b in briefing_ids(root) if b.startswith(incomplete) and b not in chosen]


def format_option(help_text: str) -> Callable[[F], F]:
    """--format text|json, of what a command prints."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )


def complete_sections(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """The project's section ids, for shell completion."""
    from ..scaffold import section_ids

    root = Path(ctx.params.get("project") or ".")
    return [s for s in section_ids(root) if s.startswith(incomplete)]


__all__ = [
    "FormatName",
    "Shard",
    "complete_briefings",
    "complete_sections",
    "format_option",
    "project_option",
    "strict_option",
]
