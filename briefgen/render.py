"""Rendering: a briefing view -> HTML, through the theme's Jinja2 templates.

Templates are found through one ChoiceLoader: the project's own `templates/`
first, then the built-in theme; `default:` names the built-in file, so a
project template can `{% extends "default:briefing.html" %}` and change one
block. Autoescape is on and undefined names fail, so a typo in a template is
an error rather than a blank; fact text arrives as data (escaped, or as
Markup made by richtext.py) and is never itself a template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import jinja2

from .assemble import BriefingView
from .richtext import append_inline

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
    dirs = [own] if own.is_dir() and own.resolve() != THEME_DIR.resolve() else []
    return [*dirs, THEME_DIR]


def make_environment(project_root: Path) -> jinja2.Environment:
    theme = jinja2.FileSystemLoader(THEME_DIR)
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": theme}, delimiter=":"),
            jinja2.FileSystemLoader(template_dirs(project_root)),
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
    env = env or make_environment(project_root)
    template = env.get_template("briefing.html")
    return template.render(briefing=view, medium=medium)
