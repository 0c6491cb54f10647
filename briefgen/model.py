"""The project format (FORMAT.md, version 1) as pydantic models.

These models check what one file can know about itself: fields, types,
enumerations, ids, dates and numbers. What needs the whole project
(references, uniqueness, the section a fact falls in) is in checks/.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from .dates import PartialDate
from .errors import InvalidValue

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ID_MAX = 64


def _check_id(value: str) -> str:
    if len(value) > ID_MAX:
        raise InvalidValue(
            f"'{value[:40]}...' is too long for an id ({len(value)} characters)",
            f"an id has at most {ID_MAX} characters",
        )
    if not ID_PATTERN.fullmatch(value):
        raise InvalidValue(
            f"'{value}' is not a valid id",
            "use letters, digits, '.', '_' and '-', starting with a letter or digit",
        )
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _check_parties(value: list[str]) -> list[str]:
    if len(set(value)) < 2:
        raise InvalidValue(
            f"an agreement needs two or more different parties; found {len(set(value))}",
            "list each party once, e.g. parties: [RU, KP]",
        )
    return value


def _check_url(value: str) -> str:
    if not re.match(r"https?://[^\s/?#]+", value, re.IGNORECASE) or re.search(r"\s", value):
        raise InvalidValue(
            f"'{value}' is not an http or https URL",
            "write the full address, starting with https:// or http://",
        )
    return value


def _one_of(value: str, names: list[str]) -> str:
    """`value` if it is one of `names` (a table's keys); else the error a Literal gives,
    so it is reported the same way, with a did-you-mean hint."""
    if value not in names:
        expected = " or ".join(f"'{name}'" for name in names)
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}", {"expected": expected}
        )
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, AfterValidator(_check_text)]
Url = Annotated[str, AfterValidator(_check_url)]
# Names from a table (formats.FORMATS, figures.FIGURES): the model knows only that they
# are text; the reference checks (checks/references.py) look them up, so the model
# imports no renderer and a new entry needs no change here. The editor schema
# (schema.py) lists the table's names where it finds "x-table".
FormatName = Annotated[str, Field(json_schema_extra={"x-table": "formats"})]
FigureName = Annotated[str, Field(json_schema_extra={"x-table": "figures"})]

# The types of item a project declares (not kinds of fact: kinds.py), each with the key
# of the list holding them.
ItemType = Literal["fact", "source", "actor", "section", "briefing"]
LISTS: dict[ItemType, str] = {
    "fact": "facts",
    "source": "sources",
    "actor": "actors",
    "section": "sections",
    "briefing": "briefings",
}

# FORMAT 1.2: a handling marking; which names are known is the project's
# (`markings:`, default TLP 2.0), so checks.py checks it against them.
Marking = Text

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _check_language(value: str) -> str:
    if not _LANGUAGE_TAG.fullmatch(value):
        raise InvalidValue(
            f"'{value}' is not a language tag",
            "write a BCP 47 tag such as en, ko, ru, fa or zh-Hans",
        )
    return value


LanguageTag = Annotated[str, AfterValidator(_check_language)]

Reliability = Literal["A", "B", "C", "D", "E", "F"]
SourceType = Literal[
    "official", "media", "think-tank", "academic", "intelligence", "ngo", "social", "other"
]
Confidence = Literal["low", "moderate", "high"]
Category = Literal["weapons", "ammunition", "personnel", "technology", "economic", "other"]
Status = Literal["proposed", "signed", "ratified", "in-force", "suspended", "ended"]
Impact = Literal["low", "moderate", "high", "severe"]


def choices(literal: Any) -> str:
    """A Literal's values as a skeleton's comment lists them: "low | moderate | high"."""
    return " | ".join(get_args(literal))


# ICD 203's two columns of estimative terms, each with its probability band.
LIKELIHOOD_BANDS: dict[str, str] = {
    "almost no chance": "1–5%",
    "remote": "1–5%",
    "very unlikely": "5–20%",
    "highly improbable": "5–20%",
    "unlikely": "20–45%",
    "improbable": "20–45%",
    "roughly even chance": "45–55%",
    "roughly even odds": "45–55%",
    "likely": "55–80%",
    "probable": "55–80%",
    "very likely": "80–95%",
    "highly probable": "80–95%",
    "almost certain": "95–99%",
    "nearly certain": "95–99%",
}


def _check_likelihood(value: str) -> str:
    return _one_of(value, list(LIKELIHOOD_BANDS))


# One of the terms above, which are written nowhere else.
Likelihood = Annotated[str, AfterValidator(_check_likelihood)]

RELIABILITY_WORDS: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
# ICD 203 analytic confidence, best first: what each level says about the evidence.
CONFIDENCE_WORDS: dict[str, str] = {
    "high": "Judgments rest on high-quality information from several independent sources.",
    "moderate": "The information is credibly sourced and plausible, but not corroborated well "
    "enough for high confidence.",
    "low": "The information is scant, questionable or fragmented, or comes from sources of "
    "doubtful reliability.",
}
# The reader's words for the codes a sheet writes (the page, Word, STIX and JSON's
# display strings all say these, never "in-force" or "think-tank").
STATUS_WORDS: dict[str, str] = {
    "proposed": "proposed",
    "signed": "signed",
    "ratified": "ratified",
    "in-force": "in force",
    "suspended": "suspended",
    "ended": "ended",
}
IMPACT_WORDS: dict[str, str] = {
    "low": "low impact",
    "moderate": "moderate impact",
    "high": "high impact",
    "severe": "severe impact",
}
SOURCE_TYPE_WORDS: dict[str, str] = {
    "official": "official",
    "media": "media",
    "think-tank": "think tank",
    "academic": "academic",
    "intelligence": "intelligence",
    "ngo": "NGO",
    "social": "social media",
    "other": "other",
}
# The grades a reader can lean on: a source at least fairly reliable (A–C) giving
# information at least possibly true (1–3). Only these count as corroboration.
RELIABLE_GRADES = frozenset("ABC")
CREDIBLE_GRADES = frozenset((1, 2, 3))
CREDIBILITY_WORDS: dict[int, str] = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


# C0 control characters but tab and line breaks, and DEL: YAML's escapes ("\0",
# "\x01", "\e") can write them, no page or file format should carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_controls(value: Any) -> Any:
    if isinstance(value, str):
        return _CONTROL.sub("\ufffd", value) if _CONTROL.search(value) else value
    if isinstance(value, list) and any(isinstance(v, str) for v in value):
        return [_without_controls(v) for v in value]
    return value


class Strict(BaseModel):
    """Unknown keys are errors; values are never coerced from booleans or lists."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    @model_validator(mode="after")
    def _replace_control_characters(self) -> Strict:
        """Every text of a valid item, as every output gets it: control characters
        become U+FFFD here, the one place text from the sheets enters (messages about
        the sheet still show them as escapes, from the YAML)."""
        for name, value in self.__dict__.items():
            cleaned = _without_controls(value)
            if cleaned is not value:
                self.__dict__[name] = cleaned
        return self


class DateRange(Strict):
    from_: PartialDate = Field(alias="from")
    to: PartialDate

    @model_validator(mode="after")
    def _forwards(self) -> DateRange:
        # A partial end covers its whole month or year: {from: 2024-11-05, to: 2024-11}
        # ends within November, so it does not run backwards.
        if self.to.last_day < self.from_.first_day:
            raise InvalidValue(
                f"the range ends ({self.to}) before it starts ({self.from_})",
                "put the earlier date in 'from' and the later one in 'to'",
            )
        return self


def _date_kind(value: Any) -> str:
    return "range" if isinstance(value, dict) else "date"


DateOrRange = Annotated[
    Annotated[PartialDate, Tag("date")] | Annotated[DateRange, Tag("range")],
    Discriminator(_date_kind),
]

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _number(value: Any) -> Any:
    """Text from the loader that reads as a number becomes one; else left for the error."""
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value)
        if not math.isfinite(number):  # '1e999': too large to be a count of anything
            return value
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return value


# Strict, so `true` is not taken for 1: the loader gives numbers only as text.
Number = Annotated[float, BeforeValidator(_number), Field(strict=True)]
WholeNumber = Annotated[int, BeforeValidator(_number), Field(strict=True)]


class QuantityRange(Strict):
    min: Number = Field(ge=0)
    max: Number | None = Field(default=None, ge=0)
    # Set from `{about: N}` (FORMAT 1.1), which `_quantity` turns into min == max == N;
    # left out of the editor schema, where `{about: N}` is its own shape.
    about: SkipJsonSchema[Number | None] = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> QuantityRange:
        if self.max is not None and self.max < self.min:
            raise InvalidValue(
                f"min ({_plain(self.min)}) is greater than max ({_plain(self.max)})",
                "swap them; min is the lower bound",
            )
        return self

    @property
    def exact(self) -> bool:
        return self.max is not None and self.max == self.min


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _quantity(value: Any) -> Any:
    """A bare number is a range with min == max, so there is one shape to show."""
    value = _number(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"min": value, "max": value}
    if not isinstance(value, dict):
        raise InvalidValue(
            "must be a number or a range",
            "write a number such as 10000, without thousands separators; "
            "{min: 10000} for '10,000+'; {min: 200, max: 250}; or {about: 108.5}",
        )
    if "about" in value:
        return _about(value)
    return value


def _about(value: dict[str, Any]) -> dict[str, Any]:
    """`{about: N}`: an estimate, shown "about N"; it stands alone."""
    others = sorted(str(key) for key in value if key != "about")
    if others:
        raise InvalidValue(
            f"'about' and '{others[0]}' in one quantity",
            "write {about: N} for an estimate, or min and max for a range, not both",
        )
    number = _number(value["about"])
    if not isinstance(number, int | float) or isinstance(number, bool) or number < 0:
        raise InvalidValue(
            f"'about' must be a number that is not negative, found {_shown(value['about'])}",
            "write the estimate as a number, e.g. {about: 108.5}",
        )
    return {"min": number, "max": number, "about": number}


def _shown(value: Any) -> str:
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    return "nothing" if value is None else f"'{value}'"


class Actor(Strict):
    id: Id
    name: Text
    short: Text | None = None


class Source(Strict):
    id: Id
    title: Text
    publisher: Text | None = None
    url: Url | None = None
    published: PartialDate | None = None
    accessed: PartialDate | None = None
    reliability: Reliability
    type: SourceType
    origin: Id | None = None
    # FORMAT 1.2: the title's language (BCP 47) when not the briefing's, and its
    # translation, shown after it in brackets.
    lang: LanguageTag | None = None
    translated_title: Text | None = None
    marking: Marking | None = None


class Citation(Strict):
    source: Id
    credibility: Annotated[WholeNumber, Field(ge=1, le=6)]
    quote: Text | None = None
    locator: Text | None = None


class Flow(Strict):
    from_: Id = Field(alias="from")
    to: Id
    what: Text
    category: Category
    quantity: Annotated[QuantityRange, BeforeValidator(_quantity)] | None = None
    unit: Text | None = None
    # FORMAT 1.3: the unit before the number, as the analyst says it ("USD 5").
    unit_first: StrictBool = False
    since: PartialDate | None = None


class Agreement(Strict):
    name: Text
    parties: Annotated[list[Id], AfterValidator(_check_parties)]
    signed: PartialDate | None = None
    place: Text | None = None
    status: Status
    terms: list[Text] = []


class Risk(Strict):
    likelihood: Likelihood
    impact: Impact
    indicators: list[Text] = []


class Withdrawn(Strict):
    """FORMAT 1.2: the fact no longer stands; it leaves every briefing."""

    date: PartialDate
    reason: Text


class Fact(Strict):
    id: Id
    title: Text
    text: Text
    date: DateOrRange
    section: Id | None = None
    confidence: Confidence
    key: StrictBool = False
    actors: list[Id] = []
    tags: list[Text] = []
    reviewed: PartialDate | None = None
    # FORMAT 1.1: warnings judged and accepted, by code (checks.WARNINGS), each with its reason.
    acknowledge: dict[str, Text] = {}
    sources: list[Citation] = Field(min_length=1)
    # One field per kind of fact in kinds.KINDS (a test checks they match).
    flow: Flow | None = None
    agreement: Agreement | None = None
    risk: Risk | None = None
    # FORMAT 1.2
    marking: Marking | None = None
    withdrawn: Withdrawn | None = None

    @property
    def start(self) -> PartialDate:
        return self.date.from_ if isinstance(self.date, DateRange) else self.date

    @property
    def end(self) -> PartialDate:
        return self.date.to if isinstance(self.date, DateRange) else self.date


class FactSheet(Strict):
    section: Id | None = None
    actors: list[Actor] = []
    sources: list[Source] = []
    facts: list[Fact] = []


class Section(Strict):
    id: Id
    title: Text
    intro: Text | None = None


class Include(Strict):
    tags: list[Text] | None = Field(default=None, min_length=1)
    actors: list[Id] | None = Field(default=None, min_length=1)
    since: PartialDate | None = None
    until: PartialDate | None = None


class Judgment(Strict):
    """A key judgment the analyst writes, resting on facts the briefing includes."""

    id: Id | None = None  # FORMAT 1.2: editions follow a judgment by its id
    text: Text
    confidence: Confidence
    marking: Marking | None = None  # FORMAT 1.2: its own, e.g. written for release
    likelihood: Likelihood | None = None
    based_on: list[Id] = Field(min_length=1)


class SharedJudgment(Judgment):
    """FORMAT 1.2: a judgment at the top of briefgen.yaml, named by id in briefings."""

    id: Id


def _judgment_kind(value: Any) -> str:
    return "id" if isinstance(value, str) else "judgment"


# A briefing's judgment: written in place, or a shared one named by its id.
JudgmentEntry = Annotated[
    Annotated[Id, Tag("id")] | Annotated[Judgment, Tag("judgment")],
    Discriminator(_judgment_kind),
]


# How facts are ordered within a section: by date (a range counts by its end), or as
# they stand in the fact sheets (sheets by path, facts top to bottom).
Order = Literal["newest-first", "oldest-first", "as-written"]


class Briefing(Strict):
    id: Id
    title: Text
    subtitle: Text | None = None
    edition: PartialDate
    author: Text | None = None
    classification: Text | None = None
    summary: Text | None = None
    sections: list[Id] | None = Field(default=None, min_length=1)
    include: Include | None = None
    formats: list[FormatName] = Field(default=["html", "pdf"], min_length=1)
    figures: list[FigureName] | None = None  # None: every figure that has data
    stale_after_days: Annotated[WholeNumber, Field(ge=0)] | None = None
    judgments: list[JudgmentEntry] | None = Field(default=None, min_length=1)
    order: Order = "newest-first"
    release: Marking | None = None  # FORMAT 1.2: the highest marking it may carry
    lang: LanguageTag = "en"  # FORMAT 1.2: the document's language


class Settings(Strict):
    """briefgen.yaml's keys other than its lists (FORMAT 1.2)."""

    markings: list[Text] | None = Field(default=None, min_length=1)  # lowest first
    default_marking: Marking | None = None


class Config(Settings):
    sections: list[Section] = Field(min_length=1)
    briefings: list[Briefing] = Field(min_length=1)
    judgments: list[SharedJudgment] = []  # FORMAT 1.2
