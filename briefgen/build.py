"""The pipeline end to end: load -> check -> assemble -> render -> write.

Nothing is written until every briefing asked for has rendered, so a build
that fails for any reason leaves `output/` exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from jinja2 import Environment

from . import __version__
from .assemble import BriefingView, assemble_briefing
from .checks import analytic_warnings, check_project
from .errors import Problem, ProjectError
from .output import output_path, write_outputs
from .pdf import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from .project import CONFIG_NAME, Project, load_project
from .render import check_templates, make_environment, render_html, template_dirs
from .timelimit import DEFAULT_RENDER_TIMEOUT, call_with_time_limit

OUTPUT_DIR = "output"
GENERATOR = f"briefgen {__version__}"


class UnknownBriefing(Exception):
    """A briefing id was asked for that the project does not declare."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build; the CLI fills this from its flags."""

    pdf_variant: str = DEFAULT_PDF_VARIANT  # or "pdf/a-3b"; see pdf.PDF_VARIANTS
    strict: bool = False  # analytic warnings are errors: nothing is written
    # Only these formats of each briefing (a preview builds html first); None: all it lists.
    formats: tuple[str, ...] | None = None
    # Seconds one briefing may take to render (None: no limit); enforced on Unix
    # in the main thread, which is where builds run.
    render_timeout: float | None = DEFAULT_RENDER_TIMEOUT

    def __post_init__(self) -> None:
        if self.pdf_variant not in PDF_VARIANTS:
            choices = ", ".join(PDF_VARIANTS)
            raise ValueError(f"unknown PDF variant {self.pdf_variant!r}; choose {choices}")


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
    problems += check_templates(root)
    # By key, not by Problem's own ordering: a file of a million bad items sorts in
    # a second rather than a minute.
    return project, sorted(set(problems), key=attrgetter("path", "line", "column", "message"))


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
    inputs = read_inputs(project)
    for briefing_id in dict.fromkeys(ids):
        files = render_briefing(project, briefing_id, options, inputs)
        pending += files
        built.append(Built(briefing_id, [path for path, _ in files]))
    write_outputs(root / OUTPUT_DIR, pending, root)
    return built, problems


def render_briefing(
    project: Project,
    briefing_id: str,
    options: BuildOptions,
    inputs: list[InputFile] | None = None,
) -> list[tuple[Path, bytes]]:
    """Every output file of one briefing, in memory: (path, bytes) for each format.

    `inputs` are the project's files as `read_inputs` returns them; pass them
    when building several briefings so each file is read once. Raises
    BuildError when rendering takes longer than `options.render_timeout`.
    """
    return call_with_time_limit(
        options.render_timeout,
        f"briefing '{briefing_id}'",
        lambda: _render_files(project, briefing_id, options, inputs),
    )


def _render_files(
    project: Project,
    briefing_id: str,
    options: BuildOptions,
    inputs: list[InputFile] | None,
) -> list[tuple[Path, bytes]]:
    root = project.root
    briefing = project.briefings[briefing_id].item
    inputs = read_inputs(project) if inputs is None else inputs
    env = make_environment(root)
    view = assemble_briefing(project, briefing_id, GENERATOR)
    view.inputs_digest = inputs_digest(briefing_id, inputs, template_dirs(root))
    files = []
    for fmt in briefing.formats:
        if options.formats is not None and fmt not in options.formats:
            continue
        path = output_path(root / OUTPUT_DIR, briefing_id, fmt)
        if fmt == "html":
            data = render_html(view, root, "html", env).encode("utf-8")
        else:
            edition = briefing.edition.first_day
            data = _render_pdf(view, root, env, options, inputs, edition)
        files.append((path, data))
    return files


def _render_pdf(
    view: BriefingView,
    root: Path,
    env: Environment,
    options: BuildOptions,
    inputs: list[InputFile],
    edition: dt.date,
) -> bytes:
    from .pdf import Attachment, write_pdf

    html = render_html(view, root, "pdf", env)
    dirs = template_dirs(root)
    attachments = [Attachment(item.path, item.data, _describe(item.path, view)) for item in inputs]
    # The file identifier names this exact file: these inputs, in this variant.
    identifier = hashlib.sha256(f"{view.inputs_digest} {options.pdf_variant}".encode())
    return write_pdf(
        html,
        base_dir=dirs[-1],
        allowed=dirs,
        variant=options.pdf_variant,
        identifier=identifier.hexdigest()[:32].encode(),
        date=edition,  # a partial edition date counts as its first day
        attachments=attachments,
    )


def _describe(path: str, view: BriefingView) -> str:
    if path == CONFIG_NAME:
        return f"briefgen project file: sections and briefings (inputs {view.inputs_digest})"
    return f"briefgen fact sheet (inputs {view.inputs_digest})"


@dataclass(frozen=True)
class InputFile:
    """One file of the project a briefing is built from, as read for this build."""

    path: str  # relative to the project, with '/'
    data: bytes


def read_inputs(project: Project) -> list[InputFile]:
    """briefgen.yaml and every fact sheet, read once, in a stable order.

    These bytes are both hashed into the inputs digest and attached to the
    PDF, so a recipient holds exactly what the digest names.
    """
    names = [project.config_file.path, *sorted(f.path for f in project.files)]
    return [InputFile(name, (project.root / name).read_bytes()) for name in names]


def inputs_digest(briefing_id: str, inputs: list[InputFile], templates: list[Path]) -> str:
    """A short hash of everything an edition is made from: briefgen's version, the
    briefing id, the project's files and the theme. Same digest, same edition."""
    digest = hashlib.sha256()

    def add(name: str, data: bytes) -> None:
        # Length-prefixed, so no two different sets of files hash alike.
        digest.update(f"{len(name)}:{name}{len(data)}:".encode())
        digest.update(data)

    add("generator", GENERATOR.encode())
    add("briefing", briefing_id.encode())
    for item in inputs:
        add(f"project/{item.path}", item.data)
    for index, folder in enumerate(templates):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            add(f"theme{index}/{path.relative_to(folder).as_posix()}", path.read_bytes())
    return digest.hexdigest()[:12]
