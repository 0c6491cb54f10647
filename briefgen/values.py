"""Machine values: what a script needs beside the words a reader sees.

The view (assemble.py, kinds.py) says "about 128.5 USD per 1,000 m³", "6
December 2024" and "55–80%" for the page; beside each it keeps the value a
script can sort, sum or join on (the json format writes both): a date as ISO
8601 at the precision written (`2024`, `2024-11`, `2024-11-03`), a span of
dates as its two ends, a quantity as numbers, a likelihood's band as two
probabilities, an actor as its id with its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

from .dates import PartialDate
from .model import LIKELIHOOD_BANDS, QuantityRange

# ISO 8601 at the precision the analyst wrote: "2024", "2024-11" or "2024-11-03". As
# text these sort as the dates do, a coarser date before the finer ones within it.
IsoDate = NewType("IsoDate", str)


def iso_date(date: PartialDate | None) -> IsoDate | None:
    """The date as ISO 8601 at its precision, or None."""
    return IsoDate(str(date)) if date is not None else None


@dataclass(frozen=True)
class DateSpan:
    """When a fact happened: the first and the last date it names, each ISO 8601 at
    the precision written; the same date twice for a fact with one date."""

    from_: IsoDate
    to: IsoDate


def date_span(start: PartialDate, end: PartialDate) -> DateSpan:
    return DateSpan(IsoDate(str(start)), IsoDate(str(end)))


@dataclass(frozen=True)
class Quantity:
    """A flow's quantity as numbers: exactly N (min = max = N), N or more (max null),
    between min and max, or about N (min = max = about = N); and its unit, if any."""

    min: float
    max: float | None
    about: float | None
    unit: str | None


def quantity(value: QuantityRange, unit: str | None) -> Quantity:
    return Quantity(
        _whole(value.min),
        _whole(value.max) if value.max is not None else None,
        _whole(value.about) if value.about is not None else None,
        unit,
    )


def _whole(number: float) -> float:
    # 10000, not 10000.0: a count reads as one in JSON.
    return int(number) if float(number).is_integer() else number


@dataclass(frozen=True)
class Probability:
    """An ICD 203 likelihood's band as probabilities from 0 to 1: "55–80%" is
    {low: 0.55, high: 0.8}."""

    low: float
    high: float


def _band(band: str) -> Probability:
    low, high = band.removesuffix("%").split("–")
    return Probability(int(low) / 100, int(high) / 100)


# Read off model.LIKELIHOOD_BANDS, where the bands are written once.
PROBABILITIES: dict[str, Probability] = {
    term: _band(band) for term, band in LIKELIHOOD_BANDS.items()
}


def probability(term: str | None) -> Probability | None:
    """The band of an ICD 203 term as probabilities, or None for no term."""
    return PROBABILITIES[term] if term is not None else None


@dataclass(frozen=True)
class ActorRef:
    """An actor as the facts name it: its id (as the fact sheets declare it) and its
    name as the reader sees it (the id itself when it is not declared)."""

    id: str
    name: str


__all__ = [
    "PROBABILITIES",
    "ActorRef",
    "DateSpan",
    "IsoDate",
    "Probability",
    "Quantity",
    "date_span",
    "iso_date",
    "probability",
    "quantity",
]
