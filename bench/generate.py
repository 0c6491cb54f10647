"""Synthetic briefgen projects of any size, valid under FORMAT.md version 1.

A desk's project as an analyst would keep it: actors in one sheet, sources in
sheets of 100, facts in sheets of about 100 per section and year, each fact
with 2-4 sentences of Markdown, 1-3 citations, tags, a review date, and a
flow, an agreement or a risk where its section calls for one. The same seed
always writes the same bytes.

Briefings (each written so its size is known in advance):

- `main`: every fact, for projects of up to 1,000 facts; in a larger project,
  the facts of the last months, about 100 of them (a PDF of every fact of a
  10,000-fact project would run to 3,000 pages; what a large project costs is
  its validation, which every build pays).
- `desk-1` ... `desk-4`: four briefings of about the same size (a quarter of
  the project, at most about 100 facts each), one per desk tag, used to
  measure `build --jobs`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

MONTHS = 120  # facts are spread evenly over ten years, 2015-01 to 2024-12
FIRST_YEAR = 2015
FACTS_PER_SHEET = 100
SOURCES_PER_SHEET = 100
EDITION = "2025-01-06"  # after every fact's date
ACCESSED = "2025-01-05"  # after every source's publication
MAIN_ALL_UP_TO = 1000  # facts; above this, `main` is a window of about MAIN_SUBSET
MAIN_SUBSET = 100
DESK_TARGET = 100
DESKS = 4

ACTORS = [
    ("RU", "Russia", None),
    ("KP", "North Korea", "DPRK"),
    ("KR", "South Korea", "ROK"),
    ("UA", "Ukraine", None),
    ("CN", "China", "PRC"),
    ("IR", "Iran", None),
    ("BY", "Belarus", None),
    ("SY", "Syria", None),
    ("US", "United States", "US"),
    ("JP", "Japan", None),
    ("TR", "Türkiye", None),
    ("IN", "India", None),
    ("KZ", "Kazakhstan", None),
    ("GE", "Georgia", None),
    ("AM", "Armenia", None),
    ("AZ", "Azerbaijan", None),
    ("ML", "Mali", None),
    ("CF", "Central African Republic", "CAR"),
    ("LY", "Libya", None),
    ("VE", "Venezuela", None),
    ("MM", "Myanmar", None),
    ("PL", "Poland", None),
    ("DE", "Germany", None),
    ("FR", "France", None),
    ("GB", "United Kingdom", "UK"),
    ("EU", "European Union", "EU"),
    ("NATO", "North Atlantic Treaty Organization", "NATO"),
    ("UN", "United Nations", "UN"),
    ("IAEA", "International Atomic Energy Agency", "IAEA"),
    ("WAGNER", "Wagner Group", None),
]
PAIRS = [("RU", "KP"), ("KP", "RU"), ("IR", "RU"), ("RU", "BY"), ("CN", "RU"), ("RU", "SY")]
PUBLISHERS = [
    ("Yonhap", "media", "B"),
    ("Reuters", "media", "B"),
    ("NK News", "media", "C"),
    ("38 North", "think-tank", "B"),
    ("CSIS", "think-tank", "B"),
    ("RUSI", "think-tank", "B"),
    ("Ministry of National Defense", "official", "B"),
    ("National Intelligence Service", "intelligence", "B"),
    ("KCNA", "official", "D"),
    ("TASS", "media", "D"),
    ("Conflict Armament Research", "ngo", "A"),
    ("Open-source analysts on Telegram", "social", "E"),
    ("Journal of Strategic Studies", "academic", "B"),
    ("UN Panel of Experts", "official", "A"),
]
FLOWS = [
    ("artillery shells", "ammunition", "shells", 10_000, 3_000_000),
    ("short-range ballistic missiles", "weapons", "missiles", 10, 120),
    ("air-defence missiles", "weapons", "missiles", 20, 400),
    ("troops", "personnel", "troops", 500, 12_000),
    ("military technicians", "personnel", "technicians", 10, 300),
    ("satellite technology", "technology", None, 0, 0),
    ("oil products", "economic", "barrels", 50_000, 1_000_000),
    ("containers of munitions", "ammunition", "containers", 100, 13_000),
    ("drone components", "technology", "units", 200, 8_000),
    ("hard currency", "economic", "million US dollars", 5, 900),
]
PLACES = [
    "Rajin",
    "Vladivostok",
    "Pyongyang",
    "Tumangang",
    "Vostochny",
    "Kursk",
    "Khasan",
    "Nampo",
    "Minsk",
    "Tartus",
    "Novorossiysk",
    "Chongjin",
]
TOPICS = [
    "air-defence",
    "artillery",
    "missiles",
    "troops",
    "satellite",
    "sanctions",
    "shipping",
    "nuclear",
    "drones",
    "economic",
    "rail",
    "propaganda",
]
AGREEMENTS = [
    "Treaty on Comprehensive Strategic Partnership",
    "Agreement on Military-Technical Cooperation",
    "Memorandum on Rail and Port Logistics",
    "Protocol on Labour Migration",
    "Agreement on Space Cooperation",
    "Memorandum on Energy Supplies",
]
STATUSES = ["proposed", "signed", "ratified", "in-force", "suspended", "ended"]
LIKELIHOODS = [
    "remote",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
]
IMPACTS = ["low", "moderate", "high", "severe"]
SECTIONS = [
    ("aid-flows", "Aid flows", 40),
    ("agreements", "Agreements", 15),
    ("risks", "Risks", 20),
    ("context", "Context", 25),
]


@dataclass(frozen=True)
class Generated:
    """What was written, for the benchmark's table."""

    root: Path
    facts: int
    sources: int
    sheets: int
    main_since: str | None
    main_until: str | None


def month(index: int) -> str:
    """'2015-01' for month 0 of the ten-year span."""
    return f"{FIRST_YEAR + index // 12}-{index % 12 + 1:02d}"


def _display_month(index: int) -> str:
    names = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    return f"{names[index % 12]} {FIRST_YEAR + index // 12}"


def _quote(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.splitlines()) + "\n"


def _sources(count: int, rng: random.Random) -> tuple[list[str], list[tuple[str, str]]]:
    """Source declarations as YAML entries, and each source's reliability and origin
    (its own id when it has none): one of each per source."""
    entries = []
    meta = []
    for index in range(count):
        publisher, kind, reliability = PUBLISHERS[index % len(PUBLISHERS)]
        when = month(rng.randrange(MONTHS))
        title = (
            f"{publisher} report on {rng.choice(TOPICS).replace('-', ' ')} "
            f"cooperation, {_display_month(int(when[:4]) * 12 - FIRST_YEAR * 12)}"
        )
        lines = [
            f"  - id: src-{index:05d}",
            f"    title: {_quote(title)}",
            f"    publisher: {publisher}",
        ]
        if kind in ("media", "think-tank", "ngo", "academic") and rng.random() < 0.8:
            slug = publisher.lower().replace(" ", "-")
            lines.append(f"    url: https://example.org/{slug}/{index:05d}")
        lines += [
            f"    published: {when}-{rng.randint(1, 28):02d}",
            f"    accessed: {ACCESSED}",
            f"    reliability: {reliability}",
            f"    type: {kind}",
        ]
        origin = f"src-{index:05d}"
        if kind in ("official", "intelligence") and rng.random() < 0.5:
            origin = publisher.lower().replace(" ", "-")
            lines.append(f"    origin: {origin}")
        entries.append("\n".join(lines) + "\n")
        meta.append((reliability, origin))
    return entries, meta


def _sentences(rng: random.Random, a: str, b: str, when: int, source_count: int) -> str:
    """2-4 sentences of analyst's Markdown about actors `a` and `b`."""
    names = {code: name for code, name, _ in ACTORS}
    place = rng.choice(PLACES)
    publisher = rng.choice(PUBLISHERS)[0]
    quantity = rng.randint(2, 60) * 100
    pool = [
        f"{publisher} reports that {names[a]} has expanded its cooperation with "
        f"{names[b]} since {_display_month(when)}, citing officials familiar with the matter.",
        f"Satellite imagery of **{place}** shows about {quantity:,} items staged near the "
        f"rail yard, up from a few hundred a month earlier.",
        f"The claim has *not been independently verified*, and {names[b]} denies it.",
        f"Shipping data reviewed by [{publisher}](https://example.org/shipping/{when}) show "
        f"vessels switching off their transponders before calling at {place}.",
        f"Officials in {names[a]} described the arrangement as routine, but its timing "
        f"follows a sharp rise in demand for `{rng.choice(TOPICS)}` equipment.",
        f"We assess that the activity at {place} is consistent with the pattern reported "
        f"over the previous {rng.randint(2, 18)} months.",
        f"Analysts note three indicators:\n\n- new loading equipment at {place}\n"
        f"- more night-time rail traffic\n- delegations exchanged at deputy-minister level",
    ]
    picked = rng.sample(pool[:-1], rng.randint(2, 4))
    if rng.random() < 0.1:
        picked[-1] = pool[-1]
    # Wrap as an analyst would, at about 80 characters.
    paragraphs = []
    for sentence in picked:
        if sentence.startswith("Analysts note"):
            paragraphs.append(sentence)
            continue
        words, line, lines = sentence.split(), "", []
        for word in words:
            if len(line) + len(word) + 1 > 78 and line:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n".join(paragraphs[:1]) + (
        "\n" + "\n".join(paragraphs[1:]) if len(paragraphs) > 1 else ""
    )


def _fact(
    index: int,
    section: str,
    when: int,
    rng: random.Random,
    sources: list[tuple[str, str]],
    named: set[str],
) -> str:
    source_count = len(sources)
    a, b = rng.choice(PAIRS)
    named.update((a, b))
    names = {code: name for code, name, _ in ACTORS}
    desk = index % DESKS + 1
    topic_tags = rng.sample(TOPICS, rng.randint(1, 3))
    tags = [*topic_tags, f"desk-{desk}"]
    day = rng.randint(1, 28)
    if rng.random() < 0.15 and when > 2:
        date = f"{{from: {month(when - rng.randint(1, 2))}, to: {month(when)}}}"
    elif rng.random() < 0.5:
        date = f"{month(when)}-{day:02d}"
    else:
        date = month(when)
    title = {
        "aid-flows": f"{names[a]} is sending {rng.choice(FLOWS)[0]} to {names[b]} "
        f"through {rng.choice(PLACES)}",
        "agreements": f"{names[a]} and {names[b]} agreed on {rng.choice(AGREEMENTS).lower()}",
        "risks": f"{names[a]} deepens support for {names[b]}'s "
        f"{rng.choice(TOPICS).replace('-', ' ')} programme",
        "context": f"{names[b]} reacts to reports of {rng.choice(TOPICS).replace('-', ' ')} "
        f"cooperation with {names[a]}",
    }[section]
    text = _sentences(rng, a, b, when, source_count)
    lines = [
        f"  - id: fact-{index:05d}",
        f"    title: {_quote(title)}",
        "    text: " + _block(text, 6).rstrip("\n"),
        f"    date: {date}",
    ]
    # The first citation walks through every source, so each is cited at least once.
    cited = [index % source_count]
    others = [i for i in rng.sample(range(source_count), 3) if i != cited[0]]
    cited += others[: rng.randint(0, 2)]
    confidence = rng.choice(["low", "moderate", "moderate", "high"])
    origins = {sources[i][1] for i in cited}
    if confidence == "high" and (len(origins) < 2 or all(sources[i][0] in "DEF" for i in cited)):
        confidence = "moderate"  # as an analyst would: high needs independent, reliable sources
    lines.append(f"    confidence: {confidence}")
    if rng.random() < 0.02:
        lines.append("    key: true")
    lines += [
        f"    actors: [{a}, {b}]",
        f"    tags: [{', '.join(tags)}]",
    ]
    if rng.random() < 0.9:
        reviewed = min(when + rng.randint(0, 12), MONTHS - 1)
        lines.append(f"    reviewed: {month(reviewed)}-{rng.randint(1, 28):02d}")
    lines.append("    sources:")
    for source in cited:
        credibility = rng.randint(1, 4)
        if credibility == 1 and len(origins) < 2:
            credibility = 2  # "confirmed by other sources" needs another, independent one
        lines += [
            f"      - source: src-{source:05d}",
            f"        credibility: {credibility}",
        ]
        if rng.random() < 0.6:
            lines.append(f"        locator: paragraph {rng.randint(1, 20)}")
        if rng.random() < 0.2:
            lines.append(
                f"        quote: {_quote(f'The shipments through {rng.choice(PLACES)} continue.')}"
            )
    if section == "aid-flows":
        what, category, unit, low, high = rng.choice(FLOWS)
        lines += [
            "    flow:",
            f"      from: {a}",
            f"      to: {b}",
            f"      what: {what}",
            f"      category: {category}",
        ]
        if unit:
            amount = rng.randint(low, high)
            choice = rng.random()
            if choice < 0.4:
                lines.append(f"      quantity: {amount}")
            elif choice < 0.7:
                lines.append(f"      quantity: {{min: {amount}}}")
            else:
                lines.append(f"      quantity: {{min: {amount}, max: {amount * 2}}}")
            lines.append(f"      unit: {unit}")
        if rng.random() < 0.5:
            lines.append(f"      since: {month(max(0, when - rng.randint(0, 6)))}")
    elif section == "agreements":
        lines += [
            "    agreement:",
            f"      name: {rng.choice(AGREEMENTS)}",
            f"      parties: [{a}, {b}]",
            f"      signed: {month(when)}-{day:02d}",
            f"      place: {rng.choice(PLACES)}",
            f"      status: {rng.choice(STATUSES)}",
            "      terms:",
            "        - Each party supplies the other on *preferential* terms.",
            f"        - Disputes are settled by consultation in {rng.choice(PLACES)}.",
        ]
    elif section == "risks":
        lines += [
            "    risk:",
            f"      likelihood: {rng.choice(LIKELIHOODS)}",
            f"      impact: {rng.choice(IMPACTS)}",
            "      indicators:",
            f"        - {names[a]} technicians observed at {rng.choice(PLACES)}.",
            f"        - New rail or port capacity at {rng.choice(PLACES)}.",
        ]
    return "\n".join(lines) + "\n"


def _window(total: int, target: int) -> tuple[int, int] | None:
    """The last months holding about `target` of `total` evenly spread facts."""
    if target >= total:
        return None
    months = max(1, round(MONTHS * target / total))
    return MONTHS - months, MONTHS - 1


def _main_window(facts: int) -> tuple[int, int] | None:
    return None if facts <= MAIN_ALL_UP_TO else _window(facts, MAIN_SUBSET)


def _briefings(facts: int) -> str:
    out = ["briefings:"]
    main = _main_window(facts)
    out += [
        "  - id: main",
        '    title: "Russia and Its Partners: Military and Economic Exchanges"',
        "    subtitle: Every fact of the desk"
        if main is None
        else "    subtitle: The latest months",
        f"    edition: {EDITION}",
        "    author: Benchmark desk",
        "    classification: UNCLASSIFIED",
        "    summary: " + _block(SUMMARY, 6).rstrip("\n"),
    ]
    if main is not None:
        out += ["    include:", f"      since: {month(main[0])}", f"      until: {month(main[1])}"]
    per_desk = facts // DESKS
    desk = _window(per_desk, DESK_TARGET)
    for number in range(1, DESKS + 1):
        out += [
            f"  - id: desk-{number}",
            f"    title: Desk {number} extract",
            f"    edition: {EDITION}",
            "    author: Benchmark desk",
            "    classification: UNCLASSIFIED",
            "    summary: " + _block(SUMMARY, 6).rstrip("\n"),
            "    include:",
            f"      tags: [desk-{number}]",
        ]
        if desk is not None:
            out += [f"      since: {month(desk[0])}", f"      until: {month(desk[1])}"]
    return "\n".join(out) + "\n"


SUMMARY = """\
Russia's exchanges with its partners grew through the period: **munitions and
troops** flowed to Russia, and **technology, fuel and money** flowed back. Much
of the reporting rests on one government's intelligence, so our confidence is
*moderate at best*."""


def generate_project(root: Path, facts: int, seed: int = 7) -> Generated:
    """Write a project of `facts` facts under `root` (which must not hold one yet)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    source_count = max(20, facts // 5)
    config = ["sections:"]
    for section_id, title, _ in SECTIONS:
        config += [
            f"  - id: {section_id}",
            f"    title: {title}",
            "    intro: " + _block(f"What the desk knows about {title.lower()}.", 6).rstrip("\n"),
        ]
    (root / "briefgen.yaml").write_text(
        "\n".join(config) + "\n\n" + _briefings(facts), encoding="utf-8"
    )
    facts_dir = root / "facts"
    (facts_dir / "sources").mkdir(parents=True, exist_ok=True)
    entries, sources = _sources(source_count, rng)
    sheets = 1
    for start in range(0, len(entries), SOURCES_PER_SHEET):
        chunk = entries[start : start + SOURCES_PER_SHEET]
        path = facts_dir / "sources" / f"sources-{start // SOURCES_PER_SHEET + 1:03d}.yaml"
        path.write_text("sources:\n" + "\n".join(chunk), encoding="utf-8")
        sheets += 1

    # Fact i falls in month i mod 120 and desk i mod 4 (both spread evenly), and in
    # a section drawn by weight; sheets hold about 100 facts of one section each.
    weights = [w for _, _, w in SECTIONS]
    by_section: dict[str, list[str]] = {s: [] for s, _, _ in SECTIONS}
    named: set[str] = set()
    for index in range(facts):
        section = rng.choices([s for s, _, _ in SECTIONS], weights)[0]
        when = (index // DESKS) % MONTHS
        by_section[section].append(_fact(index, section, when, rng, sources, named))
    # Only the actors the facts name: a desk does not keep actors it never mentions.
    actors = ["actors:"]
    for code, name, short in ACTORS:
        if code in named:
            actors += [f"  - id: {code}", f"    name: {name}"]
            if short:
                actors.append(f"    short: {short}")
    (facts_dir / "actors.yaml").write_text("\n".join(actors) + "\n", encoding="utf-8")
    for section, items in by_section.items():
        folder = facts_dir / section
        folder.mkdir(exist_ok=True)
        for start in range(0, len(items), FACTS_PER_SHEET):
            chunk = items[start : start + FACTS_PER_SHEET]
            header = f"# Benchmark facts, {section}, part {start // FACTS_PER_SHEET + 1}\n"
            path = folder / f"{section}-{start // FACTS_PER_SHEET + 1:03d}.yaml"
            path.write_text(
                header + f"section: {section}\n\nfacts:\n" + "\n".join(chunk), encoding="utf-8"
            )
            sheets += 1
    main = _main_window(facts)
    return Generated(
        root,
        facts,
        source_count,
        sheets,
        month(main[0]) if main else None,
        month(main[1]) if main else None,
    )
