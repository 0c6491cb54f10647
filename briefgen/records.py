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

A problem points at the JSON value it is about (`editions/x/2025-10-31.json:14:19`):
the record is parsed by `json` as usual, and only when something is wrong is its
text walked again to the value's line and column (jsontext.py), so a good record costs
nothing more to read.
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
from .jsontext import At, DuplicateKey, duplicate_key, locate, position, strict_object, too_deep
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
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")
        line, column = position(before, len(before))
        return None, raw, [_bad(rel, line, column, f"is not UTF-8 text ({exc.reason})")]
    try:
        data = json.loads(text, object_pairs_hook=strict_object)
    except json.JSONDecodeError as exc:
        return None, raw, [_bad(rel, exc.lineno, exc.colno, f"is not valid JSON: {exc.msg}")]
    except RecursionError:  # json's parser recurses once per nested list or object
        line, column = too_deep(text)
        return None, raw, [_bad(rel, line, column, "nests lists or objects too deeply")]
    except DuplicateKey:
        index, key, first = duplicate_key(text)
        line, column = position(text, index)
        first_line = position(text, first)[0]
        what = f"has a duplicate key {key!r} (first at line {first_line})"
        return None, raw, [_bad(rel, line, column, what)]
    try:
        record = parse_record(data, rel)
        _check_digest(data)
        # A record copied from another briefing or edition, digest and all.
        if record.edition != path.stem:
            raise _Shape(f"records edition {record.edition}, not {path.stem}", ("edition",))
        if record.briefing != path.parent.name:
            what = f"records briefing '{record.briefing}', not '{path.parent.name}'"
            raise _Shape(what, ("briefing",))
    except _Shape as exc:
        line, column = locate(text, exc.at)
        if exc.hint is None:
            return None, raw, [_bad(rel, line, column, exc.what)]
        what = f"the edition record {exc.what}"
        return None, raw, [Problem(rel, line, column, what, exc.hint, code="record")]
    return record, raw, []


def _check_digest(data: dict[str, Any]) -> None:
    """From record version 2 on, the digest must match the rest of the record."""
    version = data.get("record_version", 1)
    if version < 2:
        return
    if "digest" not in data:
        what = f"has no digest, which a record of version {version} carries"
        raise _Shape(what, ("record_version",), _EDITED)
    if data["digest"] != record_digest(data):
        what = "was changed after briefgen wrote it: its digest does not match its content"
        raise _Shape(what, ("digest",), _EDITED)


_EDITED = (
    "records are written by briefgen build and never edited; restore it from version "
    "control, or delete it to compare with an earlier edition"
)


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
    """A record whose shape is not one briefgen writes: what is wrong, at which value
    (`at`), and a hint when the usual one does not fit."""

    def __init__(self, what: str, at: At, hint: str | None = None) -> None:
        super().__init__(what)
        self.what, self.at, self.hint = what, at, hint


def _wrote(what: str, at: At) -> _Shape:
    """A value briefgen would not have written."""
    return _Shape(f"is not an edition record briefgen wrote: {what}", at)


def parse_record(data: Any, path: str = "") -> Record:
    """A record's JSON data as a Record; raises _Shape naming what is wrong and where."""
    top = _mapping(data, "the record", ())
    version = top.get("record_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _wrote("'record_version' must be a whole number", ("record_version",))
    if version > RECORD_VERSION:
        raise _wrote(
            f"it is record version {version}, newer than this briefgen reads "
            f"({RECORD_VERSION}); upgrade briefgen",
            ("record_version",),
        )
    facts = tuple(
        _fact(item, f"facts[{index}]", ("facts", index))
        for index, item in enumerate(_list(top, "facts", "record", ()))
    )
    judgments = None
    if version >= 2:
        judgments = tuple(
            _judgment(item, f"judgments[{index}]", ("judgments", index))
            for index, item in enumerate(_list(top, "judgments", "record", ()))
        )
    titles = {}
    for index, item in enumerate(_list(top, "sources", "record", ())):
        where, at = f"sources[{index}]", ("sources", index)
        source = _mapping(item, where, at)
        titles[_id(source, "id", where, at)] = _text(source, "title", where, at)
    return Record(
        briefing=_text(top, "briefing", "record", ()),
        edition=_date(top, "record", (), "edition", span=False),
        facts=facts,
        judgments=judgments,
        source_titles=titles,
        path=path,
        title=_optional(top, "title", "record", ()),
        summary=_optional(top, "summary", "record", ()) if version >= 3 else None,
        issued=_issued(top) if version >= 3 and top.get("issued") is not None else None,
        first_editions=(
            _first_editions(top) if version >= 4 and top.get("first_editions") is not None else None
        ),
    )


def _first_editions(top: dict[str, Any]) -> FirstEditions:
    """`{"briefing": date, "facts": {id: date}, "judgments": {id: date}, "actors":
    {name: date}}`, as editions.py writes it."""
    at: At = ("first_editions",)
    first = _mapping(top.get("first_editions"), "'first_editions'", at)
    found: dict[str, dict[str, str]] = {}
    for key in ("facts", "judgments", "actors"):
        where = f"'{key}' of 'first_editions'"
        items = _mapping(first.get(key), where, (*at, key))
        for name in items:
            _date(items, where, (*at, key), name, span=False)
            if key != "actors" and not _is_id(name):
                raise _wrote(f"{where} must be keyed by ids", (*at, key, name))
            if _CONTROL.search(name):
                raise _wrote(f"{where} holds a control character", (*at, key, name))
        found[key] = dict(items)
    return FirstEditions(
        briefing=_date(first, "'first_editions'", at, "briefing", span=False),
        facts=found["facts"],
        judgments=found["judgments"],
        actors=found["actors"],
    )


def _issued(top: dict[str, Any]) -> Issued:
    issued = _mapping(top["issued"], "'issued'", ("issued",))
    corrections = []
    for index, item in enumerate(_list(issued, "corrections", "'issued'", ("issued",))):
        where, at = f"corrections[{index}]", ("issued", "corrections", index)
        correction = _mapping(item, where, at)
        corrections.append(
            Correction(
                at=_date(correction, where, at, "at"),
                reason=_text(correction, "reason", where, at),
                replaced=_outputs(correction, "replaced", where, at),
            )
        )
    return Issued(
        at=_date(issued, "'issued'", ("issued",), "at"),
        outputs=_outputs(issued, "outputs", "'issued'", ("issued",)),
        corrections=tuple(corrections),
    )


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _outputs(data: dict[str, Any], key: str, where: str, at: At) -> Outputs:
    """`{"output/x.pdf": {"sha256": ..., "bytes": ...}}`, as editions.py writes it."""
    found: Outputs = {}
    at = (*at, key)
    for name, item in _mapping(data.get(key), f"'{key}' of {where}", at).items():
        entry = _mapping(item, f"'{key}' of {where}", (*at, name))
        sha256, size = entry.get("sha256"), entry.get("bytes")
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            raise _wrote(
                f"'{key}' of {where} must name each output's SHA-256", (*at, name, "sha256")
            )
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            what = f"'{key}' of {where} must name each output's size in bytes"
            raise _wrote(what, (*at, name, "bytes"))
        found[name] = (sha256, size)
    return found


# What briefgen writes in a record's fields (editions.py); anything else is refused.
_CITATION = re.compile(r"(\S+) [A-F][1-6]")
_TEXT_DIGEST = re.compile(r"[0-9a-f]{16}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fact(item: Any, where: str, at: At) -> RecordedFact:
    fact = _mapping(item, where, at)
    citations = _list(fact, "citations", where, at)
    for index, citation in enumerate(citations):
        if not (
            isinstance(citation, str)
            and (match := _CITATION.fullmatch(citation))
            and _is_id(match[1])
        ):
            what = f"'{where}.citations' must be texts such as \"source-id B2\""
            raise _wrote(what, (*at, "citations", index))
    text = _optional(fact, "text", where, at)
    if text is not None and not _TEXT_DIGEST.fullmatch(text):
        raise _wrote(f"'text' of {where} must be the digest briefgen writes", (*at, "text"))
    names = set(compared_names())  # asked once a fact, not once a key
    return RecordedFact(
        id=_id(fact, "id", where, at),
        title=_text(fact, "title", where, at),
        section=_id(fact, "section", where, at),
        date=_date(fact, where, at),
        confidence=_word(fact, "confidence", where, at, get_args(Confidence)),
        citations=tuple(citations),
        text=text,
        # What each kind of fact compares (kinds.py), each checked as plain text.
        compared={
            name: value
            for name in fact
            if name in names and (value := _optional(fact, name, where, at)) is not None
        },
    )


def _judgment(item: Any, where: str, at: At) -> RecordedJudgment:
    judgment = _mapping(item, where, at)
    based_on = _list(judgment, "based_on", where, at)
    for index, fact_id in enumerate(based_on):
        if not (isinstance(fact_id, str) and _is_id(fact_id)):
            raise _wrote(f"'{where}.based_on' must be fact ids", (*at, "based_on", index))
    judgment_id = _optional(judgment, "id", where, at)
    if judgment_id is not None and not _is_id(judgment_id):
        raise _wrote(f"'id' of {where} is not an id", (*at, "id"))
    return RecordedJudgment(
        id=judgment_id,
        text=" ".join(_text(judgment, "text", where, at).split()),
        confidence=_word(judgment, "confidence", where, at, get_args(Confidence)),
        likelihood=_optional_word(judgment, "likelihood", where, at, tuple(LIKELIHOOD_BANDS)),
        based_on=tuple(based_on),
    )


def _is_id(value: str) -> bool:
    return len(value) <= ID_MAX and ID_PATTERN.fullmatch(value) is not None


def _id(data: dict[str, Any], key: str, where: str, at: At) -> str:
    value = _text(data, key, where, at)
    if not _is_id(value):
        raise _wrote(f"'{key}' of {where} is not an id", (*at, key))
    return value


def _date(data: dict[str, Any], where: str, at: At, key: str = "date", span: bool = True) -> str:
    """A date or (when `span`) a span of two ("2023-08/2024-11"), as editions.py
    writes them."""
    value = _text(data, key, where, at)
    try:
        for part in value.split("/", 1) if span else [value]:
            PartialDate.parse(part)
    except InvalidValue as exc:
        raise _wrote(f"'{key}' of {where} is not a date: {exc}", (*at, key)) from None
    return value


def _word(data: dict[str, Any], key: str, where: str, at: At, words: tuple[str, ...]) -> str:
    value = _text(data, key, where, at)
    if value not in words:
        raise _wrote(f"'{key}' of {where} is not one of {', '.join(words)}", (*at, key))
    return value


def _optional_word(
    data: dict[str, Any], key: str, where: str, at: At, words: tuple[str, ...]
) -> str | None:
    return None if data.get(key) is None else _word(data, key, where, at, words)


def _mapping(value: Any, where: str, at: At) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrote(f"{where} must be an object", at)
    return value


def _list(data: dict[str, Any], key: str, where: str, at: At) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise _wrote(f"'{key}' of {where} must be a list", (*at, key))
    return value


def _text(data: dict[str, Any], key: str, where: str, at: At) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise _wrote(f"'{key}' of {where} must be text", (*at, key))
    if _CONTROL.search(value):  # the views briefgen records never hold them
        raise _wrote(f"'{key}' of {where} holds a control character", (*at, key))
    return value


def _optional(data: dict[str, Any], key: str, where: str, at: At) -> str | None:
    return None if data.get(key) is None else _text(data, key, where, at)
