"""The pipeline end to end: load -> check -> edition -> render -> write.

Nothing is written until every briefing asked for has rendered, so a build
that fails for any reason leaves `output/` exactly as it was. An output whose
inputs have not changed since it was written is not rendered again (cache.py),
and with `jobs` above 1 the PDFs are laid out in worker processes (workers.py).
Which formats exist, and how each renders, is formats.FORMATS's to say.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from .cache import Cache, file_digest, output_key
from .checks import TableNames, analytic_warnings, check_project
from .edition import Edition, make_edition
from .editions import Earlier, content_changed, earlier_edition, edition_path, edition_record
from .errors import Problem, ProjectError
from .formats import FORMATS
from .formats.base import Layout, RenderContext
from .inputs import ProjectInputs
from .issuing import Issuing, Standing, check_issuing, edition_standing, next_issued
from .load import Project, load_project, pause_collector_and_freeze
from .options import BuildOptions
from .output import output_path, write_outputs
from .paths import inside
from .records import read_bounded
from .rules import included_facts
from .shard import split
from .theme import check_templates
from .timelimit import call_with_time_limit

OUTPUT_DIR = "output"

# progress(done, total, briefing_id): called with 0 and "" before rendering starts,
# then as each briefing finishes.
Progress = Callable[[int, int, str], None]


class UnknownBriefing(Exception):
    """A briefing id was asked for that the project does not declare."""


@dataclass(frozen=True)
class Built:
    briefing_id: str
    paths: list[Path]  # written by this build
    up_to_date: list[Path] = field(default_factory=list)  # left alone: inputs unchanged
    # What its release withheld (FORMAT 1.2), for the analyst's terminal only.
    withheld: tuple[str, ...] = ()
    release: str | None = None


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


def _table_names() -> TableNames:
    """The names the format and figure tables hold, read when asked: an entry may
    have been registered since this module was imported."""
    from . import figures, formats

    return TableNames(formats=list(formats.FORMATS), figures=list(figures.FIGURES))


def validate(root: Path, strict: bool = False) -> tuple[Project, list[Problem]]:
    """Load and check the project at `root`; every problem found, sorted by place.

    Analytic warnings are among them; with `strict` they are errors.
    """
    project, problems, _ = _validate(root, strict)
    return project, problems


def _validate(root: Path, strict: bool) -> tuple[Project, list[Problem], dict[str, Earlier]]:
    """`validate`, and the record of each briefing's latest earlier edition as read
    to check it, so that a build reads each record once."""
    with pause_collector_and_freeze():
        project, problems = load_project(root)
        problems, earlier = _check(project, problems, strict)
    return project, problems, earlier


def check_loaded(
    project: Project,
    problems: list[Problem],
    strict: bool = False,
    warnings: list[Problem] | None = None,
    errors: list[Problem] | None = None,
) -> list[Problem]:
    """`problems` (the loader's) and every problem the checks find in the loaded
    `project`, sorted by place: what `validate` reports (and `briefgen lsp`, which
    gives the `errors` of the checks and the analytic `warnings` as it keeps them, a
    file at a time)."""
    return _check(project, problems, strict, warnings, errors)[0]


def check_errors(project: Project, *, sheets: bool = True) -> list[Problem]:
    """The errors the checks find in the loaded `project`, without the warnings;
    without `sheets`, those in each fact and source as written left out
    (`checks.file_errors`)."""
    return check_project(project, _table_names(), sheets=sheets)


def _check(
    project: Project,
    problems: list[Problem],
    strict: bool,
    warnings: list[Problem] | None = None,
    errors: list[Problem] | None = None,
) -> tuple[list[Problem], dict[str, Earlier]]:
    problems = problems + (check_errors(project) if errors is None else errors)
    if warnings is None:
        warnings = analytic_warnings(project)
    earlier = {
        key: earlier_edition(project.root, placed.item) for key, placed in project.briefings.items()
    }
    problems += [problem for record in earlier.values() for problem in record.problems]
    problems += [w.as_error() for w in warnings] if strict else warnings
    problems += check_templates(project.root)
    # By key, not by Problem's own ordering: a file of a million bad items sorts in
    # a second rather than a minute.
    problems = sorted(set(problems), key=attrgetter("path", "line", "column", "message"))
    return problems, earlier


def build(
    root: Path,
    briefing_ids: list[str] | None = None,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    issuing: Issuing | None = None,
) -> tuple[list[Built], list[Problem]]:
    """Validate the whole project, then write each briefing's outputs that are not
    up to date; with `issuing`, mark each edition built issued (or corrected) in
    its record (issuing.py).

    An issued edition whose content would change, without a correction, is a
    problem at its `edition:` line, and nothing is written.

    Raises ValueError when `options` name a format the table lacks, ProjectError
    (with every problem) when the project has errors, and UnknownBriefing when
    asked for a briefing the project lacks.
    Returns what was written or found up to date, and the warnings.
    """
    options = options or BuildOptions()
    check_formats(options)
    project, problems, earlier = _validate(root, options.strict)
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
    ids = list(dict.fromkeys(ids))
    standing = {i: edition_standing(root, project.briefings[i].item) for i in ids}
    refused = [problem for i in ids for problem in standing[i].problems]
    if refused:
        raise ProjectError(refused)
    plans = []
    for briefing_id in ids:
        found = standing[briefing_id]
        notice = issuing.notice if issuing is not None else None
        # Under the time limit too: comparing with a record from outside can be slow.
        edition = call_with_time_limit(
            options.render_timeout,
            f"briefing '{briefing_id}'",
            lambda: make_edition(
                project,
                briefing_id,  # noqa: B023
                shared,
                earlier[briefing_id],  # noqa: B023
                notice if notice is not None else found.notice,  # noqa: B023
            ),
        )
        changed = found.data is not None and content_changed(edition.view, found.data)
        placed = project.briefings[briefing_id]
        refused += check_issuing(placed, changed, found, issuing)
        plans.append(_plan(project, edition, options, cache))
    if refused:
        raise ProjectError(refused)
    rendered = _render_all(project, plans, options, progress)
    if options.signing is not None:  # in memory, before the all-or-none write
        for fmt, path, _ in (stale for plan in plans for stale in plan.stale):
            if FORMATS[fmt].signable:
                rendered[path] = options.signing.sign(rendered[path])
    pending = [(path, rendered[path]) for plan in plans for _, path, _ in plan.stale]
    if pending:
        for _, path, key in (stale for plan in plans for stale in plan.stale):
            cache.record(path, key, rendered[path])
        pending.append((cache.path, cache.dump()))  # with the outputs, all or none
    # Even with nothing to write: this also removes what a killed build left. The
    # records go in the same all-or-none step, renamed after the outputs they describe.
    records = _edition_records(root, plans, cache, standing, issuing)
    write_outputs(root / OUTPUT_DIR, pending, root, records)
    built = [
        Built(
            p.briefing_id,
            [path for _, path, _ in p.stale],
            p.fresh,
            p.edition.withheld,
            p.edition.view.release,
        )
        for p in plans
    ]
    return built, problems


def check_formats(options: BuildOptions) -> None:
    """Refuse options naming a format the table lacks (options.py, below the table,
    checks only its own shape)."""
    for name in options.format_names:
        if name not in FORMATS:
            raise ValueError(f"unknown format {name!r}; choose {', '.join(FORMATS)}")


def shard_ids(project: Project, ids: list[str], k: int, n: int) -> list[str]:
    """The briefings of `ids` that shard `k` of `n` builds, weighed by their facts."""
    weights = {i: len(included_facts(project, project.briefings[i].item)) for i in ids}
    return split(weights, n)[k - 1]


def _edition_records(
    root: Path,
    plans: list[_Plan],
    cache: Cache,
    standing: dict[str, Standing],
    issuing: Issuing | None,
) -> list[tuple[Path, bytes]]:
    """The editions/<id>/<edition>.json to write so they stay in step with output/.

    With the hashes the cache holds for the outputs (of the bytes about to be
    written, or checked unchanged), plus those the record already holds for
    outputs this build did not make (`build --format json` keeps the PDF's) while
    output/ still holds those very files; a record that would not change is left out.
    What it said of the edition's issue is kept, and, when issuing, added to.
    """
    records = []
    for plan in plans:
        view = plan.edition.view
        target = edition_path(root, view)
        # One that leads out of the project is never read; write_outputs refuses it.
        known = inside(target, root) and target.is_file()
        paths = sorted(plan.fresh + [path for _, path, _ in plan.stale])
        outputs = _still_recorded(root, target, view.id) if known else {}
        outputs.update((p.relative_to(root).as_posix(), cache.written(p)) for p in paths)
        outputs = dict(sorted(outputs.items()))
        issued = next_issued(standing[view.id], issuing, outputs)
        lineage = plan.edition.lineage
        record = edition_record(view, outputs, issued, lineage.first if lineage else None)
        if not known or read_bounded(target) != record:
            records.append((target, record))
    return records


def _still_recorded(root: Path, record: Path, briefing_id: str) -> dict[str, tuple[str, int]]:
    """The outputs of `briefing_id` that `record` lists and output/ still holds as listed."""
    try:
        listed = json.loads(read_bounded(record) or b"").get("outputs", {})
    except (OSError, ValueError, AttributeError, RecursionError):
        return {}  # a bad record is reported where it is read; nothing of it is kept
    kept = {}
    for name, entry in listed.items() if isinstance(listed, dict) else ():
        path = root / name
        if (
            isinstance(name, str)
            and name.startswith(f"{OUTPUT_DIR}/{briefing_id}.")
            and path.parent == root / OUTPUT_DIR
            and isinstance(entry, dict)
            and path.is_file()
            and not path.is_symlink()
            and (entry.get("sha256"), entry.get("bytes")) == file_digest(path)
        ):
            kept[name] = (str(entry["sha256"]), int(entry["bytes"]))
    return kept


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

    check_formats(options)

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
    from .render import make_environment  # Jinja2, which `validate` does not need

    env = make_environment(root)
    return RenderContext(edition.view, root, options, edition.inputs, env, edition.lineage)


def _outputs(project: Project, briefing_id: str, options: BuildOptions) -> list[tuple[str, Path]]:
    """(format, path) of each output asked for, in the order the briefing lists them."""
    output_dir = project.root / OUTPUT_DIR
    return [
        (fmt, output_path(output_dir, briefing_id, FORMATS[fmt].suffix))
        for fmt in _formats(project, briefing_id, options)
    ]
