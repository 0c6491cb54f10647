"""An id or a value in words, as hover and completion show it: a source's title,
publisher, date, reliability and origin; a fact's title, date and confidence; a shared
judgment's text, confidence and the facts it rests on; a grade."""

from __future__ import annotations

from ..load import Project
from ..model import (
    CONFIDENCE_WORDS,
    CREDIBILITY_WORDS,
    LIKELIHOOD_BANDS,
    RELIABILITY_WORDS,
    Judgment,
)


def describe_id(project: Project, kind: str, item_id: str) -> str:
    """Markdown for the item `item_id` of `kind`, or '' when nothing valid declares it."""
    if kind == "sources" and (source := project.sources.get(item_id)):
        s = source.item
        lines = [f"**{s.title}**"]
        if s.publisher:
            lines.append(f"Publisher: {s.publisher}")
        if s.published:
            lines.append(f"Published: {s.published}")
        lines.append(f"Reliability: {s.reliability} ({RELIABILITY_WORDS[s.reliability]})")
        if s.origin:
            lines.append(f"Origin: {s.origin}")
        return "  \n".join(lines)
    if kind == "facts" and (fact := project.facts.get(item_id)):
        f = fact.item
        return f"**{f.title}**  \nDate: {f.date}  \nConfidence: {f.confidence}"
    if kind == "actors" and (actor := project.actors.get(item_id)):
        a = actor.item
        return f"**{a.name}**" + (f" ({a.short})" if a.short else "")
    if kind == "sections" and (section := project.sections.get(item_id)):
        return f"**{section.item.title}**"
    if kind == "judgments" and (judgment := project.judgments.get(item_id)):
        return describe_judgment(project, judgment.item)
    if kind == "briefings" and (briefing := project.briefings.get(item_id)):
        return f"**{briefing.item.title}**  \nEdition: {briefing.item.edition}"
    return ""


def describe_judgment(project: Project, judgment: Judgment) -> str:
    """Markdown for a judgment: its text as one paragraph, its confidence, likelihood
    and marking, and each fact it is based on with its title."""
    lines = [f"Confidence: {judgment.confidence}"]
    if judgment.likelihood:
        lines.append(
            f"Likelihood: {judgment.likelihood} (ICD 203: {LIKELIHOOD_BANDS[judgment.likelihood]})"
        )
    if judgment.marking:
        lines.append(f"Marking: {judgment.marking}")
    based_on = []
    for fact_id in judgment.based_on:
        fact = project.facts.get(fact_id)
        based_on.append(f"- `{fact_id}`" + (f": {fact.item.title}" if fact else " (unknown)"))
    text = " ".join(judgment.text.split())
    return "\n\n".join([text, "  \n".join(lines), "Based on:\n" + "\n".join(based_on)])


def describe_value(key: str, value: str) -> str:
    """Markdown for an enumerated value written under `key`, or ''."""
    if key == "credibility" and value.isdigit() and int(value) in CREDIBILITY_WORDS:
        return f"Credibility {value}: {CREDIBILITY_WORDS[int(value)]}"
    if key == "reliability" and value in RELIABILITY_WORDS:
        return f"Reliability {value}: {RELIABILITY_WORDS[value]}"
    if key == "confidence" and value in CONFIDENCE_WORDS:
        return f"Confidence {value}: {CONFIDENCE_WORDS[value]}"
    if key == "likelihood" and value in LIKELIHOOD_BANDS:
        return f"ICD 203 '{value}': {LIKELIHOOD_BANDS[value]}"
    return ""
