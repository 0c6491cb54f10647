"""The pipeline end to end: load -> check -> assemble -> render -> write.

Nothing is written until every briefing asked for has rendered, so a build
that fails for any reason leaves `output/` exactly as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from . import __version__
from .assemble import BriefingView, assemble_briefing
from .checks import analytic_warnings, check_project
from .errors import Problem, ProjectError
from .output import output_path, write_atomic
from .project import Project, load_project
from .render import make_environment, render_html, template_dirs

OUTPUT_DIR = "output"
GENERATOR = f"briefgen {__version__}"


class UnknownBriefing(Exception):
    """A briefing id was asked for that the project does not declare."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build; the CLI fills this from its flags."""

    pdf_variant: str = "pdf/ua-1"
    strict: bool = False  # analytic warnings are errors: nothing is written
    # Only these formats of each briefing (a preview builds html first); None: all it lists.
    formats: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Built:
    briefing_id: str
    paths: list[Path]


def validate(root: Path, strict: bool = False) -> tuple[Project, list[Problem]]:
    """Load and check the project at `root`; every problem found, sorted by place.

    Analytic warnings are among them; with `strict` they are errors.
    """
    project, problems = load_project(root)
    problems += check_project(project)
    warnings = analytic_warnings(project)
    problems += [w.as_error() for w in warnings] if strict else warnings
    return project, sorted(set(problems))


def build(
    root: Path,
    briefing_ids: list[str] | None = None,
    options: BuildOptions | None = None,
) -> tuple[list[Built], list[Problem]]:
    """Validate the whole project, then write each briefing's outputs.

    Raises ProjectError (with every problem) when the project has errors,
    and UnknownBriefing when asked for a briefing the project lacks.
    Returns what was written and the warnings.
    """
    options = options or BuildOptions()
    project, problems = validate(root, strict=options.strict)
    if any(p.severity == "error" for p in problems):
        raise ProjectError(problems)
    ids = briefing_ids or list(project.briefings)
    missing = [i for i in ids if i not in project.briefings]
    if missing:
        known = ", ".join(project.briefings)
        raise UnknownBriefing(
            f"no briefing {', '.join(map(repr, missing))}; the project has {known}"
        )

    pending: list[tuple[Path, bytes]] = []
    built = []
    for briefing_id in dict.fromkeys(ids):
        files = render_briefing(project, briefing_id, options)
        pending += files
        built.append(Built(briefing_id, [path for path, _ in files]))
    for path, data in pending:
        write_atomic(path, data)
    return built, problems


def render_briefing(
    project: Project, briefing_id: str, options: BuildOptions
) -> list[tuple[Path, bytes]]:
    """Every output file of one briefing, in memory: (path, bytes) for each format."""
    root = project.root
    briefing = project.briefings[briefing_id].item
    env = make_environment(root)
    view = assemble_briefing(project, briefing_id, GENERATOR)
    view.inputs_digest = inputs_digest(view, template_dirs(root))
    files = []
    for fmt in briefing.formats:
        if options.formats is not None and fmt not in options.formats:
            continue
        path = output_path(root / OUTPUT_DIR, briefing_id, fmt)
        if fmt == "html":
            data = render_html(view, root, "html", env).encode("utf-8")
        else:
            data = _render_pdf(view, root, env, options)
        files.append((path, data))
    return files


def _render_pdf(view: BriefingView, root: Path, env: Environment, options: BuildOptions) -> bytes:
    from .pdf import write_pdf

    html = render_html(view, root, "pdf", env)
    dirs = template_dirs(root)
    return write_pdf(
        html, base_dir=dirs[-1], allowed=dirs, options={"pdf_variant": options.pdf_variant}
    )


def inputs_digest(view: BriefingView, templates: list[Path]) -> str:
    """A short hash of everything a briefing shows and how: its data, the templates
    and briefgen's version. Two editions with the same digest read the same."""
    digest = hashlib.sha256(GENERATOR.encode())
    data = dataclasses.asdict(view)
    data.pop("inputs_digest")
    digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    for folder in templates:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
