"""Every word of a project in every script the desk quotes prints (issue 21): found
in the PDF's text layer, with ink where it is found; in the theme's fonts only; the
same bytes on rebuild; the Word file opened by LibreOffice prints the Korean.
Slow: WeasyPrint, poppler and LibreOffice."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from helpers import require_tool, run
from scripts_project import PERSIAN_LABEL, WORDS, multilingual_project

from briefgen import fonts, shaping

pytestmark = pytest.mark.slow

THEME_FAMILIES = {
    face.family.replace(" ", "-") for face in fonts.FACES
}  # pdffonts names a face Family-Style: Noto-Sans-CJK-KR-Bold


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = multilingual_project(tmp_path_factory.mktemp("scripts"))
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root / "output"


def _tool(*args: str | Path) -> str:
    require_tool(str(args[0]), "poppler-utils")
    done = subprocess.run([str(a) for a in args], capture_output=True, check=True)
    return done.stdout.decode("utf-8", errors="replace")


def _words(pdf: Path) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """Every word pdftotext finds: its page, text and box (points)."""
    out = []
    page = 0
    for line in _tool("pdftotext", "-bbox", pdf, "-").splitlines():
        if line.strip().startswith("<page"):
            page += 1
        found = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if found:
            box = tuple(float(found.group(i)) for i in range(1, 5))
            out.append((page, found.group(5), (box[0], box[1], box[2], box[3])))
    return out


def _ink(pdf: Path, page: int, box: tuple[float, float, float, float]) -> int:
    """Dark pixels in `box` of `page`, rendered at 150 dpi as greyscale."""
    scale = 150 / 72
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    pgm = subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "150",
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            str(x0),
            "-y",
            str(y0),
            "-W",
            str(max(1, x1 - x0)),
            "-H",
            str(max(1, y1 - y0)),
            str(pdf),
        ],
        capture_output=True,
        check=True,
    ).stdout
    # A binary PGM: "P5\n<w> <h>\n255\n" and then one byte a pixel.
    header = pgm.split(b"\n", 3)
    return sum(1 for value in header[3] if value < 128)


def test_every_word_has_ink_where_the_text_layer_puts_it(built: Path) -> None:
    pdf = built / "scripts.pdf"
    words = _words(pdf)
    found = " ".join(text for _, text, _ in words)
    for language, expected in WORDS.items():
        for word in expected:
            # pdftotext -bbox writes a right-to-left word in the order it is printed.
            spelt = word[::-1] if language in ("fa", "ar") else word
            assert spelt in found, f"{language}: {word} is not in the PDF's text"
    # Text alternatives (.visually-hidden) are in the text layer but clipped from the
    # page, so each word must have ink where at least one occurrence is found.
    inked = {text for page, text, box in words if _ink(pdf, page, box) > 0}
    for language, expected in WORDS.items():
        for word in expected:
            spelt = word[::-1] if language in ("fa", "ar") else word
            assert any(spelt in text for text in inked), f"{language}: {word} prints nothing"


def test_the_pdf_embeds_only_the_themes_families_subset(built: Path) -> None:
    listing = _tool("pdffonts", built / "scripts.pdf").splitlines()[2:]
    names = set()
    for row in listing:
        name, *_, emb, sub, _uni, _obj, _gen = row.split()
        assert (emb, sub) == ("yes", "yes"), row
        names.add(re.sub(r"-(Bold|Italic|BoldItalic)$", "", name.split("+", 1)[1]))
    assert names <= THEME_FAMILIES, names - THEME_FAMILIES
    assert {"Noto-Sans-CJK-KR", "Noto-Naskh-Arabic", "Noto-Sans-Arabic"} <= names


def _figure_glyphs(pdf: Path) -> list[list[tuple[str, list[int]]]]:
    """The glyphs each figure of `pdf` shows (its /Figure marked content, in page
    order), as runs of (family and weight, glyph ids in the order printed)."""
    reader = pypdf.PdfReader(pdf)
    figures: dict[tuple[int, int], list[tuple[str, list[int]]]] = {}
    for number, page in enumerate(reader.pages):
        names = {
            key: str(ref.get_object()["/BaseFont"]).split("+", 1)[1]
            for key, ref in page["/Resources"]["/Font"].items()
        }
        marks: list[tuple[int, int] | None] = []
        font = ""
        for operands, operator in pypdf.generic.ContentStream(
            page.get_contents(), reader
        ).operations:
            if operator == b"BDC":
                figure = operands[0] == "/Figure"
                marks.append((number, int(operands[1]["/MCID"])) if figure else None)
            elif operator == b"BMC":
                marks.append(None)
            elif operator == b"EMC" and marks:
                marks.pop()
            elif operator == b"Tf":
                font = names[operands[0]]
            elif operator in (b"Tj", b"TJ") and marks and marks[-1] is not None:
                shown = operands[0] if operator == b"TJ" else [operands[0]]
                data = b"".join(
                    getattr(part, "original_bytes", part)
                    for part in shown
                    if isinstance(
                        part, (pypdf.generic.ByteStringObject, pypdf.generic.TextStringObject)
                    )
                )  # Identity-H: two bytes a glyph id
                ids = [int.from_bytes(data[at : at + 2], "big") for at in range(0, len(data), 2)]
                figures.setdefault(marks[-1], []).append((font, ids))
    return list(figures.values())


def _harfbuzz(text: str, bold: bool = False) -> tuple[str, list[int]]:
    """`text` (one run of one family) as HarfBuzz shapes it in the theme's face: the
    PDF's font name for that face, and its glyph ids left to right."""
    glyphs = shaping.glyph_run(text, bold)
    [family] = {family for family, _ in shaping.runs(text) if family}
    return family.replace(" ", "-") + ("-Bold" if bold else ""), [gid for _, gid in glyphs]


def test_persian_in_the_figures_prints_in_harfbuzzs_glyph_order(built: Path) -> None:
    """The flow label, the actor box and the timeline row print the glyphs HarfBuzz
    gives for the same text in the same face, in its order: joined forms, right to
    left, not separate letters reversed (WeasyPrint's letter-by-letter SVG text).
    WeasyPrint keeps the face's glyph ids when it subsets, so they compare as is."""
    label = _harfbuzz(PERSIAN_LABEL)
    # The word is joined: it has glyphs (initial, medial, final forms) that none of
    # its letters has alone.
    letters = {_harfbuzz(char)[1][0] for char in PERSIAN_LABEL if not char.isspace()}
    assert len(set(label[1]) - letters) >= 4, (label, letters)
    figures = [
        runs
        for runs in _figure_glyphs(built / "scripts.pdf")
        if any("Arabic" in f for f, _ in runs)
    ]
    assert len(figures) == 2, figures  # the flow diagram, then the timeline
    flows, timeline = figures
    assert label in flows, flows
    assert _harfbuzz("ایران", bold=True) in flows, flows  # the actor's box
    assert _harfbuzz("ایران") in timeline, timeline  # the row "ایران reports shipments"


def test_the_pdf_is_the_same_on_rebuild(built: Path, tmp_path: Path) -> None:
    again = multilingual_project(tmp_path)
    assert run("build", "--project", again).exit_code == 0
    assert (again / "output/scripts.pdf").read_bytes() == (built / "scripts.pdf").read_bytes()


def test_libreoffice_opens_the_docx_and_prints_the_korean(built: Path, tmp_path: Path) -> None:
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(built / "scripts.docx"),
        ],
        capture_output=True,
        check=True,
        timeout=240,
    )
    text = _tool("pdftotext", tmp_path / "scripts.pdf", "-")
    for word in WORDS["ko"]:
        assert word in text, word
    pdf = tmp_path / "scripts.pdf"
    words = [(page, box) for page, text, box in _words(pdf) if "조선중앙통신" in text]
    assert words and all(_ink(pdf, page, box) > 0 for page, box in words)
