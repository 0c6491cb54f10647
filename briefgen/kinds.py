"""Kinds of fact: one table, read by every stage that treats a flow, an agreement
or a risk differently from a plain fact.

A fact is plain, or carries one mapping that makes it a kind of fact (`flow:`,
`agreement:`, `risk:`). Each kind declares, in its entry of `KINDS`, all that
any stage needs of it: its model (model.py), its label in messages, the keys
of its mapping that name actors (checked as references, counted by
`unused-actor`, matched by a briefing's `include.actors` and said in its
scope), the function building what its reader sees and the theme's partial
that shows it, that view in words (the rows of Word's table and of a STIX
note, the STIX relationships between its actors), its skeleton for
`briefgen new fact --kind`, the fields two editions compare, and its help in
the editor schema. No stage names a kind; a new kind is a model (with its
field on model.Fact), an entry here and one template (ARCHITECTURE.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel

from .model import (
    IMPACT_WORDS,
    LIKELIHOOD_BANDS,
    STATUS_WORDS,
    Agreement,
    Category,
    Fact,
    Flow,
    Impact,
    QuantityRange,
    Risk,
    Status,
    choices,
)
from .richtext import render_inline
from .values import (
    PROBABILITIES,
    ActorRef,
    IsoDate,
    Probability,
    Quantity,
    iso_date,
    quantity,
)
from .wording import join_words

# An actor's id -> the name a reader sees (the id itself when it is not declared).
ActorName = Callable[[str], str]


def actor_ref(actor_id: str, actor_name: ActorName) -> ActorRef:
    """The actor by its id, with the name the reader sees."""
    return ActorRef(actor_id, actor_name(actor_id))


# One line of a kind's details in words: a label and its value, a list of Markdown
# items, or None for nothing to show ("Status", "signed"), ("Terms", [...]).
Row = tuple[str, str | list[Markup] | None]


@dataclass(frozen=True)
class Relation:
    """A relationship a fact's kind states between two of its actors (STIX)."""

    key: str  # unique within the fact: "flow", "agreement/0-1"
    source: str  # the actors' names, as the view shows them
    target: str
    description: str
    type: str = "related-to"  # the one STIX relationship defined between any two objects


@dataclass(frozen=True)
class FactKind:
    """One kind of fact: everything any stage needs of it."""

    name: str  # the fact's key holding its mapping ("flow"); "plain" for none
    label: str  # as a message names it: "a flow"
    model: type[BaseModel] | None  # the mapping's model; None for a plain fact
    actor_keys: tuple[str, ...]  # keys of the mapping, as written, naming one actor or a list
    # What the reader sees of the mapping (None: nothing beyond the fact's text).
    view: Callable[[Any, ActorName], object] | None
    partial: str | None  # the theme's template showing that view
    lead: bool = False  # shown before the fact's text rather than after it
    # The view in words, a row per line (Word's table; a single row is one line).
    rows: Callable[[Any], list[Row]] | None = None
    # The lines of a STIX note saying the view; None: one line per row.
    note: Callable[[Any], list[str]] | None = None
    # The relationships it states between its actors (STIX); none by default.
    relations: Callable[[Any], list[Relation]] | None = None
    # The ICD 203 likelihood the view states, shown with the fact in the key judgments.
    likelihood: Callable[[Any], str | None] | None = None
    # What two editions compare of it, by name: "status" -> the view's status (changes.py).
    compared: dict[str, Callable[[Any], str | None]] = field(default_factory=dict, compare=False)
    # Its lines in `briefgen new fact --kind`: (the declared actors, today) -> YAML lines.
    skeleton: Callable[[list[str], str], list[str]] | None = None
    # Editor help (schema.py): the fact's key, in a few words after "Optional: ", and
    # the mapping's keys ("" the mapping itself), with words for a key's choices.
    about: str = ""
    help: dict[str, str] = field(default_factory=dict, compare=False)
    choices_help: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    # The model's attribute for each actor key (`from` is `from_`), worked out once.
    _attributes: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = self.model.model_fields if self.model is not None else {}
        by_key = {(info.alias or name): name for name, info in fields.items()}
        object.__setattr__(self, "_attributes", tuple(by_key[k] for k in self.actor_keys))

    @property
    def heading(self) -> str:
        """Its name as a heading or caption: "Agreement"."""
        return self.label.split()[-1].capitalize()

    def actors_of(self, item: BaseModel) -> list[str]:
        """The actor ids the validated mapping `item` names, in key order."""
        names: list[str] = []
        for attribute in self._attributes:
            value = getattr(item, attribute)
            names += [value] if isinstance(value, str) else list(value or ())
        return names

    def note_lines(self, details: object) -> list[str]:
        """What a STIX note says of `details`, a line each."""
        if self.note is not None:
            return self.note(details)
        lines = []
        for label, value in self.rows(details) if self.rows is not None else []:
            if isinstance(value, list):
                value = "; ".join(Markup(item).striptags() for item in value)
            if value:
                lines.append(f"{label}: {value}.")
        return lines


# -- the views of each kind --------------------------------------------------------------


# Each view keeps, beside what the reader sees, the values a script needs
# (values.py): the actors by id, dates as ISO 8601, quantities and bands as numbers;
# the json format's schema gives each field's `about`.
_SAME_BY_ID = "The same actor by id, with its name."
_SAME_ISO = "The same, ISO 8601 at the precision written."


@dataclass
class FlowView:
    origin: str = field(metadata={"about": "The actor it comes from, by name."})
    origin_ref: ActorRef = field(metadata={"about": _SAME_BY_ID})
    destination: str = field(metadata={"about": "The actor it goes to, by name."})
    destination_ref: ActorRef = field(metadata={"about": _SAME_BY_ID})
    what: str
    category: str
    # "10,000+ troops", "200–250 containers"
    amount: str | None = field(
        metadata={
            "about": "Its quantity and unit as the page shows them: '10,000+ troops', "
            "'about 128.5 USD per 1,000 m³'; null when none is given."
        }
    )
    quantity: Quantity | None = field(
        metadata={"about": "The same as numbers, with the unit; null when none is given."}
    )
    since: str | None = field(metadata={"about": "When it began, as the page shows it."})
    since_iso: IsoDate | None = field(metadata={"about": _SAME_ISO})


@dataclass
class AgreementView:
    name: str
    parties: list[str] = field(metadata={"about": "Its parties, by name."})
    party_refs: list[ActorRef] = field(
        metadata={"about": "The same parties by id, each with its name."}
    )
    signed: str | None = field(metadata={"about": "When it was signed, as the page shows it."})
    signed_iso: IsoDate | None = field(metadata={"about": _SAME_ISO})
    place: str | None
    status: str  # as written: "in-force" (what editions compare)
    terms: list[Markup]
    status_words: str = ""  # as the reader sees it: "in force"


@dataclass
class RiskView:
    likelihood: str
    band: str = field(
        metadata={"about": "Its likelihood's probability band as the page shows it: '20–45%'."}
    )
    probability: Probability = field(
        metadata={"about": "The same band as probabilities from 0 to 1."}
    )
    impact: str  # as written: "severe" (what editions compare)
    indicators: list[Markup]
    impact_words: str = ""  # as the reader sees it: "severe impact"


def flow_view(flow: Flow, actor_name: ActorName) -> FlowView:
    amount = None
    if flow.quantity is not None:
        amount = format_amount(flow.quantity, flow.unit, flow.unit_first)
    return FlowView(
        origin=actor_name(flow.from_),
        destination=actor_name(flow.to),
        what=flow.what,
        category=flow.category,
        amount=amount,
        since=flow.since.display() if flow.since else None,
        origin_ref=actor_ref(flow.from_, actor_name),
        destination_ref=actor_ref(flow.to, actor_name),
        quantity=quantity(flow.quantity, flow.unit) if flow.quantity is not None else None,
        since_iso=iso_date(flow.since),
    )


def agreement_view(agreement: Agreement, actor_name: ActorName) -> AgreementView:
    return AgreementView(
        name=agreement.name,
        parties=[actor_name(p) for p in agreement.parties],
        signed=agreement.signed.display() if agreement.signed else None,
        place=agreement.place,
        status=agreement.status,
        terms=[render_inline(term) for term in agreement.terms],
        party_refs=[actor_ref(p, actor_name) for p in agreement.parties],
        signed_iso=iso_date(agreement.signed),
        status_words=STATUS_WORDS[agreement.status],
    )


def risk_view(risk: Risk, actor_name: ActorName) -> RiskView:
    return RiskView(
        likelihood=risk.likelihood,
        band=LIKELIHOOD_BANDS[risk.likelihood],
        impact=risk.impact,
        indicators=[render_inline(item) for item in risk.indicators],
        probability=PROBABILITIES[risk.likelihood],
        impact_words=IMPACT_WORDS[risk.impact],
    )


# A currency code and what scales it: "RUB billion" reads "RUB 105 billion".
_CURRENCY_UNIT = re.compile(r"([A-Z]{3}|[$€£¥₩₽])(?: (.+))?")


def format_amount(quantity: QuantityRange, unit: str | None, unit_first: bool = False) -> str:
    """A quantity with its unit as a reader says it: '10,000+ troops', '90% of imports',
    'RUB 105 billion' (a currency code first, its scale after the number), 'USD 5'
    (`unit_first`), 'about 128.5 USD per barrel' (a currency with a 'per' stays after)."""
    number = format_quantity(quantity)
    if not unit:
        return number
    if unit.startswith("%"):  # a percentage joins its number: "90% of imports"
        return f"{number}{unit}"
    estimate = number.startswith("about ")
    bare = number.removeprefix("about ")
    prefix = "about " if estimate else ""
    currency = _CURRENCY_UNIT.fullmatch(unit)
    if unit_first:
        return f"{prefix}{unit} {bare}"
    if currency and not (currency[2] or "").startswith("per "):
        code, scale = currency[1], currency[2]
        space = "" if len(code) == 1 else " "
        return f"{prefix}{code}{space}{bare}" + (f" {scale}" if scale else "")
    return f"{number} {unit}"


def format_quantity(quantity: QuantityRange) -> str:
    """'10,000', '10,000+', '200–250' or 'about 108.5'."""
    if quantity.about is not None:
        return f"about {_number(quantity.about)}"
    low = _number(quantity.min)
    if quantity.max is None:
        return f"{low}+"
    if quantity.exact:
        return low
    return f"{low}–{_number(quantity.max)}"


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


# -- each kind in words ------------------------------------------------------------------


def _flow_rows(flow: FlowView) -> list[Row]:
    words = f"{flow.origin} → {flow.destination}: {flow.what} ({flow.category})"
    words += f"; {flow.amount}" if flow.amount else ""
    words += f"; since {flow.since}" if flow.since else ""
    return [("Flow", words)]


def _flow_words(flow: FlowView) -> str:
    """The flow as a STIX note and relationship say it: "A to B: what (category), ..."."""
    words = f"{flow.origin} to {flow.destination}: {flow.what} ({flow.category})"
    if flow.amount:
        words += f", {flow.amount}"
    if flow.since:
        words += f", since {flow.since}"
    return words


def _flow_relations(flow: FlowView) -> list[Relation]:
    return [Relation("flow", flow.origin, flow.destination, _flow_words(flow))]


def _flow_skeleton(actors: list[str], day: str) -> list[str]:
    first, second = [*actors, "TODO-actor", "TODO-actor"][:2]
    return [
        "flow:",
        f"  from: {first}  # actor ids: {', '.join(actors[:6])}",
        f"  to: {second}",
        "  what: TODO what moves, in a few words",
        f"  category: other  # {choices(Category)}",
        "  # quantity: 10000  # or {min: 10000} for '10,000+', {min: 200, max: 250}, "
        "{about: 108.5}",
        "  # unit: troops",
        f"  # since: {day}",
    ]


def _agreement_rows(agreement: AgreementView) -> list[Row]:
    return [
        ("Agreement", agreement.name),
        ("Parties", ", ".join(agreement.parties)),
        ("Status", agreement.status_words),
        ("Signed", agreement.signed),
        ("Place", agreement.place),
        ("Terms", agreement.terms or None),
    ]


def _agreement_words(agreement: AgreementView) -> str:
    words = f"{agreement.name} ({agreement.status_words}"
    words += f", signed {agreement.signed}" if agreement.signed else ""
    words += f" in {agreement.place}" if agreement.place else ""
    terms = "; ".join(Markup(t).striptags() for t in agreement.terms)
    return words + ")" + (f". Terms: {terms}" if terms else "")


def _agreement_relations(agreement: AgreementView) -> list[Relation]:
    """One between each pair of its parties."""
    parties, words = agreement.parties, _agreement_words(agreement)
    return [
        Relation(f"agreement/{i}-{j}", first, second, f"{first} and {second}: {words}")
        for i, first in enumerate(parties)
        for j, second in enumerate(parties[i + 1 :], start=i + 1)
    ]


def _agreement_skeleton(actors: list[str], day: str) -> list[str]:
    first, second = [*actors, "TODO-actor", "TODO-actor"][:2]
    return [
        "agreement:",
        "  name: TODO the agreement's name",
        f"  parties: [{first}, {second}]  # two or more actor ids",
        f"  status: proposed  # {choices(Status)}",
        f"  # signed: {day}",
        "  # place: TODO",
        "  # terms:",
        "  #   - TODO one term, in Markdown",
    ]


def _risk_rows(risk: RiskView) -> list[Row]:
    return [
        ("Likelihood", f"{risk.likelihood} ({risk.band})"),
        ("Impact", risk.impact),
        ("Indicators", risk.indicators or None),
    ]


def _risk_note(risk: RiskView) -> list[str]:
    lines = [f"Risk: {risk.likelihood} ({risk.band}), {risk.impact_words}."]
    return lines + [f"Indicator: {Markup(i).striptags()}" for i in risk.indicators]


def _risk_skeleton(actors: list[str], day: str) -> list[str]:
    return [
        "risk:",
        "  likelihood: roughly even chance  # ICD 203, e.g. unlikely | likely | very likely",
        f"  impact: moderate  # {choices(Impact)}",
        "  indicators:",
        "    - TODO what would show the risk materialising",
    ]


def _plain_skeleton(actors: list[str], day: str) -> list[str]:
    return [
        f"# at most one of {names_in_words('and')} (briefgen new fact --kind ...), e.g.:",
        f"# flow: {{from: ..., to: ..., what: ..., category: ...}}  # {choices(Category)}",
    ]


# -- the table ---------------------------------------------------------------------------

# Plain first: the kind of a fact that carries no mapping. The others in the order
# checks name them ("at most one of flow, agreement and risk").
KINDS: dict[str, FactKind] = {
    kind.name: kind
    for kind in (
        FactKind("plain", "a fact", None, (), None, None, skeleton=_plain_skeleton),
        FactKind(
            "flow",
            "a flow",
            Flow,
            ("from", "to"),
            flow_view,
            "_flow.html",
            lead=True,
            rows=_flow_rows,
            note=lambda flow: [f"Flow: {_flow_words(flow)}."],
            relations=_flow_relations,
            compared={"quantity": lambda flow: flow.amount},
            skeleton=_flow_skeleton,
            about="something moving from one actor to another",
            help={
                "": "Something moving from one actor to another.",
                "from": "The id of the actor it comes from.",
                "to": "The id of the actor it goes to.",
                "what": "What moves, in a few words.",
                "category": "What kind of thing moves.",
                "quantity": "Optional: a number, {min: N} for 'N+', {min: N, max: M}, "
                "or {about: N}.",
                "unit": "Optional unit of the quantity, e.g. troops, or '% of imports'.",
                "unit_first": "Optional: true to write the unit before the number "
                "('USD 5'); default false.",
                "since": "Optional: when the flow began, YYYY, YYYY-MM or YYYY-MM-DD.",
            },
        ),
        FactKind(
            "agreement",
            "an agreement",
            Agreement,
            ("parties",),
            agreement_view,
            "_agreement.html",
            rows=_agreement_rows,
            note=lambda agreement: [f"Agreement: {_agreement_words(agreement)}."],
            relations=_agreement_relations,
            compared={"status": lambda agreement: agreement.status},
            skeleton=_agreement_skeleton,
            about="an agreement between two or more actors",
            help={
                "": "An agreement between two or more actors.",
                "name": "The agreement's name.",
                "parties": "Ids of the two or more actors party to it.",
                "signed": "Optional: when it was signed, YYYY, YYYY-MM or YYYY-MM-DD.",
                "place": "Optional: where it was signed.",
                "status": "Where the agreement stands.",
                "terms": "Optional: its terms, one Markdown line each.",
            },
        ),
        FactKind(
            "risk",
            "a risk",
            Risk,
            (),
            risk_view,
            "_risk.html",
            rows=_risk_rows,
            note=_risk_note,
            likelihood=lambda risk: risk.likelihood,
            compared={"likelihood": lambda risk: risk.likelihood, "impact": lambda r: r.impact},
            skeleton=_risk_skeleton,
            about="a risk, with its likelihood and impact",
            help={
                "": "A risk, with its likelihood in ICD 203 terms and its impact.",
                "likelihood": "ICD 203 estimative term, with its probability band.",
                "impact": "How bad it would be.",
                "indicators": "Optional: what would show the risk materialising.",
            },
            choices_help={"likelihood": LIKELIHOOD_BANDS},
        ),
    )
}
PLAIN = KINDS["plain"]


def mapped_kinds() -> list[FactKind]:
    """The kinds a fact takes on by a key holding a mapping: all but plain. Read from
    the table each time, so an entry added to it counts everywhere."""
    return [kind for kind in KINDS.values() if kind.model is not None]


def compared_names() -> list[str]:
    """Every name a kind has two editions compare, in table order (records.py)."""
    return list(dict.fromkeys(name for kind in mapped_kinds() for name in kind.compared))


def names_in_words(conjunction: str, naming_actors: bool = False) -> str:
    """The mapped kinds' names: "flow, agreement and risk"; with `naming_actors`, only
    those whose mapping names actors: "flow or agreement"."""
    return join_words(
        (k.name for k in mapped_kinds() if k.actor_keys or not naming_actors), conjunction
    )


def kind_of(fact: Fact) -> tuple[FactKind, BaseModel | None]:
    """The fact's kind and its mapping (PLAIN and None for a plain fact). The model
    lets a fact carry several; checks.py reports all but the first."""
    for kind in mapped_kinds():
        item = getattr(fact, kind.name, None)
        if item is not None:
            return kind, item
    return PLAIN, None


def named_actors(fact: Fact) -> list[str]:
    """Every actor the fact names: in its `actors` and in its kind's actor keys."""
    names = list(fact.actors)
    for kind in mapped_kinds():
        if kind.actor_keys and (item := getattr(fact, kind.name, None)) is not None:
            names += kind.actors_of(item)
    return list(dict.fromkeys(names))


def written_actors(fact: dict[str, Any]) -> Iterable[tuple[str, tuple[str | int, ...]]]:
    """Each actor id a fact as written (not yet validated) names under its kinds' actor
    keys, with where: ("RU", ("flow", "from")), ("KP", ("agreement", "parties", 1)).
    Anything not text is the model's to report."""
    for kind in mapped_kinds():
        mapping = fact.get(kind.name)
        if not isinstance(mapping, dict):
            continue
        for key in kind.actor_keys:
            value = mapping.get(key)
            if isinstance(value, str):
                yield value, (kind.name, key)
            elif isinstance(value, list):
                for index, actor in enumerate(value):
                    if isinstance(actor, str):
                        yield actor, (kind.name, key, index)


__all__ = [
    "KINDS",
    "PLAIN",
    "ActorName",
    "FactKind",
    "Relation",
    "Row",
    "compared_names",
    "kind_of",
    "mapped_kinds",
    "named_actors",
    "names_in_words",
    "written_actors",
]
