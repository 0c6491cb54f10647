"""Partial dates as a reader sees them: a span says what its ends share once."""

from __future__ import annotations

import pytest

from briefgen.dates import PartialDate, display_span


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2025-09-12", "2025-09-12", "12 September 2025"),
        ("2025-09-12", "2025-09-25", "12–25 September 2025"),
        ("2025-09-30", "2025-10-02", "30 September – 2 October 2025"),
        ("2024-12-30", "2025-01-02", "30 December 2024 – 2 January 2025"),
        ("2024-01", "2024-11", "January – November 2024"),
        ("2023-08", "2024-12", "August 2023 – December 2024"),
        ("2023", "2024", "2023–2024"),
        # Ends known to unlike precision are each written in full.
        ("2024", "2024-11", "2024 – November 2024"),
        ("2024-11", "2024-11-25", "November 2024 – 25 November 2024"),
    ],
)
def test_a_span_is_said_once(start: str, end: str, shown: str) -> None:
    assert display_span(PartialDate.parse(start), PartialDate.parse(end)) == shown


def test_one_date_is_itself() -> None:
    assert display_span(PartialDate.parse("2024-11"), None) == "November 2024"
