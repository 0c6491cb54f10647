"""The home of figures: a figure registered in figures.FIGURES is drawn at assembly,
as the briefing's `figures:` asks, and shown in the theme's slot with its text
alternative. Dummy figures here; the real ones have their own tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, minimal_project, problems_in

import briefgen.figures
from briefgen.assemble import BriefingView
from briefgen.build import build
from briefgen.figures import Figure, FigureSpec

HTML_ONLY = MINIMAL_CONFIG + "    formats: [html]\n"


def draw_count(view: BriefingView) -> Figure:
    # Fact text reaches a figure as data: the drawing code escapes it.
    return Figure(
        name="count",
        title="Facts <by> count",
        svg=f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10">'
        f'<text x="0" y="9">{len(view.facts)} &amp; more</text></svg>',
        description=f"{len(view.facts)} facts, drawn as a <number>.",
    )


def draw_nothing(view: BriefingView) -> None:
    return None


@pytest.fixture(autouse=True)
def dummy_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        briefgen.figures,
        "FIGURES",
        {
            "count": FigureSpec("count", "Facts by count", draw_count),
            "empty": FigureSpec("empty", "Nothing to draw", draw_nothing),
        },
    )


def html_of(root: Path) -> str:
    build(root)
    return (root / "output/brief.html").read_text()


def test_a_registered_figure_appears_in_its_slot(tmp_path: Path) -> None:
    html = html_of(minimal_project(tmp_path, **{"briefgen.yaml": HTML_ONLY}))
    assert '<li><a href="#figures">Figures</a></li>' in html
    figure = re.search(r'<figure class="figure figure-count".*?</figure>', html, re.S)
    assert figure is not None
    assert figure.group() == (
        '<figure class="figure figure-count" id="figure-count" '
        'aria-labelledby="figure-count-caption">\n'
        '    <figcaption id="figure-count-caption">Facts &lt;by&gt; count</figcaption>\n'
        '    <div class="figure-scroll" role="region" tabindex="0" '
        'aria-labelledby="figure-count-caption">\n'
        '      <div class="figure-canvas">\n'
        '        <div class="figure-drawing" role="img" aria-labelledby="figure-count-caption" '
        'aria-describedby="figure-count-description">'
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10">'
        '<text x="0" y="9">1 &amp; more</text></svg></div>\n'
        "      </div>\n"
        "    </div>\n"
        '    <p class="visually-hidden" id="figure-count-description">'
        "1 facts, drawn as a &lt;number&gt;.</p>\n"
        "  </figure>"
    )
    # A figure with nothing to draw leaves no trace.
    assert "figure-empty" not in html


def test_figures_none_draws_none(tmp_path: Path) -> None:
    config = HTML_ONLY + "    figures: []\n"
    html = html_of(minimal_project(tmp_path, **{"briefgen.yaml": config}))
    assert "<figure" not in html
    assert 'href="#figures"' not in html


def test_figures_names_the_ones_to_draw(tmp_path: Path) -> None:
    config = HTML_ONLY + "    figures: [empty]\n"
    html = html_of(minimal_project(tmp_path, **{"briefgen.yaml": config}))
    assert "<figure" not in html  # count was not asked for, and empty has no data


def test_an_unknown_figure_is_a_located_error(tmp_path: Path) -> None:
    config = HTML_ONLY + "    figures: [count, cuont, sankey]\n"
    assert problems_in(minimal_project(tmp_path, **{"briefgen.yaml": config})) == [
        "briefgen.yaml:11:22: error: 'cuont' is not a valid figure (did you mean 'count'?)",
        "briefgen.yaml:11:29: error: 'sankey' is not a valid figure "
        "(expected one of count and empty)",
    ]
