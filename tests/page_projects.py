"""Two held-in projects for the page checks of issue 22, written out by these functions
so the tests can build them: `long_project`, 64 facts of every kind over five sections
with seven written judgments; `old_agreement_project`, an agreement of 1999 (and one
of 2009) among facts of 2024. Their text varies in length from one sentence to most of
a page, as a desk's does, and is fixed, so a layout that breaks shows the same way."""

from __future__ import annotations

from pathlib import Path

from projects import write_tree

SENTENCES = [
    "Officials in both capitals declined to comment on the reports.",
    "The shipments are said to have crossed at the Tumen River rail bridge at night.",
    "Satellite imagery published by a research group shows new rail cars at the depot.",
    "The figure was not confirmed independently and includes some earlier deliveries.",
    "Analysts note that the pattern matches deliveries reported in the previous spring.",
    "A defence ministry spokesman said the claims were part of a disinformation campaign.",
    "Customs data for the period show an unexplained rise in declared machinery imports.",
    "The arrangement is thought to be paid in part in oil and in part in hard currency.",
    "Two former officials, speaking on condition of anonymity, described the talks.",
    "Independent monitors were not allowed to visit the port during the period.",
    "Insurance records show that several tankers switched off their transponders nearby.",
    "The report adds that training took place at a range east of the capital.",
]

SECTIONS = [
    ("flows", "Arms and money", "What moves between the two states, and how much."),
    ("deals", "Agreements", "The treaties and arrangements that frame the exchange."),
    ("risks", "Risks", "Our estimates, in ICD 203 terms, with the indicators to watch."),
    ("economy", "Economy", "Trade, payments and sanctions evasion around the exchange."),
    ("context", "Context", "Claims and events the reporting sets beside the exchange."),
]

SOURCES = """\
sources:
  - id: wire
    title: Wire report on deliveries across the northern border
    publisher: A wire agency
    reliability: B
    type: media
    published: 2024-11-02
  - id: ministry
    title: Statement of the defence ministry on the exchange
    reliability: B
    type: official
    origin: government
  - id: adviser
    title: Interview with the national security adviser
    reliability: B
    type: official
    origin: government
  - id: institute
    title: Satellite imagery survey of rail depots, autumn 2024
    publisher: A research institute
    reliability: A
    type: think-tank
  - id: customs
    title: Customs statistics for the third quarter
    reliability: A
    type: official
  - id: channel
    title: Anonymous messaging channel close to the military
    reliability: E
    type: social
  - id: state-media
    title: State news agency dispatch
    reliability: D
    type: media
  - id: monitor
    title: Sanctions monitoring panel, mid-term report
    reliability: B
    type: ngo
"""

ACTORS = """\
actors:
  - id: RU
    name: Russia
  - id: KP
    name: North Korea
  - id: CN
    name: China
  - id: KR
    name: South Korea
"""


def _text(n: int, sentences: int) -> str:
    words = [SENTENCES[(n * 5 + k) % len(SENTENCES)] for k in range(sentences)]
    paragraphs = [" ".join(words[i : i + 5]) for i in range(0, len(words), 5)]
    return "\n\n".join(paragraphs)


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(f"{pad}{line}" if line else "" for line in text.splitlines())


def _citations(n: int) -> str:
    picks = [
        "wire",
        "ministry",
        "adviser",
        "institute",
        "customs",
        "channel",
        "monitor",
        "state-media",
    ]
    lines = []
    for c in range(1 + n % 3):
        source = picks[(n + 2 * c) % len(picks)]
        credibility = 2 + (n + c) % 4
        lines.append(f"      - source: {source}\n        credibility: {credibility}\n")
        if (n + c) % 2 == 0:
            lines.append(f"        locator: paragraph {1 + (n * 3 + c) % 14}\n")
        if n % 7 == 3 and c == 0:
            lines.append('        quote: "deliveries continued through the autumn"\n')
    return "".join(lines)


def _kind(section: str, n: int) -> str:
    if section == "flows":
        units = [
            ("{min: 10000}", "troops", ""),
            ("{min: 200, max: 250}", "containers", ""),
            ("{about: 108.5}", "million tonnes of crude oil", ""),
            ("5", "USD", "      unit_first: true\n"),
        ]
        quantity, unit, extra = units[n % len(units)]
        return (
            "    flow:\n      from: KP\n      to: RU\n"
            f"      what: artillery shells and rockets, batch {n}\n"
            f"      category: ammunition\n      quantity: {quantity}\n      unit: {unit}\n{extra}"
            "      since: 2023-08\n"
        )
    if section == "economy" and n % 2 == 0:
        return (
            "    flow:\n      from: RU\n      to: KP\n      what: payments for deliveries\n"
            "      category: economic\n      quantity: 105\n      unit: RUB billion\n"
        )
    if section == "deals":
        terms = "".join(
            f"        - {SENTENCES[(n + t) % len(SENTENCES)]}\n" for t in range(1 + n % 4)
        )
        return (
            f"    agreement:\n      name: Protocol {n} on military cooperation\n"
            "      parties: [RU, KP]\n      signed: 2024-06-19\n      place: Pyongyang\n"
            f"      status: in-force\n      terms:\n{terms}"
        )
    if section == "risks":
        indicators = "".join(
            f"        - {SENTENCES[(n + 3 + t) % len(SENTENCES)]}\n" for t in range(2 + n % 3)
        )
        likelihood = ["unlikely", "roughly even chance", "likely", "very likely"][n % 4]
        impact = ["moderate", "high", "severe"][n % 3]
        return (
            f"    risk:\n      likelihood: {likelihood}\n      impact: {impact}\n"
            f"      indicators:\n{indicators}"
        )
    return ""


# Sentences per fact: from one line to most of a page, mixed as a desk writes them.
LENGTHS = [2, 6, 1, 14, 3, 4, 9, 2, 22, 5, 3, 7, 1, 11, 4, 2, 30, 6, 3, 8]


def _facts(count: int, sections: list[str], day: str = "2024-{month:02d}-{day:02d}") -> str:
    facts = []
    for n in range(count):
        section = sections[n % len(sections)]
        month, mday = 1 + n % 11, 1 + (n * 7) % 27
        date = day.format(month=month, day=mday)
        if n % 9 == 4:  # a span within one month: "12–25 September 2024"
            date = f"{{from: {date}, to: 2024-{month:02d}-28}}"
        text = _text(n, LENGTHS[n % len(LENGTHS)])
        title = SENTENCES[(n * 3) % len(SENTENCES)].rstrip(".") + f" (item {n})"
        facts.append(
            f"  - id: f{n:02d}\n    title: {title}\n    text: {_block(text, 6)}\n"
            f"    date: {date}\n    section: {section}\n"
            f"    confidence: {['moderate', 'low', 'high'][n % 3]}\n"
            f"    actors: [RU, KP{', CN' if n % 5 == 1 else ''}{', KR' if n % 5 == 2 else ''}]\n"
            "    reviewed: 2024-11-20\n"
            f"{_kind(section, n)}    sources:\n{_citations(n)}"
        )
    return "facts:\n" + "".join(facts)


JUDGMENTS = [
    (
        "North Korea will keep supplying artillery ammunition to Russia through 2025, at "
        "about the rate of the past year.",
        "likely",
        "moderate",
        ["f00", "f05", "f10"],
    ),
    (
        "Russia is paying for the ammunition largely in oil and food rather than in "
        "military technology.",
        None,
        "low",
        ["f03", "f08"],
    ),
    (
        "The June 2024 treaty commits Russia to North Korea's defence more firmly than "
        "any agreement since 1961.",
        None,
        "moderate",
        ["f01", "f06", "f11"],
    ),
    (
        "A Russian transfer of submarine or missile technology in the coming year would "
        "shift the balance on the peninsula.",
        "roughly even chance",
        "low",
        ["f02", "f07"],
    ),
    (
        "Sanctions monitoring will not stop the flows while both states control the "
        "border crossings.",
        "very likely",
        "moderate",
        ["f04", "f09"],
    ),
    (
        "North Korean troops will remain in Russia's Kursk region through the spring.",
        "likely",
        "moderate",
        ["f12", "f13"],
    ),
    ("China tolerates the exchange but will not join it openly.", "likely", "low", ["f14", "f19"]),
]


def _judgments() -> str:
    lines = ["    judgments:\n"]
    for text, likelihood, confidence, based_on in JUDGMENTS:
        lines.append(f"      - text: {text}\n        confidence: {confidence}\n")
        if likelihood:
            lines.append(f"        likelihood: {likelihood}\n")
        lines.append(f"        based_on: [{', '.join(based_on)}]\n")
    return "".join(lines)


def _config(sections: list[tuple[str, str, str]], title: str, judgments: str) -> str:
    listed = "".join(
        f"  - id: {sid}\n    title: {name}\n    intro: {intro}\n" for sid, name, intro in sections
    )
    return (
        f'sections:\n{listed}briefings:\n  - id: brief\n    title: "{title}"\n'
        "    subtitle: Held-in project for the page checks\n"
        "    edition: 2024-12-02\n    author: Test desk\n    classification: UNCLASSIFIED\n"
        "    formats: [html, pdf]\n"
        "    summary: |\n"
        "      North Korea supplies Russia with ammunition and troops; Russia pays in\n"
        "      oil, food and, reportedly, technology. The exchange rests on the June\n"
        "      2024 treaty and shows no sign of slowing.\n"
        f"{judgments}"
    )


def long_project(root: Path) -> Path:
    """64 facts over five sections, seven written judgments, every kind of fact."""
    ids = [sid for sid, _, _ in SECTIONS]
    sheet = ACTORS + SOURCES + _facts(64, ids)
    config = _config(SECTIONS, "The exchange in full: arms, troops and money", _judgments())
    return write_tree(root, {"briefgen.yaml": config, "facts/main.yaml": sheet})


def old_agreement_project(root: Path) -> Path:
    """An agreement of 1999 and one of 2009 among 22 facts of 2024, three judgments."""
    sections = SECTIONS[:3] + SECTIONS[4:]
    ids = [sid for sid, _, _ in sections]
    facts = _facts(22, ids)
    old = """\
  - id: treaty-1999
    title: Russia and North Korea signed a treaty of friendship in 2000 after talks in 1999
    text: |
      The treaty replaced the 1961 alliance and left out any automatic military
      assistance. Talks on it were concluded in 1999.
    date: 1999-11
    section: deals
    confidence: high
    actors: [RU, KP]
    reviewed: 2024-11-20
    agreement:
      name: Treaty of Friendship, Good-Neighbourliness and Cooperation
      parties: [RU, KP]
      signed: 1999-11
      status: ended
      terms:
        - Consultations if either party is threatened.
    sources:
      - source: institute
        credibility: 1
      - source: customs
        credibility: 2
  - id: accord-2009
    title: A 2009 accord on border rail traffic
    text: Rail traffic across the Tumen River bridge was put on a treaty footing in 2009.
    date: 2009-03-12
    section: deals
    confidence: moderate
    actors: [RU, KP]
    reviewed: 2024-11-20
    agreement:
      name: Accord on border rail traffic
      parties: [RU, KP]
      signed: 2009-03-12
      status: in-force
    sources:
      - source: wire
        credibility: 2
"""
    judgments = "".join(
        f"      - text: {text}\n        confidence: {conf}\n"
        + (f"        likelihood: {lik}\n" if lik else "")
        + f"        based_on: [{', '.join(b for b in based if int(b[1:]) < 22)}]\n"
        for text, lik, conf, based in JUDGMENTS[:3]
    )
    sheet = ACTORS + SOURCES + facts + old
    config = _config(sections, "Old agreements, new exchange", "    judgments:\n" + judgments)
    return write_tree(root, {"briefgen.yaml": config, "facts/main.yaml": sheet})
