"""The risk matrix: each risk of a briefing by likelihood (the seven ICD 203 bands)
and impact (low to severe).

A risk is placed by its number, a short label that fits any cell at any
count, and the key (written by the theme below the grid, as text) gives each
number its title; both link to the fact. Where a risk sits says how grave it
is; the cells' tint says it again, never alone. A phone gets the risks as a
list, gravest first (`Figure.narrow`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from ..kinds import RiskView
from ..model import LIKELIHOOD_BANDS
from ..wording import join_words
from .base import Figure, FigureLink, KeyEntry
from .canvas import INK, MUTED, attrs, link, svg_document, text, wrap
from .captions import caption, count

if TYPE_CHECKING:
    from ..assemble import BriefingView, FactView

TITLE = "Risks by likelihood and impact"
MAX_RISKS = 60
IMPACTS = ("severe", "high", "moderate", "low")  # top to bottom
# The bands, least likely first, each named by ICD 203's first column.
BANDS = list(dict.fromkeys(LIKELIHOOD_BANDS.values()))
BAND_NAMES = [next(term for term, band in LIKELIHOOD_BANDS.items() if band == b) for b in BANDS]
WIDTH = 640.0
LEFT = 64.0  # the impact labels
CELL = (WIDTH - LEFT - 4) / len(BANDS)
HEAD = 42.0  # the band labels above the grid
BADGE = 17.0  # a number's circle
GAP = 4.0
SIZE = 9.5
SMALL = 8.5
# Light tints, so the numbers keep their contrast: graver cells are warmer.
TINTS = ("#eef4ee", "#fbf3dc", "#fbe3d6", "#f6d2d2")


def draw(view: BriefingView) -> Figure | None:
    """The risk matrix of a briefing, or None when it has fewer than two risks (one
    risk is a sentence, not a figure) or too many."""
    risks = [fact for fact in view.facts if _risk(fact) is not None]
    if not 2 <= len(risks) <= MAX_RISKS:
        return None
    cells: dict[tuple[int, int], list[int]] = {}
    for number, fact in enumerate(risks, start=1):
        risk = _risk(fact)
        assert risk is not None
        column = BANDS.index(risk.band)
        row = IMPACTS.index(risk.impact)
        cells.setdefault((row, column), []).append(number)
    per_line = max(1, int((CELL - GAP) // (BADGE + GAP)))
    heights = []
    for row in range(len(IMPACTS)):
        most = max((len(cells.get((row, c), [])) for c in range(len(BANDS))), default=0)
        lines = -(-most // per_line)
        heights.append(max(36.0, lines * (BADGE + GAP) + GAP + 4))
    grid_height = sum(heights)
    height = HEAD + grid_height + 24

    body = ['<g class="matrix-grid">']
    for column, (band, name) in enumerate(zip(BANDS, BAND_NAMES, strict=True)):
        x = LEFT + column * CELL + CELL / 2
        words = wrap(name, SMALL, CELL - 4, 2)
        for index, line in enumerate(words):
            # Lines as tall as the font says (1.362 em), so no two lines' boxes overlap.
            baseline = HEAD - 20 - (len(words) - 1 - index) * 12
            body.append(text(x, baseline, line, SMALL, anchor="middle", fill=MUTED))
        body.append(text(x, HEAD - 6, band, SMALL, anchor="middle", bold=True, fill=MUTED))
    y = HEAD
    for row, impact in enumerate(IMPACTS):
        middle = y + heights[row] / 2 + 3.5
        body.append(text(LEFT - 8, middle, impact.capitalize(), SIZE, anchor="end", bold=True))
        for column in range(len(BANDS)):
            grade = min(3, (column + 1) * (len(IMPACTS) - row) // 7)
            body.append(
                f"<rect {attrs(x=LEFT + column * CELL, y=y, width=CELL, height=heights[row])}"
                f' fill="{TINTS[grade]}" stroke="#fff" stroke-width="2"/>'
            )
        y += heights[row]
    axis = "Likelihood (ICD 203)"
    centre = LEFT + (WIDTH - LEFT) / 2
    body.append(text(centre, HEAD + grid_height + 16, axis, SIZE, anchor="middle", fill=MUTED))
    body.append(text(4, HEAD - 6, "Impact", SIZE, bold=True, fill=MUTED))
    body.append("</g>")

    links: list[FigureLink] = []
    size = (WIDTH, height)
    marks = ['<g class="matrix-risks">']
    row_tops = [HEAD + sum(heights[:row]) for row in range(len(IMPACTS))]
    for (row, column), numbers in sorted(cells.items()):
        for place, number in enumerate(numbers):
            fact = risks[number - 1]
            # Each line of numbers centred in its cell.
            in_line = min(per_line, len(numbers) - place // per_line * per_line)
            start = LEFT + column * CELL + (CELL - in_line * (BADGE + GAP) + GAP) / 2
            cx = start + (place % per_line) * (BADGE + GAP) + BADGE / 2
            cy = row_tops[row] + GAP + 2 + (place // per_line) * (BADGE + GAP) + BADGE / 2
            marks.append(_badge(cx, cy, number, fact.anchor))
            box = (cx - BADGE / 2, cy - BADGE / 2, BADGE, BADGE)
            links.append(link(f"#{fact.anchor}", _words(number, fact), box, size))
    marks.append("</g>")

    key = tuple(KeyEntry(str(n), _where_words(f), f"#{f.anchor}") for n, f in enumerate(risks, 1))
    described = [f"{entry.mark}. {entry.text}" for entry in key]
    description = (
        f"{len(risks)} risk{'s' if len(risks) != 1 else ''} placed by likelihood, in the "
        "seven ICD 203 bands, and impact, from low to severe. " + "; ".join(described) + "."
    )
    title = _title(risks)
    svg = svg_document(WIDTH, height, title, description, [*body, *marks], "risks")
    return Figure(
        name="risks",
        title=title,
        svg=svg,
        description=description,
        links=tuple(links),
        key=key,
        **caption(view, risks, whole=False),
        narrow=_narrow(risks),
    )


def _title(risks: list[FactView]) -> str:
    """'4 risks by likelihood and impact: 1 severe, 2 high and 1 moderate'."""
    impacts = [risk.impact for fact in risks if (risk := _risk(fact))]
    graves = [f"{impacts.count(i)} {i}" for i in IMPACTS if i in impacts]
    return f"{count(len(risks), 'risk')} by likelihood and impact: {join_words(graves)}"


def _narrow(risks: list[FactView]) -> str:
    """The risks as a list, gravest first (impact, then likelihood), numbered as on
    the matrix, each with its impact and likelihood in words."""
    placed = [(number, fact, risk) for number, fact in enumerate(risks, 1) if (risk := _risk(fact))]
    placed.sort(key=lambda item: (IMPACTS.index(item[2].impact), -BANDS.index(item[2].band)))
    items = Markup("").join(
        Markup(
            '<li value="{}"><a href="#{}"><span class="figure-narrow-where">{} impact, {} '
            "({})</span>: {}</a></li>"
        ).format(
            number, fact.anchor, risk.impact.capitalize(), risk.likelihood, risk.band, fact.title
        )
        for number, fact, risk in placed
    )
    return str(Markup('<ol class="figure-narrow figure-narrow-risks">{}</ol>').format(items))


def _risk(fact: FactView) -> RiskView | None:
    """The fact's risk. This figure is about one kind of fact, so it reads that kind's
    view; every other stage reads the kinds table (kinds.py)."""
    return fact.details if fact.kind == "risk" and isinstance(fact.details, RiskView) else None


def _where(risk: RiskView) -> str:
    return f"{risk.likelihood}, {risk.band}; {risk.impact} impact"


def _where_words(fact: FactView) -> str:
    risk = _risk(fact)
    assert risk is not None
    return f"{fact.title} ({_where(risk)})"


def _words(number: int, fact: FactView) -> str:
    return f"Risk {number}: {_where_words(fact)}"


def _badge(x: float, y: float, number: int, anchor: str) -> str:
    label = str(number)
    return (
        f'<g class="matrix-risk" data-fact="{anchor}">'
        f'<circle {attrs(cx=x, cy=y, r=BADGE / 2)} fill="{INK}"/>'
        + text(x, y + 3.4, label, SIZE, bold=True, anchor="middle", fill="#fff")
        + "</g>"
    )
