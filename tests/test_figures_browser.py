"""The figures as Chromium lays them out, at desktop and phone width, for generated
projects of 2, 5 and 10 actors and up to 30 flows: no label runs into another
label, a box or an arrow, none leaves its figure, and every mark links to its
fact. One browser for the module; each project is built once, as HTML only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from figure_projects import figure_project
from helpers import chromium, copy_example, run

pytestmark = pytest.mark.slow

# A desktop, and the narrowest screen that shows the drawings (screen.css: a phone,
# under 32rem, gets each figure's list form instead).
WIDTHS = (1280, 540)
# (actors, flows, risks): the smallest, a middling and the busiest diagram the issue
# asks to stay legible, the last numbered with a key.
PROJECTS = [(2, 6, 3), (5, 15, 8), (10, 30, 20)]

MEASURE = """() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const user = (e) => ({x: +e.getAttribute('x'), y: +e.getAttribute('y'),
    w: +e.getAttribute('width'), h: +e.getAttribute('height')});
  return [...document.querySelectorAll('figure.figure')].map(figure => {
    const svg = figure.querySelector('svg');
    const canvas = figure.querySelector('.figure-canvas');
    const arrows = [...svg.querySelectorAll('path.flow-arrow')].map(p => {
      const length = p.getTotalLength(), points = [];
      for (let at = 0; at <= length; at += 1.5) {
        const q = p.getPointAtLength(at); points.push([q.x, q.y]);
      }
      return points;
    });
    const heads = [...svg.querySelectorAll('.flow-arrows polygon')].map(
      p => p.getAttribute('points').split(' ').map(xy => xy.split(',').map(Number)));
    return {
      name: figure.id,
      svg: box(svg),
      scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
      canvas: box(canvas),
      texts: [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, ...box(t)})),
      labels: [...svg.querySelectorAll('.flow-label rect')].map(user),
      labelTexts: [...svg.querySelectorAll('.flow-label')].map(
        g => [...g.querySelectorAll('text')].map(box).concat([box(g.querySelector('rect'))])),
      nodes: [...svg.querySelectorAll('.flow-actor rect')].map(user),
      nodeBoxes: [...svg.querySelectorAll('.flow-actor rect')].map(box),
      labelBoxes: [...svg.querySelectorAll('.flow-label rect')].map(box),
      arrows, heads,
      badges: [...svg.querySelectorAll('.matrix-risk circle')].map(box),
      rows: svg.querySelectorAll('.timeline-fact').length,
      links: [...figure.querySelectorAll('a.figure-link')].map(a => ({
        href: a.getAttribute('href'), ...box(a),
        target: !!document.getElementById(a.getAttribute('href').slice(1)),
      })),
      key: [...figure.querySelectorAll('.figure-key a')].map(a => ({
        href: a.getAttribute('href'),
        target: !!document.getElementById(a.getAttribute('href').slice(1)),
      })),
    };
  });
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int, int], Path]:
    built = {}
    for actors, flows, risks in PROJECTS:
        root = tmp_path_factory.mktemp(f"a{actors}") / "project"
        # Flows, risks, and no more than the timeline can hold.
        figure_project(root, actors, flows, risks=min(risks, 40 - flows), seed=actors)
        result = run("build", "--project", root)
        assert result.exit_code == 0, result.output
        built[(actors, flows, risks)] = root / "output/brief.html"
    return built


def overlap(a: dict[str, float], b: dict[str, float], slack: float = 0.5) -> bool:
    return (
        a["x"] + slack < b["x"] + b["w"]
        and b["x"] + slack < a["x"] + a["w"]
        and a["y"] + slack < b["y"] + b["h"]
        and b["y"] + slack < a["y"] + a["h"]
    )


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 0.5) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + slack
        and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + slack
    )


def within(point: list[float], box: dict[str, float], slack: float = 0.75) -> bool:
    x, y = point
    return (
        box["x"] + slack < x < box["x"] + box["w"] - slack
        and box["y"] + slack < y < box["y"] + box["h"] - slack
    )


def test_no_label_collides_and_every_mark_links_to_its_fact(
    browser: Any, pages: dict[tuple[int, int, int], Path]
) -> None:
    for (actors, flows, risks), path in pages.items():
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.goto(path.as_uri())
            where = f"{actors} actors, {flows} flows at {width}px"
            figures = {f["name"]: f for f in page.evaluate(MEASURE)}
            assert sorted(figures) == ["figure-flows", "figure-risks", "figure-timeline"], where
            for name, figure in figures.items():
                here = f"{name}, {where}"
                # Shrunk no further than three quarters: a narrower screen scrolls it.
                assert figure["scale"] >= 0.74, here
                texts = figure["texts"]
                for index, text in enumerate(texts):
                    assert inside(text, figure["svg"]), f"{here}: {text['text']!r} leaves it"
                    for other in texts[index + 1 :]:
                        assert not overlap(text, other), (
                            f"{here}: {text['text']!r}, {other['text']!r}"
                        )
                for link in figure["links"] + figure["key"]:
                    assert link["target"], f"{here}: {link['href']} leads nowhere"
                for link in figure["links"]:
                    assert inside(link, figure["canvas"]), here
                    assert link["w"] > 0 and link["h"] > 0
                assert page.evaluate("document.documentElement.scrollWidth") <= width, here

            diagram = figures["figure-flows"]
            here = f"flows, {where}"
            assert len(diagram["arrows"]) == len(diagram["labels"]) == flows, here
            boxes = diagram["labelBoxes"] + diagram["nodeBoxes"]
            for index, box in enumerate(boxes):
                assert inside(box, diagram["svg"]), here
                for other in boxes[index + 1 :]:
                    assert not overlap(box, other), f"{here}: two boxes overlap"
            for texts_and_box in diagram["labelTexts"]:
                *lines, box = texts_and_box
                assert all(inside(line, box, slack=1) for line in lines), here
            # No arrow runs through a label or an actor other than at its own ends.
            for number, points in enumerate(diagram["arrows"], start=1):
                for label in diagram["labels"]:
                    hits = [p for p in points if within(p, label)]
                    assert not hits, f"{here}: arrow {number} crosses a label at {hits[0]}"
                for node in diagram["nodes"]:
                    middle = points[3:-3]  # an arrow starts and ends at a box's edge
                    assert not [p for p in middle if within(p, node, slack=2)], here
            for corners in diagram["heads"]:
                for label in diagram["labels"]:
                    assert not [p for p in corners if within(p, label)], here
            assert len(diagram["links"]) == flows, here

            matrix = figures["figure-risks"]
            expected = min(risks, 40 - flows)
            assert len(matrix["badges"]) == len(matrix["key"]) == expected, where
            assert len(matrix["links"]) == expected, where
            for badge in matrix["badges"]:
                assert any(inside(badge, link, slack=1) for link in matrix["links"]), where
            # The risks are left to the matrix.
            assert figures["figure-timeline"]["rows"] == flows, where
            assert len(figures["figure-timeline"]["links"]) == flows, where
            context.close()


def test_the_figures_of_the_example_read_on_a_phone(browser: Any, built_example: Path) -> None:
    """The example's figures on a small tablet (above the phone width, where each
    figure's list form stands in): the drawing scrolls inside itself (never the
    page), and a reader can reach it with the keyboard to scroll it."""
    context = browser.new_context(viewport={"width": 540, "height": 800})
    page = context.new_page()
    page.goto((built_example / "output/ru-kp-exchange.html").as_uri())
    for name in ("flows", "timeline", "risks"):
        region = page.locator(f"#figure-{name} .figure-scroll")
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
    assert page.evaluate("document.documentElement.scrollWidth") <= 540
    # A drawing wider than its box scrolls inside it, never the page.
    overflow = page.evaluate(
        "[...document.querySelectorAll('.figure-scroll')].map(e => getComputedStyle(e).overflowX)"
    )
    assert overflow == ["auto"] * 3
    context.close()


# Which of each figure's two forms the page displays.
SHOWN = """() => [...document.querySelectorAll('figure.figure')].map(f => ({
  name: f.id.replace('figure-', ''),
  drawing: getComputedStyle(f.querySelector('.figure-scroll')).display !== 'none',
  narrow: getComputedStyle(f.querySelector('.figure-narrow-form')).display !== 'none',
}))"""
# The texts of each narrow form: where they sit and how large.
NARROW = """() => [...document.querySelectorAll('.figure-narrow')].map(form => ({
  name: form.className,
  texts: [...form.querySelectorAll('*')].filter(
    e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
  ).map(e => { const r = e.getBoundingClientRect();
    return {text: e.textContent.trim().slice(0, 40), left: r.left, right: r.right,
      size: parseFloat(getComputedStyle(e).fontSize)}; }),
}))"""


def test_on_a_phone_each_figure_has_a_form_whole_and_readable(browser: Any, tmp_path: Path) -> None:
    """At 390 px the drawings' text would shrink below 10 px: the built page shows each
    figure's narrow form (Figure.narrow) in place of its drawing, with every text inside
    the viewport and at 10 px or more; at desktop width the drawing, not the list."""
    from figure_projects import outlier_project

    projects = [
        (copy_example(tmp_path / "example"), "ru-kp-exchange"),
        (outlier_project(tmp_path / "outlier"), "brief"),
    ]
    for project, briefing in projects:
        result = run("build", briefing, "--project", project, "--format", "html")
        assert result.exit_code == 0, result.output
        page_uri = (project / f"output/{briefing}.html").as_uri()
        for width, narrow_shown in ((390, True), (1200, False)):
            context = browser.new_context(viewport={"width": width, "height": 844})
            page = context.new_page()
            page.goto(page_uri)
            shown = sorted(page.evaluate(SHOWN), key=lambda figure: figure["name"])
            assert shown == [
                {"name": name, "drawing": not narrow_shown, "narrow": narrow_shown}
                for name in ("flows", "risks", "timeline")
            ], (briefing, width)
            if narrow_shown:
                forms = page.evaluate(NARROW)
                assert len(forms) == 3, briefing
                for form in forms:
                    assert form["texts"], form["name"]
                    for text in form["texts"]:
                        assert text["size"] >= 10, (briefing, form["name"], text)
                        assert text["left"] >= 0 and text["right"] <= 390, (briefing, text)
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, briefing
            context.close()
