"""The flow diagram: actors as boxes, each flow an arrow labelled with what moves
and how much, coloured and dashed by category.

Graphviz's `dot` lays it out: we hand it each box and each label as a fixed
size (measured in the theme's font, canvas.py), so it routes arrows around
labels it cannot resize, then draw the SVG ourselves from its coordinates.
That keeps the output ours (titled, described, deterministic) and the label
boxes exactly the ones dot kept clear.

A label is never cut: it wraps onto as many lines as its words take, and two
arrows of one route that would read alike also say their dates. A diagram too
wide for the page with every label written out (many actors, many flows, long
labels) numbers its arrows instead, and the theme writes each out in a key
below it. A phone gets the flows as a list (`Figure.narrow`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import shutil
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..dates import PartialDate
from ..errors import BuildError
from ..kinds import FlowView
from ..wording import join_words
from .base import Figure, FigureLink, KeyEntry
from .canvas import MUTED, PALETTE, attrs, link, num, svg_document, text, text_width, wrap
from .captions import caption, count, year_span

if TYPE_CHECKING:
    from ..assemble import BriefingView, FactView

TITLE = "Flows between the actors"
CATEGORIES = ("weapons", "ammunition", "personnel", "technology", "economic", "other")
# Colour and dash together: a category reads in grey print and without colour vision.
STYLES: dict[str, tuple[str, str | None]] = {
    "weapons": (PALETTE[1], None),
    "ammunition": (PALETTE[4], "7 3"),
    "personnel": (PALETTE[0], "2 2.5"),
    "technology": (PALETTE[2], "9 3 2 3"),
    "economic": (PALETTE[3], "4 4"),
    "other": (PALETTE[6], "1 3"),
}
MAX_ARROWS = 30  # beyond this, flows along one route and of one category share an arrow
MAX_ACTORS = 16
WIDTH = 640.0  # the PDF's column; a wider layout is scaled down to it
HEIGHT = 760.0  # and the most of a PDF page it may take, with its caption and legend
MIN_SCALE = 0.8  # below this, labels are too small to read: number the arrows instead
MIN_NUMBERED_SCALE = 0.7  # and below this, the numbers and names are
LABEL_SIZE = 10.0
# A line is as tall as the font says (Noto Sans: ascent + descent = 1.362 em), so a
# browser's boxes of two lines of a label never overlap.
LABEL_LINE = 14.0
LABEL_TEXT_WIDTH = 120.0
LABEL_PAD = 3.0  # inside the label's visible box
LABEL_GAP = 3.0  # around it, kept clear of arrows by dot
NODE_SIZE = 11.5
NODE_LINE = 16.0  # as tall as a line of NODE_SIZE is (1.362 em), as LABEL_LINE
NODE_TEXT_WIDTH = 120.0
MARGIN = 8.0
LEGEND_SIZE = 10.0
TIMEOUT = 30  # seconds; dot takes well under one for 30 arrows


@dataclass(frozen=True)
class _Arrow:
    origin: str
    destination: str
    category: str
    lines: tuple[str, ...]  # its label, written out
    facts: tuple[FactView, ...]
    sentence: str  # the arrow in words, for the key and the text alternative


def draw(view: BriefingView) -> Figure | None:
    """The flow diagram of a briefing, or None when its facts have fewer than two
    arrows to draw (one arrow is a sentence, not a figure) or its flows join more
    actors, or take more routes, than a page can show legibly."""
    facts = [fact for fact in view.facts if _flow(fact) is not None]
    arrows = _arrows(facts)
    if len(arrows) < 2:
        return None
    actors = list(dict.fromkeys(name for a in arrows for name in (a.origin, a.destination)))
    if len(actors) > MAX_ACTORS or len(arrows) > 2 * MAX_ARROWS:
        return None  # a tangle no page can show legibly; `include:` narrows a briefing
    layout = _best_layout(actors, arrows, numbered=False)
    if layout["scale"] < MIN_SCALE:
        layout = _best_layout(actors, arrows, numbered=True)
        if layout["scale"] < MIN_NUMBERED_SCALE:
            return None  # even numbered, too small to read
    description = _description(facts, arrows, actors)
    body, width, height, links = _draw(layout, actors, arrows)
    title = _title(facts, arrows, actors)
    svg = svg_document(width, height, title, description, body, "flows")
    key = _key(arrows) if layout["numbered"] else ()
    return Figure(
        name="flows",
        title=title,
        svg=svg,
        description=description,
        links=links,
        key=key,
        units=_units(facts),
        **caption(view, facts, whole=False),
        narrow=_narrow(arrows),
    )


def _title(facts: list[FactView], arrows: list[_Arrow], actors: list[str]) -> str:
    """'Flows between Russia and North Korea, 2023–2024'; beyond three actors the two
    with the most arrows are named and the others counted."""
    busiest = sorted(
        actors,
        key=lambda actor: -sum(actor in (a.origin, a.destination) for a in arrows),
    )
    if len(actors) == 1:
        who = f"within {actors[0]}"
    elif len(actors) <= 3:
        who = f"between {join_words(busiest)}"
    else:
        who = f"between {busiest[0]}, {busiest[1]} and {len(actors) - 2} other actors"
    years = [PartialDate.parse(part).year for fact in facts for part in fact.date_iso.split("/")]
    return f"Flows {who}, {year_span(min(years), max(years))}"


def _units(facts: list[FactView]) -> str | None:
    """'Quantities in troops and containers', or None when no quantity has a unit."""
    units = list(
        dict.fromkeys(
            flow.quantity.unit
            for f in facts
            if (flow := _flow(f)) and flow.quantity and flow.quantity.unit
        )
    )
    return f"Quantities in {join_words(units)}" if units else None


def _flow(fact: FactView) -> FlowView | None:
    """The fact's flow. This figure is about one kind of fact, so it reads that kind's
    view; every other stage reads the kinds table (kinds.py)."""
    return fact.details if fact.kind == "flow" and isinstance(fact.details, FlowView) else None


def _arrows(facts: list[FactView]) -> list[_Arrow]:
    arrows = []
    if len(facts) <= MAX_ARROWS:
        for fact in facts:
            flow = _flow(fact)
            assert flow is not None
            lines = wrap(flow.what, LABEL_SIZE, LABEL_TEXT_WIDTH)
            # "10,000+ troops" says it all; "troops / 10,000+ troops" would not.
            if flow.amount and flow.amount.endswith(flow.what):
                lines = wrap(flow.amount, LABEL_SIZE, LABEL_TEXT_WIDTH)
            elif flow.amount:
                lines += wrap(flow.amount, LABEL_SIZE, LABEL_TEXT_WIDTH)
            amount = f", {flow.amount}" if flow.amount else ""
            sentence = f"{flow.origin} to {flow.destination}: {flow.what}{amount} ({flow.category})"
            arrows.append(
                _Arrow(
                    flow.origin, flow.destination, flow.category, tuple(lines), (fact,), sentence
                )
            )
        return _told_apart(arrows)
    # Too many to draw one by one: one arrow per route and category, saying how many.
    grouped: dict[tuple[str, str, str], list[FactView]] = {}
    for fact in facts:
        flow = _flow(fact)
        assert flow is not None
        grouped.setdefault((flow.origin, flow.destination, flow.category), []).append(fact)
    for (origin, destination, category), members in grouped.items():
        whats = list(dict.fromkeys(flow.what for f in members if (flow := _flow(f))))
        count = f"{len(members)} flows" if len(members) > 1 else "1 flow"
        lines = wrap(whats[0] if len(whats) == 1 else category, LABEL_SIZE, LABEL_TEXT_WIDTH)
        sentence = f"{origin} to {destination}: {count} of {category} ({', '.join(whats)})"
        arrows.append(
            _Arrow(origin, destination, category, (*lines, count), tuple(members), sentence)
        )
    return arrows


def _told_apart(arrows: list[_Arrow]) -> list[_Arrow]:
    """Arrows along one route that would read alike say their facts' dates too, and
    if those match as well, a number in order ("(2)")."""
    seen: dict[tuple[str, str, tuple[str, ...]], list[int]] = {}
    for index, arrow in enumerate(arrows):
        seen.setdefault((arrow.origin, arrow.destination, arrow.lines), []).append(index)
    told = list(arrows)
    for indexes in seen.values():
        if len(indexes) < 2:
            continue
        dates = [arrows[i].facts[0].date for i in indexes]
        for place, index in enumerate(indexes):
            extra = dates[place]
            if dates.count(extra) > 1:
                extra = f"{extra} ({dates[: place + 1].count(extra)})"
            arrow = arrows[index]
            told[index] = dataclasses.replace(
                arrow,
                lines=(*arrow.lines, extra),
                sentence=f"{arrow.sentence}, {arrows[index].facts[0].date}",
            )
    return told


def _label_lines(arrows: list[_Arrow], index: int, numbered: bool) -> tuple[str, ...]:
    return (str(index + 1),) if numbered else arrows[index].lines


def _label_box(lines: tuple[str, ...]) -> tuple[float, float]:
    """The visible label box (width, height) around `lines`."""
    width = max(text_width(line, LABEL_SIZE) for line in lines) + 2 * LABEL_PAD
    return max(width, 16.0), len(lines) * LABEL_LINE + 2 * LABEL_PAD - 1


def _node_lines(name: str) -> list[str]:
    return wrap(name, NODE_SIZE, NODE_TEXT_WIDTH, bold=True)


def _node_box(name: str) -> tuple[float, float]:
    lines = _node_lines(name)
    width = max(text_width(line, NODE_SIZE, bold=True) for line in lines) + 20
    return max(width, 56.0), len(lines) * NODE_LINE + 14


def _dot_source(actors: list[str], arrows: list[_Arrow], rankdir: str, numbered: bool) -> str:
    lines = [
        "digraph flows {",
        f"  graph [rankdir={rankdir} nodesep=0.22 ranksep=0.4 margin=0 splines=true];",
        '  node [shape=box fixedsize=true label=""];',
        "  edge [arrowsize=0.8];",
    ]
    for index, actor in enumerate(actors):
        width, height = _node_box(actor)
        lines.append(f"  n{index} [width={width / 72:.4f} height={height / 72:.4f}];")
    for index, arrow in enumerate(arrows):
        width, height = _label_box(_label_lines(arrows, index, numbered))
        # An HTML-like label of exactly this size: dot reserves the box and draws nothing.
        box = (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
            f'<TD FIXEDSIZE="TRUE" WIDTH="{math.ceil(width + 2 * LABEL_GAP)}" '
            f'HEIGHT="{math.ceil(height + 2 * LABEL_GAP)}"></TD></TR></TABLE>>'
        )
        tail, head = actors.index(arrow.origin), actors.index(arrow.destination)
        lines.append(f"  n{tail} -> n{head} [id=e{index} label={box}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot() -> str:
    path = shutil.which("dot")
    if path is None:
        raise BuildError(
            "the flow diagram needs Graphviz's `dot`, which is not installed: install the "
            "Debian package graphviz (scripts/system-deps does), or leave flows out of the "
            "briefing's figures:"
        )
    return path


def tools() -> tuple[str, ...]:
    """Graphviz's version, for the cache key of the outputs showing a flow diagram."""
    return (dot_version(),)


@functools.cache
def dot_version() -> str:
    """What `dot -V` says ("dot - graphviz version 2.43.0 (0)"), asked once per process."""
    try:
        done = subprocess.run([_dot(), "-V"], capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"could not run Graphviz's dot: {exc}") from exc
    # dot writes its version to stderr.
    return (done.stderr or done.stdout).decode("utf-8", "replace").strip()


def _best_layout(actors: list[str], arrows: list[_Arrow], numbered: bool) -> dict[str, Any]:
    """Left to right or top to bottom, whichever needs the least shrinking and then
    the least height (a page is read down, and has more room across than down)."""
    return min(
        (_layout(actors, arrows, rankdir, numbered) for rankdir in ("LR", "TB")),
        key=lambda laid: (-laid["scale"], laid["height"] * laid["scale"], laid["rankdir"]),
    )


def _layout(
    actors: list[str], arrows: list[_Arrow], rankdir: str, numbered: bool
) -> dict[str, Any]:
    source = _dot_source(actors, arrows, rankdir, numbered)
    try:
        done = subprocess.run(
            [_dot(), "-Tjson"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"Graphviz took more than {TIMEOUT} s to lay out the flows") from exc
    except OSError as exc:
        raise BuildError(f"could not run Graphviz's dot: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise BuildError(f"Graphviz could not lay out the flows: {message}")
    graph: dict[str, Any] = json.loads(done.stdout)
    _, _, right, top = (float(v) for v in graph["bb"].split(","))
    graph["rankdir"] = rankdir
    graph["numbered"] = numbered
    graph["width"], graph["height"] = right + 2 * MARGIN, top + 2 * MARGIN
    graph["scale"] = min(1.0, WIDTH / graph["width"], HEIGHT / graph["height"])
    return graph


def _points(spec: str) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
    """A dot edge `pos`: its B-spline control points and the arrowhead's tip."""
    tip = None
    points = []
    for part in spec.split():
        fields = part.split(",")
        if fields[0] == "e":
            tip = (float(fields[1]), float(fields[2]))
        elif fields[0] != "s":
            points.append((float(fields[0]), float(fields[1])))
    return points, tip


def _draw(
    graph: dict[str, Any], actors: list[str], arrows: list[_Arrow]
) -> tuple[list[str], float, float, tuple[FigureLink, ...]]:
    scale, numbered = graph["scale"], graph["numbered"]
    top = graph["height"] - 2 * MARGIN

    def at(x: float, y: float) -> tuple[float, float]:  # dot's y runs up, SVG's down
        return (x + MARGIN) * scale, (top - y + MARGIN) * scale

    def pt(x: float, y: float) -> str:
        sx, sy = at(x, y)
        return f"{num(sx)},{num(sy)}"

    body = [f'<g class="flow-arrows" stroke-width="{num(1.6 * scale)}" fill="none">']
    labels = ['<g class="flow-labels">']
    boxes: list[tuple[int, tuple[float, float, float, float]]] = []
    for edge in graph.get("edges", []):
        index = int(edge["id"][1:])
        arrow = arrows[index]
        colour, dash = STYLES.get(arrow.category, STYLES["other"])
        points, tip = _points(edge["pos"])
        path = f"M{pt(*points[0])}" + "".join(
            f" C{pt(*points[i])} {pt(*points[i + 1])} {pt(*points[i + 2])}"
            for i in range(1, len(points) - 2, 3)
        )
        dasharray = " ".join(num(float(d) * scale) for d in dash.split()) if dash else None
        body.append(
            f"<path {attrs(d=path, stroke=colour, stroke_dasharray=dasharray)}"
            f' class="flow-arrow" data-arrow="{index + 1}"/>'
        )
        if tip is not None:
            body.append(_arrowhead(at(*points[-1]), at(*tip), colour, 4.2 * scale))
        x, y = at(*(float(v) for v in edge["lp"].split(",")))
        lines = _label_lines(arrows, index, numbered)
        label, box = _label(x, y, lines, colour, scale, index + 1)
        labels.append(label)
        boxes.append((index, box))
    body.append("</g>")
    labels.append("</g>")
    nodes = ['<g class="flow-actors">']
    for node in graph.get("objects", []):
        x, y = at(*(float(v) for v in node["pos"].split(",")))
        nodes.append(_node(x, y, actors[int(node["name"][1:])], scale))
    nodes.append("</g>")
    drawn, height = graph["width"] * scale, graph["height"] * scale
    width = max(drawn, min(WIDTH, 420.0))  # room for the legend below
    shift = (width - drawn) / 2  # a narrow diagram is centred over its legend
    categories = sorted({a.category for a in arrows}, key=_rank)
    legend, legend_height = _legend(categories, width)
    parts = [f'<g class="flow-diagram" transform="translate({num(shift)} 0)">']
    parts += [*body, *nodes, *labels, "</g>"]
    parts += [f'<g class="flow-legend" transform="translate(0 {num(height)})">', *legend, "</g>"]
    size = (width, height + legend_height)
    links = tuple(
        link(
            f"#{arrows[index].facts[0].anchor}", arrows[index].sentence, (x + shift, y, w, h), size
        )
        for index, (x, y, w, h) in sorted(boxes)
    )
    return parts, size[0], size[1], links


def _rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


def _arrowhead(
    base: tuple[float, float], tip: tuple[float, float], colour: str, half: float
) -> str:
    """A filled triangle from `base` (the end of the line) to `tip`."""
    (bx, by), (tx, ty) = base, tip
    length = math.hypot(tx - bx, ty - by) or 1.0
    nx, ny = -(ty - by) / length * half, (tx - bx) / length * half
    corners = f"{num(tx)},{num(ty)} {num(bx + nx)},{num(by + ny)} {num(bx - nx)},{num(by - ny)}"
    return f'<polygon points="{corners}" fill="{colour}"/>'


def _label(
    x: float, y: float, lines: tuple[str, ...], colour: str, scale: float, number: int
) -> tuple[str, tuple[float, float, float, float]]:
    width, height = (v * scale for v in _label_box(lines))
    left, top = x - width / 2, y - height / 2
    size, line = LABEL_SIZE * scale, LABEL_LINE * scale
    parts = [
        f'<g class="flow-label" data-arrow="{number}">',
        f"<rect {attrs(x=left, y=top, width=width, height=height, rx=2.0 * scale)}"
        f' fill="#fff" stroke="{colour}" stroke-width="{num(0.9 * scale)}"/>',
    ]
    for index, content in enumerate(lines):
        baseline = top + (LABEL_PAD + 0.5) * scale + line * index + size * 0.94
        parts.append(text(x, baseline, content, size, anchor="middle"))
    parts.append("</g>")
    return "".join(parts), (left, top, width, height)


def _node(x: float, y: float, name: str, scale: float) -> str:
    width, height = (v * scale for v in _node_box(name))
    lines = _node_lines(name)
    size = NODE_SIZE * scale
    box = attrs(x=x - width / 2, y=y - height / 2, width=width, height=height, rx=4 * scale)
    parts = [
        '<g class="flow-actor">',
        f'<rect {box} fill="#e8eef5" stroke="#1f3a5f" stroke-width="{num(1.2 * scale)}"/>',
    ]
    first = y - (len(lines) - 1) * NODE_LINE / 2 * scale + size * 0.36
    for index, content in enumerate(lines):
        parts.append(
            text(x, first + index * NODE_LINE * scale, content, size, bold=True, anchor="middle")
        )
    parts.append("</g>")
    return "".join(parts)


def _sample(x: float, y: float, category: str) -> str:
    """A short arrow in a category's colour and dash."""
    colour, dash = STYLES.get(category, STYLES["other"])
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line {attrs(x1=x, y1=y, x2=x + 22, y2=y)} stroke="{colour}" stroke-width="2"{dashed}/>'
        + _arrowhead((x + 22, y), (x + 29, y), colour, 3.5)
    )


def _legend(categories: list[str], width: float) -> tuple[list[str], float]:
    """One or more rows of line samples, one for each category drawn."""
    parts = []
    x, y = MARGIN, 14.0
    for category in categories:
        item = 34 + text_width(category, LEGEND_SIZE) + 16
        if x + item > width - MARGIN and x > MARGIN:
            x, y = MARGIN, y + 16
        parts.append(
            f'<g class="flow-legend-item">{_sample(x, y, category)}'
            f"{text(x + 34, y + 3.5, category, LEGEND_SIZE, fill=MUTED)}</g>"
        )
        x += item
    return parts, y + 8


def _key(arrows: list[_Arrow]) -> tuple[KeyEntry, ...]:
    """Each numbered arrow written out, linked to its (first) fact."""
    return tuple(
        KeyEntry(str(index + 1), arrow.sentence, f"#{arrow.facts[0].anchor}")
        for index, arrow in enumerate(arrows)
    )


def _narrow(arrows: list[_Arrow]) -> str:
    """The flows as a list for a narrow screen, numbered as the arrows are, each in
    its category's colour and linked to its fact."""
    items = []
    for index, arrow in enumerate(arrows):
        colour, _ = STYLES.get(arrow.category, STYLES["other"])
        route = f"{arrow.origin} → {arrow.destination}"
        what = " ".join(arrow.lines)
        items.append(
            Markup(
                '<li value="{}"><a href="#{}"><span class="figure-narrow-route">{}</span>: '
                '{} <span class="figure-narrow-swatch" style="border-color: {}"'
                ' aria-hidden="true"></span>'
                '<span class="figure-narrow-category">({})</span></a></li>'
            ).format(index + 1, arrow.facts[0].anchor, route, what, colour, arrow.category)
        )
    return str(
        Markup('<ol class="figure-narrow figure-narrow-flows">{}</ol>').format(
            Markup("").join(items)
        )
    )


def _description(facts: list[FactView], arrows: list[_Arrow], actors: list[str]) -> str:
    """The diagram in words: every arrow as a sentence."""
    head = (
        f"A diagram of {count(len(facts), 'flow')} between {count(len(actors), 'actor')} "
        f"({', '.join(actors)}), one arrow per "
        f"{'flow' if len(arrows) == len(facts) else 'route and category'}, coloured and "
        "dashed by category."
    )
    return " ".join([head, *(f"{a.sentence}." for a in arrows)])
