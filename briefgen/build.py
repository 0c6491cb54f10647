"""The pipeline end to end: load -> check -> assemble -> render -> write.

Nothing is written until every briefing asked for has rendered, so a build
that fails for any reason leaves `output/` exactly as it was. An output whose
inputs have not changed since it was written is not rendered again (cache.py),
and with `jobs` above 1 the PDFs are laid out in worker processes (workers.py).
Which formats exist, and how each renders, is formats.FORMATS's to say.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from . import __version__
from .assemble import BriefingView, assemble_briefing
from .cache import Cache, output_key
from .checks import analytic_warnings, check_project
from .editions import (
    EDITIONS_DIR,
    check_earlier_editions,
    earlier_edition,
    edition_path,
    edition_record,
    show_changes,
)
from .errors import BuildError, Problem, ProjectError
from .figures import figure_tools
from .formats import FORMATS, Layout, RenderContext
from .inputs import InputFile, ProjectInputs, briefing_inputs, inputs_hash
from .load import Project, collector_paused, load_project
from .output import output_path, write_atomic, write_outputs
from .paths import inside
from .pdf import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from .render import check_templates, make_environment
from .rules import included_facts
from .shard import split
from .timelimit import DEFAULT_RENDER_TIMEOUT, call_with_time_limit

OUTPUT_DIR = "output"
GENERATOR = f"briefgen {__version__}"

# progress(done, total, briefing_id): called with 0 and "" before rendering starts,
# then as each briefing finishes.
Progress = Callable[[int, int, str], None]


class UnknownBriefing(Exception):
    """A briefing id was asked for that the project does not declare."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build; the CLI fills this from its flags."""

    pdf_variant: str = DEFAULT_PDF_VARIANT  # or "pdf/a-3b"; see pdf.PDF_VARIANTS
    strict: bool = False  # analytic warnings are errors: nothing is written
    # Every briefing in these formats instead of those it lists (build --format).
    override_formats: tuple[str, ...] | None = None
    # Only these formats of each briefing (a preview builds html first); None: all it lists.
    formats: tuple[str, ...] | None = None
    # Seconds one briefing may take to render (None: no limit); enforced on Unix
    # in the main thread, which is where builds run.
    render_timeout: float | None = DEFAULT_RENDER_TIMEOUT
    force: bool = False  # render every output, even those that are up to date
    jobs: int = 1  # worker processes laying out PDFs side by side
    # (K, N): build only shard K (from 1) of N of the briefings asked for (shard.py).
    shard: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.pdf_variant not in PDF_VARIANTS:
            choices = ", ".join(PDF_VARIANTS)
            raise ValueError(f"unknown PDF variant {self.pdf_variant!r}; choose {choices}")
        if self.shard is not None and not 1 <= self.shard[0] <= self.shard[1]:
            raise ValueError(f"shard {self.shard[0]}/{self.shard[1]}: K must be from 1 to N")
        for name in (*(self.override_formats or ()), *(self.formats or ())):
            if name not in FORMATS:
                raise ValueError(f"unknown format {name!r}; choose {', '.join(FORMATS)}")


@dataclass(frozen=True)
class Built:
    briefing_id: str
    paths: list[Path]  # written by this build
    up_to_date: list[Path] = field(default_factory=list)  # left alone: inputs unchanged


@dataclass
class Edition:
    """One briefing as this build makes it: what its reader sees, the project files
    it is made from (inputs.py), and the hash of those and the theme."""

    view: BriefingView  # its inputs_digest is the first 12 digits of `hash`
    inputs: list[InputFile]
    hash: str
    # The versions of the programs that laid out its figures (Graphviz, when it has
    # a flow diagram): not inputs, so not in `hash`, but in its outputs' cache keys.
    tools: tuple[str, ...] = ()


def make_edition(
    project: Project, briefing_id: str, shared: ProjectInputs | None = None
) -> Edition:
    """Assemble one briefing and name its inputs; `shared` is `ProjectInputs.of(project)`,
    worked out once when building several briefings."""
    shared = ProjectInputs.of(project) if shared is None else shared
    view = assemble_briefing(project, briefing_id, GENERATOR)
    inputs = briefing_inputs(project, briefing_id, shared)
    # The record of the latest earlier edition is an input too: its Changes section.
    earlier = earlier_edition(project.root, project.briefings[briefing_id].item)
    show_changes(project, view, earlier)
    inputs += [earlier.file] if earlier.file is not None else []
    full = inputs_hash(GENERATOR, briefing_id, inputs, shared.theme)
    view.inputs_digest = full[:12]
    return Edition(view, inputs, full, figure_tools(view.figures))


@dataclass
class _Plan:
    """One briefing's outputs: those to render (format, path, cache key) and those
    already up to date."""

    edition: Edition
    stale: list[tuple[str, Path, str]]
    fresh: list[Path]

    @property
    def briefing_id(self) -> str:
        return self.edition.view.id


def validate(root: Path, strict: bool = False) -> tuple[Project, list[Problem]]:
    """Load and check the project at `root`; every problem found, sorted by place.

    Analytic warnings are among them; with `strict` they are errors.
    """
    with collector_paused():
        project, problems = load_project(root)
        return project, check_loaded(project, problems, strict)


def check_loaded(project: Project, problems: list[Problem], strict: bool = False) -> list[Problem]:
    """`problems` (the loader's) and every problem the checks find in the loaded
    `project`, sorted by place: what `validate` reports (and `briefgen lsp`)."""
    with collector_paused():
        problems = problems + check_project(project)
        warnings = analytic_warnings(project)
        problems += check_earlier_editions(project)
    problems += [w.as_error() for w in warnings] if strict else warnings
    problems += check_templates(project.root)
    # By key, not by Problem's own ordering: a file of a million bad items sorts in
    # a second rather than a minute.
    return sorted(set(problems), key=attrgetter("path", "line", "column", "message"))


def build(
    root: Path,
    briefing_ids: list[str] | None = None,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> tuple[list[Built], list[Problem]]:
    """Validate the whole project, then write each briefing's outputs that are not
    up to date.

    Raises ProjectError (with every problem) when the project has errors,
    and UnknownBriefing when asked for a briefing the project lacks.
    Returns what was written or found up to date, and the warnings.
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
    if options.shard is not None:
        ids = shard_ids(project, ids, *options.shard)

    shared = ProjectInputs.of(project)
    cache = Cache.load(root / OUTPUT_DIR)
    plans = [
        _plan(project, make_edition(project, briefing_id, shared), options, cache)
        for briefing_id in dict.fromkeys(ids)
    ]
    rendered = _render_all(project, plans, options, progress)
    pending = [(path, rendered[path]) for plan in plans for _, path, _ in plan.stale]
    if pending:
        for _, path, key in (stale for plan in plans for stale in plan.stale):
            cache.record(path, key, rendered[path])
        pending.append((cache.path, cache.dump()))  # with the outputs, all or none
    # Even with nothing to write: this also removes what a killed build left.
    write_outputs(root / OUTPUT_DIR, pending, root)
    _record_editions(root, plans, cache)
    built = [Built(p.briefing_id, [path for _, path, _ in p.stale], p.fresh) for p in plans]
    return built, problems


def shard_ids(project: Project, ids: list[str], k: int, n: int) -> list[str]:
    """The briefings of `ids` that shard `k` of `n` builds, weighed by their facts."""
    weights = {i: len(included_facts(project, project.briefings[i].item)) for i in ids}
    return split(weights, n)[k - 1]


def _record_editions(root: Path, plans: list[_Plan], cache: Cache) -> None:
    """Keep editions/<id>/<edition>.json in step with what output/ now holds.

    Written after the outputs, with the hashes the cache holds for them (of
    the bytes just written, or checked unchanged), so a record always
    describes outputs that exist; an unchanged record is not touched.
    """
    for plan in plans:
        view = plan.edition.view
        paths = sorted(plan.fresh + [path for _, path, _ in plan.stale])
        outputs = {path.relative_to(root).as_posix(): cache.written(path) for path in paths}
        record = edition_record(view, outputs)
        target = edition_path(root, view)
        if not inside(target, root):
            raise BuildError(f"{EDITIONS_DIR}/ leads outside the project; remove the link")
        if not target.is_file() or target.read_bytes() != record:
            write_atomic(target, record)


def _plan(project: Project, edition: Edition, options: BuildOptions, cache: Cache) -> _Plan:
    plan = _Plan(edition, [], [])
    for fmt in _formats(project, plan.briefing_id, options):
        path = output_path(project.root / OUTPUT_DIR, plan.briefing_id, FORMATS[fmt].suffix)
        key = output_key(edition.hash, fmt, options, edition.tools)
        if not options.force and cache.is_fresh(path, key):
            plan.fresh.append(path)
        else:
            plan.stale.append((fmt, path, key))
    return plan


def _formats(project: Project, briefing_id: str, options: BuildOptions) -> list[str]:
    """The formats to build of one briefing: those it lists, or those the command
    line names instead, less any `options.formats` leaves out."""
    listed = options.override_formats or project.briefings[briefing_id].item.formats
    return [f for f in listed if options.formats is None or f in options.formats]


def _render_all(
    project: Project,
    plans: list[_Plan],
    options: BuildOptions,
    progress: Progress | None,
) -> dict[Path, bytes]:
    """Every stale output of `plans`, in memory."""
    todo = [plan for plan in plans if plan.stale]
    files: dict[Path, bytes] = {}
    finished = 0

    def done(briefing_id: str) -> None:
        nonlocal finished
        finished += 1
        if progress is not None:
            progress(finished, len(todo), briefing_id)

    if progress is not None and todo:
        progress(0, len(todo), "")
    # The outputs a worker process can finish (formats with a `prepare` step).
    deferred = [
        (plan, path) for plan in todo for fmt, path, _ in plan.stale if FORMATS[fmt].prepare
    ]
    if options.jobs <= 1 or len(deferred) <= 1:
        for plan in todo:
            only = dataclasses.replace(options, formats=tuple(f for f, _, _ in plan.stale))
            files.update(render_briefing(project, plan.briefing_id, only, plan.edition))
            done(plan.briefing_id)
        return files

    from .workers import LayoutTask, lay_out_all

    waiting: dict[str, int] = {}  # a briefing's outputs still with the workers

    def tasks() -> Iterator[LayoutTask]:
        for plan in todo:
            only = dataclasses.replace(options, formats=tuple(f for f, _, _ in plan.stale))
            prepared = call_with_time_limit(
                options.render_timeout,
                f"briefing '{plan.briefing_id}'",
                lambda: _prepare(project, plan.briefing_id, only, plan.edition),  # noqa: B023
            )
            later = [(path, part) for path, part in prepared if not isinstance(part, bytes)]
            files.update((path, part) for path, part in prepared if isinstance(part, bytes))
            if not later:
                done(plan.briefing_id)
                continue
            waiting[plan.briefing_id] = len(later)
            for path, layout in later:
                yield LayoutTask(plan.briefing_id, path, layout, options.render_timeout)

    def laid_out(task: LayoutTask, data: bytes) -> None:
        files[task.path] = data
        waiting[task.name] -= 1
        if not waiting[task.name]:
            done(task.name)

    lay_out_all(tasks(), len(deferred), options.jobs, laid_out)
    return files


def render_briefing(
    project: Project,
    briefing_id: str,
    options: BuildOptions,
    edition: Edition | None = None,
) -> list[tuple[Path, bytes]]:
    """Every output file of one briefing, in memory: (path, bytes) for each format.

    `edition` is the briefing as `make_edition` made it, if the caller has it.
    Raises BuildError when rendering takes longer than `options.render_timeout`.
    """

    def render() -> list[tuple[Path, bytes]]:
        context = _context(project, briefing_id, options, edition)
        return [
            (path, FORMATS[fmt].render(context))
            for fmt, path in _outputs(project, briefing_id, options)
        ]

    return call_with_time_limit(options.render_timeout, f"briefing '{briefing_id}'", render)


def _prepare(
    project: Project,
    briefing_id: str,
    options: BuildOptions,
    edition: Edition | None = None,
) -> list[tuple[Path, bytes | Layout]]:
    """One briefing's outputs, each rendered or, where its format can, prepared for a
    worker process to finish."""
    context = _context(project, briefing_id, options, edition)
    prepared: list[tuple[Path, bytes | Layout]] = []
    for fmt, path in _outputs(project, briefing_id, options):
        entry = FORMATS[fmt]
        prepared.append(
            (path, entry.render(context) if entry.prepare is None else entry.prepare(context))
        )
    return prepared


def _context(
    project: Project, briefing_id: str, options: BuildOptions, edition: Edition | None
) -> RenderContext:
    edition = make_edition(project, briefing_id) if edition is None else edition
    root = project.root
    return RenderContext(edition.view, root, options, edition.inputs, make_environment(root))


def _outputs(project: Project, briefing_id: str, options: BuildOptions) -> list[tuple[str, Path]]:
    """(format, path) of each output asked for, in the order the briefing lists them."""
    output_dir = project.root / OUTPUT_DIR
    return [
        (fmt, output_path(output_dir, briefing_id, FORMATS[fmt].suffix))
        for fmt in _formats(project, briefing_id, options)
    ]
