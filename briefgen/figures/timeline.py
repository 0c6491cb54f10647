"""The timeline: the dated facts of a briefing on one time axis, a row each,
grouped by section. Risks are left to the risk matrix: their dates say when they
were judged, not when anything happened.

A date is drawn as what it says: a day as a diamond, a range as a solid bar
from its start to its end (a duration), a month or a year as a faded span over
the time it can mean (it happened then, not throughout); a legend says which
is which. The axis covers where the facts are: a few facts years before the
rest (a 1999 agreement among facts of 2024) sit on a short piece of axis of
their own, across a break, rather than crush the rest against the right edge.

Each row's colour is its section's (by id, canvas.section_colours), and each
row also sits under its section's heading, so colour is never the only way to
tell. Each row links to its fact. A phone gets the rows as a list
(`Figure.narrow`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..dates import PartialDate
from ..wording import join_words
from .base import Figure, FigureLink
from .canvas import (
    MUTED,
    RULE,
    attrs,
    fit,
    link,
    num,
    section_colours,
    svg_document,
    text,
    text_width,
)
from .captions import caption, count

if TYPE_CHECKING:
    from ..assemble import BriefingView, FactView, SectionView

TITLE = "Timeline of the facts"
MAX_FACTS = 40  # a row each; more would not fit a page, so a briefing that long has none
WIDTH = 640.0
LABEL_WIDTH = 290.0  # the fact titles, left of the axis
PLOT_LEFT = LABEL_WIDTH + 14
PLOT_RIGHT = WIDTH - 10
AXIS = 28.0  # the year/month labels above the rows
ROW = 17.0
HEADING = 21.0
SIZE = 10.0
LEGEND = 26.0  # the legend's row below the rows
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# Outliers: facts this far at most (a third of them, in up to three runs of years)
# that end longer before the rest begin than the rest last, and at least
# OUTLIER_YEARS before, get a piece of axis of their own.
OUTLIER_YEARS = 3
MAX_RUNS = 3
SLOT = 36.0  # the width of one year of an outliers' piece of axis
BREAK = 14.0  # the gap between two pieces, where the axis is broken
# The outliers' pieces take at most this share of the plot (a year each is short):
# an early fact spanning centuries is no outlier but part of the one axis.
OUTLIER_SHARE = 1 / 3
FADED = 0.3  # the fill of a month's or a year's span: "some time then"


@dataclass(frozen=True)
class _Piece:
    """A piece of the axis: the days from `low` up to (not including) `high` drawn
    from `left` to `right`, with its gridlines and their labels."""

    low: dt.date
    high: dt.date
    left: float
    right: float
    ticks: tuple[tuple[dt.date, str], ...]

    def x(self, day: dt.date) -> float:
        return self.left + (day - self.low).days / (self.high - self.low).days * (
            self.right - self.left
        )


def _span(fact: FactView) -> tuple[PartialDate, PartialDate]:
    start, _, end = fact.date_iso.partition("/")
    return PartialDate.parse(start), PartialDate.parse(end or start)


def _shown(fact: FactView) -> bool:
    return fact.kind != "risk"


def draw(view: BriefingView) -> Figure | None:
    """The timeline of a briefing, or None when it has fewer than two dated facts
    besides its risks (one tick is not a timeline) or too many to draw."""
    groups = [
        (section, sorted(facts, key=lambda f: _days(*_span(f))))
        for section in view.sections
        if (facts := [fact for fact in section.facts if _shown(fact)])
    ]
    drawn = [fact for _, facts in groups for fact in facts]
    if not 2 <= len(drawn) <= MAX_FACTS:
        return None
    spans = {fact.anchor: _span(fact) for fact in drawn}
    early = _outliers([spans[fact.anchor] for fact in drawn])
    pieces = _pieces(list(spans.values()), early)

    def x_of(day: dt.date) -> float:
        for piece, after in zip(pieces, [*pieces[1:], None], strict=True):
            if day < piece.high or after is None:
                return piece.x(min(max(day, piece.low), piece.high))
            if day < after.low:  # in the break: across it, in proportion
                share = (day - piece.high).days / max(1, (after.low - piece.high).days)
                return piece.right + share * (after.left - piece.right)
        raise AssertionError("unreachable")

    def x_after(day: dt.date) -> float:  # the end of `day`, never the day after 9999-12-31
        return x_of(day + dt.timedelta(days=1)) if day < dt.date.max else pieces[-1].right

    rows_bottom = AXIS + len(groups) * HEADING + len(drawn) * ROW
    kinds = sorted({_mark_kind(*spans[fact.anchor]) for fact in drawn}, key=_MARK_KINDS.index)
    height = rows_bottom + 8 + LEGEND
    body = _axis(pieces, rows_bottom + 4)
    colours = section_colours(section.id for section, _ in groups)
    links: list[FigureLink] = []
    y = AXIS
    described = []
    for section, facts in groups:
        colour = colours[section.id]
        body.append(
            f'<g class="timeline-section" data-section="{section.id}">'
            f'<rect {attrs(x=0.0, y=y + 6, width=4.0, height=HEADING - 9)} fill="{colour}"/>'
            + text(9, y + HEADING - 5, section.title, SIZE + 0.5, bold=True)
            + "</g>"
        )
        y += HEADING
        for fact in facts:
            start, end = spans[fact.anchor]
            left, right = x_of(start.first_day), x_after(end.last_day)
            middle = y + ROW / 2
            label = fit(fact.title, SIZE, LABEL_WIDTH - 12)
            body.append(
                f'<g class="timeline-fact" data-fact="{fact.anchor}">'
                + text(12, middle + 3.5, label, SIZE)
                + f"<line {attrs(x1=PLOT_LEFT, y1=middle, x2=PLOT_RIGHT, y2=middle)}"
                f' stroke="{RULE}" stroke-width="0.5" stroke-dasharray="1 3"/>'
                + _mark(_mark_kind(start, end), left, right, middle, colour)
                + "</g>"
            )
            words = f"{fact.title}: {fact.date} ({section.title})"
            links.append(link(f"#{fact.anchor}", words, (0, y, WIDTH, ROW), (WIDTH, height)))
            described.append(words)
            y += ROW
    body += _legend(kinds, rows_bottom + 8)
    title = _title(drawn, spans, early)
    first = min(start.first_day for start, _ in spans.values())
    last = max(end.last_day for _, end in spans.values())
    broken = " The axis is broken before the main run of facts." if early else ""
    description = (
        f"{count(len(drawn), 'fact')} on a time axis from {first.year} to {last.year}, "
        "grouped by section: a day as a diamond, a range as a solid bar, a month or a "
        f"year as a faded span.{broken} " + "; ".join(described) + "."
    )
    svg = svg_document(WIDTH, height, title, description, body, "timeline")
    return Figure(
        name="timeline",
        title=title,
        svg=svg,
        description=description,
        links=tuple(links),
        **caption(view, drawn, whole=True),
        narrow=_narrow(groups, colours),
    )


def _title(
    drawn: list[FactView], spans: dict[str, tuple[PartialDate, PartialDate]], early: set[int]
) -> str:
    """'11 events, August 2023 – November 2024', and the outliers after it:
    '24 events, March 2022 – October 2025, and 2 earlier (1999, 2009)'."""
    main = [spans[f.anchor] for i, f in enumerate(drawn) if i not in early]
    first = min((start for start, _ in main), key=lambda d: d.first_day)
    last = max((end for _, end in main), key=lambda d: d.last_day)
    title = f"{count(len(main), 'event')}, {_between(first, last)}"
    if early:
        years = sorted({spans[drawn[i].anchor][0].year for i in early})
        title += f", and {len(early)} earlier ({join_words(str(y) for y in years)})"
    return title


def _between(first: PartialDate, last: PartialDate) -> str:
    """'August 2023 – November 2024', 'June – November 2024', 'November 2024'."""
    start, end = _month_year(first), _month_year(last)
    if start == end:
        return start
    if first.year == last.year and first.month and last.month:
        return f"{calendar.month_name[first.month]} – {end}"
    return f"{start} – {end}"


def _month_year(date: PartialDate) -> str:
    return f"{calendar.month_name[date.month]} {date.year}" if date.month else str(date.year)


def _outliers(spans: list[tuple[PartialDate, PartialDate]]) -> set[int]:
    """The indexes of the facts that go on a piece of axis of their own, before a
    break: a few facts long before the rest (none when there is no such gap)."""
    order = sorted(range(len(spans)), key=lambda i: _days(*spans[i]))
    best: tuple[float, set[int]] = (0.0, set())
    for k in range(1, len(spans) // 3 + 1):
        head, rest = order[:k], order[k:]
        head_end = max(spans[i][1].last_day for i in head)
        rest_start = min(spans[i][0].first_day for i in rest)
        rest_end = max(spans[i][1].last_day for i in rest)
        gap, length = (rest_start - head_end).days, (rest_end - rest_start).days + 1
        if gap < max(length, OUTLIER_YEARS * 365):
            continue
        runs = _runs([spans[i] for i in head])
        if len(runs) > MAX_RUNS or _run_width(runs) > OUTLIER_SHARE * (PLOT_RIGHT - PLOT_LEFT):
            continue
        if gap / length > best[0]:
            best = (gap / length, set(head))
    return best[1]


def _runs(spans: list[tuple[PartialDate, PartialDate]]) -> list[tuple[int, int]]:
    """The years `spans` cover, as runs of consecutive years (first, last)."""
    years = sorted({y for start, end in spans for y in range(start.year, end.year + 1)})
    runs: list[tuple[int, int]] = []
    for year in years:
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def _run_width(runs: list[tuple[int, int]]) -> float:
    """The width the outliers' pieces take, breaks included."""
    return sum(SLOT * (last - first + 1) + BREAK for first, last in runs)


def _pieces(spans: list[tuple[PartialDate, PartialDate]], early: set[int]) -> list[_Piece]:
    """The axis: a piece for each run of years of the outliers, then one for the rest."""
    pieces = []
    left = PLOT_LEFT
    for first, last in _runs([spans[i] for i in sorted(early)]):
        right = left + SLOT * (last - first + 1)
        years = tuple((dt.date(year, 1, 1), str(year)) for year in range(first, last + 1))
        pieces.append(_Piece(dt.date(first, 1, 1), _first_day(last + 1, 1), left, right, years))
        left = right + BREAK
    rest = [span for i, span in enumerate(spans) if i not in early]
    first_day = min(start.first_day for start, _ in rest)
    last_day = max(end.last_day for _, end in rest)
    ticks, low, high = _ticks(first_day, last_day, PLOT_RIGHT - left)
    pieces.append(_Piece(low, high, left, PLOT_RIGHT, tuple(ticks)))
    return pieces


def _axis(pieces: list[_Piece], bottom: float) -> list[str]:
    """Each piece's gridlines and labels, and a break mark between two pieces."""
    body = [f'<g class="timeline-axis" font-size="{num(SIZE - 1)}">']
    for piece in pieces:
        for day, label in piece.ticks:
            x = piece.x(day)
            body.append(
                f'<line {attrs(x1=x, y1=AXIS - 6, x2=x, y2=bottom)} stroke="{RULE}"'
                ' stroke-width="0.8"/>'
            )
            # A label too near the end to fit is left to its gridline.
            if label and x + 2 + text_width(label, SIZE - 1) <= WIDTH - 2:
                body.append(text(x + 2, AXIS - 10, label, SIZE - 1, fill=MUTED))
    for piece in pieces[:-1]:
        x = piece.right + BREAK / 2
        slashes = "".join(
            f"<line {attrs(x1=x + dx - 3, y1=AXIS + 2, x2=x + dx + 1, y2=AXIS - 8)}/>"
            for dx in (-2.0, 2.0)
        )
        body.append(f'<g class="timeline-break" stroke="{MUTED}" stroke-width="1">{slashes}</g>')
    body.append("</g>")
    return body


# How a date is drawn, in the legend's order, and what the legend says of each.
_MARK_KINDS = ("day", "range", "vague")
_MARK_WORDS = {
    "day": "on a day",
    "range": "from one date to another",
    "vague": "some time in a month or year",
}


def _mark_kind(start: PartialDate, end: PartialDate) -> str:
    if start != end:
        return "range"
    return "day" if start.day is not None else "vague"


def _mark(kind: str, left: float, right: float, middle: float, colour: str) -> str:
    if kind == "day":
        return _diamond((left + right) / 2, middle, colour)
    box = attrs(x=left, y=middle - 4.5, width=max(right - left, 3.0))
    if kind == "range":
        return f'<rect {box} height="9" rx="1.5" fill="{colour}"/>'
    return (
        f'<rect {box} height="9" rx="1.5" fill="{colour}" fill-opacity="{FADED}"'
        f' stroke="{colour}" stroke-width="0.8" class="timeline-vague"/>'
    )


def _legend(kinds: list[str], top: float) -> list[str]:
    """A sample of each kind of mark drawn, in grey, and what it says."""
    parts = [f'<g class="timeline-legend" transform="translate(0 {num(top)})">']
    x, middle = 12.0, LEGEND / 2
    for kind in kinds:
        sample = _mark(kind, x, x + 22, middle, MUTED)
        words = _MARK_WORDS[kind]
        parts.append(
            f'<g class="timeline-legend-item">{sample}'
            f"{text(x + 28, middle + 3.5, words, SIZE - 1, fill=MUTED)}</g>"
        )
        x += 28 + text_width(words, SIZE - 1) + 18
    parts.append("</g>")
    return parts


def _narrow(groups: list[tuple[SectionView, list[FactView]]], colours: dict[str, str]) -> str:
    """The rows as lists under their sections' headings, each fact with its date."""
    parts = [Markup('<div class="figure-narrow figure-narrow-timeline">')]
    for section, facts in groups:
        items = Markup("").join(
            Markup(
                '<li><a href="#{}"><span class="figure-narrow-date">{}</span>: {}</a></li>'
            ).format(fact.anchor, fact.date, fact.title)
            for fact in facts
        )
        parts.append(
            Markup(
                '<p class="figure-narrow-heading"><span class="figure-narrow-swatch"'
                ' style="border-color: {}" aria-hidden="true"></span>{}</p><ul>{}</ul>'
            ).format(colours[section.id], section.title, items)
        )
    parts.append(Markup("</div>"))
    return str(Markup("").join(parts))


def _days(start: PartialDate, end: PartialDate) -> tuple[dt.date, dt.date]:
    return start.first_day, end.last_day


def _first_day(year: int, month: int) -> dt.date:
    """The first day of a month; the axis of a fact dated 9999-12-31 ends a day short,
    as Python's dates do."""
    return dt.date.max if year > dt.MAXYEAR else dt.date(year, month, 1)


def _diamond(x: float, y: float, colour: str) -> str:
    corners = ((x, y - 5.5), (x + 5.5, y), (x, y + 5.5), (x - 5.5, y))
    points = " ".join(f"{num(cx)},{num(cy)}" for cx, cy in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'


def _ticks(
    first: dt.date, last: dt.date, plot: float = PLOT_RIGHT - PLOT_LEFT
) -> tuple[list[tuple[dt.date, str]], dt.date, dt.date]:
    """The gridlines and their labels, and the axis's ends, for `plot` units: whole
    years, or whole months when the facts span less than three years; labels
    spaced so none runs into the next."""
    if last.year - first.year >= 3:
        years = [_first_day(year, 1) for year in range(first.year, last.year + 2)]
        room = plot / (len(years) - 1)
        # Up to 10,000: facts may span the years 0001 to 9999, as wide as the plot.
        steps = (1, 2, 5, 10, 20, 50, 100, 1000, 2000, 5000, 10_000)
        step = next(s for s in steps if s * room >= 34)
        # Unlabelled gridlines between the labels, at most four: a line a year over
        # centuries would be a solid block.
        minor = max(1, step // 5)
        ticks = [
            (day, str(day.year) if day.year % step == 0 else "")
            for day in years[:-1]
            if day.year % minor == 0
        ]
        return [*ticks, (years[-1], "")], years[0], years[-1]
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    end = _first_day(year, month)
    room = plot / len(months)
    step = next((s for s in (1, 2, 3, 6, 12) if s * room >= 50), 12)
    ticks = []
    for day in months:
        if (day.month - 1) % step:
            label = ""
        elif step == 12:
            label = str(day.year)
        elif day.month == 1 or not any(t[1] for t in ticks):
            label = f"{MONTHS[day.month - 1]} {day.year}"
        else:
            label = MONTHS[day.month - 1]
        ticks.append((day, label))
    return [*ticks, (end, "")], months[0], end
