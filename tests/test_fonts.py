"""The theme's fonts for every script (fonts.py), shaping (shaping.py), the
no-glyph warning, and a source's `lang` and `translated_title` in the page."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from helpers import MINIMAL_SHEET, edit, minimal_project, run
from scripts_project import multilingual_project

from briefgen import fonts, shaping
from briefgen.build import BuildOptions, render_briefing, validate
from briefgen.errors import BuildError


def test_the_coverage_file_is_what_the_fonts_hold() -> None:
    """validate reads coverage.json instead of the fonts: it must say what they hold
    (regenerate it with `python -m briefgen.fonts` when a font changes)."""
    written = json.loads(fonts.COVERAGE_FILE.read_text(encoding="utf-8"))["families"]
    assert written == fonts.measure_coverage()
    assert set(written) == {face.family for face in fonts.FACES}


def test_each_script_has_its_family_in_both_stacks() -> None:
    samples = {"A": 0, "Ж": 0, "Ω": 0, "→": 1, "پ": 2, "ש": 3, "한": 4, "中": 4, "の": 4}
    for char, place in samples.items():
        assert fonts.family_for(char, fonts.SERIF) == fonts.SERIF[place], char
        assert fonts.family_for(char, fonts.SANS) == fonts.SANS[place], char
    assert fonts.family_for("ᚠ") is None
    assert fonts.unprintable("a ᚠ\u200cb\n") == [(2, "ᚠ")]


def test_the_stacks_in_the_css_are_the_stacks_in_fonts_py() -> None:
    theme = fonts.THEME_FONTS.parent
    for name in ("briefing.css", "print.css"):
        css = (theme / name).read_text(encoding="utf-8")
        assert fonts.css_stack(fonts.SERIF) in css, name
        assert fonts.css_stack(fonts.SANS) in css, name


def test_a_character_without_a_glyph_is_a_located_warning(tmp_path: Path) -> None:
    sheet = MINIMAL_SHEET.replace("title: A fact", "title: A fact in runes ᚠᚢ and ᚠ")
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    line = sheet.splitlines().index("    title: A fact in runes ᚠᚢ and ᚠ") + 1
    found = [str(p) for p in validate(root)[1] if p.code == "no-glyph"]
    assert found == [
        f"facts/main.yaml:{line}:28: warning: U+16A0 RUNIC LETTER FEHU FEOH FE F has no "
        "glyph in the theme's fonts; it would print blank (write it in a script the theme "
        "prints, or spell it out)",
        f"facts/main.yaml:{line}:29: warning: U+16A2 RUNIC LETTER URUZ UR U has no glyph in "
        "the theme's fonts; it would print blank (write it in a script the theme prints, "
        "or spell it out)",
    ]
    assert run("validate", "--project", root).exit_code == 0
    strict = run("validate", "--strict", "--project", root)
    assert strict.exit_code != 0
    assert f"facts/main.yaml:{line}:28: error: U+16A0" in strict.output


def test_every_script_of_the_desk_has_a_glyph(tmp_path: Path) -> None:
    root = multilingual_project(tmp_path)
    assert [p for p in validate(root)[1] if p.code == "no-glyph"] == []


def _html(root: Path) -> str:
    [(_, page)] = render_briefing(
        validate(root)[0], "scripts", BuildOptions(override_formats=("html",))
    )
    return page.decode()


def test_the_page_carries_the_faces_its_text_needs_and_no_others(tmp_path: Path) -> None:
    html = _html(multilingual_project(tmp_path))
    rules = re.findall(r'@font-face \{ font-family: "([^"]+)"; src: url\("([^"]+)"\)', html)
    families = {family for family, _ in rules}
    assert families == {
        "Noto Serif",
        "Noto Sans",
        "Noto Sans Symbols",
        "Noto Naskh Arabic",
        "Noto Sans Arabic",
        "Noto Serif CJK KR",
        "Noto Sans CJK KR",
    }  # no Hebrew in this project, so no Hebrew face
    for _, url in rules:
        assert url.startswith("data:font/woff2;base64,"), url[:40]
    # Each face is cut to the characters it prints: the Korean face has the Hangul.
    from fontTools.ttLib import TTFont

    [korean] = [url for family, url in rules if family == "Noto Sans CJK KR"][:1]
    font = TTFont(io.BytesIO(base64.b64decode(korean.split(",", 1)[1])))
    cmap = font.getBestCmap()
    assert all(ord(char) in cmap for char in "조선중앙통신")
    assert len(cmap) < 400, "subset to the characters used"
    assert ord("A") not in cmap, "Latin prints in Noto Sans, not the CJK face"


def test_a_source_title_keeps_its_language_and_shows_its_translation(tmp_path: Path) -> None:
    html = _html(multilingual_project(tmp_path))
    russian = (
        '<bdi lang="ru">Поставки снарядов из КНДР в Россию</bdi> '
        "[Shell deliveries from the DPRK to Russia]"
    )
    assert html.count(russian) == 1  # listed once; under the fact only its locator
    assert '<bdi lang="fa">گزارش خبرگزاری جمهوری اسلامی</bdi> [IRNA report]' in html
    assert '<html lang="en">' in html


def test_a_briefings_lang_is_the_documents(tmp_path: Path) -> None:
    root = multilingual_project(tmp_path)
    config = (root / "briefgen.yaml").read_text(encoding="utf-8")
    (root / "briefgen.yaml").write_text(
        edit(config, "    edition: 2024-11-25\n", "    edition: 2024-11-25\n    lang: ko\n"),
        encoding="utf-8",
    )
    assert '<html lang="ko">' in _html(root)


def test_a_missing_face_stops_the_build_naming_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tuple(
        fonts.Face(f.family, tmp_path / "gone.ttc", f.weight, f.style, f.index, f.package)
        if "CJK" in f.family
        else f
        for f in fonts.FACES
    )
    monkeypatch.setattr(fonts, "FACES", gone)
    fonts.subset.cache_clear()
    with pytest.raises(
        BuildError, match=r"gone\.ttc is missing .* install Debian's fonts-noto-cjk"
    ):
        _html(multilingual_project(tmp_path))


def test_a_latin_page_needs_no_system_face(tmp_path: Path) -> None:
    root = minimal_project(tmp_path)
    assert all(
        face.package is None
        for face in fonts.faces_for(root.joinpath("facts/main.yaml").read_text())
    )


def test_labels_are_measured_as_harfbuzz_shapes_them() -> None:
    """Persian is measured joined, in Noto Sans Arabic: narrower than its letters alone."""
    word = "پهپادهای"
    joined = shaping.text_width(word, 10)
    apart = sum(shaping.text_width(char, 10) for char in word)
    assert 0 < joined < apart
    assert list(shaping.runs("IRNA: ایران 조선")) == [
        ("Noto Sans", "IRNA: "),
        ("Noto Sans Arabic", "ایران "),
        ("Noto Sans CJK KR", "조선"),
    ]
    # Hangul syllables in the Korean face are 0.92 em: measured, not guessed as a full em.
    assert shaping.text_width("조선", 10) == pytest.approx(18.4)
    assert shaping.right_to_left("ایران (IRNA)")
    assert not shaping.right_to_left("IRNA (ایران)")


def test_word_names_the_families_for_each_script_and_the_title_language(
    tmp_path: Path,
) -> None:
    root = multilingual_project(tmp_path)
    [(_, data)] = render_briefing(
        validate(root)[0], "scripts", BuildOptions(override_formats=("docx",))
    )
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = package.read("word/styles.xml").decode()
        body = package.read("word/document.xml").decode()
    assert re.search(
        r'<w:rFonts w:ascii="Noto Serif" w:hAnsi="Noto Serif" '
        r'w:eastAsia="Noto Serif CJK KR" w:cs="Noto Naskh Arabic"/>',
        styles,
    )
    assert '<w:lang w:val="ru" w:eastAsia="ru" w:bidi="ru"/>' in body
    assert "Поставки снарядов из КНДР в Россию</w:t>" in body
    assert " [Shell deliveries from the DPRK to Russia]</w:t>" in body
