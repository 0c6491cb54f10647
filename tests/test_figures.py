"""The figures (briefgen/figures/): what each draws from a briefing, read back from
its SVG; how they sit in the HTML and the PDF. Geometry as a browser lays it out
is measured in test_figures_browser.py."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import projects
import pytest
from figure_projects import figure_project, outlier_project
from helpers import REPO, copy_example, edit, minimal_project, require_tool, run

from briefgen.assemble import BriefingView
from briefgen.build import validate
from briefgen.edition import make_edition
from briefgen.errors import BuildError
from briefgen.figures import FIGURES, Figure, canvas, flows, matrix, timeline
from briefgen.kinds import FlowView, RiskView

SVG = "{http://www.w3.org/2000/svg}"
MAIN = "ru-kp-exchange"


def view_of(root: Path, briefing: str = "brief") -> BriefingView:
    project, problems = validate(root)
    assert not [p for p in problems if p.severity == "error"], problems
    return make_edition(project, briefing).view


@pytest.fixture(scope="module")
def example_view() -> BriefingView:
    return view_of(REPO, MAIN)


def parsed(figure: Figure) -> ET.Element:
    """The figure's SVG as XML: it must parse, and carry its title and description."""
    root = ET.fromstring(figure.svg)
    assert root.tag == f"{SVG}svg"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == figure.title
    assert desc is not None and desc.text == figure.description
    return root


def texts(root: ET.Element, group: str) -> list[str]:
    return [
        t.text or "" for g in root.iter() if g.get("class") == group for t in g.iter(f"{SVG}text")
    ]


# -- flows -----------------------------------------------------------------------------


def test_the_flow_diagram_draws_every_flow_of_the_example_both_ways(
    example_view: BriefingView,
) -> None:
    figure = flows.draw(example_view)
    assert figure is not None and figure.name == "flows"
    root = parsed(figure)
    flow_facts = [f for f in example_view.facts if f.kind == "flow"]
    arrows = [e for e in root.iter(f"{SVG}path") if e.get("class") == "flow-arrow"]
    assert len(arrows) == len(flow_facts) == 6
    assert sorted(texts(root, "flow-actor")) == ["North Korea", "Russia"]
    labels = [
        " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
        for g in root.iter()
        if g.get("class") == "flow-label"
    ]
    assert "troops for Russia's campaign in Ukraine 10,000+ troops" in labels
    assert "artillery and conventional arms 13,000+ containers" in labels
    # Both directions: Russia to North Korea and back, each an arrow of its own.
    assert "Russia to North Korea: air-defence (anti-aircraft) missiles" in figure.description
    assert "North Korea to Russia: troops for Russia's campaign in Ukraine, 10,000+ troops" in (
        figure.description
    )
    # Each arrow's label links to its fact; nothing is numbered with six flows.
    assert sorted(link.href for link in figure.links) == sorted(f"#{f.anchor}" for f in flow_facts)
    assert figure.key == ()


def test_a_flow_from_an_actor_to_itself_is_a_loop(tmp_path: Path) -> None:
    root = figure_project(tmp_path, 2, 2)
    sheet = (root / "facts/main.yaml").read_text()
    (root / "facts/main.yaml").write_text(edit(sheet, "      to: A1\n", "      to: A0\n"))
    figure = flows.draw(view_of(root))
    assert figure is not None
    root_svg = parsed(figure)
    assert len([e for e in root_svg.iter(f"{SVG}path") if e.get("class") == "flow-arrow"]) == 2
    assert "between 2 actors (Russia, North Korea)" in figure.description
    assert "Russia to Russia: troops" in figure.description


def test_the_categories_differ_by_dash_as_well_as_colour() -> None:
    dashes = [dash for _, dash in flows.STYLES.values()]
    colours = [colour for colour, _ in flows.STYLES.values()]
    assert len(set(dashes)) == len(dashes) == len(flows.CATEGORIES)
    assert len(set(colours)) == len(colours)


def test_a_legend_names_each_category_drawn(tmp_path: Path) -> None:
    figure = flows.draw(view_of(figure_project(tmp_path, 5, 12)))
    assert figure is not None
    root = parsed(figure)
    legend = texts(root, "flow-legend-item")
    drawn = {e.get("stroke") for e in root.iter(f"{SVG}path") if e.get("class") == "flow-arrow"}
    assert len(legend) == len(drawn)
    assert set(legend) <= set(flows.CATEGORIES)


def test_ten_actors_and_thirty_flows_are_numbered_with_a_key(tmp_path: Path) -> None:
    view = view_of(figure_project(tmp_path, 10, 30))
    figure = flows.draw(view)
    assert figure is not None
    root = parsed(figure)
    labels = [
        " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
        for g in root.iter()
        if g.get("class") == "flow-label"
    ]
    assert sorted(labels, key=int) == [str(n) for n in range(1, 31)]
    assert [entry.mark for entry in figure.key] == [str(n) for n in range(1, 31)]
    anchors = {f"#{f.anchor}" for f in view.facts if f.kind == "flow"}
    assert {entry.href for entry in figure.key} == anchors
    assert len([g for g in root.iter() if g.get("class") == "flow-actor"]) == 10
    # The width fits the page's column, and labels keep at least 80% of their size.
    width = float(root.get("width", "0"))
    assert width <= flows.WIDTH
    sizes = {
        float(t.get("font-size", "0"))
        for g in root.iter()
        if g.get("class") == "flow-label"
        for t in g.iter(f"{SVG}text")
    }
    assert min(sizes) >= flows.LABEL_SIZE * flows.MIN_SCALE


def test_more_flows_than_arrows_share_one_per_route_and_category(tmp_path: Path) -> None:
    view = view_of(figure_project(tmp_path, 3, 45, seed=4))
    figure = flows.draw(view)
    assert figure is not None
    shown = [f.details for f in view.facts if isinstance(f.details, FlowView)]
    routes = {(flow.origin, flow.destination, flow.category) for flow in shown}
    arrows = [e for e in parsed(figure).iter(f"{SVG}path") if e.get("class") == "flow-arrow"]
    assert len(arrows) == len(routes) < 45
    assert "45 flows between 3 actors" in figure.description
    assert "one arrow per route and category" in figure.description


def test_a_briefing_without_flows_or_with_a_tangle_has_no_flow_diagram(tmp_path: Path) -> None:
    assert flows.draw(view_of(minimal_project(tmp_path))) is None
    many = figure_project(tmp_path / "many", 10, 120, seed=2)  # more routes than 60
    assert flows.draw(view_of(many)) is None
    # 16 actors and 60 routes: even numbered, the labels would shrink past reading.
    dense = view_of(figure_project(tmp_path / "dense", 16, 60, seed=3))
    facts = [f for f in dense.facts if f.kind == "flow"]
    arrows = flows._arrows(facts)
    actors = list(dict.fromkeys(x for a in arrows for x in (a.origin, a.destination)))
    assert len(actors) == 16 and len(arrows) == 60
    assert flows._best_layout(actors, arrows, numbered=True)["scale"] < flows.MIN_NUMBERED_SCALE
    assert flows.draw(dense) is None


def test_without_graphviz_the_build_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = view_of(figure_project(tmp_path, 2, 2))
    monkeypatch.setattr(flows.shutil, "which", lambda name: None)
    with pytest.raises(BuildError, match="install the Debian package graphviz"):
        flows.draw(view)


def test_dot_is_handed_fixed_boxes_and_nothing_from_the_facts(tmp_path: Path) -> None:
    """Fact text never reaches dot, so no quoting in it can change the layout's input."""
    view = view_of(figure_project(tmp_path, 3, 4))
    facts = [f for f in view.facts if f.kind == "flow"]
    arrows = flows._arrows(facts)
    actors = list(dict.fromkeys(x for a in arrows for x in (a.origin, a.destination)))
    source = flows._dot_source(actors, arrows, "LR", numbered=False)
    for name in actors:
        assert name not in source
    assert all(a.lines[0] not in source for a in arrows)
    assert source.count('FIXEDSIZE="TRUE"') == len(arrows)


# -- timeline ----------------------------------------------------------------------------


def test_the_timeline_has_a_row_for_every_fact_but_the_risks(example_view: BriefingView) -> None:
    figure = timeline.draw(example_view)
    assert figure is not None
    root = parsed(figure)
    rows = [g for g in root.iter() if g.get("class") == "timeline-fact"]
    # The risks are left to the matrix: their dates say when they were judged.
    shown = [f for f in example_view.facts if f.kind != "risk"]
    assert len(rows) == len(shown) == 11 and len(example_view.facts) == 15
    assert sorted(g.get("data-fact") for g in rows) == sorted(f.anchor for f in shown)
    assert sorted(link.href for link in figure.links) == sorted(f"#{f.anchor}" for f in shown)
    headings = [
        t.text
        for g in root.iter()
        if g.get("class") == "timeline-section"
        for t in g.iter(f"{SVG}text")
    ]
    assert headings == ["Aid flows", "Agreements", "Context"]


def _mark(root: ET.Element, anchor: str) -> ET.Element:
    row = next(g for g in root.iter() if g.get("data-fact") == anchor)
    return next(e for e in row if e.tag in (f"{SVG}rect", f"{SVG}polygon"))


def dated(root: Path, dates: dict[str, str]) -> BriefingView:
    """The view of a project whose facts are {id: date}, titled by their ids."""
    sheet = """\
section: aid-flows
sources:
  - {id: src, title: A source, reliability: B, type: official}
facts:
"""
    for fact_id, date in dates.items():
        sheet += (
            f"  - {{id: {fact_id}, title: {fact_id}, text: x, date: {date}, "
            "confidence: low, sources: [{source: src, credibility: 3}]}\n"
        )
    return view_of(minimal_project(root, **{"facts__main.yaml": sheet}))


def test_a_date_is_drawn_over_the_time_it_can_mean(tmp_path: Path) -> None:
    view = dated(
        tmp_path,
        {
            "a-year": "2022",
            "a-month": "2023-01",
            "a-day": "2023-06-15",
            "a-range": "{from: 2022-07, to: 2023-06}",
        },
    )
    figure = timeline.draw(view)
    assert figure is not None
    root = parsed(figure)
    year, month, rng = (_mark(root, f"fact-{n}") for n in ("a-year", "a-month", "a-range"))
    assert year.tag == month.tag == rng.tag == f"{SVG}rect"
    year_width, month_width = float(year.get("width", "0")), float(month.get("width", "0"))
    assert year_width == pytest.approx(12 * month_width, rel=0.05)
    assert float(rng.get("width", "0")) == pytest.approx(year_width, rel=0.05)  # Jul to Jun
    assert float(rng.get("x", "0")) == pytest.approx(
        float(year.get("x", "0")) + year_width / 2, rel=0.02
    )
    assert _mark(root, "fact-a-day").tag == f"{SVG}polygon"  # a day is a diamond


def test_the_timeline_axis_labels_never_crowd(tmp_path: Path) -> None:
    for first, last in [
        ("2024-11-01", "2024-11-30"),
        ("2023-01-01", "2024-12-31"),
        ("1990-01-01", "2024-12-31"),
        ("2023-01-01", "2025-01-31"),  # the last month begins a year
        ("1990-01-01", "2025-03-31"),
    ]:
        ticks, low, high = timeline._ticks(
            dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        )
        assert low <= dt.date.fromisoformat(first) and high > dt.date.fromisoformat(last)
        span = (high - low).days
        plot = timeline.PLOT_RIGHT - timeline.PLOT_LEFT
        shown = [(day, label) for day, label in ticks if label]
        assert shown
        for (a, label), (b, _) in itertools.pairwise(shown):
            room = (b - a).days / span * plot
            assert canvas.text_width(label, timeline.SIZE - 1) + 4 < room, (first, label)


def test_no_axis_label_runs_off_the_timeline(tmp_path: Path) -> None:
    for last in ("2025-01", "2025", "2026-01"):
        view = dated(tmp_path / last, {"a": "1990", "b": last})
        figure = timeline.draw(view)
        assert figure is not None
        for label in parsed(figure).iter(f"{SVG}text"):
            right = float(label.get("x", "0")) + float(label.get("textLength", "0"))
            assert right <= timeline.WIDTH, (last, label.text)


def test_a_briefing_too_long_for_a_timeline_has_none(tmp_path: Path) -> None:
    assert timeline.draw(view_of(figure_project(tmp_path / "a", 3, 40))) is not None
    assert timeline.draw(view_of(figure_project(tmp_path / "b", 3, 41))) is None


# -- risk matrix -----------------------------------------------------------------------


def test_each_risk_is_placed_by_likelihood_and_impact(example_view: BriefingView) -> None:
    figure = matrix.draw(example_view)
    assert figure is not None
    root = parsed(figure)
    risks = [f for f in example_view.facts if isinstance(f.details, RiskView)]
    shown = {f.anchor: f.details for f in risks if isinstance(f.details, RiskView)}
    badges = {g.get("data-fact"): g for g in root.iter() if g.get("class") == "matrix-risk"}
    assert sorted(badges) == sorted(f.anchor for f in risks)
    assert [e.text for e in figure.key] == [
        f"{f.title} ({r.likelihood}, {r.band}; {r.impact} impact)"
        for f in risks
        if (r := shown[f.anchor])
    ]
    for fact in risks:
        circle = badges[fact.anchor].find(f"{SVG}circle")
        assert circle is not None
        column = int((float(circle.get("cx", "0")) - matrix.LEFT) // matrix.CELL)
        assert matrix.BANDS[column] == shown[fact.anchor].band
    # Severe above high above moderate: the nuclear transfer (severe) sits highest.
    nuclear = next(f for f in risks if shown[f.anchor].impact == "severe")
    others = [f for f in risks if f is not nuclear]
    y = {a: float(g.find(f"{SVG}circle").get("cy", "0")) for a, g in badges.items()}  # type: ignore[union-attr]
    assert all(y[nuclear.anchor] < y[o.anchor] for o in others)
    # Every badge and every key line leads to its fact.
    assert {link.href for link in figure.links} == {f"#{f.anchor}" for f in risks}


def test_a_crowded_cell_grows_to_hold_every_risk(tmp_path: Path) -> None:
    view = view_of(figure_project(tmp_path, 2, 1, risks=60, seed=3))
    figure = matrix.draw(view)
    assert figure is not None
    circles = [
        g.find(f"{SVG}circle") for g in parsed(figure).iter() if g.get("class") == "matrix-risk"
    ]
    assert len(circles) == 60
    centres = [(float(c.get("cx", "0")), float(c.get("cy", "0"))) for c in circles if c is not None]
    for i, (x1, y1) in enumerate(centres):
        for x2, y2 in centres[i + 1 :]:
            assert max(abs(x1 - x2), abs(y1 - y2)) >= matrix.BADGE  # no two overlap
    assert matrix.draw(view_of(figure_project(tmp_path / "more", 2, 1, risks=61))) is None


def test_the_seven_bands_run_from_remote_to_almost_certain() -> None:
    assert matrix.BANDS == ["1–5%", "5–20%", "20–45%", "45–55%", "55–80%", "80–95%", "95–99%"]
    assert matrix.BAND_NAMES[0] == "almost no chance" and matrix.BAND_NAMES[-1] == "almost certain"


# -- all figures ---------------------------------------------------------------------------


def test_figures_are_registered_by_name() -> None:
    assert list(FIGURES) == ["flows", "timeline", "risks"]
    for name, spec in FIGURES.items():
        assert spec.name == name


def test_the_same_facts_draw_the_same_bytes(tmp_path: Path) -> None:
    root = figure_project(tmp_path, 10, 28, risks=12)
    first = [spec.draw(view_of(root)) for spec in FIGURES.values()]
    second = [spec.draw(view_of(root)) for spec in FIGURES.values()]
    assert all(figure is not None for figure in first)
    assert first == second


def test_fact_text_is_escaped_in_the_svg(tmp_path: Path) -> None:
    root = figure_project(tmp_path, 2, 2, risks=2)
    sheet = (root / "facts/main.yaml").read_text()
    sheet = sheet.replace("name: Russia", 'name: "<script>R&D</script>"')
    sheet = sheet.replace(
        "title: Risk 0, that something grave happens in the region", 'title: "<b>Risk</b> & 0"'
    )
    (root / "facts/main.yaml").write_text(sheet)
    for spec in FIGURES.values():
        figure = spec.draw(view_of(root))
        assert figure is not None
        assert "<script>" not in figure.svg and "<b>" not in figure.svg
        parsed(figure)


def test_text_is_measured_in_the_theme_font() -> None:
    assert canvas.text_width("", 10) == 0
    narrow, wide = canvas.text_width("iiii", 10), canvas.text_width("MMMM", 10)
    assert 0 < narrow < wide
    assert canvas.text_width("MMMM", 20) == pytest.approx(2 * wide)
    assert canvas.text_width("ab", 10, bold=True) > canvas.text_width("ab", 10)
    assert canvas.fit("a long title of a fact", 10, 60).endswith("…")
    assert canvas.text_width(canvas.fit("a long title of a fact", 10, 60), 10) <= 60
    assert canvas.wrap("one two three four five six", 10, 50, 2)[-1].endswith("…")


# -- what each figure argues (issue 22) ----------------------------------------------------


def test_each_figure_of_the_example_says_what_it_shows(example_view: BriefingView) -> None:
    figures = {f.name: f for f in (spec.draw(example_view) for spec in FIGURES.values()) if f}
    flows_, timeline_, risks = figures["flows"], figures["timeline"], figures["risks"]
    assert flows_.title == "Flows between Russia and North Korea, 2023–2024"
    assert flows_.units == "Quantities in troops and containers"
    assert flows_.source == "Source: 6 facts of Aid flows, citing sources [1], [2] and [3]."
    assert flows_.section == "aid-flows"
    assert timeline_.title == "11 events, August 2023 – November 2024"
    assert timeline_.units is None
    assert timeline_.source == (
        "Source: 11 facts of Aid flows (6), Agreements (3) and Context (2), "
        "citing 7 sources (see Sources)."
    )
    assert timeline_.section is None  # it spans the briefing
    assert risks.title == "4 risks by likelihood and impact: 1 severe, 2 high and 1 moderate"
    # Sources by their numbers in the sources list: a title is written out once.
    assert risks.source == "Source: 4 facts of Risks, citing sources [3] and [6]."
    assert risks.section == "risks"
    for figure in figures.values():
        assert figure.title != FIGURES[figure.name].title  # never the generic name
        assert parsed(figure).find(f"{SVG}title").text == figure.title  # type: ignore[union-attr]


def test_draw_figures_numbers_the_figures_in_the_order_the_page_shows_them(
    example_view: BriefingView, built_example: Path
) -> None:
    # The timeline spans the briefing (after the key judgments); the others stand
    # with their sections, in the briefing's order.
    assert [(f.number, f.name, f.section) for f in example_view.figures] == [
        (1, "timeline", None),
        (2, "flows", "aid-flows"),
        (3, "risks", "risks"),
    ]
    html = (built_example / "output/ru-kp-exchange.html").read_text(encoding="utf-8")
    shown = re.findall(r'<span class="figure-number">Figure (\d+)\.</span>', html)
    assert shown == ["1", "2", "3"]


def test_the_source_line_counts_the_facts_and_never_prints_their_ids(tmp_path: Path) -> None:
    facts = [
        projects.fact(
            f"f{n}", f"Flow {n}", flow={"from": "RU", "to": "KP", "what": w, "category": "other"}
        )
        for n, w in enumerate(["fuel", "grain"])
    ]
    figure = flows.draw(
        view_of(projects.project(tmp_path, sheets={"main": projects.sheet(facts=facts)}))
    )
    assert figure is not None
    assert figure.source == "Source: 2 facts of Aid flows, citing source [1]."
    assert figure.units is None  # no quantity, no units line


def test_one_arrow_one_tick_or_one_risk_is_no_figure(tmp_path: Path) -> None:
    one_flow = projects.fact(
        "f", "A flow", flow={"from": "RU", "to": "KP", "what": "fuel", "category": "economic"}
    )
    one_risk = projects.fact(
        "r", "A risk", section="risks", risk={"likelihood": "likely", "impact": "high"}
    )
    view = view_of(
        projects.project(tmp_path, sheets={"main": projects.sheet(facts=[one_flow, one_risk])})
    )
    # One arrow, one risk, and one dated fact besides the risk: nothing to compare.
    assert [spec.draw(view) for spec in FIGURES.values()] == [None, None, None]
    assert view.figures == []
    two = [one_flow, {**one_flow, "id": "g", "date": "2023"}, one_risk, {**one_risk, "id": "s"}]
    view = view_of(projects.project(tmp_path / "two", sheets={"main": projects.sheet(facts=two)}))
    assert [f.name for f in view.figures] == ["flows", "timeline", "risks"]


def flow_labels(figure: Figure) -> list[str]:
    return [
        " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
        for g in parsed(figure).iter()
        if g.get("class") == "flow-label"
    ]


def test_a_flow_label_is_wrapped_never_cut(tmp_path: Path) -> None:
    what = "crude oil and refined petroleum products shipped through the port of Vostochny"
    facts = [
        projects.fact(
            "oil",
            "Oil",
            flow={
                "from": "RU",
                "to": "KP",
                "what": what,
                "category": "economic",
                "quantity": 108.5,
                "unit": "million tonnes in 2024 according to the ministry",
            },
        ),
        projects.fact(
            "fuel", "Fuel", flow={"from": "RU", "to": "KP", "what": "fuel", "category": "other"}
        ),
    ]
    figure = flows.draw(
        view_of(projects.project(tmp_path, sheets={"main": projects.sheet(facts=facts)}))
    )
    assert figure is not None
    labels = flow_labels(figure)
    assert f"{what} 108.5 million tonnes in 2024 according to the ministry" in labels
    assert not any("…" in label for label in labels)
    assert figure.units == "Quantities in million tonnes in 2024 according to the ministry"


def test_arrows_of_one_route_that_read_alike_are_told_apart(tmp_path: Path) -> None:
    view = view_of(outlier_project(tmp_path))
    figure = flows.draw(view)
    assert figure is not None
    labels = flow_labels(figure)
    assert len(labels) == len(set(labels)) == 4
    assert "artillery shells 14 May 2024" in labels
    assert "artillery shells February 2024" in labels
    # The same date twice: numbered in order.
    first = next(f for f in view.facts if f.kind == "flow")
    arrows = flows._arrows([first, first])
    assert [a.lines[-1] for a in arrows] == [f"{first.date} (1)", f"{first.date} (2)"]


def test_the_timeline_breaks_its_axis_for_a_fact_long_before_the_rest(tmp_path: Path) -> None:
    view = view_of(outlier_project(tmp_path))
    figure = timeline.draw(view)
    assert figure is not None
    assert figure.title == "5 events, February – November 2024, and 1 earlier (1999)"
    root = parsed(figure)
    assert len([g for g in root.iter() if g.get("class") == "timeline-break"]) == 1
    axis = texts(root, "timeline-axis")
    assert axis[:2] == ["1999", "Mar 2024"]  # then the months of 2024 alone
    marks = {
        anchor: _mark(root, anchor) for anchor in (f.anchor for f in view.facts if f.kind != "risk")
    }

    def left(e: ET.Element) -> float:
        if e.tag == f"{SVG}polygon":
            return min(float(p.split(",")[0]) for p in (e.get("points") or "").split())
        return float(e.get("x", "0"))

    treaty = left(marks["fact-treaty-1999"])
    others = sorted(left(m) for a, m in marks.items() if a != "fact-treaty-1999")
    plot = timeline.PLOT_RIGHT - timeline.PLOT_LEFT
    assert treaty < timeline.PLOT_LEFT + timeline.SLOT < others[0]
    # The facts of 2024 spread over most of the plot, not crushed at its right edge.
    assert others[-1] - others[0] > 0.6 * plot
    # No risk on the timeline, and no year-long stretch from 1999 to 2024.
    assert not [g for g in root.iter() if (g.get("data-fact") or "").startswith("fact-risk")]


def test_no_break_without_an_outlier(example_view: BriefingView) -> None:
    figure = timeline.draw(example_view)
    assert figure is not None
    assert not [g for g in parsed(figure).iter() if g.get("class") == "timeline-break"]


@pytest.mark.parametrize("early", ["{from: 0233-04-11, to: 1938-04-18}", "{from: 1900, to: 1950}"])
def test_an_early_fact_spanning_many_years_is_on_the_one_axis(tmp_path: Path, early: str) -> None:
    # Found by the fuzz: a piece of axis a year wide per year of such a fact left
    # the main run no room (exit 70). Its span is drawn with the rest instead.
    facts = [
        projects.fact("early", "An early range", date=early),
        projects.fact("late-1", "Late", date="9889-09-01"),
        projects.fact("late-2", "Later", date="9999"),
    ]
    view = view_of(projects.project(tmp_path, sheets={"main": projects.sheet(facts=facts)}))
    figure = timeline.draw(view)
    assert figure is not None
    assert figure.title.startswith("3 events, ")
    root = parsed(figure)
    assert not [g for g in root.iter() if g.get("class") == "timeline-break"]
    span = _mark(root, "fact-early")
    assert float(span.get("x", "0")) == pytest.approx(timeline.PLOT_LEFT, abs=1)
    # A gridline a year over centuries would print as a solid block: a few between labels.
    [axis] = [g for g in root.iter() if g.get("class") == "timeline-axis"]
    labels = [t for t in axis.iter(f"{SVG}text") if t.text]
    gridlines = list(axis.iter(f"{SVG}line"))
    assert len(labels) >= 2 and len(gridlines) <= 5 * (len(labels) + 1) + 1


def test_date_precision_is_drawn_as_precision_with_a_legend(tmp_path: Path) -> None:
    view = view_of(outlier_project(tmp_path))
    figure = timeline.draw(view)
    assert figure is not None
    root = parsed(figure)
    month, day, span = (_mark(root, f"fact-{n}") for n in ("flow-0", "flow-1", "talks"))
    assert month.get("class") == "timeline-vague" and month.get("fill-opacity") == "0.3"
    assert day.tag == f"{SVG}polygon"
    assert span.tag == f"{SVG}rect" and span.get("fill-opacity") is None  # a duration
    assert texts(root, "timeline-legend-item") == [
        "on a day",
        "from one date to another",
        "some time in a month or year",
    ]


def test_section_colours_follow_the_id_never_the_order(tmp_path: Path) -> None:
    ids = ["aid-flows", "agreements", "risks", "context"]
    colours = canvas.section_colours(ids)
    for order in itertools.permutations(ids):
        assert canvas.section_colours(order) == colours
    assert len(set(colours.values())) == len(ids)
    # Apart from the flow categories': a colour means one thing.
    assert not set(canvas.SECTION_PALETTE) & {colour for colour, _ in flows.STYLES.values()}

    def heading_colours(root: Path, order: list[str]) -> dict[str, str]:
        titles = {"risks": "Risks", "aid-flows": "Aid flows", "context": "Context"}
        facts = [
            projects.fact(f"{s}-{n}", f"{s} {n}", section=s, date=f"2024-0{n + 1}")
            for s in titles
            for n in range(2)
        ]
        made = projects.project(
            root,
            sections=[projects.section(s, titles[s]) for s in order],
            sheets={"main": projects.sheet(section_id=None, facts=facts)},
        )
        figure = timeline.draw(view_of(made))
        assert figure is not None
        return {
            g.get("data-section", ""): next(iter(g.iter(f"{SVG}rect"))).get("fill", "")
            for g in parsed(figure).iter()
            if g.get("class") == "timeline-section"
        }

    first = heading_colours(tmp_path / "a", ["aid-flows", "risks", "context"])
    second = heading_colours(tmp_path / "b", ["context", "aid-flows", "risks"])
    assert first == second and first["risks"] in canvas.SECTION_PALETTE


def test_each_figure_has_a_narrow_form_linking_every_mark(example_view: BriefingView) -> None:
    for spec in FIGURES.values():
        figure = spec.draw(example_view)
        assert figure is not None
        narrow = ET.fromstring(figure.narrow)  # well-formed: it goes into the page as it is
        hrefs = sorted({a.get("href") for a in narrow.iter("a")})
        assert hrefs == sorted({link.href for link in figure.links}), spec.name
        assert "figure-narrow" in (narrow.get("class") or "")
    risks = matrix.draw(example_view)
    assert risks is not None
    first = ET.fromstring(risks.narrow).find("li")
    assert first is not None and first.get("value") == "1"  # gravest first, as numbered
    assert "".join(first.itertext()).startswith("Severe impact, unlikely (20–45%): Russia")


# -- in the briefing -------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = figure_project(
        tmp_path_factory.mktemp("figs") / "p", 5, 12, risks=5, formats="html, pdf"
    )
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.slow
def test_the_page_shows_each_figure_with_links_onto_its_facts(built: Path) -> None:
    html = (built / "output/brief.html").read_text()
    for name in ("flows", "timeline", "risks"):
        assert re.search(
            f'<figure class="figure figure-{name}( has-narrow)?" id="figure-{name}"', html
        )
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    hrefs = re.findall(r'<a class="figure-link" href="#([^"]+)"', html)
    assert len(hrefs) == 12 + 12 + 5  # the timeline leaves the risks to the matrix
    assert set(hrefs) <= ids
    # Numbered in the order the page shows them.
    numbers = re.findall(r'<span class="figure-number">Figure (\d+)\.</span>', html)
    assert numbers == ["1", "2", "3"]


@pytest.mark.slow
def test_the_pdf_draws_figures_as_vectors_with_working_links(built: Path) -> None:
    from pypdf import PdfReader

    pdf = built / "output/brief.pdf"
    pdfimages = require_tool("pdfimages", "poppler-utils")
    listing = subprocess.run([pdfimages, "-list", pdf], capture_output=True, text=True, check=True)
    assert listing.stdout.strip().splitlines()[2:] == []  # a header, and no image at all
    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Flows between" in text and "5 risks by likelihood and impact" in text
    assert "Russia" in text  # the SVG's labels are text, not pictures of text
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                internal += 1
    assert internal >= 12 + 12 + 5  # every mark's link, besides the contents and citations


def test_figures_follow_the_briefings_choice(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    config = (root / "briefgen.yaml").read_text()
    subtitle = "    subtitle: Situation as reported in November 2024\n"
    for choice, shown in [
        ("[risks]", ["risks"]),
        ("[]", []),
        (None, ["flows", "risks", "timeline"]),
    ]:
        chosen = f"{subtitle}    figures: {choice}\n" if choice else subtitle
        (root / "briefgen.yaml").write_text(edit(config, subtitle, chosen))
        result = run("build", "--project", root, "--format", "html", MAIN)
        assert result.exit_code == 0, result.output
        html = (root / f"output/{MAIN}.html").read_text()
        assert sorted(re.findall(r'<figure class="figure figure-(\w+)[" ]', html)) == shown, choice


def test_the_word_document_keeps_the_key_to_numbered_marks(tmp_path: Path) -> None:
    import docx

    from briefgen.formats.docx import docx_bytes

    view = view_of(figure_project(tmp_path, 2, 2, risks=3))
    document = docx.Document(io.BytesIO(docx_bytes(view)))
    items = [p.text for p in document.paragraphs if p.style.name == "Numbered Item"]
    risks = matrix.draw(view)
    assert risks is not None and len(risks.key) == 3
    for entry in risks.key:
        assert f"{entry.mark}.\t{entry.text}" in items


def test_dot_is_found_on_the_path() -> None:
    assert shutil.which("dot") is not None, "Graphviz is a system dependency (scripts/system-deps)"
