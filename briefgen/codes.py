"""Warning codes: every analytic warning briefgen gives, named once, in one table.

A code is stable: analysts write it in a fact's `acknowledge:` (FORMAT 1.1),
and scripts read it from `validate --format json`. README.md lists this table;
a test keeps the two the same. To add a warning: add its entry here, yield it
from checks.py with that code, document it in README.md and docs/format.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What a warning is about, and so where it is located: a fact can acknowledge only
# warnings about itself.
Subject = Literal["fact", "source", "actor", "briefing", "project"]


@dataclass(frozen=True)
class WarningCode:
    code: str
    subject: Subject
    summary: str  # what it means, for the README's table and docs/format.md


WARNINGS: dict[str, WarningCode] = {
    w.code: w
    for w in (
        WarningCode("uncited-source", "source", "a source no fact cites"),
        WarningCode(
            "unused-actor",
            "actor",
            "an actor named by no fact (actors, flow, agreement) and no briefing's "
            "`include.actors`",
        ),
        WarningCode(
            "high-confidence-single-source",
            "fact",
            "`confidence: high` resting on one independent source",
        ),
        WarningCode(
            "high-confidence-weak-sources",
            "fact",
            "`confidence: high` with every source rated D, E or F",
        ),
        WarningCode(
            "confirmed-single-source",
            "fact",
            "a citation graded 1 (confirmed by other sources) on a fact with one "
            "independent source",
        ),
        WarningCode(
            "accessed-before-published",
            "source",
            "a source accessed before it was published",
        ),
        WarningCode(
            "fact-after-edition",
            "fact",
            "a fact dated after the edition of a briefing that includes it",
        ),
        WarningCode(
            "stale-fact",
            "fact",
            "a fact last reviewed more than `stale_after_days` before a briefing's edition",
        ),
        WarningCode(
            "never-reviewed",
            "fact",
            "a fact with no `reviewed` in a briefing that sets `stale_after_days`",
        ),
        WarningCode(
            "estimative-word",
            "fact",
            'a hedge ("may", "might", "could", "possibly", "perhaps") in a risk\'s text',
        ),
        WarningCode(
            "todo",
            "fact",
            "text still holding a skeleton's TODO (from `briefgen new`) in a fact, source or actor",
        ),
        WarningCode(
            "no-glyph",
            "project",
            "a character no font of the theme has, which would print blank",
        ),
        WarningCode(
            "judgment-single-source",
            "briefing",
            "a judgment held with high confidence on facts with one independent source "
            "between them",
        ),
        WarningCode(
            "judgment-above-evidence",
            "briefing",
            "a judgment held with moderate confidence on facts all of low confidence",
        ),
        WarningCode(
            "filter-matches-nothing",
            "briefing",
            "a briefing's `include` names a tag or an actor that no fact carries",
        ),
        WarningCode("empty-briefing", "briefing", "a briefing that includes no facts"),
        WarningCode("no-facts", "project", "a project without any facts"),
        WarningCode(
            "warnings-incomplete",
            "project",
            "a file does not parse, or part of facts/ cannot be read, so the warnings "
            "that depend on what it declares or cites are held back",
        ),
        WarningCode(
            "unused-acknowledgment",
            "fact",
            "an `acknowledge:` entry whose warning no longer fires",
        ),
    )
}


def acknowledgeable() -> list[str]:
    """The codes a fact may name in `acknowledge:`."""
    return [
        code
        for code, w in WARNINGS.items()
        if w.subject == "fact" and code not in ("unused-acknowledgment", "todo")
    ]
