"""Edition records on disk: finding them, reading them back and refusing a bad one.

A record (`editions/<briefing-id>/<edition>.json`, written by editions.py) is
what the next edition compares itself with, so it is read as strictly as a
fact sheet: JSON that does not parse, a shape briefgen did not write, or
(from record version 2 on) a digest that no longer matches the content is a
located error naming the file, and the build writes nothing.

Version 1 records (no `record_version`) hold ids, titles, sections, dates,
confidences and citations, and no judgments; they are compared on those alone.
Having no digest, they are checked as closely as any: every field has the type
and the shape briefgen writes (an id is an id, a date a date, a confidence one
of the scale's words), so nothing the record says reaches a briefing unchecked.

Version 2 records add the judgments (without ids) and the digest. Version 3
records add each judgment's id, the briefing's summary, and, once `briefgen
issue` has issued the edition, when it was issued with each output's SHA-256
(`issued`) and every correction since (`corrections`: when, why, and the
hashes the correction replaced). Version 4 records add `first_editions`: the
edition in which the briefing and each fact, judgment (by id) and actor (by
name) it has shown first appeared, carried from each record to the next, so
that a STIX object keeps its `created` from edition to edition. Records of
every version are read.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from .dates import PartialDate
from .errors import InvalidValue, Problem
from .kinds import compared_names
from .model import ID_MAX, ID_PATTERN, LIKELIHOOD_BANDS, Confidence
from .paths import inside

EDITIONS_DIR = "editions"
RECORD_VERSION = 4
MAX_RECORD_BYTES = 20 * 1024 * 1024  # a record of 10,000 long facts is a few MiB


@dataclass(frozen=True)
class RecordedFact:
    """One fact as an edition showed it; None where the record does not say."""

    id: str
    title: str
    section: str
    date: str  # ISO, "2024-11" or "2023-08/2024-11"
    confidence: str
    citations: tuple[str, ...]  # "<source id> <code>", e.g. "shin-interview B2"
    text: str | None = None  # a digest of the text: equal digests, equal texts
    # What its kind of fact has two editions compare (kinds.KINDS), as the record lists
    # it: {"quantity": "200–250 containers"}; a name missing is None.
    compared: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class RecordedJudgment:
    text: str  # Markdown, as written
    confidence: str
    likelihood: str | None
    based_on: tuple[str, ...]
    id: str | None = None  # FORMAT 1.2; a version 2 record has none


# An output as an edition record names it: its project path -> (SHA-256, bytes).
Outputs = dict[str, tuple[str, int]]


@dataclass(frozen=True)
class Correction:
    """A correction of an issued edition: when, why, and the outputs it replaced."""

    at: str  # ISO date
    reason: str
    replaced: Outputs


@dataclass(frozen=True)
class Issued:
    """When an edition was issued (`briefgen issue`) and the outputs its readers have."""

    at: str  # ISO date of the first issue
    outputs: Outputs  # as last issued: after the latest correction, if any
    corrections: tuple[Correction, ...] = ()

    @property
    def correction(self) -> str | None:
        """The reason of the latest correction, shown under the briefing's title."""
        return self.corrections[-1].reason if self.corrections else None


@dataclass(frozen=True)
class FirstEditions:
    """The edition (ISO, as the records name editions) in which the briefing, and each
    fact, judgment and actor it has shown, first appeared. Kept from record to record,
    so a thing withdrawn and shown again keeps its first edition."""

    briefing: str
    facts: dict[str, str] = field(default_factory=dict, hash=False)  # by id
    judgments: dict[str, str] = field(default_factory=dict, hash=False)  # by id
    actors: dict[str, str] = field(default_factory=dict, hash=False)  # by name


@dataclass(frozen=True)
class Record:
    """What one edition of a briefing said, as far as the next edition compares."""

    briefing: str
    edition: str  # ISO date as written in briefgen.yaml
    facts: tuple[RecordedFact, ...]
    judgments: tuple[RecordedJudgment, ...] | None  # None: a version 1 record
    source_titles: dict[str, str]
    path: str = ""  # relative to the project; "" for the current facts
    title: str | None = None  # None: the record does not say
    summary: str | None = None  # plain text; None before record version 3
    issued: Issued | None = None  # None: not issued (or a record before version 3)
    first_editions: FirstEditions | None = None  # None: a record before version 4

    @property
    def edition_date(self) -> PartialDate:
        return PartialDate.parse(self.edition)


def record_digest(data: dict[str, Any]) -> str:
    """The digest a record carries of the rest of itself: a hand edit changes it."""
    rest = {key: value for key, value in data.items() if key != "digest"}
    canonical = json.dumps(rest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def recorded_editions(root: Path, briefing_id: str) -> list[tuple[PartialDate, Path]]:
    """The records in `editions/<briefing-id>/`, oldest first; a file not named
    `<date>.json` is not a record and is left alone."""
    folder = root / EDITIONS_DIR / briefing_id
    found = []
    try:
        names = sorted(p for p in folder.iterdir() if p.suffix == ".json")
    except OSError:
        return []
    for path in names:
        try:
            date = PartialDate.parse(path.stem)
        except InvalidValue:
            continue
        if str(date) == path.stem:
            found.append((date, path))
    return sorted(found, key=lambda item: (item[0].first_day, len(str(item[0]))))


def read_bounded(path: Path) -> bytes | None:
    """A record's bytes, or None when it is larger than MAX_RECORD_BYTES: every path
    that reads a record reads at most that much (records come from outside)."""
    with path.open("rb") as handle:
        raw = handle.read(MAX_RECORD_BYTES + 1)  # enough to know it is too large
    return raw if len(raw) <= MAX_RECORD_BYTES else None


def load_record(root: Path, path: Path) -> tuple[Record | None, bytes, list[Problem]]:
    """The record at `path` (under `root`), its bytes, and what is wrong with it."""
    rel = path.relative_to(root).as_posix()
    try:
        if not inside(path, root):
            problem = Problem(rel, 1, 1, "links to a file outside the project", code="record")
            return None, b"", [problem]
        raw = read_bounded(path)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop, before Python 3.13
        reason = exc.strerror if isinstance(exc, OSError) else "a link loop"
        return None, b"", [Problem(rel, 1, 1, f"cannot read: {reason}", code="io")]
    if raw is None:
        limit = f"{MAX_RECORD_BYTES // 2**20} MiB"
        return None, b"", [_bad(rel, 1, 1, f"is larger than the limit of {limit}")]
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, raw, [_bad(rel, 1, 1, f"is not UTF-8 text ({exc.reason})")]
    except json.JSONDecodeError as exc:
        return None, raw, [_bad(rel, exc.lineno, exc.colno, f"is not valid JSON: {exc.msg}")]
    try:
        record = parse_record(data, rel)
    except _Shape as exc:
        return None, raw, [_bad(rel, 1, 1, f"is not an edition record briefgen wrote: {exc}")]
    version = data.get("record_version", 1)
    if version >= 2 and data.get("digest") != record_digest(data):
        return (
            None,
            raw,
            [
                Problem(
                    rel,
                    1,
                    1,
                    "the edition record was changed after briefgen wrote it: its digest "
                    "does not match its content",
                    "records are written by briefgen build and never edited; restore it "
                    "from version control, or delete it to compare with an earlier edition",
                    code="record",
                )
            ],
        )
    # A record copied from another briefing or edition, digest and all.
    if record.edition != path.stem:
        return None, raw, [_bad(rel, 1, 1, f"records edition {record.edition}, not {path.stem}")]
    if record.briefing != path.parent.name:
        what = f"records briefing '{record.briefing}', not '{path.parent.name}'"
        return None, raw, [_bad(rel, 1, 1, what)]
    return record, raw, []


def _bad(rel: str, line: int, column: int, what: str) -> Problem:
    return Problem(
        rel,
        line,
        column,
        f"the edition record {what}",
        "records are written by briefgen build; restore it from version control, or "
        "delete it to compare with an earlier edition",
        code="record",
    )


class _Shape(Exception):
    """A record whose shape is not one briefgen writes."""


def parse_record(data: Any, path: str = "") -> Record:
    """A record's JSON data as a Record; raises _Shape naming what is wrong."""
    top = _mapping(data, "the record")
    version = top.get("record_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Shape("'record_version' must be a whole number")
    if version > RECORD_VERSION:
        raise _Shape(
            f"it is record version {version}, newer than this briefgen reads "
            f"({RECORD_VERSION}); upgrade briefgen"
        )
    facts = tuple(
        _fact(item, f"facts[{index}]") for index, item in enumerate(_list(top, "facts", "record"))
    )
    judgments = None
    if version >= 2:
        judgments = tuple(
            _judgment(item, f"judgments[{index}]")
            for index, item in enumerate(_list(top, "judgments", "record"))
        )
    titles = {}
    for index, item in enumerate(_list(top, "sources", "record")):
        source = _mapping(item, f"sources[{index}]")
        titles[_id(source, "id", f"sources[{index}]")] = _text(source, "title", f"sources[{index}]")
    edition = _text(top, "edition", "record")
    try:
        PartialDate.parse(edition)
    except InvalidValue as exc:
        raise _Shape(f"'edition' is not a date: {exc}") from None
    return Record(
        briefing=_text(top, "briefing", "record"),
        edition=edition,
        facts=facts,
        judgments=judgments,
        source_titles=titles,
        path=path,
        title=_optional(top, "title", "record"),
        summary=_optional(top, "summary", "record") if version >= 3 else None,
        issued=_issued(top) if version >= 3 and top.get("issued") is not None else None,
        first_editions=(
            _first_editions(top) if version >= 4 and top.get("first_editions") is not None else None
        ),
    )


def _first_editions(top: dict[str, Any]) -> FirstEditions:
    """`{"briefing": date, "facts": {id: date}, "judgments": {id: date}, "actors":
    {name: date}}`, as editions.py writes it."""
    first = _mapping(top.get("first_editions"), "'first_editions'")
    found: dict[str, dict[str, str]] = {}
    for key in ("facts", "judgments", "actors"):
        where = f"'{key}' of 'first_editions'"
        items = _mapping(first.get(key), where)
        for name in items:
            _edition(items, where, name)
            if key != "actors" and not _is_id(name):
                raise _Shape(f"{where} must be keyed by ids")
            if _CONTROL.search(name):
                raise _Shape(f"{where} holds a control character")
        found[key] = dict(items)
    return FirstEditions(
        briefing=_edition(first, "'first_editions'", "briefing"),
        facts=found["facts"],
        judgments=found["judgments"],
        actors=found["actors"],
    )


def _issued(top: dict[str, Any]) -> Issued:
    issued = _mapping(top["issued"], "'issued'")
    corrections = tuple(
        Correction(
            at=_date(_mapping(item, f"corrections[{index}]"), f"corrections[{index}]", "at"),
            reason=_text(item, "reason", f"corrections[{index}]"),
            replaced=_outputs(item, "replaced", f"corrections[{index}]"),
        )
        for index, item in enumerate(_list(issued, "corrections", "'issued'"))
    )
    return Issued(
        at=_date(issued, "'issued'", "at"),
        outputs=_outputs(issued, "outputs", "'issued'"),
        corrections=corrections,
    )


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _outputs(data: dict[str, Any], key: str, where: str) -> Outputs:
    """`{"output/x.pdf": {"sha256": ..., "bytes": ...}}`, as editions.py writes it."""
    found: Outputs = {}
    for name, item in _mapping(data.get(key), f"'{key}' of {where}").items():
        entry = _mapping(item, f"'{key}' of {where}")
        sha256, size = entry.get("sha256"), entry.get("bytes")
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            raise _Shape(f"'{key}' of {where} must name each output's SHA-256")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _Shape(f"'{key}' of {where} must name each output's size in bytes")
        found[name] = (sha256, size)
    return found


# What briefgen writes in a record's fields (editions.py); anything else is refused.
_CITATION = re.compile(r"(\S+) [A-F][1-6]")
_TEXT_DIGEST = re.compile(r"[0-9a-f]{16}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fact(item: Any, where: str) -> RecordedFact:
    fact = _mapping(item, where)
    citations = _list(fact, "citations", where)
    if not all(
        isinstance(c, str) and (m := _CITATION.fullmatch(c)) and _is_id(m[1]) for c in citations
    ):
        raise _Shape(f"'{where}.citations' must be texts such as \"source-id B2\"")
    text = _optional(fact, "text", where)
    if text is not None and not _TEXT_DIGEST.fullmatch(text):
        raise _Shape(f"'text' of {where} must be the digest briefgen writes")
    return RecordedFact(
        id=_id(fact, "id", where),
        title=_text(fact, "title", where),
        section=_id(fact, "section", where),
        date=_date(fact, where),
        confidence=_word(fact, "confidence", where, get_args(Confidence)),
        citations=tuple(citations),
        text=text,
        # What each kind of fact compares (kinds.py), each checked as plain text.
        compared={
            name: value
            for name in fact
            if name in compared_names() and (value := _optional(fact, name, where)) is not None
        },
    )


def _judgment(item: Any, where: str) -> RecordedJudgment:
    judgment = _mapping(item, where)
    based_on = _list(judgment, "based_on", where)
    if not all(isinstance(f, str) and _is_id(f) for f in based_on):
        raise _Shape(f"'{where}.based_on' must be fact ids")
    judgment_id = _optional(judgment, "id", where)
    if judgment_id is not None and not _is_id(judgment_id):
        raise _Shape(f"'id' of {where} is not an id")
    return RecordedJudgment(
        id=judgment_id,
        text=" ".join(_text(judgment, "text", where).split()),
        confidence=_word(judgment, "confidence", where, get_args(Confidence)),
        likelihood=_optional_word(judgment, "likelihood", where, tuple(LIKELIHOOD_BANDS)),
        based_on=tuple(based_on),
    )


def _is_id(value: str) -> bool:
    return len(value) <= ID_MAX and ID_PATTERN.fullmatch(value) is not None


def _id(data: dict[str, Any], key: str, where: str) -> str:
    value = _text(data, key, where)
    if not _is_id(value):
        raise _Shape(f"'{key}' of {where} is not an id")
    return value


def _date(data: dict[str, Any], where: str, key: str = "date") -> str:
    """A date or a span of two ("2023-08/2024-11"), as editions.py writes them."""
    value = _text(data, key, where)
    try:
        for part in value.split("/", 1):
            PartialDate.parse(part)
    except InvalidValue as exc:
        raise _Shape(f"'{key}' of {where} is not a date: {exc}") from None
    return value


def _edition(data: dict[str, Any], where: str, key: str) -> str:
    """An edition's date, as `edition` is written: one date, never a span."""
    value = _text(data, key, where)
    try:
        PartialDate.parse(value)
    except InvalidValue as exc:
        raise _Shape(f"'{key}' of {where} is not a date: {exc}") from None
    return value


def _word(data: dict[str, Any], key: str, where: str, words: tuple[str, ...]) -> str:
    value = _text(data, key, where)
    if value not in words:
        raise _Shape(f"'{key}' of {where} is not one of {', '.join(words)}")
    return value


def _optional_word(
    data: dict[str, Any], key: str, where: str, words: tuple[str, ...]
) -> str | None:
    return None if data.get(key) is None else _word(data, key, where, words)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Shape(f"{where} must be an object")
    return value


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise _Shape(f"'{key}' of {where} must be a list")
    return value


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise _Shape(f"'{key}' of {where} must be text")
    if _CONTROL.search(value):  # the views briefgen records never hold them
        raise _Shape(f"'{key}' of {where} holds a control character")
    return value


def _optional(data: dict[str, Any], key: str, where: str) -> str | None:
    return None if data.get(key) is None else _text(data, key, where)
