"""What a figure's caption says besides its drawing: the "Source:" line naming the
facts drawn and their sources, the section the figure illustrates, and the
phrases its title is made of (a span of years, a count)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TypedDict

from ..wording import join_words

if TYPE_CHECKING:
    from ..assemble import BriefingView, FactView

NAMED_SOURCES = 6  # up to this many sources are named by number; beyond, a count


class Caption(TypedDict):
    """A figure's source line and section (Figure's fields), for `Figure(**caption)`."""

    source: str
    section: str | None


def caption(view: BriefingView, facts: list[FactView], *, whole: bool) -> Caption:
    """The source line of a figure drawing `facts`, and the section it illustrates
    (`whole`: it spans the briefing; see home_section)."""
    return Caption(source=source_line(view, facts), section=home_section(view, facts, whole=whole))


def count(number: int, noun: str) -> str:
    """'1 flow', '6 flows'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def sections_of(view: BriefingView, facts: list[FactView]) -> Counter[str]:
    """How many of `facts` each section holds, by section id, in the briefing's order."""
    drawn = {fact.id for fact in facts}
    return Counter(
        {
            section.id: held
            for section in view.sections
            if (held := sum(fact.id in drawn for fact in section.facts))
        }
    )


def home_section(view: BriefingView, facts: list[FactView], *, whole: bool) -> str | None:
    """The id of the section holding most of `facts` (the first of equals, in the
    briefing's order), where the theme places the figure; None when the figure
    spans the briefing (`whole`) and draws facts of more than one section."""
    held = sections_of(view, facts)
    if not held or (whole and len(held) > 1):
        return None
    return max(held, key=lambda section: (held[section], -list(held).index(section)))


def source_line(view: BriefingView, facts: list[FactView]) -> str:
    """'Source: 6 facts of Aid flows, citing sources [1], [3] and [4].': the facts
    drawn (by section) and the sources they cite, by their numbers in the sources
    list, as the text cites them: a title is written out once, in that list."""
    titles = {section.id: section.title for section in view.sections}
    held = sections_of(view, facts)
    if len(held) == 1:
        where = f"{count(len(facts), 'fact')} of {titles[next(iter(held))]}"
    elif held:
        parts = [f"{titles[section]} ({number})" for section, number in held.items()]
        where = f"{count(len(facts), 'fact')} of {join_words(parts)}"
    else:
        where = count(len(facts), "fact")
    cited = sorted({citation.source.number for fact in facts for citation in fact.citations})
    if not cited:
        return f"Source: {where}."
    if len(cited) > NAMED_SOURCES:
        return f"Source: {where}, citing {count(len(cited), 'source')} (see Sources)."
    numbers = join_words([f"[{number}]" for number in cited])
    return f"Source: {where}, citing {'source' if len(cited) == 1 else 'sources'} {numbers}."


def year_span(first: int, last: int) -> str:
    """'2024' or '2023–2025'."""
    return str(first) if first == last else f"{first}–{last}"


__all__ = ["Caption", "caption", "count", "home_section", "sections_of", "source_line", "year_span"]
