"""The timeline: every fact of a briefing on one time axis, a row each, grouped by
section.

A date is drawn as the span it can mean (a month as the whole month, a year as
the whole year, a range from its start to its end), a single day as a diamond.
Each row's colour is its section's, and each row also sits under its
section's heading, so colour is never the only way to tell. Each row links to
its fact.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..dates import PartialDate
from .base import Figure, FigureLink
from .canvas import MUTED, PALETTE, RULE, attrs, fit, link, num, svg_document, text, text_width

if TYPE_CHECKING:
    from ..assemble import BriefingView, FactView

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
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _span(fact: FactView) -> tuple[PartialDate, PartialDate]:
    start, _, end = fact.date_iso.partition("/")
    return PartialDate.parse(start), PartialDate.parse(end or start)


def draw(view: BriefingView) -> Figure | None:
    """The timeline of a briefing, or None when it has no facts or too many to draw."""
    groups = [
        (index, section, sorted(section.facts, key=lambda f: _days(*_span(f))))
        for index, section in enumerate(view.sections)
        if section.facts
    ]
    count = sum(len(facts) for _, _, facts in groups)
    if count == 0 or count > MAX_FACTS:
        return None
    spans = [_span(fact) for _, _, facts in groups for fact in facts]
    first = min(start.first_day for start, _ in spans)
    last = max(end.last_day for _, end in spans)
    ticks, low, high = _ticks(first, last)

    def x_of(day: dt.date) -> float:
        return PLOT_LEFT + (day - low).days / (high - low).days * (PLOT_RIGHT - PLOT_LEFT)

    day_width = (PLOT_RIGHT - PLOT_LEFT) / (high - low).days

    height = AXIS + len(groups) * HEADING + count * ROW + 8
    body = [f'<g class="timeline-axis" font-size="{num(SIZE - 1)}">']
    for day, label in ticks:
        x = x_of(day)
        body.append(
            f'<line {attrs(x1=x, y1=AXIS - 6, x2=x, y2=height - 4)} stroke="{RULE}"'
            ' stroke-width="0.8"/>'
        )
        # A label too near the end to fit is left to its gridline.
        if label and x + 2 + text_width(label, SIZE - 1) <= WIDTH - 2:
            body.append(text(x + 2, AXIS - 10, label, SIZE - 1, fill=MUTED))
    body.append("</g>")
    links: list[FigureLink] = []
    y = AXIS
    facts_described = []
    for index, section, facts in groups:
        colour = PALETTE[index % len(PALETTE)]
        body.append(
            f'<g class="timeline-section" data-section="{section.id}">'
            f'<rect {attrs(x=0.0, y=y + 6, width=4.0, height=HEADING - 9)} fill="{colour}"/>'
            + text(9, y + HEADING - 5, section.title, SIZE + 0.5, bold=True)
            + "</g>"
        )
        y += HEADING
        for fact in facts:
            start, end = _span(fact)
            # To the end of its last day (never the day after: 9999-12-31 has none).
            left, right = x_of(start.first_day), x_of(end.last_day) + day_width
            middle = y + ROW / 2
            label = fit(fact.title, SIZE, LABEL_WIDTH - 12)
            mark = (
                _diamond((left + right) / 2, middle, colour)
                if start == end and start.day is not None
                else f"<rect {attrs(x=left, y=middle - 4.5, width=max(right - left, 3.0))}"
                f' height="9" rx="1.5" fill="{colour}"/>'
            )
            body.append(
                f'<g class="timeline-fact" data-fact="{fact.anchor}">'
                + text(12, middle + 3.5, label, SIZE)
                + f"<line {attrs(x1=PLOT_LEFT, y1=middle, x2=PLOT_RIGHT, y2=middle)}"
                f' stroke="{RULE}" stroke-width="0.5" stroke-dasharray="1 3"/>' + mark + "</g>"
            )
            words = f"{fact.title}: {fact.date} ({section.title})"
            links.append(link(f"#{fact.anchor}", words, (0, y, WIDTH, ROW), (WIDTH, height)))
            facts_described.append(words)
            y += ROW
    description = (
        f"{count} fact{'s' if count != 1 else ''} on a time axis from "
        f"{first.year} to {last.year}, grouped by section, each drawn over the time its "
        "date can mean. " + "; ".join(facts_described) + "."
    )
    svg = svg_document(WIDTH, height, TITLE, description, body, "timeline")
    return Figure(
        name="timeline", title=TITLE, svg=svg, description=description, links=tuple(links)
    )


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


def _ticks(first: dt.date, last: dt.date) -> tuple[list[tuple[dt.date, str]], dt.date, dt.date]:
    """The gridlines and their labels, and the axis's ends: whole years, or whole
    months when the facts span less than three years; labels spaced so none
    runs into the next."""
    plot = PLOT_RIGHT - PLOT_LEFT
    if last.year - first.year >= 3:
        years = [_first_day(year, 1) for year in range(first.year, last.year + 2)]
        room = plot / (len(years) - 1)
        # Up to 10,000: facts may span the years 0001 to 9999, as wide as the plot.
        steps = (1, 2, 5, 10, 20, 50, 100, 1000, 2000, 5000, 10_000)
        step = next(s for s in steps if s * room >= 34)
        ticks = [(day, str(day.year) if day.year % step == 0 else "") for day in years[:-1]]
        return [*ticks, (years[-1], "")], years[0], years[-1]
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    end = _first_day(year, month)
    room = plot / len(months)
    step = next(s for s in (1, 2, 3, 6, 12) if s * room >= 50)
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
