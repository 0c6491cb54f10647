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


def draw_placed(view: BriefingView) -> Figure:
    # What a caption needs besides its title (issue 22), and the section it illustrates.
    return Figure(
        name="placed",
        title="Risks <rise>",
        svg='<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
        description="Nothing much.",
        units="Tonnes & containers",
        source="Facts 1 & 2 <of this briefing>",
        section="risks",
    )


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
    figure = re.search(r'<figure class="figure figure-count".*?</figure>', html, re.S)
    assert figure is not None
    assert figure.group() == (
        '<figure class="figure figure-count" id="figure-count" '
        'aria-labelledby="figure-count-caption">\n'
        '    <figcaption id="figure-count-caption"><span class="figure-number">Figure 1.</span> '
        "Facts &lt;by&gt; count</figcaption>\n"
        '    <div class="figure-scroll" role="region" tabindex="0" '
        'aria-labelledby="figure-count-caption">\n'
        '      <div class="figure-canvas">\n'
        '        <div class="figure-drawing" role="img" aria-labelledby="figure-count-caption" '
        'aria-describedby="figure-count-description">'
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10">'
        '<text x="0" y="9">1 &amp; more</text></svg></div>\n'
        "      </div>\n"
        "    </div>\n"
        '    <p class="visually-hidden figure-description" id="figure-count-description">'
        "1 facts, drawn as a &lt;number&gt;.</p>\n"
        "  </figure>"
    )
    # A figure with nothing to draw leaves no trace.
    assert "figure-empty" not in html
    # A figure for no section comes after the bottom line, before the sections.
    assert html.index('class="title-block"') < html.index('id="figure-count"')
    assert html.index('id="figure-count"') < html.index('id="section-aid-flows"')


@pytest.fixture
def placed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The two dummy figures and, after them, one placed with the Risks section."""
    monkeypatch.setitem(
        briefgen.figures.FIGURES,
        "placed",
        FigureSpec("placed", "Placed with its section", draw_placed),
    )


@pytest.mark.usefixtures("placed")
def test_a_figure_is_numbered_captioned_and_placed_with_its_section(tmp_path: Path) -> None:
    html = html_of(minimal_project(tmp_path, **{"briefgen.yaml": HTML_ONLY}))
    figure = re.search(r'<figure class="figure figure-placed".*?</figure>', html, re.S)
    assert figure is not None
    # Numbered in the order the briefing shows them, from 1; every text escaped.
    assert (
        '<figcaption id="figure-placed-caption"><span class="figure-number">Figure 2.</span> '
        "Risks &lt;rise&gt;</figcaption>\n"
        '    <p class="figure-units">Tonnes &amp; containers</p>\n'
    ) in figure.group()
    assert figure.group().endswith(
        '<p class="figure-source">Source: Facts 1 &amp; 2 &lt;of this briefing&gt;</p>\n  </figure>'
    )
    # Inside the section it illustrates: after its heading (and its first fact, if any).
    risks = html.index('id="section-risks"')
    assert html.index('id="section-aid-flows"') < risks < figure.start()
    end = html.index("</section>", risks)
    assert figure.end() < end
    assert html.count('id="figure-placed"') == 1


@pytest.mark.usefixtures("placed")
def test_a_figure_for_a_section_not_shown_comes_after_the_bottom_line(tmp_path: Path) -> None:
    config = HTML_ONLY + "    sections: [aid-flows]\n"
    html = html_of(minimal_project(tmp_path, **{"briefgen.yaml": config}))
    assert 'id="section-risks"' not in html
    assert html.index('class="title-block"') < html.index('id="figure-placed"')
    assert html.index('id="figure-placed"') < html.index('id="section-aid-flows"')


def test_figures_none_draws_none(tmp_path: Path) -> None:
    config = HTML_ONLY + "    figures: []\n"
    html = html_of(minimal_project(tmp_path, **{"briefgen.yaml": config}))
    assert "<figure" not in html
    assert 'id="figures"' not in html


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
