"""The edition: one briefing as a build makes it, in one forward pass, then frozen.

`make_edition` is the only place a briefing's edition is made. In order: the
record of the latest earlier edition (read once per build), the input files
and the hash that names them (inputs.py), the reader's view with its inputs
digest (assemble.py), its figures (figures/), and what changed since the
earlier record with the New and Updated marks (changes.py), and the reason of
its latest correction, if it was corrected after it was issued (issuing.py),
and when each thing it shows first appeared (editions.py). The `Edition` it
returns serves the cache key, every format and the edition record alike, and
nothing changes it afterwards: the view's dataclasses are frozen.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from . import __version__
from .assemble import BriefingView, assemble_briefing
from .changes import compare, mark_changes
from .editions import Earlier, Lineage, current_record, earlier_edition, first_editions
from .figures import draw_figures, figure_tools
from .inputs import InputFile, ProjectInputs, inputs_hash
from .issuing import Notice, edition_standing
from .load import Project
from .projection import project_briefing, project_record
from .records import parse_record
from .rules import briefing_judgments, withheld
from .values import IsoDate

GENERATOR = f"briefgen {__version__}"


@dataclass(frozen=True)
class Edition:
    """One briefing as this build makes it: what its reader sees, the project files
    it is made from (inputs.py), and the hash of those and the theme."""

    view: BriefingView
    inputs: list[InputFile]
    # The inputs' hash, whose first 12 digits are the view's inputs_digest; with the
    # reason and date of a correction, the hash of all three: the reason is on every
    # page, and the date in the JSON.
    hash: str
    # The versions of the programs that laid out its figures (Graphviz, when it has
    # a flow diagram): not inputs, so not in `hash`, but in its outputs' cache keys.
    tools: tuple[str, ...] = ()
    # What its release kept out of every output, by id (a judgment without one as
    # "judgment N"): the build tells the analyst, on the terminal only.
    withheld: tuple[str, ...] = ()
    # When each thing it shows first appeared, and the earlier record (STIX's
    # `created` and revocations; `first_editions` in its own record).
    lineage: Lineage | None = None


def make_edition(
    project: Project,
    briefing_id: str,
    shared: ProjectInputs | None = None,
    earlier: Earlier | None = None,
    correction: Notice | None = None,
) -> Edition:
    """Make one briefing's edition, finished. `shared` is `ProjectInputs.of(project)`
    and `earlier` the briefing's `earlier_edition`, when a build has them already;
    `correction` is why and when it is corrected (default: as its own record says, if
    at all)."""
    briefing = project.briefings[briefing_id].item
    shared = ProjectInputs.of(project) if shared is None else shared
    earlier = earlier_edition(project.root, briefing) if earlier is None else earlier
    if correction is None:
        correction = edition_standing(project.root, briefing).notice
    hidden = withheld(project, briefing)
    # The briefing's own slice of the project (projection.py): what its PDF carries,
    # what its digest names. The record of the latest earlier edition is an input
    # too (its Changes section), less what this release withholds.
    inputs = project_briefing(project, briefing_id)
    record = earlier.record
    if earlier.file is not None:
        shared_record = project_record(earlier.file, project, briefing)
        inputs.append(shared_record)
        record = parse_record(json.loads(shared_record.data), shared_record.path)
    full = inputs_hash(GENERATOR, briefing_id, inputs, shared.theme)
    view = assemble_briefing(project, briefing_id, GENERATOR, inputs_digest=full[:12])
    if correction is not None:
        view = dataclasses.replace(
            view, correction=correction.reason, correction_date=IsoDate(correction.at)
        )
    # Figures are drawn from the rest of the view, as the changes are compared.
    view = dataclasses.replace(view, figures=draw_figures(view, briefing.figures))
    if record is not None:
        titles = {key: placed.item.title for key, placed in project.sections.items()}
        reasons = {
            key: placed.item.withdrawn.reason
            for key, placed in project.facts.items()
            if placed.item.withdrawn is not None
        }
        view = mark_changes(view, compare(record, current_record(view), titles, reasons))
    written = briefing_judgments(project, briefing)
    named = [
        *hidden.facts,
        *hidden.sources,
        *(written[i].id or f"judgment {i + 1}" for i in hidden.judgments),
    ]
    if correction is not None:
        noted = f"{full}\0correction\0{correction.reason}\0{correction.at}"
        full = hashlib.sha256(noted.encode()).hexdigest()
    lineage = Lineage(first_editions(view, record), record)
    tools = figure_tools(view.figures)
    return Edition(view, inputs, full, tools, tuple(sorted(named)), lineage)


__all__ = ["GENERATOR", "Edition", "make_edition"]
