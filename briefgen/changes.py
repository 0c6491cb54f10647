"""Changes: what one edition of a briefing says differently from an earlier one.

Both sides are records (records.py): the earlier edition's as kept in
editions/, and this edition's as editions.py would write it, so the Changes
section of a briefing and `briefgen diff` compare exactly what the records
hold. Facts are matched by id, and so are judgments when both editions give
one its id (FORMAT 1.2). Of the judgments left, one with the same text is the
same judgment, and of the rest, pairs whose texts are mostly alike are one
judgment revised. A revised text is shown with its old wording.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable

from .assemble import (
    BriefingView,
    ChangesView,
    FactChangeView,
    FieldChange,
    JudgmentChangeView,
)
from .dates import PartialDate, display_span
from .model import LIKELIHOOD_BANDS
from .records import Record, RecordedFact, RecordedJudgment

# Judgments whose texts are at least this alike (difflib's ratio) are one judgment revised.
SAME_JUDGMENT = 0.6


def compare(
    before: Record,
    after: Record,
    section_titles: dict[str, str] | None = None,
    reasons: dict[str, str] | None = None,
) -> ChangesView:
    """The changes from the edition `before` records to the one `after` records;
    `reasons` says why facts were withdrawn (FORMAT 1.2 `withdrawn:`), by id."""
    titles = section_titles or {}
    old = {fact.id: fact for fact in before.facts}
    new = {fact.id: fact for fact in after.facts}
    added = [_fact_ref(fact) for fact in after.facts if fact.id not in old]
    withdrawn = [
        FactChangeView(fact.id, None, fact.title, reason=(reasons or {}).get(fact.id))
        for fact in before.facts
        if fact.id not in new
    ]
    changed = []
    for fact in after.facts:
        if fact.id in old:
            found = _fact_changes(old[fact.id], fact, before, after, titles)
            if found:
                changed.append(FactChangeView(fact.id, f"fact-{fact.id}", fact.title, found))
    judgments: tuple[list[JudgmentChangeView], ...] = ([], [], [])
    if before.judgments is not None and after.judgments is not None:
        judgments = _judgment_changes(before.judgments, after.judgments, old, new)
    return ChangesView(
        briefing_changed=_briefing_changes(before, after),
        since=PartialDate.parse(before.edition).display(),
        since_iso=before.edition,
        record=before.path,
        facts_added=added,
        facts_changed=changed,
        facts_withdrawn=withdrawn,
        judgments_added=judgments[0],
        judgments_changed=judgments[1],
        judgments_withdrawn=judgments[2],
    )


def mark_changes(view: BriefingView, changes: ChangesView) -> BriefingView:
    """`view` with `changes` as its Changes section and its facts marked New or Updated."""
    marks = {fact.id: "new" for fact in changes.facts_added}
    marks.update((fact.id, "updated") for fact in changes.facts_changed)
    # One marked view per fact, so a key judgment stays the very fact of its section.
    marked = {
        id(fact): dataclasses.replace(fact, change=marks[fact.id]) if fact.id in marks else fact
        for fact in view.facts
    }
    sections = [
        dataclasses.replace(section, facts=[marked[id(fact)] for fact in section.facts])
        for section in view.sections
    ]
    key_judgments = [marked.get(id(fact), fact) for fact in view.key_judgments]
    return dataclasses.replace(
        view, sections=sections, key_judgments=key_judgments, changes=changes
    )


def _briefing_changes(before: Record, after: Record) -> list[FieldChange]:
    """The briefing's title and summary, where both records say them (a record
    before version 3 has no summary)."""
    found = []
    if before.title is not None and after.title is not None and before.title != after.title:
        text = f"title revised, was “{before.title}”"
        found.append(FieldChange("title", before.title, after.title, text))
    if before.summary is not None and after.summary is not None and before.summary != after.summary:
        text = f"summary revised, was “{before.summary}”" if before.summary else "summary added"
        if not after.summary:
            text = "summary removed"
        found.append(FieldChange("summary", before.summary, after.summary, text))
    return found


def _fact_ref(fact: RecordedFact) -> FactChangeView:
    return FactChangeView(fact.id, f"fact-{fact.id}", fact.title)


def _fact_changes(
    old: RecordedFact,
    new: RecordedFact,
    before: Record,
    after: Record,
    section_titles: dict[str, str],
) -> list[FieldChange]:
    found: list[FieldChange] = []
    if old.title != new.title:
        found.append(
            FieldChange("title", old.title, new.title, f"title revised, was “{old.title}”")
        )
    if old.date != new.date:
        found.append(_change("date", old.date, new.date, _date))
    if old.section != new.section:
        found.append(
            _change("section", old.section, new.section, lambda s: section_titles.get(s, s))
        )
    if old.confidence != new.confidence:
        found.append(_change("confidence", old.confidence, new.confidence, str))
    # What its kind of fact compares (kinds.KINDS), in the records' order.
    for name in dict.fromkeys([*old.compared, *new.compared]):
        earlier, later = old.compared.get(name), new.compared.get(name)
        if earlier != later and _both_known(before, old, name):
            shown = _likelihood if name == "likelihood" else str
            found.append(_change(name, earlier, later, shown))
    found += _citation_changes(old, new, before, after)
    if old.text is not None and new.text is not None and old.text != new.text:
        found.append(FieldChange("text", None, None, "text revised"))
    return found


def _both_known(before: Record, old: RecordedFact, name: str) -> bool:
    """A version 1 record did not keep what a kind of fact compares (likelihood,
    quantity, ...): a value missing from it is unknown, not absent."""
    return before.judgments is not None or name in old.compared


def _change(
    name: str, before: str | None, after: str | None, shown: Callable[[str], str]
) -> FieldChange:
    if before is None:
        text = f"{name} {shown(after or '')} added"
    elif after is None:
        text = f"{name} {shown(before)} removed"
    else:
        text = f"{name} {shown(before)} → {shown(after)}"
    return FieldChange(name, before, after, text)


def _date(iso: str) -> str:
    start, _, end = iso.partition("/")
    return display_span(PartialDate.parse(start), PartialDate.parse(end) if end else None)


def _likelihood(term: str) -> str:
    band = LIKELIHOOD_BANDS.get(term)
    return f"{term} ({band})" if band else term


def _citation_changes(
    old: RecordedFact, new: RecordedFact, before: Record, after: Record
) -> list[FieldChange]:
    def codes(fact: RecordedFact) -> dict[str, str]:
        pairs = (citation.rpartition(" ") for citation in fact.citations)
        return {source: code for source, _, code in pairs}

    earlier, later = codes(old), codes(new)
    found = []
    for source, code in later.items():
        title = after.source_titles.get(source, source)
        if source not in earlier:
            found.append(FieldChange("source", None, source, f"source added: {title} ({code})"))
        elif earlier[source] != code:
            found.append(
                FieldChange(
                    "rating", earlier[source], code, f"{title} rated {earlier[source]} → {code}"
                )
            )
    for source in earlier:
        if source not in later:
            title = before.source_titles.get(source, source)
            found.append(FieldChange("source", source, None, f"source removed: {title}"))
    return found


def _judgment_changes(
    before: tuple[RecordedJudgment, ...],
    after: tuple[RecordedJudgment, ...],
    old_facts: dict[str, RecordedFact],
    new_facts: dict[str, RecordedFact],
) -> tuple[list[JudgmentChangeView], list[JudgmentChangeView], list[JudgmentChangeView]]:
    pairs: dict[int, int] = {}  # index in `after` -> index in `before`
    by_id = {j.id: i for i, j in enumerate(before) if j.id is not None}
    for index, judgment in enumerate(after):
        if judgment.id is not None and judgment.id in by_id:
            pairs[index] = by_id[judgment.id]
    # An id on both sides settles it: such judgments are matched by id or not at all.
    # The rest are matched by their text (bounded: see _pair_judgments).
    old = [i for i, j in enumerate(before) if i not in pairs.values() and j.id is None]
    old += [i for i, j in enumerate(before) if j.id is not None and i not in pairs.values()]
    new = [i for i in range(len(after)) if i not in pairs]
    by_text = _pair_judgments([before[i].text for i in old], [after[i].text for i in new])
    for index_new, index_old in by_text.items():
        i, index = old[index_old], new[index_new]
        if before[i].id is not None and after[index].id is not None:
            continue  # both have ids, and they differ
        pairs[index] = i
    unmatched = set(range(len(before))) - set(pairs.values())
    added, changed = [], []
    for index, judgment in enumerate(after):
        if index not in pairs:
            added.append(JudgmentChangeView(index + 1, judgment.text))
            continue
        found = _judgment_fields(before[pairs[index]], judgment, old_facts, new_facts)
        if found:
            changed.append(JudgmentChangeView(index + 1, judgment.text, found))
    withdrawn = [JudgmentChangeView(None, before[i].text) for i in sorted(unmatched)]
    return added, changed, withdrawn


# Comparing judgments by text similarity is quadratic twice over (every pair, and
# difflib's ratio is quadratic in the texts' length), and records come from outside.
# So the work is bounded: up to ALL_PAIRS pairs are all compared; beyond, each new
# judgment is compared only with the CANDIDATES old ones sharing most of its words
# (words in more than COMMON_WORD old judgments do not count); only the first
# COMPARED_CHARS characters of each text are compared, after difflib's cheap upper
# bounds (length, then letters) have not ruled the pair out.
ALL_PAIRS = 2_500
CANDIDATES = 2
COMMON_WORD = 16
COMPARED_CHARS = 600
_WORD = re.compile(r"\w+")


def _pair_judgments(before: list[str], after: list[str]) -> dict[int, int]:
    """Which judgment of `before` each of `after` is (index in `after` -> in `before`):
    the same text first, then of the rest, the most alike pairs first, so a small edit
    is never taken for a judgment withdrawn and another added."""
    pairs: dict[int, int] = {}
    same: dict[str, deque[int]] = defaultdict(deque)
    for i, text in enumerate(before):
        same[text].append(i)
    for index, text in enumerate(after):
        if same.get(text):
            pairs[index] = same[text].popleft()
    unmatched = sorted(set(range(len(before))) - set(pairs.values()))
    rest = [index for index in range(len(after)) if index not in pairs]
    if len(rest) * len(unmatched) <= ALL_PAIRS:
        candidates = {index: unmatched for index in rest}
    else:
        candidates = _candidates(before, after, unmatched, rest)
    scored = sorted(
        (-score, index, i)
        for index in rest
        for i in candidates[index]
        if (score := _alike(before[i], after[index])) >= SAME_JUDGMENT
    )
    taken: set[int] = set()
    for _, index, i in scored:
        if index not in pairs and i not in taken:
            pairs[index] = i
            taken.add(i)
    return pairs


def _candidates(
    before: list[str], after: list[str], unmatched: list[int], rest: list[int]
) -> dict[int, list[int]]:
    """For each of `rest`, the few of `unmatched` sharing most of its uncommon words."""
    holders: dict[str, list[int]] = defaultdict(list)
    for i in unmatched:
        for word in set(_WORD.findall(before[i][:COMPARED_CHARS].lower())):
            holders[word].append(i)
    found = {}
    for index in rest:
        shared: Counter[int] = Counter()
        for word in set(_WORD.findall(after[index][:COMPARED_CHARS].lower())):
            if len(holders.get(word, ())) <= COMMON_WORD:
                shared.update(holders.get(word, ()))
        best = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES]
        found[index] = [i for i, _ in best]
    return found


def _alike(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a[:COMPARED_CHARS], b[:COMPARED_CHARS], autojunk=False)
    if matcher.real_quick_ratio() < SAME_JUDGMENT or matcher.quick_ratio() < SAME_JUDGMENT:
        return 0.0
    return matcher.ratio()


def _judgment_fields(
    old: RecordedJudgment,
    new: RecordedJudgment,
    old_facts: dict[str, RecordedFact],
    new_facts: dict[str, RecordedFact],
) -> list[FieldChange]:
    found = []
    if old.text != new.text:
        found.append(FieldChange("text", old.text, new.text, f"text revised, was “{old.text}”"))
    if old.confidence != new.confidence:
        found.append(_change("confidence", old.confidence, new.confidence, str))
    if old.likelihood != new.likelihood:
        found.append(_change("likelihood", old.likelihood, new.likelihood, _likelihood))
    for fact_id in new.based_on:
        if fact_id not in old.based_on:
            title = new_facts[fact_id].title if fact_id in new_facts else fact_id
            found.append(FieldChange("based_on", None, fact_id, f"now also based on: {title}"))
    for fact_id in old.based_on:
        if fact_id not in new.based_on:
            title = old_facts[fact_id].title if fact_id in old_facts else fact_id
            found.append(FieldChange("based_on", fact_id, None, f"no longer based on: {title}"))
    return found


def _fact_line(fact: FactChangeView) -> str:
    reason = f" (withdrawn: {fact.reason})" if fact.reason else ""
    return f"{fact.id}: {fact.title}{reason}"


def describe_changes(changes: ChangesView) -> list[str]:
    """The changes as lines of plain text, for the terminal."""
    if changes.empty:
        return ["No facts or judgments have changed."]
    groups: list[tuple[str, str, list[tuple[str, list[FieldChange]]]]] = [
        (f"Facts {kind}", mark, [(_fact_line(f), f.changes) for f in items])
        for kind, mark, items in (
            ("added", "+", changes.facts_added),
            ("changed", "~", changes.facts_changed),
            ("withdrawn", "-", changes.facts_withdrawn),
        )
    ]
    if changes.briefing_changed:
        groups.insert(0, ("Briefing changed", "~", [("", changes.briefing_changed)]))
    groups += [
        (f"Judgments {kind}", mark, [(_numbered(j), j.changes) for j in items])
        for kind, mark, items in (
            ("added", "+", changes.judgments_added),
            ("changed", "~", changes.judgments_changed),
            ("withdrawn", "-", changes.judgments_withdrawn),
        )
    ]
    lines: list[str] = []
    for heading, mark, entries in groups:
        if entries:
            lines.append(f"{heading} ({len(entries)}):")
        for name, found in entries:
            if name:
                lines.append(f"  {mark} {name}")
            lines += [f"      {change.text}" for change in found]
    return lines


def _numbered(judgment: JudgmentChangeView) -> str:
    return f"{judgment.number}. {judgment.text}" if judgment.number else judgment.text
