"""The theme's fonts, for every script a briefing quotes: which face prints which
character, where each face's file is, and each face subset to a document's text.

The theme carries Noto Serif and Noto Sans (Latin, Greek, Cyrillic) and Noto Sans
Symbols. The faces for Arabic script, Hebrew and Hangul/Han/kana are too large to
carry in the package (Noto's CJK faces are 20-27 MB each), so the theme names them
at the fixed paths where Debian's `fonts-noto-core` and `fonts-noto-cjk` put them
(`scripts/system-deps --build` installs both). Nothing else ever prints: a face the
text needs that is not installed stops the build, naming its package, rather than
letting the machine's fonts stand in (another machine, another PDF).

Which characters each family has is precomputed in `fonts/coverage.json`
(`python -m briefgen.fonts`, checked by tests/test_fonts.py), so `validate` can
warn about a character no face has without opening a font. fontTools is imported
only by the functions that subset.
"""

from __future__ import annotations

import base64
import bisect
import functools
import io
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

THEME_FONTS = next(
    path
    for path in (
        Path(__file__).parent / "theme" / "fonts",  # installed
        Path(__file__).parent.parent / "templates" / "fonts",  # a source checkout
    )
    if path.is_dir()
)
COVERAGE_FILE = THEME_FONTS / "coverage.json"
_NOTO_TTF = Path("/usr/share/fonts/truetype/noto")
_NOTO_OTF = Path("/usr/share/fonts/opentype/noto")
_CORE = "fonts-noto-core"
_CJK = "fonts-noto-cjk"
# Noto's CJK collections hold one face per region (JP, KR, SC, TC, HK); all cover
# Hangul, Han and kana, and `lang` selects the region's forms (the `locl` feature).
# The Korean face is the default: the desk's sources are mostly Korean.
_CJK_KR = 1


@dataclass(frozen=True)
class Face:
    """One font file (or one face of a collection) under a CSS family name."""

    family: str
    path: Path
    weight: int = 400
    style: str = "normal"
    index: int = 0  # the face in a collection (.ttc)
    package: str | None = None  # the Debian package that installs it; None: the theme's

    @property
    def name(self) -> str:
        """A name for this face alone: its file, and its index in a collection."""
        return self.path.stem + (f"-{self.index}" if self.path.suffix == ".ttc" else "")


def _theme(family: str, file: str, weight: int = 400, style: str = "normal") -> Face:
    return Face(family, THEME_FONTS / file, weight, style)


def _system(family: str, file: str, weight: int, package: str, index: int = 0) -> Face:
    folder = _NOTO_OTF if file.endswith(".ttc") else _NOTO_TTF
    return Face(family, folder / file, weight, index=index, package=package)


# Every face the theme prints with, its own first.
FACES: tuple[Face, ...] = (
    _theme("Noto Serif", "NotoSerif-Regular.ttf"),
    _theme("Noto Serif", "NotoSerif-Italic.ttf", style="italic"),
    _theme("Noto Serif", "NotoSerif-Bold.ttf", 700),
    _theme("Noto Serif", "NotoSerif-BoldItalic.ttf", 700, "italic"),
    _theme("Noto Sans", "NotoSans-Regular.ttf"),
    _theme("Noto Sans", "NotoSans-Bold.ttf", 700),
    _theme("Noto Sans Symbols", "NotoSansSymbols-Regular.ttf"),
    _theme("Noto Sans Symbols", "NotoSansSymbols-Bold.ttf", 700),
    _system("Noto Naskh Arabic", "NotoNaskhArabic-Regular.ttf", 400, _CORE),
    _system("Noto Naskh Arabic", "NotoNaskhArabic-Bold.ttf", 700, _CORE),
    _system("Noto Sans Arabic", "NotoSansArabic-Regular.ttf", 400, _CORE),
    _system("Noto Sans Arabic", "NotoSansArabic-Bold.ttf", 700, _CORE),
    _system("Noto Serif Hebrew", "NotoSerifHebrew-Regular.ttf", 400, _CORE),
    _system("Noto Serif Hebrew", "NotoSerifHebrew-Bold.ttf", 700, _CORE),
    _system("Noto Sans Hebrew", "NotoSansHebrew-Regular.ttf", 400, _CORE),
    _system("Noto Sans Hebrew", "NotoSansHebrew-Bold.ttf", 700, _CORE),
    _system("Noto Serif CJK KR", "NotoSerifCJK-Regular.ttc", 400, _CJK, _CJK_KR),
    _system("Noto Serif CJK KR", "NotoSerifCJK-Bold.ttc", 700, _CJK, _CJK_KR),
    _system("Noto Sans CJK KR", "NotoSansCJK-Regular.ttc", 400, _CJK, _CJK_KR),
    _system("Noto Sans CJK KR", "NotoSansCJK-Bold.ttc", 700, _CJK, _CJK_KR),
)

# The two stacks, each family matched to its Latin neighbour: Naskh and the serif
# CJK beside Noto Serif, the sans faces beside Noto Sans. The first family that
# has a character prints it (so the theme's arrows come from Noto Sans Symbols,
# not the CJK faces, which have them too); there is nothing after the last.
SERIF = (
    "Noto Serif",
    "Noto Sans Symbols",
    "Noto Naskh Arabic",
    "Noto Serif Hebrew",
    "Noto Serif CJK KR",
)
SANS = (
    "Noto Sans",
    "Noto Sans Symbols",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans CJK KR",
)

# Characters that print nothing by design (line breaks, joiners, direction marks).
_UNPRINTED = frozenset({"Cc", "Cf", "Zl", "Zp"})


def css_stack(families: Iterable[str]) -> str:
    """A CSS font-family value naming `families`, quoted."""
    return ", ".join(f'"{family}"' for family in families)


@functools.cache
def coverage() -> dict[str, tuple[tuple[int, int], ...]]:
    """Each family's characters as sorted, inclusive code point ranges
    (from fonts/coverage.json, so no font is opened)."""
    data = json.loads(COVERAGE_FILE.read_text(encoding="utf-8"))
    return {
        family: tuple((start, end) for start, end in ranges)
        for family, ranges in data["families"].items()
    }


@functools.cache
def _starts(family: str) -> tuple[list[int], tuple[tuple[int, int], ...]]:
    ranges = coverage()[family]
    return [start for start, _ in ranges], ranges


def has_glyph(family: str, code: int) -> bool:
    """Whether `family` has a glyph for the code point `code`."""
    starts, ranges = _starts(family)
    at = bisect.bisect_right(starts, code) - 1
    return at >= 0 and ranges[at][0] <= code <= ranges[at][1]


def family_for(char: str, stack: tuple[str, ...] = SANS) -> str | None:
    """The family of `stack` that prints `char`: the first that has it."""
    code = ord(char)
    return next((family for family in stack if has_glyph(family, code)), None)


def unprintable(text: str) -> list[tuple[int, str]]:
    """Each character of `text` that no family of the theme has, with its index:
    it would print blank (or, worse, in some font of the machine)."""
    out = []
    families = tuple(coverage())
    for index, char in enumerate(text):
        if char.isascii() and char.isprintable():
            continue
        if unicodedata.category(char) in _UNPRINTED:
            continue
        if not any(has_glyph(family, ord(char)) for family in families):
            out.append((index, char))
    return out


def describe(char: str) -> str:
    """`U+16A0 RUNIC LETTER FEHU`: a code point and its Unicode name."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"


def printed_by(text: str) -> dict[str, frozenset[int]]:
    """Each family of the two stacks that prints some character of `text`, with the
    characters it prints: those no family before it in a stack has."""
    out: dict[str, set[int]] = {}
    for char in set(text):
        for stack in (SERIF, SANS):
            family = family_for(char, stack)
            if family is not None:
                out.setdefault(family, set()).add(ord(char))
    return {family: frozenset(codes) for family, codes in out.items()}


def faces_for(text: str) -> list[Face]:
    """The faces that print some character of `text` (every weight and style of a
    family used, as the page may set the text in any)."""
    used = printed_by(text)
    return [face for face in FACES if face.family in used]


def require(faces: Iterable[Face]) -> None:
    """Stop the build if a face the text needs is not installed: the machine's own
    fonts must never stand in for the theme's."""
    missing = [face for face in faces if not face.path.is_file()]
    if missing:
        packages = sorted({face.package or "briefgen's theme" for face in missing})
        raise BuildError(
            f"the theme's font {missing[0].path} is missing (family {missing[0].family}); "
            f"install Debian's {' and '.join(packages)}: run scripts/system-deps --build"
        )


# Every subset carries the whole of printable ASCII (95 characters, a few kilobytes
# a face): most briefings then ask for the same subsets, made once per process.
_ASCII = frozenset(range(0x20, 0x7F))


def rounded(codes: frozenset[int]) -> frozenset[int]:
    """`codes` with the rest of printable ASCII. A face takes about 0.15 s to subset
    (a CJK face half a second), and briefings written in English differ mostly in
    which ASCII letters they use; a subset also no longer tells exactly which
    characters the text holds."""
    return codes | _ASCII if codes & _ASCII else codes


@functools.lru_cache(maxsize=64)
def subset(face: Face, codes: frozenset[int]) -> bytes:
    """`face` cut down to the code points `codes`, as TrueType/OpenType, its layout
    features kept (Arabic still joins, `lang` still picks a region's Han forms).
    The same input gives the same bytes. Cached: the pages of a process mostly ask
    for the same subsets (see `rounded`), and a CJK face takes a second or more."""
    from fontTools import subset as subsetter
    from fontTools.ttLib import TTFont

    require([face])
    # Tables are read as the subsetter asks for them (fontTools' default): the same
    # bytes as reading them all first, in two thirds of the time.
    font = TTFont(face.path, fontNumber=face.index, recalcTimestamp=False)
    options = subsetter.Options()
    options.name_IDs = ["*"]  # keep the family name a reader's font tools show
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    cutter = subsetter.Subsetter(options)
    cutter.populate(unicodes=sorted(codes))
    cutter.subset(font)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


@functools.lru_cache(maxsize=64)
def web_subset(face: Face, codes: frozenset[int], flavor: str) -> bytes:
    """`face` subset to `codes` as WOFF2 or WOFF, for a browser."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(subset(face, codes)), recalcTimestamp=False)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def web_flavor() -> tuple[str, str, str]:
    """The smallest format this machine can write for a browser: WOFF2 with brotli,
    else WOFF (zlib); its fontTools flavor, media type and CSS format()."""
    try:
        import brotli  # noqa: F401
    except ImportError:
        return "woff", "font/woff", "woff"
    return "woff2", "font/woff2", "woff2"


def face_rule(face: Face, url: str, fmt: str | None = None) -> str:
    """One @font-face rule for `face` served at `url`."""
    source = f'url("{url}")' + (f' format("{fmt}")' if fmt else "")
    return (
        f'@font-face {{ font-family: "{face.family}"; src: {source}; '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
    )


def embedded_css(text: str) -> str:
    """@font-face rules for every face `text` needs, each subset to the characters of
    `text` it has and carried in the rule (a data: URL), so the HTML stays one file
    and a reader's browser prints with the theme's fonts, not its own."""
    used = printed_by(text)
    faces = [face for face in FACES if face.family in used]
    require(faces)
    flavor, media_type, fmt = web_flavor()
    rules = []
    for face in faces:
        codes = rounded(used[face.family])
        data = base64.b64encode(web_subset(face, codes, flavor)).decode()
        rules.append(face_rule(face, f"data:{media_type};base64,{data}", fmt))
    return "\n".join(rules)


def measure_coverage() -> dict[str, list[list[int]]]:
    """Each family's code points as ranges, read from the fonts themselves (the
    regular face: the bold has the same characters)."""
    from fontTools.ttLib import TTFont

    out: dict[str, list[list[int]]] = {}
    for face in FACES:
        if face.family in out or face.weight != 400 or face.style != "normal":
            continue
        require([face])
        font = TTFont(face.path, fontNumber=face.index, lazy=True)
        codes = sorted(font.getBestCmap())
        font.close()
        ranges: list[list[int]] = []
        for code in codes:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        out[face.family] = ranges
    return out


def write_coverage() -> None:
    """Write fonts/coverage.json from the installed fonts."""
    data = {
        "about": "each family's code points, as inclusive ranges: python -m briefgen.fonts",
        "families": measure_coverage(),
    }
    text = json.dumps(data, separators=(",", ":"))
    COVERAGE_FILE.write_text(text.replace("]],", "]],\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_coverage()
