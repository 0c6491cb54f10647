"""Assembling: a validated project and one briefing -> the view its templates draw.

Everything a reader sees is decided here (which facts, in what order, how
dates and quantities read, how sources are numbered), so templates only lay
it out and stay easy to replace.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from markupsafe import Markup

from .checks.scope import describe_scope
from .dates import PartialDate, display_span
from .figures.base import Figure
from .kinds import KINDS, ActorName, actor_ref, kind_of
from .load import Project
from .markings import Scheme, fact_marking, judgment_marking, source_marking
from .model import (
    CONFIDENCE_WORDS,
    CREDIBILITY_WORDS,
    LIKELIHOOD_BANDS,
    RELIABILITY_WORDS,
    SOURCE_TYPE_WORDS,
    Briefing,
    Fact,
    Source,
)
from .richtext import plain, render_markdown
from .rules import (
    fact_markings,
    included_facts,
    is_stale,
    leans_on,
    order_facts,
    project_scheme,
    reliable_origins,
    shown_judgments,
)
from .values import (
    ActorRef,
    DateSpan,
    IsoDate,
    Probability,
    date_span,
    iso_date,
    probability,
)


@dataclass(frozen=True)
class SourceView:
    number: int
    id: str
    anchor: str
    title: str
    publisher: str | None
    url: str | None
    published: str | None
    published_iso: IsoDate | None  # as ISO 8601 at the precision written (values.py)
    accessed: str | None
    accessed_iso: IsoDate | None
    type: str
    reliability: str
    reliability_words: str
    origin: str | None  # as written: an id
    lang: str | None = None  # the title's language, when not the briefing's
    translated_title: str | None = None  # shown after the title, in brackets
    cited_by: list[FactRef] = field(default_factory=list)
    # FORMAT 1.2: its portion mark (None while the project names no marking).
    marking: str | None = None
    type_words: str = ""  # its type as a reader says it: "think tank"
    # Its origin by name, when the origin is a declared actor; else None.
    origin_name: str | None = None
    # The numbers of the other sources of this briefing with the same origin.
    shares_origin_with: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class FactRef:
    id: str
    anchor: str
    title: str


@dataclass(frozen=True)
class CitationView:
    source: SourceView
    code: str  # Admiralty: source reliability + information credibility, e.g. "B2"
    # The code's two grades apart, for a script: "B" (the source's) and 2 (this citation's).
    reliability: str
    credibility: int
    credibility_words: str
    quote: str | None
    locator: str | None


@dataclass(frozen=True)
class FactView:
    id: str
    anchor: str
    title: str
    date: str
    date_iso: str  # "2024-11", or a range "2023-08/2024-11"
    date_range: DateSpan  # its two ends (values.py), the same for one date
    confidence: str
    key: bool
    text: Markup
    actors: list[str]  # names
    actor_refs: list[ActorRef]  # the same actors by id, with their names
    tags: list[str]
    citations: list[CitationView]
    # Independent origins among the citations a reader can lean on (rules.leans_on).
    independent_sources: int
    reviewed: str | None
    reviewed_iso: IsoDate | None
    stale: bool
    kind: str = "plain"  # its entry in kinds.KINDS
    details: object = None  # what its kind shows (kinds.py: a FlowView, ...); None if plain
    partial: str | None = None  # the theme's template showing `details`
    lead: bool = False  # `details` go before the text, not after it
    # Warnings judged and accepted (FORMAT 1.1 `acknowledge:`): code -> reason.
    acknowledged: dict[str, str] = field(default_factory=dict)
    change: str | None = None  # "new" or "updated" since the last edition; see changes.py
    # Taller than a quarter of a page: it may break across pages rather than leave one
    # half empty (print.css); a shorter fact is kept whole.
    long: bool = False
    marking: str | None = None  # FORMAT 1.2: its portion mark, as handled
    # The numbers of its sources graded too low to count as corroboration.
    also_reported_by: list[int] = field(default_factory=list)

    @property
    def single_sourced(self) -> bool:
        return self.independent_sources == 1

    @property
    def corroboration(self) -> str:
        """How far the fact is corroborated, in words: "2 independent sources"."""
        if self.independent_sources == 0:
            return "No source graded A–C, 1–3"
        if self.independent_sources == 1:
            return "Single-sourced"
        return f"{self.independent_sources} independent sources"

    @property
    def locators(self) -> list[CitationView]:
        """The citations that say where in their source (a locator or a quote): the
        fact's own line of sources shows these, the markers in its text the rest."""
        return [c for c in self.citations if c.locator or c.quote]

    @property
    def likelihood(self) -> str | None:
        """The ICD 203 term its kind states (kinds.py), if any, shown in the key judgments."""
        stated = KINDS[self.kind].likelihood
        return stated(self.details) if stated is not None else None

    @property
    def band(self) -> str | None:
        """The likelihood's probability band, "55–80%"."""
        return LIKELIHOOD_BANDS[self.likelihood] if self.likelihood else None


@dataclass(frozen=True)
class JudgmentView:
    """A key judgment as written, with the facts it rests on."""

    number: int
    text: Markup
    text_plain: str
    confidence: str
    likelihood: str | None  # an ICD 203 term
    band: str | None  # its probability band, "80–95%"
    probability: Probability | None  # the band as numbers (values.py)
    based_on: list[FactRef]  # the facts it rests on that this briefing shows
    id: str | None = None  # FORMAT 1.2: editions follow it by its id
    marking: str | None = None  # FORMAT 1.2: its portion mark, as handled


@dataclass(frozen=True)
class FieldChange:
    """One thing about a fact or judgment that changed since the earlier edition."""

    field: str  # "confidence", "likelihood", "quantity", "source", "text", ...
    before: str | None
    after: str | None
    text: str  # in words: "confidence moderate → high"


@dataclass(frozen=True)
class FactChangeView:
    id: str
    anchor: str | None  # in this edition; None for a fact withdrawn
    title: str  # as this edition shows it; as the earlier one did, for a fact withdrawn
    changes: list[FieldChange] = field(default_factory=list)
    reason: str | None = None  # FORMAT 1.2: why a withdrawn fact no longer stands


@dataclass(frozen=True)
class JudgmentChangeView:
    number: int | None  # in this edition; None for a judgment withdrawn
    text: str  # plain text
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class ChangesView:
    """What changed since the latest earlier edition whose record is kept."""

    since: str  # that edition's date, as shown: "25 November 2024"
    since_iso: str
    record: str  # the record compared with, e.g. "editions/brief/2024-11-25.json"
    facts_added: list[FactChangeView]
    facts_changed: list[FactChangeView]
    facts_withdrawn: list[FactChangeView]
    judgments_added: list[JudgmentChangeView]
    judgments_changed: list[JudgmentChangeView]
    judgments_withdrawn: list[JudgmentChangeView]
    # The briefing's own title and summary, when the records of both editions say them.
    briefing_changed: list[FieldChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.briefing_changed
            or self.facts_added
            or self.facts_changed
            or self.facts_withdrawn
            or self.judgments_added
            or self.judgments_changed
            or self.judgments_withdrawn
        )


@dataclass(frozen=True)
class SectionView:
    id: str
    anchor: str
    title: str
    intro: Markup
    facts: list[FactView]


@dataclass(frozen=True)
class BriefingView:
    id: str
    title: str
    subtitle: str | None
    edition: str
    edition_iso: str
    edition_date: dt.date  # its first day, for a partial edition date
    author: str | None
    classification: str | None
    summary: Markup
    summary_text: str
    tags: list[str]
    sections: list[SectionView]
    key_judgments: list[FactView]
    sources: list[SourceView]
    reliabilities_used: list[tuple[str, str]]
    credibilities_used: list[tuple[int, str]]
    confidences_used: list[str]  # best first: high, moderate, low
    likelihoods_used: list[tuple[str, str]]
    stale_after_days: int | None
    fact_count: int
    generator: str
    inputs_digest: str = ""
    figures: list[Figure] = field(default_factory=list)  # drawn from the rest (edition.py)
    judgments: list[JudgmentView] = field(default_factory=list)  # written; else key_judgments
    scope: str | None = None  # the filter in words; None when every fact is in
    changes: ChangesView | None = None  # None: no earlier edition is recorded
    order: str = "newest-first"
    # FORMAT 1.2: the banner on every page: never lower than the highest marking shown,
    # then the classification; None when there is neither.
    banner: str | None = None
    # The highest marking the briefing shows, the banner's; None while the project
    # names no marking.
    marking: str | None = None
    markings: tuple[str, ...] = ()  # the project's markings, lowest first, once in use
    release: str | None = None  # the highest marking this briefing may carry
    lang: str = "en"  # the document's language (BCP 47)
    # Why this edition was corrected after it was issued (`briefgen issue --correction`),
    # shown under its title; None for an edition never corrected.
    correction: str | None = None
    correction_date: IsoDate | None = None  # when it was corrected

    @property
    def facts(self) -> list[FactView]:
        return [fact for section in self.sections for fact in section.facts]

    @property
    def confidence_words(self) -> dict[str, str]:
        """What each level of analytic confidence means, as the scales appendix says."""
        return CONFIDENCE_WORDS


def assemble_briefing(
    project: Project, briefing_id: str, generator: str, inputs_digest: str = ""
) -> BriefingView:
    """The reader's view of one briefing of a project that has passed every check,
    before its figures and changes (edition.py makes the whole edition)."""
    briefing = project.briefings[briefing_id].item
    sources = {key: placed.item for key, placed in project.sources.items()}
    actors = {key: placed.item for key, placed in project.actors.items()}
    sections = {key: placed.item for key, placed in project.sections.items()}
    scheme = project_scheme(project)
    marks = scheme if scheme.used else None  # portion marks once markings are in use

    def actor_name(actor_id: str) -> str:
        actor = actors.get(actor_id)
        return actor.name if actor else actor_id

    # Newest first by default: a briefing is read for what changed.
    facts = order_facts(included_facts(project, briefing), briefing.order)

    numbered: dict[str, SourceView] = {}
    section_views = []
    for section_id in briefing.sections or list(sections):
        section = sections[section_id]
        views = []
        for fact in facts:
            if project.fact_section.get(fact.id) != section_id:
                continue
            views.append(_fact_view(fact, briefing, sources, numbered, actor_name, marks))
        section_views.append(
            SectionView(
                section.id,
                f"section-{section.id}",
                section.title,
                render_markdown(section.intro),
                views,
            )
        )

    all_facts = [f for s in section_views for f in s.facts]
    citations = [c for f in all_facts for c in f.citations]
    reliabilities = sorted({c.source.reliability for c in citations})
    credibilities = sorted({int(c.code[1:]) for c in citations})
    written = shown_judgments(project, briefing)
    confidences = {f.confidence for f in all_facts} | {j.confidence for j in written}
    # LIKELIHOOD_BANDS runs from least to most likely; its bands sort wrongly as text.
    likelihoods = sorted(
        {f.likelihood for f in all_facts if f.likelihood}
        | {j.likelihood for j in written if j.likelihood},
        key=list(LIKELIHOOD_BANDS).index,
    )
    tags = sorted({tag for f in all_facts for tag in f.tags})
    by_id = {f.id: f for f in all_facts}
    judgments = [
        JudgmentView(
            number=number,
            text=render_markdown(judgment.text),
            text_plain=plain(judgment.text),
            confidence=judgment.confidence,
            likelihood=judgment.likelihood,
            band=LIKELIHOOD_BANDS[judgment.likelihood] if judgment.likelihood else None,
            probability=probability(judgment.likelihood),
            # Only what this briefing shows: a release may withhold some of them.
            based_on=[
                FactRef(i, by_id[i].anchor, by_id[i].title) for i in judgment.based_on if i in by_id
            ],
            id=judgment.id,
            marking=judgment_marking(scheme, judgment, fact_markings(project)) if marks else None,
        )
        for number, judgment in enumerate(written, start=1)
    ]
    source_views = _with_origins(list(numbered.values()), actor_name)
    if marks is not None:
        source_views = [
            dataclasses.replace(v, marking=source_marking(scheme, sources[v.id]))
            for v in source_views
        ]
    highest = (
        scheme.highest(
            [*(f.marking for f in all_facts), *(j.marking for j in judgments)]
            + [v.marking for v in source_views]
        )
        if marks is not None
        else None
    )
    return BriefingView(
        id=briefing.id,
        title=briefing.title,
        subtitle=briefing.subtitle,
        edition=briefing.edition.display(),
        edition_iso=str(briefing.edition),
        edition_date=briefing.edition.first_day,
        author=briefing.author,
        classification=briefing.classification,
        summary=render_markdown(briefing.summary),
        summary_text=plain(briefing.summary),
        tags=tags,
        sections=section_views,
        key_judgments=[f for f in all_facts if f.key],
        sources=source_views,
        reliabilities_used=[(r, RELIABILITY_WORDS[r]) for r in reliabilities],
        credibilities_used=[(c, CREDIBILITY_WORDS[c]) for c in credibilities],
        confidences_used=[c for c in CONFIDENCE_WORDS if c in confidences],
        likelihoods_used=[(term, LIKELIHOOD_BANDS[term]) for term in likelihoods],
        stale_after_days=briefing.stale_after_days,
        fact_count=len(all_facts),
        generator=generator,
        inputs_digest=inputs_digest,
        judgments=judgments,
        scope=describe_scope(project, briefing),
        order=briefing.order,
        banner=" · ".join(part for part in (highest, briefing.classification) if part) or None,
        marking=highest,
        markings=marks.names if marks is not None else (),
        release=briefing.release,
        lang=briefing.lang,
    )


def _fact_view(
    fact: Fact,
    briefing: Briefing,
    sources: dict[str, Source],
    numbered: dict[str, SourceView],
    actor_name: ActorName,
    marks: Scheme | None,
) -> FactView:
    anchor = f"fact-{fact.id}"
    ref = FactRef(fact.id, anchor, fact.title)
    citations = []
    for citation in fact.sources:
        source = sources[citation.source]
        view = numbered.get(source.id)
        if view is None:  # sources are numbered in order of first use
            view = numbered[source.id] = _source_view(source, len(numbered) + 1)
        if not view.cited_by or view.cited_by[-1].id != fact.id:
            view.cited_by.append(ref)
        citations.append(
            CitationView(
                source=view,
                code=f"{source.reliability}{citation.credibility}",
                credibility_words=CREDIBILITY_WORDS[citation.credibility],
                quote=citation.quote,
                locator=citation.locator,
                reliability=source.reliability,
                credibility=citation.credibility,
            )
        )
    kind, item = kind_of(fact)
    return FactView(
        id=fact.id,
        anchor=anchor,
        title=fact.title,
        date=display_span(fact.start, fact.end),
        date_iso=str(fact.start) if fact.start == fact.end else f"{fact.start}/{fact.end}",
        confidence=fact.confidence,
        key=fact.key and briefing.judgments is None,  # written judgments replace key facts
        text=render_markdown(fact.text),
        actors=[actor_name(a) for a in fact.actors],
        tags=list(fact.tags),
        citations=citations,
        independent_sources=len(reliable_origins(fact, sources)),
        also_reported_by=list(
            dict.fromkeys(
                c.source.number
                for c, cited in zip(citations, fact.sources, strict=True)
                if not leans_on(sources[cited.source], cited.credibility)
            )
        ),
        reviewed=fact.reviewed.display() if fact.reviewed else None,
        stale=is_stale(fact, briefing),
        kind=kind.name,
        details=kind.view(item, actor_name) if kind.view is not None else None,
        partial=kind.partial,
        lead=kind.lead,
        acknowledged=dict(fact.acknowledge),
        long=_estimated_lines(fact) > LONG_FACT_LINES,
        marking=fact_marking(marks, fact, sources) if marks is not None else None,
        date_range=date_span(fact.start, fact.end),
        actor_refs=[actor_ref(a, actor_name) for a in fact.actors],
        reviewed_iso=iso_date(fact.reviewed),
    )


# A PDF page holds about 50 lines of a fact's text; a fact of more than a quarter of
# that leaves too much of a page empty when it is pushed whole to the next.
LONG_FACT_LINES = 12
_CHARS_PER_LINE = 100


def _estimated_lines(fact: Fact) -> int:
    """About how many lines a fact takes in the PDF: its head, text, details and
    citations. Only has to tell a fact of a few lines from one of a third of a page."""
    lines = 3 + len(fact.title) // 70  # title, dates and badges, actors
    for paragraph in fact.text.split("\n\n"):
        lines += 1 + len(paragraph) // _CHARS_PER_LINE
    for citation in fact.sources:
        lines += 1 + len((citation.quote or "") + (citation.locator or "")) // _CHARS_PER_LINE
    _, item = kind_of(fact)
    if item is not None:  # its details: a line or two, and one per term or indicator
        values = item.model_dump().values()
        texts = [v for v in values if isinstance(v, str)]
        lines += 1 + len(texts) // 2 + sum(len(v) for v in values if isinstance(v, list))
    return lines


# What RFC 3986 allows as it is in a path, query or fragment ("%" only before two hex
# digits); anything else, a non-ASCII letter, "|", "^", "[", is percent-encoded.
_URI_SAFE = "!$&'()*+,;=:@/?~-._%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def uri(url: str) -> str:
    """`url` (an IRI, as analysts paste them) as a URI: what a link, a STIX reference or
    any other format that requires a URI gets. Escapes already there are kept."""
    parts = urlsplit(url)

    def encode(part: str, safe: str = _URI_SAFE) -> str:
        return quote(_LONE_PERCENT.sub("%25", part), safe=safe)

    netloc = parts.netloc
    if not netloc.isascii():
        # bücher.example: xn--bcher-kva.example; a name IDNA cannot spell is
        # percent-encoded below.
        with contextlib.suppress(UnicodeError):
            netloc = netloc.encode("idna").decode("ascii")
    netloc = encode(netloc, _URI_SAFE + "[]")  # [] only around an IPv6 address
    return urlunsplit(
        (parts.scheme, netloc, encode(parts.path), encode(parts.query), encode(parts.fragment))
    )


def _with_origins(views: list[SourceView], actor_name: ActorName) -> list[SourceView]:
    """Each source's origin by name, and the other sources shown that share it."""
    by_origin: dict[str, list[int]] = {}
    for view in views:
        if view.origin is not None:
            by_origin.setdefault(view.origin, []).append(view.number)
    named = []
    for view in views:
        origin = view.origin
        # An origin that is no declared actor (a source, or only an id) is said by the
        # sources sharing it, never by its id.
        name = actor_name(origin) if origin is not None else None
        name = None if name == origin else name
        shared = [n for n in by_origin.get(origin or "", []) if n != view.number]
        named.append(dataclasses.replace(view, origin_name=name, shares_origin_with=shared))
    # Cited-by lists were filled in place; replace keeps the same list objects.
    return named


def _source_view(source: Source, number: int) -> SourceView:
    return SourceView(
        number=number,
        id=source.id,
        anchor=f"source-{source.id}",
        title=source.title,
        publisher=source.publisher,
        url=uri(source.url) if source.url else None,
        published=source.published.display() if source.published else None,
        accessed=source.accessed.display() if source.accessed else None,
        type=source.type,
        type_words=SOURCE_TYPE_WORDS[source.type],
        reliability=source.reliability,
        reliability_words=RELIABILITY_WORDS[source.reliability],
        origin=source.origin,
        lang=source.lang,
        translated_title=source.translated_title,
        published_iso=iso_date(source.published),
        accessed_iso=iso_date(source.accessed),
    )


__all__ = ["BriefingView", "PartialDate", "assemble_briefing", "included_facts"]
