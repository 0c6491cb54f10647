"""A marked project (FORMAT 1.2): every TLP 2.0 level, a fact marked below its source, a
judgment written for release, and three briefings released at three levels.

Every item carries words found nowhere else (its "tracer"), so a test can search
an output's bytes for each item the release withholds.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")


@dataclass(frozen=True)
class Item:
    kind: str  # "fact", "source" or "judgment"
    id: str
    marking: str  # as handled: the effective marking
    tracers: tuple[str, ...]  # words, numbers and URLs only this item carries


def _slug(level: str) -> str:
    return level.removeprefix("TLP:").lower().replace("+", "-")


# Made-up words, one family per level, so a find names the item that leaked.
_WORD = {
    "TLP:CLEAR": "Clearwick",
    "TLP:GREEN": "Greenhollow",
    "TLP:AMBER": "Amberquay",
    "TLP:AMBER+STRICT": "Strictmoor",
    "TLP:RED": "Redfennel",
}
_NUMBER = {
    "TLP:CLEAR": 111222,
    "TLP:GREEN": 333444,
    "TLP:AMBER": 555666,
    "TLP:AMBER+STRICT": 777888,
    "TLP:RED": 918273,
}


def _source(level: str) -> str:
    slug = _slug(level)
    return f"""\
  - id: src-{slug}
    title: {_WORD[level]} dispatch on the exchange
    publisher: {_WORD[level]}press
    url: https://example.org/{_WORD[level].lower()}-report
    published: 2024-11-20
    reliability: B
    type: media
    marking: {level}
"""


def _fact(level: str) -> str:
    slug = _slug(level)
    return f"""\
  - id: fact-{slug}
    title: {_WORD[level]}ite shipments reach the port
    text: |
      {_WORD[level]}ium crates were unloaded, by the dispatch's account.
    date: 2024-11
    section: flows
    confidence: moderate
    actors: [RU, KP]
    marking: {level}
    sources:
      - source: src-{slug}
        credibility: 2
        locator: {_WORD[level]}locus paragraph
    flow:
      from: RU
      to: KP
      what: {_WORD[level]}ite
      category: weapons
      quantity: {_NUMBER[level]}
      unit: crates
"""


SHEET = (
    """\
actors:
  - id: RU
    name: Russia
  - id: KP
    name: North Korea
sources:
"""
    + "".join(_source(level) for level in LEVELS)
    + "facts:\n"
    + "".join(_fact(level) for level in LEVELS)
    + """\
  - id: fact-under
    title: Underlabelled Amberquayne transfer
    text: |
      Marked clear by mistake, yet it rests on an amber source.
    date: 2024-10
    section: flows
    confidence: low
    marking: TLP:CLEAR
    sources:
      - source: src-amber
        credibility: 3
"""
)

CONFIG = """\
sections:
  - id: flows
    title: Flows
judgments:
  - id: j-released
    text: The exchange will likely go on, on evidence the desk cannot share.
    confidence: moderate
    marking: TLP:CLEAR
    based_on: [fact-amber, fact-clear]
  - id: j-red
    text: Redfennelish intentions lie behind the transfers.
    confidence: low
    based_on: [fact-red]
briefings:
"""

RELEASES = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER")


def _briefing(level: str) -> str:
    slug = _slug(level)
    return f"""\
  - id: brief-{slug}
    title: The exchange, released {level}
    edition: 2024-11-25
    release: {level}
    formats: [html, pdf, json, stix, docx]
    judgments: [j-released, j-red]
"""


FILES = {
    "briefgen.yaml": CONFIG + "".join(_briefing(level) for level in RELEASES),
    "facts/main.yaml": SHEET,
}


def items() -> list[Item]:
    """Every marked item, with the marking it is handled at."""
    found: list[Item] = []
    for level in LEVELS:
        slug = _slug(level)
        word, number = _WORD[level], _NUMBER[level]
        found.append(
            Item(
                "source",
                f"src-{slug}",
                level,
                (f"{word} dispatch", f"{word}press", f"{word.lower()}-report"),
            )
        )
        found.append(
            Item(
                "fact",
                f"fact-{slug}",
                level,
                (f"{word}ite", f"{word}ium", f"{word}locus", str(number), f"{number:,}"),
            )
        )
    found.append(Item("fact", "fact-under", "TLP:AMBER", ("Underlabelled", "Amberquayne")))
    found.append(Item("judgment", "j-red", "TLP:RED", ("Redfennelish",)))
    return found


def withheld_at(release: str) -> list[Item]:
    return [item for item in items() if LEVELS.index(item.marking) > LEVELS.index(release)]


def shown_at(release: str) -> list[Item]:
    return [item for item in items() if LEVELS.index(item.marking) <= LEVELS.index(release)]
