"""Markdown in fact text -> safe HTML.

Fact text is data from outside the building: raw HTML is shown as text, links
keep only http, https and mailto targets (and in-page anchors), images are
never fetched (their alt text stands in), and headings are left as text so a
fact cannot break the briefing's outline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_SAFE_LINK = re.compile(r"(https?:|mailto:|#)", re.IGNORECASE)
# Emphasis, links and code nested deeper than this show their markers as text:
# 500 nested `*` make elements so deep that laying them out overflows the stack.
# markdown-it bounds the nesting of blocks (lists, quotes) at 20 itself.
MAX_INLINE_DEPTH = 20


def _parse_any_link(url: str) -> bool:
    """Every link and image is parsed, so each shows its text (or alt text) whatever its
    target; `_keep_safe_links` then decides which targets survive."""
    return True


def _keep_safe_links(state: Any) -> None:
    """Turn each link whose target is not http, https, mailto or in-page into its bare
    text. The target is checked as markdown-it normalised it: entities decoded
    (`&#106;avascript:`) and case kept, so no spelling slips through."""
    for block in state.tokens:
        unsafe = False
        for token in block.children or []:
            if token.type == "link_open":
                unsafe = not _SAFE_LINK.match(str(token.attrGet("href") or ""))
            if unsafe and token.type in ("link_open", "link_close"):
                token.type, token.tag, token.content, token.attrs = "text", "", "", {}


def _cap_inline_depth(state: Any) -> None:
    """Turn markup nested deeper than MAX_INLINE_DEPTH back into the text it was."""
    for block in state.tokens:
        opened: list[bool] = []  # for each open element: was it turned into text?
        for token in block.children or []:
            if token.nesting == 1:
                opened.append(len(opened) >= MAX_INLINE_DEPTH)
                flatten = opened[-1]
            elif token.nesting == -1:
                flatten = opened.pop() if opened else False
            else:
                continue
            if flatten:
                token.type, token.tag, token.content = "text", "", token.markup
                token.attrs, token.nesting = {}, 0


def _image_as_text(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = self.renderInline(token.children or [], options, env) if token.children else ""
    return f'<span class="image-alt">[image: {alt}]</span>' if alt else ""


@cache
def _parser() -> MarkdownIt:
    # Imported here, on first use, so `validate` never loads the Markdown parser.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["heading", "lheading"])
    md.validateLink = _parse_any_link  # type: ignore[method-assign]
    md.core.ruler.push("keep_safe_links", _keep_safe_links)
    md.core.ruler.push("cap_inline_depth", _cap_inline_depth)
    md.add_render_rule("image", _image_as_text)
    return md


def render_markdown(text: str | None) -> Markup:
    """Block Markdown (paragraphs, lists) as HTML, safe to place in a page."""
    if not text:
        return Markup("")
    # markdown-it escapes every character of input it does not turn into markup.
    return Markup(_parser().render(text).strip())


def render_inline(text: str | None) -> Markup:
    """One line of Markdown (a term, a title) without a wrapping paragraph."""
    if not text:
        return Markup("")
    return Markup(_parser().renderInline(text).strip())


def plain(text: str | None) -> str:
    """Text with Markdown stripped roughly, for metadata and bookmarks."""
    if not text:
        return ""
    return re.sub(r"[*_`]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)).strip()


def append_inline(html: str, tail: str) -> Markup:
    """`tail` at the end of the last paragraph of `html`, where a reader's eye stops;
    after it, in a paragraph of its own, when the text ends with a list.

    Both are escaped unless they are already Markup.
    """
    body, end = escape(html), escape(tail)
    if not end:
        return body
    if body.endswith("</p>"):
        return Markup(f"{body[: -len('</p>')]} {end}</p>")
    return Markup(f"{body}<p>{end}</p>")


__all__ = ["append_inline", "escape", "plain", "render_inline", "render_markdown"]
