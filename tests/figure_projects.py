"""Projects for the figure tests: generated ones of n actors, m flows between them and
k risks, the same for the same seed; and held-in ones for one figure's case."""

from __future__ import annotations

import random
from pathlib import Path

from helpers import MINIMAL_CONFIG, write_tree
from projects import fact, project, sheet

from briefgen.figures.flows import CATEGORIES
from briefgen.figures.matrix import BAND_NAMES as LIKELIHOODS
from briefgen.figures.matrix import IMPACTS

NAMES = [
    "Russia",
    "North Korea",
    "China",
    "Iran",
    "Belarus",
    "Syria",
    "Venezuela",
    "Myanmar",
    "Eritrea",
    "Democratic Republic of the Congo",
    "Cuba",
    "Laos",
    "Sudan",
    "Mali",
    "Nicaragua",
    "Libya",
]
WHATS = [
    "air-defence missiles",
    "artillery shells",
    "troops",
    "drone technology",
    "fuel",
    "hard currency",
    "ballistic missiles",
    "satellite components",
    "military advisers",
    "machine tools and spare parts for armoured vehicles",
]
QUANTITIES = [
    "",
    "quantity: 10000\n      unit: troops",
    "quantity: {min: 200, max: 250}\n      unit: containers",
    "quantity: {min: 13000}",
]
# The briefing of conftest's minimal project, with its formats named.
CONFIG = MINIMAL_CONFIG.replace("A briefing", "A generated briefing") + "    formats: [{formats}]\n"


def figure_project(
    root: Path,
    actors: int,
    flows: int,
    risks: int = 0,
    seed: int = 1,
    formats: str = "html",
) -> Path:
    """A project of `actors` actors, `flows` flows (the first ones chaining every actor
    in, then random pairs, both directions) and `risks` risks."""
    rng = random.Random(seed)
    ids = [f"A{i}" for i in range(actors)]
    lines = ["section: aid-flows", "actors:"]
    for index, actor in enumerate(ids):
        lines += [f"  - id: {actor}", f"    name: {NAMES[index % len(NAMES)]}"]
    lines += ["sources:", "  - id: src", "    title: A source", "    reliability: B"]
    lines += ["    type: official", "facts:"]
    for index in range(flows):
        if index < actors - 1:
            origin, destination = ids[index], ids[index + 1]
        elif index == actors - 1:
            origin, destination = ids[1], ids[0]  # the way back along the first route
        else:
            origin, destination = rng.sample(ids, 2)
        what = rng.choice(WHATS)
        year, month = rng.choice([2022, 2023, 2024]), rng.randint(1, 12)
        lines += [
            f"  - id: flow-{index}",
            f"    title: {what.capitalize()} from {origin} to {destination}, number {index}",
            "    text: Something moved.",
            f"    date: {year}-{month:02d}",
            "    confidence: moderate",
            "    sources: [{source: src, credibility: 2}]",
            "    flow:",
            f"      from: {origin}",
            f"      to: {destination}",
            f"      what: {what}",
            f"      category: {rng.choice(CATEGORIES)}",
        ]
        quantity = rng.choice(QUANTITIES)
        if quantity:
            lines.append(f"      {quantity}")
    for index in range(risks):
        lines += [
            f"  - id: risk-{index}",
            f"    title: Risk {index}, that something grave happens in the region",
            "    section: risks",
            "    text: A grave turn of events.",
            f"    date: 2024-{rng.randint(1, 11):02d}",  # before the edition
            "    confidence: low",
            "    sources: [{source: src, credibility: 3}]",
            "    risk:",
            f"      likelihood: {rng.choice(LIKELIHOODS)}",
            f"      impact: {rng.choice(IMPACTS)}",
        ]
    return write_tree(
        root,
        {
            "briefgen.yaml": CONFIG.format(formats=formats),
            "facts/main.yaml": "\n".join(lines) + "\n",
        },
    )


def outlier_project(root: Path) -> Path:
    """A held-in project for the timeline: a 1999 agreement among facts of 2024 (flows,
    a day, a range and a month), with two risks the timeline leaves to the matrix."""
    agreement = {"name": "Treaty of 1999", "parties": ["RU", "KP"], "signed": "1999-02-09"}
    flows = [
        fact(
            f"flow-{n}",
            f"Shipment {n} of shells",
            date=date,
            flow={"from": "KP", "to": "RU", "what": "artillery shells", "category": "ammunition"},
        )
        for n, date in enumerate(["2024-02", "2024-05-14", "2024-09", "2024-11-02"])
    ]
    facts = [
        fact(
            "treaty-1999",
            "A treaty of friendship signed in 1999",
            date="1999-02-09",
            agreement={**agreement, "status": "in-force"},
        ),
        *flows,
        fact("talks", "Talks through the summer", date="{from: 2024-06, to: 2024-08}"),
    ]
    risks = [
        fact(
            f"risk-{n}",
            f"Risk {n}",
            section="risks",
            date="2024-11",
            risk={"likelihood": likelihood, "impact": "high"},
        )
        for n, likelihood in enumerate(["likely", "unlikely"])
    ]
    return project(root, sheets={"main": sheet(facts=[*facts, *risks])})
