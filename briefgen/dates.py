"""Partial dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, shown at the precision written."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .errors import InvalidValue

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_HOW = "write YYYY, YYYY-MM or YYYY-MM-DD"

# A date as it appears in YAML or JSON data: text, or a bare year, which YAML 1.2
# (and so an editor) reads as a number although briefgen reads it as text.
DATE_JSON_SCHEMA: dict[str, Any] = {
    "type": ["string", "integer"],
    "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
    "minimum": 0,
    "maximum": 9999,
}


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day. It sorts as its first day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _DATE.fullmatch(text.strip())
        if not match:
            raise InvalidValue(f"'{text}' is not a date", _HOW)
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if year == 0:
            raise InvalidValue(f"'{text}' is not a real date: there is no year 0", _HOW)
        if month is not None and not 1 <= month <= 12:
            raise InvalidValue(f"'{text}' is not a real date: there is no month {month}", _HOW)
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if day == 0:
                raise InvalidValue(f"'{text}' is not a real date: there is no day 0", _HOW)
            if day > last:
                name = calendar.month_name[month]
                raise InvalidValue(
                    f"'{text}' is not a real date: {name} {year} has {last} days", _HOW
                )
        return cls(year, month, day)

    # Cached: one PartialDate stands for every fact dated alike (each text is parsed
    # once), and filters ask for its days fact after fact.
    @functools.cached_property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @functools.cached_property
    def last_day(self) -> dt.date:
        """The last day the date can mean: '2024-11' runs to 30 November 2024."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        """The ISO form as written: '2024', '2024-11' or '2024-11-25'."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """'2024', 'November 2024' or '25 November 2024'."""
        if self.month is None:
            return str(self.year)
        month = calendar.month_name[self.month]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: Any) -> PartialDate:
            if isinstance(value, PartialDate):
                return value
            if isinstance(value, dt.date):
                return cls(value.year, value.month, value.day)
            if not isinstance(value, str):
                raise InvalidValue("must be a date", _HOW)
            return _parse_cached(value) if cls is PartialDate else cls.parse(value)

        return core_schema.no_info_plain_validator_function(
            validate,
            json_schema_input_schema=core_schema.str_schema(pattern=_DATE.pattern),
            serialization=core_schema.to_string_ser_schema(),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return dict(DATE_JSON_SCHEMA)


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str) -> PartialDate:
    # A desk writes the same few thousand dates again and again, and a date is
    # immutable, so one object can stand for each. Errors are not cached.
    return PartialDate.parse(text)


def display_span(start: PartialDate, end: PartialDate | None) -> str:
    """A date, or a span said once: '12–25 September 2025', '30 September – 2 October
    2025', 'January – November 2024', '2023–2024', '30 December 2024 – 2 January 2025'.
    Parts the two ends share are written once; ends of unlike precision in full."""
    if end is None or end == start:
        return start.display()
    same_precision = (start.month is None) == (end.month is None) and (start.day is None) == (
        end.day is None
    )
    if not same_precision:
        return f"{start.display()} – {end.display()}"
    if start.month is None:
        return f"{start.year}–{end.year}"
    if start.year != end.year:
        return f"{start.display()} – {end.display()}"
    assert end.month is not None
    if start.day is None:
        return f"{calendar.month_name[start.month]} – {end.display()}"
    if start.month == end.month:
        return f"{start.day}–{end.display()}"
    return f"{start.day} {calendar.month_name[start.month]} – {end.display()}"
