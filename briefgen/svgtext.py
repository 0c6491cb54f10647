"""A figure's labels in the PDF laid out as whole lines, so Arabic script joins and
right-to-left text reads in order.

WeasyPrint 70 draws an SVG `<text>` one character at a time (each letter its own
Pango layout), which is right for per-letter `x`/`dx`/`rotate` lists but leaves
Persian as separate letters in reverse order. briefgen's figures draw every label
as one `<text>` with one `x` and `y` and a `textLength` (figures/canvas.py), so
here such a label is laid out by Pango as one line (shaped by HarfBuzz, ordered by
the Unicode bidi algorithm) and stretched to its `textLength` as a whole; any
other `<text>` is drawn by WeasyPrint's own function. WeasyPrint is pinned
(pyproject.toml), and `install` checks the function it replaces is the one it knows.
"""

from __future__ import annotations

from typing import Any

_KNOWN = "70.0"
_installed = False


def _one_run(node: Any) -> bool:
    """Whether `node` is a label canvas.py drew: text only, one position, no
    per-letter shifts or rotations."""
    if next(iter(node), None) is not None or not node.text:
        return False
    if any(name in node.attrib for name in ("dx", "dy", "rotate", "letter-spacing")):
        return False
    return all(len(node.attrib.get(name, "0").split()) == 1 for name in ("x", "y"))


def install() -> None:
    """Lay out briefgen's labels as whole lines in every SVG WeasyPrint draws from now
    on, in this process. Idempotent."""
    global _installed
    if _installed:
        return
    import importlib

    import weasyprint
    import weasyprint.svg as svg_module

    # The package's name `text` is the function; the module is reached by name.
    text_module = importlib.import_module("weasyprint.svg.text")

    if weasyprint.__version__ != _KNOWN:  # pragma: no cover - the pin says otherwise
        raise RuntimeError(f"svgtext.py knows WeasyPrint {_KNOWN}, not {weasyprint.__version__}")
    original = text_module.text

    def text(svg: Any, node: Any, font_size: float) -> None:
        if node.tag != "text" or not _one_run(node):
            original(svg, node, font_size)
        else:
            _draw_line(svg, node, font_size, text_module)

    svg_module.TAGS.update({tag: text for tag, draw in svg_module.TAGS.items() if draw is original})
    # draw_node compares with the module's name `text` to anchor and bound text.
    svg_module.text = text
    _installed = True


def _draw_line(svg: Any, node: Any, font_size: float, module: Any) -> None:
    """`node`'s text as one Pango line at its x and y, stretched to its textLength."""
    from math import inf

    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    style = module.Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        font.strip("\"' ") for font in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    style["font_weight"] = {"normal": 400, "bold": 700}.get(weight) or int(weight)
    style["font_size"] = font_size
    rtl = node.get("direction") == "rtl"
    if rtl:
        style["direction"] = "rtl"
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = size(node.attrib["x"], font_size, svg.inner_width) if "x" in node.attrib else 0
    y = size(node.attrib["y"], font_size, svg.inner_height) if "y" in node.attrib else 0
    text_length = svg.length(node.get("textLength"), font_size)
    scale_x = text_length / width if text_length and width else 1
    width *= scale_x
    if rtl:  # the start of a right-to-left line is its right end
        x -= width
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box, ((x, y - baseline), (x + width, y - baseline + height))
    )
    svg.cursor_position = (x + width, y)
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = module.TextBox(layout, style)
    text_box.baseline = baseline
    matrix = Matrix(a=scale_x, d=-1, e=x, f=y)
    emojis = draw_first_line(svg.stream, text_box, "none", "none", matrix)
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


__all__ = ["install"]
