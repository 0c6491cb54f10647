"""A project that exercises what the json, stix and docx formats carry: every kind of
fact, every confidence, links, lists, hostile text, sources with and without URLs."""

from __future__ import annotations

from pathlib import Path

from briefgen.assemble import BriefingView
from briefgen.build import validate
from briefgen.edition import make_edition

EXPORT_CONFIG = """\
sections:
  - id: flows
    title: Flows
    intro: Things *moving* between actors.
  - id: deals
    title: Agreements
  - id: risks
    title: Risks
briefings:
  - id: exports
    title: "Exports & <Imports>: a test briefing"
    subtitle: For the formats' tests
    edition: 2024-11-25
    author: Test desk
    classification: SECRET//REL TO TEST
    summary: |
      Russia *sends* **missiles**; see [the source](https://example.org/a?x=1&y=2).
    formats: [html]
"""

EXPORT_SHEET = """\
actors:
  - id: RU
    name: Russia
  - id: KP
    name: North Korea
    short: DPRK
  - id: BY
    name: Belarus
sources:
  - id: src-web
    title: A web article
    publisher: Example News
    url: https://example.org/article?id=1&lang=en
    published: 2024-11-20
    accessed: 2024-11-25
    reliability: B
    type: media
  - id: src-official
    title: An official statement
    reliability: A
    type: official
    origin: ministry
facts:
  - id: missiles
    section: flows
    title: Russia sends missiles to North Korea
    text: |
      Russia has sent **missiles**. <script>alert("x")</script> stays text.

      - first point, see [map](https://example.org/map)
      - second point
    date: 2024-11
    confidence: high
    key: true
    actors: [RU, KP]
    tags: [missiles]
    sources:
      - source: src-web
        credibility: 2
        quote: "They sent missiles."
        locator: paragraph 3
      - source: src-official
        credibility: 1
    flow:
      from: RU
      to: KP
      what: air-defence missiles
      category: weapons
      quantity: {min: 10000}
      unit: missiles
      since: 2023-08
  - id: treaty
    section: deals
    title: A three-party treaty
    text: The three signed a treaty.
    date: 2024-06-19
    confidence: moderate
    sources:
      - source: src-official
        credibility: 2
    agreement:
      name: Treaty of Three
      parties: [RU, KP, BY]
      signed: 2024-06-19
      place: Minsk
      status: signed
      terms:
        - Mutual *assistance*.
        - Shared exercises.
  - id: escalation
    section: risks
    title: Escalation
    text: Tension is rising.
    date: {from: 2024-01, to: 2024-11}
    confidence: low
    actors: [KP]
    sources:
      - source: src-web
        credibility: 3
    risk:
      likelihood: roughly even chance
      impact: severe
      indicators:
        - More *tests*.
"""


def export_project(root: Path) -> Path:
    from helpers import write_tree

    return write_tree(root, {"briefgen.yaml": EXPORT_CONFIG, "facts/main.yaml": EXPORT_SHEET})


def view_of(root: Path, briefing_id: str) -> BriefingView:
    """The assembled view of a briefing of the valid project at `root`."""
    project, problems = validate(root)
    assert not [p for p in problems if p.severity == "error"], problems
    return make_edition(project, briefing_id).view


# The same facts in a briefing that takes only some of them and whose analyst writes
# the key judgments.
JUDGED_CONFIG = EXPORT_CONFIG.replace(
    "    formats: [html]\n",
    """\
    formats: [html]
    include:
      actors: [RU]
    judgments:
      - text: Russia will *likely* keep sending missiles.
        confidence: moderate
        likelihood: likely
        based_on: [missiles]
      - text: The treaty binds three parties.
        confidence: high
        based_on: [treaty, missiles]
""",
)


def judged_project(root: Path) -> Path:
    """The judged briefing in its second edition, after one recorded on 25 November
    2024: the missiles fact and the second judgment are now held with moderate
    confidence."""
    from helpers import write_tree

    from briefgen.build import build

    write_tree(root, {"briefgen.yaml": JUDGED_CONFIG, "facts/main.yaml": EXPORT_SHEET})
    build(root)  # records editions/exports/2024-11-25.json
    config = JUDGED_CONFIG.replace("edition: 2024-11-25", "edition: 2024-12-02").replace(
        "confidence: high\n        based_on: [treaty",
        "confidence: moderate\n        based_on: [treaty",
    )
    sheet = EXPORT_SHEET.replace("    confidence: high\n", "    confidence: moderate\n", 1)
    return write_tree(root, {"briefgen.yaml": config, "facts/main.yaml": sheet})
