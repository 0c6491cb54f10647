"""The multilingual project's HTML in Chromium (issue 21): the page's fonts are the
ones it carries (its @font-face rules, data: URLs), loaded, and they are what the
browser prints the Persian and Korean with, not faces of the machine. Slow: Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import CHROMIUM_ARGS, require_tool
from scripts_project import PERSIAN_LABEL, multilingual_project

from briefgen.build import BuildOptions, render_briefing, validate

pytestmark = pytest.mark.slow

FONTS = """async () => {
  await document.fonts.ready;
  const rules = [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
    .filter(rule => rule instanceof CSSFontFaceRule)
    .map(rule => ({family: rule.style.getPropertyValue('font-family').replace(/"/g, ''),
                   src: rule.style.getPropertyValue('src').slice(0, 40)}));
  return {
    faces: [...document.fonts].map(f => ({family: f.family.replace(/"/g, ''), status: f.status})),
    rules,
    fetched: performance.getEntriesByType('resource').map(e => e.name),
  };
}"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = multilingual_project(tmp_path_factory.mktemp("scripts"))
    [(_, html)] = render_briefing(
        validate(root)[0], "scripts", BuildOptions(override_formats=("html",))
    )
    path = root / "scripts.html"
    path.write_bytes(html)
    chromium = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        opened = browser.new_page(viewport={"width": 1280, "height": 900})
        opened.goto(path.as_uri())
        yield opened
        browser.close()


def test_the_fonts_are_loaded_from_the_file_itself(page: Any) -> None:
    found = page.evaluate(FONTS)
    # Every face the page declares is carried in it, as a data: URL ...
    assert found["rules"], "no @font-face rule"
    for rule in found["rules"]:
        assert rule["src"].startswith('url("data:font/woff2;base64,'), rule
    # ... and the faces for the scripts on the page are loaded from them: a FontFace
    # in document.fonts exists only for a rule, never for a system font.
    loaded = {face["family"] for face in found["faces"] if face["status"] == "loaded"}
    assert {
        "Noto Serif",
        "Noto Sans",
        "Noto Naskh Arabic",
        "Noto Sans Arabic",
        "Noto Serif CJK KR",
        "Noto Sans CJK KR",
    } <= loaded, loaded
    assert loaded <= {rule["family"] for rule in found["rules"]}
    assert found["fetched"] == [], "the page fetched something besides itself"


def _platform_fonts(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium printed the text of the first `selector` with (DevTools)."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    document = session.send("DOM.getDocument", {"depth": -1})
    node = session.send(
        "DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector}
    )
    assert node["nodeId"], selector
    fonts: list[dict[str, Any]] = session.send(
        "CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}
    )["fonts"]
    return fonts


def test_the_persian_label_and_korean_actor_print_in_the_pages_own_faces(page: Any) -> None:
    label = page.locator("#figure-flows text", has_text=PERSIAN_LABEL).first
    label.evaluate("(e) => e.setAttribute('data-probe', 'label')")
    printed = _platform_fonts(page, "[data-probe=label]")
    # Its twelve letters in the page's Persian face; the space, Noto Sans's, first in
    # the stack.
    glyphs = {f["familyName"]: f["glyphCount"] for f in printed}
    assert glyphs == {"Noto Sans Arabic": len(PERSIAN_LABEL.replace(" ", "")), "Noto Sans": 1}
    assert all(f["isCustomFont"] for f in printed), printed
    korean = page.locator("#figure-flows text", has_text="조선민주주의인민공화국").first
    korean.evaluate("(e) => e.setAttribute('data-probe', 'korean')")
    printed = _platform_fonts(page, "[data-probe=korean]")
    assert ("Noto Sans CJK KR", True) in [(f["familyName"], f["isCustomFont"]) for f in printed]
    assert all(f["isCustomFont"] for f in printed), printed
