"""Rendering: a briefing view -> HTML, through the theme's Jinja2 templates.

Templates are found through one ChoiceLoader: the project's own `templates/`
first, then the built-in theme; `default:` names the built-in file, so a
project template can `{% extends "default:briefing.html" %}` and change one
block. Autoescape is on and undefined names fail, so a typo in a template is
an error rather than a blank; fact text arrives as data (escaped, or as
Markup made by richtext.py) and is never itself a template.

The theme and the project's templates are trusted, but only with their own
files: neither loader follows a link out of its folder.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .assemble import BriefingView
from .errors import BuildError, Problem
from .paths import inside
from .richtext import append_inline

if TYPE_CHECKING:
    import jinja2

THEME_DIR = next(
    path
    for path in (
        Path(__file__).parent / "theme",  # installed: the wheel carries the theme here
        Path(__file__).parent.parent / "templates",  # a source checkout
    )
    if path.is_dir()
)
PROJECT_TEMPLATES = "templates"

Medium = Literal["html", "pdf"]


def template_dirs(project_root: Path) -> list[Path]:
    """Where templates are looked up, first match wins."""
    own = project_root / PROJECT_TEMPLATES
    if not own.is_dir():
        return [THEME_DIR]
    if not inside(own, project_root):
        raise BuildError(f"{PROJECT_TEMPLATES}/ links to {own.resolve()}, outside the project")
    dirs = [own] if own.resolve() != THEME_DIR.resolve() else []
    return [*dirs, THEME_DIR]


def check_templates(project_root: Path) -> list[Problem]:
    """Every link in the project's templates/ that leads out of it, as a problem:
    a theme may use only its own files."""
    folder = project_root / PROJECT_TEMPLATES
    if not folder.is_dir():
        return []
    if not inside(folder, project_root):
        return [_outside(PROJECT_TEMPLATES, "a folder outside the project")]
    problems = []
    pending = [folder]
    while pending:  # a loop, not recursion: a hostile tree may be very deep
        for entry in sorted(pending.pop().iterdir()):
            if entry.is_symlink():
                if not inside(entry, folder):
                    name = f"{PROJECT_TEMPLATES}/{entry.relative_to(folder).as_posix()}"
                    problems.append(_outside(name, f"a file outside {PROJECT_TEMPLATES}/"))
            elif entry.is_dir():
                pending.append(entry)
    return problems


def _outside(name: str, where: str) -> Problem:
    return Problem(
        name,
        1,
        1,
        f"links to {where}",
        f"copy what it links to into {PROJECT_TEMPLATES}/; templates may use only their own files",
        code="outside",
    )


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
            pieces = split_template_path(template)  # refuses '..'
            for folder in self.searchpath:
                candidate = os.path.join(folder, *pieces)
                if os.path.isfile(candidate):
                    if not inside(Path(candidate), Path(folder)):
                        real = Path(candidate).resolve()
                        raise BuildError(f"template '{template}' links to {real}, outside {folder}")
                    break
            return super().get_source(environment, template)

    return ConfinedLoader


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
