"""Kinds of fact: one table, read by every stage that treats a flow, an agreement
or a risk differently from a plain fact.

A fact is plain, or carries one mapping that makes it a kind of fact (`flow:`,
`agreement:`, `risk:`). Each kind declares its model (model.py), its label in
messages, the keys of its mapping that name actors (checked as references,
counted by `unused-actor`, matched by a briefing's `include.actors`), the
function building what its reader sees, and the theme's partial that shows
it. The loader, the checks, the rules and assembly read `KINDS`; a new kind is
a model (with its field on model.Fact), a view builder here and one template
(ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel

from .model import LIKELIHOOD_BANDS, Agreement, Fact, Flow, QuantityRange, Risk
from .richtext import render_inline

# An actor's id -> the name a reader sees (the id itself when it is not declared).
ActorName = Callable[[str], str]


@dataclass(frozen=True)
class FactKind:
    """One kind of fact."""

    name: str  # the fact's key holding its mapping ("flow"); "plain" for none
    label: str  # as a message names it: "a flow"
    model: type[BaseModel] | None  # the mapping's model; None for a plain fact
    actor_keys: tuple[str, ...]  # keys of the mapping, as written, naming one actor or a list
    # What the reader sees of the mapping (None: nothing beyond the fact's text).
    view: Callable[[Any, ActorName], object] | None
    partial: str | None  # the theme's template showing that view
    lead: bool = False  # shown before the fact's text rather than after it
    # The model's attribute for each actor key (`from` is `from_`), worked out once.
    _attributes: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = self.model.model_fields if self.model is not None else {}
        by_key = {(info.alias or name): name for name, info in fields.items()}
        object.__setattr__(self, "_attributes", tuple(by_key[k] for k in self.actor_keys))

    def actors_of(self, item: BaseModel) -> list[str]:
        """The actor ids the validated mapping `item` names, in key order."""
        names: list[str] = []
        for attribute in self._attributes:
            value = getattr(item, attribute)
            names += [value] if isinstance(value, str) else list(value or ())
        return names


# -- the views of each kind --------------------------------------------------------------


@dataclass
class FlowView:
    origin: str
    destination: str
    what: str
    category: str
    amount: str | None  # "10,000+ troops", "200–250 containers"
    since: str | None


@dataclass
class AgreementView:
    name: str
    parties: list[str]
    signed: str | None
    place: str | None
    status: str
    terms: list[Markup]


@dataclass
class RiskView:
    likelihood: str
    band: str
    impact: str
    indicators: list[Markup]


def flow_view(flow: Flow, actor_name: ActorName) -> FlowView:
    amount = None
    if flow.quantity is not None:
        amount = format_quantity(flow.quantity)
        if flow.unit:
            # A percentage joins its number: "90% of imports", not "90 % of imports".
            space = "" if flow.unit.startswith("%") else " "
            amount = f"{amount}{space}{flow.unit}"
    return FlowView(
        origin=actor_name(flow.from_),
        destination=actor_name(flow.to),
        what=flow.what,
        category=flow.category,
        amount=amount,
        since=flow.since.display() if flow.since else None,
    )


def agreement_view(agreement: Agreement, actor_name: ActorName) -> AgreementView:
    return AgreementView(
        name=agreement.name,
        parties=[actor_name(p) for p in agreement.parties],
        signed=agreement.signed.display() if agreement.signed else None,
        place=agreement.place,
        status=agreement.status,
        terms=[render_inline(term) for term in agreement.terms],
    )


def risk_view(risk: Risk, actor_name: ActorName) -> RiskView:
    return RiskView(
        likelihood=risk.likelihood,
        band=LIKELIHOOD_BANDS[risk.likelihood],
        impact=risk.impact,
        indicators=[render_inline(item) for item in risk.indicators],
    )


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


# -- the table ---------------------------------------------------------------------------

# Plain first: the kind of a fact that carries no mapping. The others in the order
# checks name them ("at most one of flow, agreement and risk").
KINDS: dict[str, FactKind] = {
    kind.name: kind
    for kind in (
        FactKind("plain", "a fact", None, (), None, None),
        FactKind("flow", "a flow", Flow, ("from", "to"), flow_view, "_flow.html", lead=True),
        FactKind(
            "agreement", "an agreement", Agreement, ("parties",), agreement_view, "_agreement.html"
        ),
        FactKind("risk", "a risk", Risk, (), risk_view, "_risk.html"),
    )
}
PLAIN = KINDS["plain"]
# The kinds a fact takes on by a key holding a mapping: all but plain.
MAPPED: tuple[FactKind, ...] = tuple(kind for kind in KINDS.values() if kind.model is not None)


def kind_of(fact: Fact) -> tuple[FactKind, BaseModel | None]:
    """The fact's kind and its mapping (PLAIN and None for a plain fact). The model
    lets a fact carry several; checks.py reports all but the first."""
    for kind in MAPPED:
        item = getattr(fact, kind.name)
        if item is not None:
            return kind, item
    return PLAIN, None


def named_actors(fact: Fact) -> list[str]:
    """Every actor the fact names: in its `actors` and in its kind's actor keys."""
    names = list(fact.actors)
    for kind in MAPPED:
        if kind.actor_keys and (item := getattr(fact, kind.name)) is not None:
            names += kind.actors_of(item)
    return list(dict.fromkeys(names))


__all__ = ["KINDS", "MAPPED", "PLAIN", "ActorName", "FactKind", "kind_of", "named_actors"]
