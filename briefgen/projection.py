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

import json
import re
from typing import Any

import yaml

from .inputs import InputFile
from .kinds import named_actors
from .load import Project
from .model import Briefing, Judgment
from .records import record_digest
from .richtext import plain
from .rules import Withheld, briefing_judgments, included_facts, withheld

# What an acknowledged warning's reason becomes in a shared file: the warning stays
# acknowledged (the rebuild says the same), the analyst's reasoning stays home.
ACKNOWLEDGED = "acknowledged by the desk"


def project_briefing(project: Project, briefing_id: str) -> list[InputFile]:
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

    files = [InputFile(project.config_file.path, _dump(_config(project, briefing_id)))]
    for path in sorted(sheets):
        files.append(InputFile(path, _dump(_sheet(sheets[path]))))
    return files


def project_record(record: InputFile, project: Project, briefing: Briefing) -> InputFile:
    """The record of an earlier edition as `briefing` may share it: without what its
    release now withholds (facts and sources by id, judgments by id or by their
    text, and the names of actors only withheld facts name, in `first_editions`
    too) and without acknowledgment reasons; its digest made anew."""
    hidden = withheld(project, briefing)
    written = briefing_judgments(project, briefing)
    hidden_judgments = [written[i] for i in hidden.judgments]
    texts = {" ".join(plain(j.text).split()) for j in hidden_judgments}
    judgment_ids = {j.id for j in hidden_judgments if j.id}
    data = json.loads(record.data)
    if isinstance(data.get("facts"), list):
        data["facts"] = [
            _unacknowledged(f)
            for f in data["facts"]
            if not (isinstance(f, dict) and f.get("id") in hidden.facts)
        ]
    if isinstance(data.get("sources"), list):
        data["sources"] = [
            s
            for s in data["sources"]
            if not (isinstance(s, dict) and s.get("id") in hidden.sources)
        ]
    if isinstance(data.get("judgments"), list):
        kept = []
        for j in data["judgments"]:
            if isinstance(j, dict) and (
                " ".join(str(j.get("text")).split()) in texts or j.get("id") in judgment_ids
            ):
                if isinstance(j.get("id"), str):
                    judgment_ids.add(j["id"])
            elif isinstance(j, dict) and isinstance(j.get("based_on"), list):
                # A judgment still shown names only the facts still shown.
                kept.append({**j, "based_on": [f for f in j["based_on"] if f not in hidden.facts]})
            else:
                kept.append(j)
        data["judgments"] = kept
    first = data.get("first_editions")
    if isinstance(first, dict):
        names = _withheld_actors(project, briefing, hidden)
        for key, left_out in (
            ("facts", hidden.facts),
            ("judgments", judgment_ids),
            ("actors", names),
        ):
            if isinstance(first.get(key), dict):
                first[key] = {k: v for k, v in first[key].items() if k not in left_out}
    if "digest" in data:
        data["digest"] = record_digest(data)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return InputFile(record.path, text.encode("utf-8"))


def _withheld_actors(project: Project, briefing: Briefing, hidden: Withheld) -> set[str]:
    """The names of the actors that facts withheld from `briefing` name and no fact
    it shows does."""

    def names(facts: set[str]) -> set[str]:
        found = set()
        for fact_id in facts:
            if (placed := project.facts.get(fact_id)) is not None:
                for actor_id in named_actors(placed.item):
                    actor = project.actors.get(actor_id)
                    found.add(actor.item.name if actor is not None else actor_id)
        return found

    shown = {fact.id for fact in included_facts(project, briefing)}
    return names(set(hidden.facts)) - names(shown)


def _unacknowledged(fact: Any) -> Any:
    if isinstance(fact, dict) and isinstance(fact.get("acknowledged"), dict):
        return {**fact, "acknowledged": dict.fromkeys(fact["acknowledged"], ACKNOWLEDGED)}
    return fact


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


# libyaml's emitter when PyYAML has it: the projection is made on every build, for
# the cache key, and PyYAML's own emitter takes seconds on a large desk.
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Block style, keys in the order written, text as text."""


# Text that reads as a number or a date is written bare, as analysts write it
# (`credibility: 2`, `edition: 2024-11-25`): briefgen's loader reads every bare
# value but true, false and null as text, so the quotes would say nothing.
_BARE = {
    "tag:yaml.org,2002:int": re.compile(r"[0-9]+"),
    "tag:yaml.org,2002:float": re.compile(r"[0-9]+\.[0-9]+"),
    "tag:yaml.org,2002:timestamp": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    for tag, pattern in _BARE.items():
        if pattern.fullmatch(value):
            return dumper.represent_scalar(tag, value)
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


__all__ = ["ACKNOWLEDGED", "project_briefing", "project_record"]
