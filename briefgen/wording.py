"""Wording: the small phrases every message is built from, written once.

A list said as English ("a, b and c"), and the did-you-mean hint for a
misspelt id, key or name. Every stage words its problems with these, so a
hint reads the same wherever it comes from.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def join_words(items: Iterable[str], word: str = "and") -> str:
    """'a, b and c' ('a, b or c' with `word="or"`); one item alone, none as ''."""
    *rest, last = [*items] or [""]
    return f"{', '.join(rest)} {word} {last}" if rest else last


def did_you_mean(word: str, choices: list[str]) -> str | None:
    """A 'did you mean' hint for a misspelt id or key, or None."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"did you mean '{close[0]}'?" if close else None
