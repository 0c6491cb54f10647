"""Rendering: a briefing view -> HTML, through the theme's Jinja2 templates.

Templates are found through one ChoiceLoader: the project's own `templates/`
first, then the built-in theme; `default:` names the built-in file, so a
project template can `{% extends "default:briefing.html" %}` and change one
block. Autoescape is on and undefined names fail, so a typo in a template is
an error rather than a blank; fact text arrives as data (escaped, or as
Markup made by richtext.py) and is never itself a template.

The theme and the project's templates are trusted, but only with their own
files: neither loader follows a link out of its folder (theme.py finds them).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .assemble import BriefingView
from .errors import BuildError
from .richtext import append_inline
from .theme import THEME_DIR, find_theme_file, template_dirs

if TYPE_CHECKING:
    import jinja2

Medium = Literal["html", "pdf"]


@functools.cache
def _confined_loader() -> type[jinja2.FileSystemLoader]:
    """Jinja2's file loader, refusing a template that is a link out of its folder.
    A class made on first use, so `validate` and `--help` never import Jinja2."""
    import jinja2
    from jinja2.loaders import split_template_path

    class ConfinedLoader(jinja2.FileSystemLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Any]:
            split_template_path(template)  # refuses '..' as Jinja2 does
            find_theme_file(template, self.searchpath)  # refuses a link out of its folder
            return super().get_source(environment, template)

    return ConfinedLoader


@functools.cache
def _compiled_templates() -> jinja2.BytecodeCache:
    """The templates compiled so far, kept for the life of the process: compiling
    the theme is most of the time of rendering a short page, paid again by every
    rebuild of `serve` and `watch`. Jinja2 keys each by the template's name and file
    and checks it against a checksum of its source, so an edited template is compiled
    again. Kept in memory only: nothing is written."""
    import jinja2

    class InMemory(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.code: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if (code := self.code.get(bucket.key)) is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.code[bucket.key] = bucket.bytecode_to_string()

    return InMemory()


def make_environment(project_root: Path) -> jinja2.Environment:
    import jinja2

    confined = _confined_loader()
    theme = confined(THEME_DIR)
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": theme}, delimiter=":"),
            confined(template_dirs(project_root)),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_compiled_templates(),  # every environment made here alike
    )
    env.filters["append_inline"] = append_inline
    return env


def render_html(
    view: BriefingView,
    project_root: Path,
    medium: Medium,
    env: jinja2.Environment | None = None,
) -> str:
    """The briefing page: self-contained for `html`, paged-media CSS for `pdf`."""
    import jinja2

    env = env or make_environment(project_root)
    try:
        template = env.get_template("briefing.html")
        return template.render(briefing=view, medium=medium)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(f"template {exc.name}:{exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateError as exc:  # a missing template, an undefined name
        raise BuildError(f"template: {exc}") from exc
