"""The projection: a briefing's own slice of the project, as the files a recipient gets.

A briefing's PDF carries the files it was made from, so a reader can check and
rebuild it. Attaching the desk's files as they are would hand over every fact
of a sheet, other briefings and whatever a release withholds. So the PDF
carries a projection instead, made from the data (never the text) of each file:

- `briefgen.yaml` with this briefing alone, the sections it shows, the shared
  judgments it shows, and the project's markings;
- each sheet holding a fact it shows, with only those facts, the sources they
  cite and the actors they (or the briefing's `include.actors`) name;
- no comments, and no acknowledgment reasons: they stay in the desk's records.

Each file is written in one canonical form, so the projection of a projection
is the same bytes: `unpack` gives a folder whose build makes the same PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .kinds import named_actors
from .load import Project
from .model import Judgment
from .rules import briefing_judgments, included_facts, withheld

# What an acknowledged warning's reason becomes in a shared file: the warning stays
# acknowledged (the rebuild says the same), the analyst's reasoning stays home.
ACKNOWLEDGED = "acknowledged by the desk"


@dataclass(frozen=True)
class ProjectedFile:
    path: str  # relative to the project, with '/'
    data: bytes


def project_briefing(project: Project, briefing_id: str) -> list[ProjectedFile]:
    """briefgen.yaml, then each sheet the briefing shows a fact of, by path."""
    briefing = project.briefings[briefing_id].item
    facts = included_facts(project, briefing)
    shown_facts = {fact.id for fact in facts}
    shown_sources = {c.source for fact in facts for c in fact.sources}
    shown_actors = {actor for fact in facts for actor in named_actors(fact)}
    if briefing.include is not None and briefing.include.actors is not None:
        shown_actors.update(briefing.include.actors)

    sheets: dict[str, dict[str, Any]] = {}
    for kind, shown in (
        ("facts", shown_facts),
        ("sources", shown_sources),
        ("actors", shown_actors),
    ):
        table = getattr(project, kind)
        for item_id in shown:
            placed = table.get(item_id)
            if placed is None:  # declared nowhere valid: the checks said so already
                continue
            path = placed.file.path
            sheet = sheets.setdefault(path, {"__file__": placed.file})
            sheet.setdefault(kind, set()).add(item_id)

    files = [ProjectedFile(project.config_file.path, _dump(_config(project, briefing_id)))]
    for path in sorted(sheets):
        files.append(ProjectedFile(path, _dump(_sheet(sheets[path]))))
    return files


def _config(project: Project, briefing_id: str) -> dict[str, Any]:
    data: dict[str, Any] = project.config_file.data
    briefing_raw = next(
        dict(b) for b in data["briefings"] if isinstance(b, dict) and b.get("id") == briefing_id
    )
    briefing = project.briefings[briefing_id].item
    shown = set(briefing.sections or project.sections)
    hidden = withheld(project, briefing)
    shown_facts = {fact.id for fact in included_facts(project, briefing)}

    judgments: list[Any] = []
    shared: list[dict[str, Any]] = []
    resolved = briefing_judgments(project, briefing)
    entries = [e for e in briefing_raw.get("judgments") or () if _resolves(e, project)]
    for index, (entry, judgment) in enumerate(zip(entries, resolved, strict=True)):
        if index in hidden.judgments:
            continue
        if isinstance(entry, str):
            judgments.append(entry)
            raw = next(
                j for j in data.get("judgments") or () if isinstance(j, dict) and j["id"] == entry
            )
            shared.append(_judgment(raw, judgment, shown_facts))
        else:
            judgments.append(_judgment(entry, judgment, shown_facts))
    if "judgments" in briefing_raw:
        briefing_raw["judgments"] = judgments

    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "sections":
            out[key] = [s for s in value if isinstance(s, dict) and s.get("id") in shown]
        elif key == "briefings":
            out[key] = [briefing_raw]
        elif key == "judgments":
            if shared:
                out[key] = shared
        else:
            out[key] = value
    return out


def _resolves(entry: Any, project: Project) -> bool:
    return not isinstance(entry, str) or entry in project.judgments


def _judgment(raw: dict[str, Any], judgment: Judgment, shown_facts: set[str]) -> dict[str, Any]:
    """A shown judgment, linking only to shown facts."""
    out = dict(raw)
    out["based_on"] = [f for f in judgment.based_on if f in shown_facts]
    return out


def _sheet(sheet: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = sheet["__file__"].data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in ("actors", "sources", "facts"):
            out[key] = value
            continue
        kept = [
            _shared_item(item)
            for item in value
            if isinstance(item, dict) and item.get("id") in sheet.get(key, ())
        ]
        if kept:
            out[key] = kept
    return out


def _shared_item(item: dict[str, Any]) -> dict[str, Any]:
    if isinstance(item.get("acknowledge"), dict):
        item = {**item, "acknowledge": dict.fromkeys(item["acknowledge"], ACKNOWLEDGED)}
    return item


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order written, text as text."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text as a literal block, as analysts write it.
    style = "|" if "\n" in value and value == value.rstrip(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: dict[str, Any]) -> bytes:
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )
    return text.encode("utf-8")


__all__ = ["ACKNOWLEDGED", "ProjectedFile", "project_briefing"]
