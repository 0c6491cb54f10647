"""STIX 2.1: a briefing as a bundle that threat-intelligence platforms import.

What each part of a briefing becomes, and why:

- The author: an `identity` (identity_class "organization": a desk or an
  agency), the `created_by_ref` of every object. Without an author, briefgen
  itself is named, as a "system".
- The briefing: one `report` (report_types "threat-report"), published on
  the edition's date, its description the summary (and the scope, when the
  briefing takes only some facts), its object_refs everything
  else in the bundle but the marking.
- The actors: `identity`, identity_class "organization", which STIX 2.1
  defines as "formal organizations of people, with governance, such as a
  company or country". Not `threat-actor`: a briefing names states that give,
  receive and report, and says nothing of intent to harm; calling Ukraine or
  South Korea a threat actor would be a judgment no fact sheet made. Platforms
  merge identities by name and class, so the same country from two briefings
  is one entity there.
- Each fact: a `note` (abstract = title, content = the text, with its date
  and its kind of fact spelled out as kinds.KINDS words it), about its actors
  and its relationships. A note is STIX's object for analysis that other
  objects do not carry; `opinion` is for agreeing with other objects and `report` for whole
  collections, and neither is a single sourced, rated statement.
- The relationships a kind of fact states between its actors (kinds.KINDS):
  for a flow, a `relationship` from the giving actor to the receiving one; for
  an agreement, one between each pair of its parties. Both are "related-to",
  the one relationship STIX defines between any two objects, so every
  platform accepts them; what moves, or which agreement, is in the
  description.
- Each written key judgment: a `note` too (abstract "Key judgment 2", labelled
  "key-judgment"), about the notes of the facts it rests on.
- Confidence: ICD 203's low, moderate and high are STIX's "Low/Med/High"
  scale, mapped as the spec's confidence appendix maps it: 15, 50 and 85.
- Sources: `external_references`, each with its citation in words
  ("[3 B2] usually reliable; probably true"), on each fact's objects, and all
  of them, numbered, on the report.
- The classification, while the project names no marking: a
  `marking-definition` on every object: one of STIX's four predefined TLP
  markings when it names one (TLP:CLEAR is TLP:WHITE's successor), otherwise a
  statement marking carrying the text.
- Markings (FORMAT 1.2), once the project uses them: each fact's note and
  relationships, and each judgment's note, carry its own marking; an actor's
  identity the lowest marking of the facts that name it (the level at which
  its name is told); the report the briefing's highest marking (its banner's),
  and the classification beside it as a statement when it is not a TLP name.
  TLP 2.0 markings are the marking-definitions OASIS publishes (markings.py);
  neither the `stix2` library nor stix2-validator asks for the TLP 2.0
  extension-definition itself, and OASIS's own TLP 2.0 bundles leave it out, so
  the bundle does too. Other schemes' markings are statement markings whose id
  and `created` never change, so every edition names the same definition.
  Sources are external references, not objects: a fact's carry its marking.

Editions, as versions: ids are UUIDv5 in a namespace fixed here, from the
briefing id and the thing's own id (a fact's id, a judgment's id, an actor's
name), so exporting a briefing again gives the same objects, and its next
edition gives new versions of them: the same id, `modified` the new edition's
date, and `created` the edition in which the object first appeared, which the
edition records carry forward (`first_editions`, editions.py): STIX 2.1 has
`created` never change between versions, and platforms (OpenCTI, MISP) keep the
newest version of each id. The report and the author were created with the
briefing's first edition, and so was a judgment without an id (its note is
named by its number). A fact or judgment (with an id) that the earlier
edition's record shows and this edition does not (withdrawn, or deleted)
becomes a last version of its note with `revoked: true`, so platforms retire
it rather than keep it live; the report no longer names it. Its relationships
are not revoked: the record does not keep them. Every timestamp is an
edition's date at midnight UTC; nothing reads the clock. The bundle is plain
JSON: the `stix2` library and `stix2-validator` check it in the tests, and
neither is needed to build.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..assemble import BriefingView, CitationView, FactView, JudgmentView, SourceView
from ..dates import PartialDate
from ..editions import Lineage, first_editions
from ..kinds import KINDS
from ..markings import stix_marking, stix_marking_id
from ..records import Record

if TYPE_CHECKING:
    from .base import RenderContext

MEDIA_TYPE = "application/stix+json;version=2.1"
SPEC_VERSION = "2.1"
NAMESPACE = uuid.UUID("cd97e5a7-1d26-47fd-913a-33f90e3b3b53")  # never change: ids derive from it

# STIX's "Low/Med/High" scale (STIX 2.1, appendix A) for ICD 203's analytic confidence.
CONFIDENCE = {"low": 15, "moderate": 50, "high": 85}

# A statement marking's `created`: fixed, so that its definition is the same object in
# every edition (a marking-definition cannot change; a later `created` would be another).
_STATEMENT_CREATED = "2024-01-01T00:00:00.000Z"

# The four TLP markings STIX 2.1 predefines (section 7.2.1.4), exactly as the spec gives them.
_TLP_IDS = {
    "white": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
_TLP_NAMES = {"TLP:WHITE": "white", "TLP:CLEAR": "white", "TLP:GREEN": "green"}
_TLP_NAMES |= {"TLP:AMBER": "amber", "TLP:RED": "red"}


def render_stix(context: RenderContext) -> bytes:
    """The `stix` format's file (formats.FORMATS)."""
    return stix_bytes(context.view, context.lineage)


def stix_bytes(view: BriefingView, lineage: Lineage | None = None) -> bytes:
    """The briefing as a STIX 2.1 bundle: UTF-8 JSON, the same bytes for the same view
    and lineage (editions.py; None: as if this were the briefing's first edition)."""
    bundle = stix_bundle(view, lineage)
    return (json.dumps(bundle, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def stix_bundle(view: BriefingView, lineage: Lineage | None = None) -> dict[str, Any]:
    """The bundle as a dict: markings first, then the author, the report, the rest,
    and last the notes this edition revokes."""
    return _Bundle(view, lineage).build()


class _Bundle:
    def __init__(self, view: BriefingView, lineage: Lineage | None) -> None:
        self.view = view
        self.time = _timestamp(view.edition_date)  # a partial edition: its first day
        self.first = lineage.first if lineage is not None else first_editions(view, None)
        self.earlier: Record | None = lineage.earlier if lineage is not None else None
        self.objects: dict[str, dict[str, Any]] = {}  # by id, in the order made
        # Once the project uses markings, each object carries its own (`marks`);
        # until then the classification, if any, is on every object (`marking`).
        self.marked = view.marking is not None
        self.marking = None if self.marked else self._marking()
        self.marks: dict[str, list[str]] = {}  # object id -> its marking-definitions
        self.author = self._author()
        self.actors: dict[str, str] = {}  # name -> identity id
        self.actor_marking: dict[str, str] = {}  # identity id -> lowest naming fact's

    def build(self) -> dict[str, Any]:
        view = self.view
        facts: list[str] = []
        notes: dict[str, str] = {}  # fact id -> its note's id
        for fact in view.facts:
            made = self._fact(fact)
            notes[fact.id] = made[0]
            facts.extend(made)
            self._mark(made, fact.marking)
        for judgment in view.judgments:
            facts.append(self._judgment(judgment, notes))
            self._mark(facts[-1:], judgment.marking)
        for identity, marking in self.actor_marking.items():
            self._mark([identity], marking)
        description = "\n\n".join(
            part
            for part in (Markup(view.summary).striptags(), view.scope and f"Scope: {view.scope}.")
            if part
        )
        report = self._sdo(
            "report",
            "report",
            name=view.title,
            description=description or None,
            report_types=["threat-report"],
            published=self.time,
            object_refs=[self.author, *self.actors.values(), *facts],
            labels=list(view.tags) or None,
            external_references=[_source_reference(s) for s in view.sources] or None,
            since=self.first.briefing,
        )
        if self.marked:
            self._mark([report], view.marking, self._classification_statement())
        revoked = self._revoked()
        if self.marked:  # what they said was marked; the briefing's marking covers it
            self._mark(revoked, view.marking)
        for identifier, refs in self.marks.items():
            self.objects[identifier]["object_marking_refs"] = refs
        first = [i for i, o in self.objects.items() if o["type"] == "marking-definition"]
        first += [self.author, report]
        ids = [*first, *(i for i in self.objects if i not in first)]
        seed = f"{view.id}/bundle/{view.edition_iso}"
        objects = [self.objects[i] for i in ids]
        return {"type": "bundle", "id": _id("bundle", seed), "objects": objects}

    # -- markings ----------------------------------------------------------------------

    def _mark(self, identifiers: list[str], *names: str | None) -> None:
        """Mark the objects `identifiers` with the markings `names` (None: none),
        adding each marking-definition to the bundle once."""
        refs = []
        for name in names:
            if name is None:
                continue
            definition = stix_marking(name, _STATEMENT_CREATED)
            self.objects.setdefault(stix_marking_id(name), definition)
            refs.append(stix_marking_id(name))
        for identifier in identifiers:
            if refs:
                self.marks[identifier] = refs

    def _classification_statement(self) -> str | None:
        """The classification beside the markings, when it is not a TLP name
        (the markings already say that)."""
        classification = (self.view.classification or "").strip()
        if not classification or "".join(classification.split()).upper().startswith("TLP:"):
            return None
        return classification

    # -- objects -----------------------------------------------------------------------

    def _marking(self) -> str | None:
        classification = (self.view.classification or "").strip()
        if not classification:
            return None
        colour = _TLP_NAMES.get("".join(classification.split()).upper())
        marking: dict[str, Any]
        if colour is not None:
            marking = {
                "type": "marking-definition",
                "spec_version": SPEC_VERSION,
                "id": _TLP_IDS[colour],
                "created": "2017-01-20T00:00:00.000Z",
                "definition_type": "tlp",
                "name": f"TLP:{colour.upper()}",
                "definition": {"tlp": colour},
            }
        else:
            # Immutable: named by its text, and created at a fixed time, so every
            # edition names the same definition, and another classification another.
            seed = f"{self.view.id}/marking/{classification}"
            marking = {
                "type": "marking-definition",
                "spec_version": SPEC_VERSION,
                "id": _id("marking-definition", seed),
                "created": _STATEMENT_CREATED,
                "name": classification,
                "definition_type": "statement",
                "definition": {"statement": classification},
            }
        self.objects[marking["id"]] = marking
        return str(marking["id"])

    def _author(self) -> str:
        if self.view.author:
            name, identity_class = self.view.author, "organization"
        else:
            name, identity_class = "briefgen", "system"
        return self._sdo(
            "identity",
            f"author/{name}",
            name=name,
            identity_class=identity_class,
            by_author=False,
            since=self.first.briefing,
        )

    def _actor(self, name: str, marking: str | None = None) -> str:
        """The identity of the actor `name`, named by a fact marked `marking`."""
        if name not in self.actors:
            self.actors[name] = self._sdo(
                "identity",
                f"actor/{name}",
                name=name,
                identity_class="organization",
                since=self.first.actors.get(name),
            )
        identity = self.actors[name]
        if marking is not None:
            order = self.view.markings
            known = self.actor_marking.get(identity)
            if known is None or order.index(marking) < order.index(known):
                self.actor_marking[identity] = marking
        return identity

    def _fact(self, fact: FactView) -> list[str]:
        """The note for `fact` and its relationships; their ids."""
        references = [_citation_reference(c) for c in fact.citations]
        confidence = CONFIDENCE[fact.confidence]
        since = self.first.facts.get(fact.id)
        fact_kind = KINDS[fact.kind]
        relations = fact_kind.relations(fact.details) if fact_kind.relations is not None else []
        for relation in relations:  # every actor first, then the relationships between them
            self._actor(relation.source, fact.marking)
            self._actor(relation.target, fact.marking)
        related = [
            self._relationship(
                f"{fact.id}/{relation.key}",
                relation.type,
                self._actor(relation.source),
                self._actor(relation.target),
                relation.description,
                confidence,
                references,
                since,
            )
            for relation in relations
        ]
        actors = [self._actor(a, fact.marking) for a in fact.actors]
        refs = list(dict.fromkeys([*actors, *related])) or [self.author]
        note = self._sdo(
            "note",
            f"fact/{fact.id}",
            abstract=fact.title,
            content=_note_content(fact),
            authors=[self.view.author] if self.view.author else None,
            object_refs=refs,
            confidence=confidence,
            labels=list(fact.tags) or None,
            external_references=references or None,
            since=since,
        )
        return [note, *related]

    def _judgment(self, judgment: JudgmentView, notes: dict[str, str]) -> str:
        """A written key judgment: a note about the facts' notes it rests on."""
        lines = [judgment.text_plain, ""]
        if judgment.likelihood:
            lines.append(f"Likelihood: {judgment.likelihood} ({judgment.band}).")
        lines.append(f"Confidence: {judgment.confidence}.")
        if judgment.based_on:  # a released judgment may show none of its evidence
            lines.append("Based on: " + "; ".join(ref.title for ref in judgment.based_on) + ".")
        return self._sdo(
            "note",
            _judgment_key(judgment.id, judgment.number),
            abstract=f"Key judgment {judgment.number}",
            content="\n".join(lines),
            authors=[self.view.author] if self.view.author else None,
            object_refs=[notes[ref.id] for ref in judgment.based_on] or [self.author],
            confidence=CONFIDENCE[judgment.confidence],
            labels=["key-judgment"],
            since=self.first.judgments.get(judgment.id or "", self.first.briefing),
        )

    def _revoked(self) -> list[str]:
        """The last version of each note whose fact or judgment (with an id) the
        earlier edition showed and this one does not: revoked; their ids."""
        if self.earlier is None:
            return []
        view, made = self.view, []
        reasons = {f.id: f.reason for f in view.changes.facts_withdrawn} if view.changes else {}
        shown = {fact.id for fact in view.facts}
        for fact in self.earlier.facts:
            if fact.id not in shown:
                reason = reasons.get(fact.id)
                made.append(
                    self._sdo(
                        "note",
                        f"fact/{fact.id}",
                        abstract=fact.title,
                        content=f"Withdrawn in the edition of {view.edition}"
                        + (f": {reason}" if reason else "."),
                        object_refs=[self.author],
                        labels=["withdrawn"],
                        revoked=True,
                        since=self.first.facts.get(fact.id, self.earlier.edition),
                    )
                )
        judged = {judgment.id for judgment in view.judgments if judgment.id}
        for number, judgment in enumerate(self.earlier.judgments or (), start=1):
            if judgment.id and judgment.id not in judged:
                made.append(
                    self._sdo(
                        "note",
                        _judgment_key(judgment.id, number),
                        abstract=f"Key judgment withdrawn: {judgment.text}",
                        content=f"Withdrawn in the edition of {view.edition}.",
                        object_refs=[self.author],
                        labels=["key-judgment", "withdrawn"],
                        revoked=True,
                        since=self.first.judgments.get(judgment.id, self.earlier.edition),
                    )
                )
        return made

    def _relationship(
        self,
        key: str,
        relationship_type: str,
        source: str,
        target: str,
        description: str,
        confidence: int,
        references: list[dict[str, str]],
        since: str | None,
    ) -> str:
        return self._sdo(
            "relationship",
            key,
            relationship_type=relationship_type,
            source_ref=source,
            target_ref=target,
            description=description,
            confidence=confidence,
            external_references=references or None,
            since=since,
        )

    def _sdo(
        self,
        stix_type: str,
        key: str,
        by_author: bool = True,
        since: str | None = None,
        **properties: Any,
    ) -> str:
        """Add a STIX domain or relationship object, first made in the edition `since`
        (ISO; None: this one); its id. None properties are left out."""
        identifier = _id(stix_type, f"{self.view.id}/{key}")
        if identifier in self.objects:
            return identifier
        created = self.time if since is None else _timestamp(PartialDate.parse(since).first_day)
        sdo: dict[str, Any] = {
            "type": stix_type,
            "spec_version": SPEC_VERSION,
            "id": identifier,
            "created": min(created, self.time),  # never after `modified`
            "modified": self.time,
        }
        if by_author:
            sdo["created_by_ref"] = self.author
        sdo |= {name: value for name, value in properties.items() if value is not None}
        if self.marking is not None:
            sdo["object_marking_refs"] = [self.marking]
        self.objects[identifier] = sdo
        return identifier


# -- text -----------------------------------------------------------------------------


def _note_content(fact: FactView) -> str:
    lines = [Markup(fact.text).striptags(), "", f"Date: {fact.date}."]
    lines.append(f"Confidence: {fact.confidence}.")
    lines += KINDS[fact.kind].note_lines(fact.details)
    flags = _flags(fact)
    if flags:
        lines.append(f"Flags: {', '.join(flags)}.")
    citations = " ".join(f"[{c.source.number} {c.code}]" for c in fact.citations)
    lines.append(f"Sources: {citations}.")
    return "\n".join(lines)


def _flags(fact: FactView) -> list[str]:
    flags = ["key judgment"] if fact.key else []
    flags += ["single source"] if fact.single_sourced else []
    flags += ["stale"] if fact.stale else []
    return flags


def _source_reference(source: SourceView) -> dict[str, str]:
    details = [f"[{source.number}]"]
    details += [source.publisher] if source.publisher else []
    details += [f"published {source.published}"] if source.published else []
    details.append(f"reliability {source.reliability} ({source.reliability_words})")
    details.append(f"type {source.type}")
    return _reference(source, ", ".join(details).replace("], ", "] ", 1))


def _citation_reference(citation: CitationView) -> dict[str, str]:
    source = citation.source
    words = f"[{source.number} {citation.code}] {source.reliability_words}; "
    words += citation.credibility_words
    if citation.locator:
        words += f"; {citation.locator}"
    if citation.quote:
        words += f'; "{citation.quote}"'
    return _reference(source, words)


def _reference(source: SourceView, description: str) -> dict[str, str]:
    name = source.title
    if source.translated_title:
        name += f" [{source.translated_title}]"
    reference = {"source_name": name, "description": description}
    if source.url:
        reference["url"] = source.url
    reference["external_id"] = source.id
    return reference


# -- ids and times --------------------------------------------------------------------


def _judgment_key(judgment_id: str | None, number: int) -> str:
    """A judgment's note is named by its id (FORMAT 1.2), else by its number."""
    return f"judgment/{judgment_id}" if judgment_id else f"judgment/{number}"


def _id(stix_type: str, seed: str) -> str:
    return f"{stix_type}--{uuid.uuid5(NAMESPACE, seed)}"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00.000Z"


__all__ = ["CONFIDENCE", "MEDIA_TYPE", "NAMESPACE", "render_stix", "stix_bundle", "stix_bytes"]
