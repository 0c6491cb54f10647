"""Changes since the last edition: one briefing through three editions (a fact added,
changed, withdrawn), its records, its Changes section in HTML and PDF, its marks and
`briefgen diff`; and records that are corrupt or edited by hand."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import edit, require_tool, run
from projects import Data, briefing, cite, config, fact, sheet, source, write_tree

from briefgen import jsontext, records
from briefgen.changes import compare, describe_changes
from briefgen.records import Record, parse_record, record_digest

CONFIG = config(
    briefings=[
        briefing(
            formats=["html", "pdf"],
            judgments=[
                {
                    "text": "Russia pays for troops with missiles.",
                    "confidence": "moderate",
                    "based_on": ["missiles"],
                }
            ],
        )
    ]
)

SOURCES = [source(), source("second", "A second source", reliability="C", type_="media")]


def happened(fact_id: str, title: str, **keys: Any) -> Data:
    return fact(fact_id, title, text=f"What happened to {fact_id}.", **keys)


SHIPMENTS = {
    "from": "KP",
    "to": "RU",
    "what": "shells",
    "category": "ammunition",
    "quantity": "{min: 200, max: 250}",
    "unit": "containers",
}

EDITION_1 = [
    happened("missiles", "Russia delivers missiles"),
    happened("shipments", "North Korea ships shells", flow=SHIPMENTS),
    happened("drones", "Drones over Pyongyang"),
]


def edition_2(facts: list[Data]) -> list[Data]:
    """Adds a fact, and changes 'shipments': confidence, quantity, text and sources."""
    changed = {
        "text": "What happened to shipments, and more.",
        "confidence": "high",
        "sources": [cite(), cite("second", 2)],
        "flow": {**SHIPMENTS, "quantity": "{min: 250, max: 300}"},
    }
    return [
        *({**f, **changed} if f["id"] == "shipments" else f for f in facts),
        happened("troops", "North Korea sends troops"),
    ]


def write(root: Path, config: str, facts: list[Data]) -> None:
    sheet_text = sheet(sources=SOURCES, facts=facts)
    write_tree(root, {"briefgen.yaml": config, "facts/main.yaml": sheet_text})


def build(root: Path) -> None:
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output


def text_of(page: str) -> str:
    page = re.sub(r"<style\b.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"</?(a|em|strong|span|time|code|q|del)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def changes_section(root: Path) -> str:
    page = (root / "output/brief.html").read_text()
    found = re.search(r'<section class="changes".*?</section>', page, re.S)
    return text_of(found.group()) if found else ""


def marks(root: Path) -> dict[str, str]:
    """Each fact's New or Updated mark, by fact id."""
    page = (root / "output/brief.html").read_text()
    found = {}
    for article in re.findall(r'<article class="fact.*?</article>', page, re.S):
        fact_id = re.search(r'id="fact-([a-z]+)"', article)
        mark = re.search(r'<span class="badge change[^"]*">(\w+)</span>', article)
        assert fact_id is not None
        found[fact_id.group(1)] = mark.group(1) if mark else ""
    return found


def pdf_pages(root: Path) -> list[str]:
    require_tool("pdftotext", "poppler-utils")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", root / "output/brief.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [" ".join(page.split()) for page in done.stdout.split("\f")]


def pdf_text(root: Path) -> str:
    return " ".join(pdf_pages(root))


def page_of(root: Path, heading: str) -> int:
    """The page of the PDF a fact's entry is on: its title followed by its date."""
    return next(n for n, page in enumerate(pdf_pages(root), 1) if f"{heading} November" in page)


def record(root: Path, edition: str) -> dict[str, object]:
    data = json.loads((root / f"editions/brief/{edition}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.slow
def test_one_briefing_through_three_editions(tmp_path: Path) -> None:
    root = tmp_path / "p"

    # Edition 1: nothing earlier, so no Changes section and no marks.
    write(root, CONFIG, EDITION_1)
    build(root)
    first = record(root, "2024-11-25")
    assert first["record_version"] == 4
    assert first["judgments"] == [
        {
            "text": "Russia pays for troops with missiles.",
            "confidence": "moderate",
            "based_on": ["missiles"],
        }
    ]
    facts = first["facts"]
    assert isinstance(facts, list)
    shipments = next(f for f in facts if f["id"] == "shipments")
    assert shipments["quantity"] == "200–250 containers"
    assert len(shipments["text"]) == 16
    assert changes_section(root) == ""
    assert set(marks(root).values()) == {""}
    first_bytes = (root / "editions/brief/2024-11-25.json").read_bytes()

    # Edition 2: a fact added, one changed, a judgment changed and one added.
    config_2 = edit(CONFIG, "edition: 2024-11-25", "edition: 2024-12-10")
    config_2 = edit(config_2, "        confidence: moderate\n", "        confidence: low\n")
    config_2 += (
        "      - text: The trade will grow.\n        confidence: low\n"
        "        likelihood: likely\n        based_on: [shipments, troops]\n"
    )
    write(root, config_2, edition_2(EDITION_1))
    build(root)
    assert (root / "editions/brief/2024-11-25.json").read_bytes() == first_bytes
    assert changes_section(root) == (
        "Changes since 25 November 2024 # "
        "Compared with the edition of 25 November 2024. "
        "Facts added (1) North Korea sends troops "
        "Facts changed (1) North Korea ships shells confidence moderate → high "
        "quantity 200–250 containers → 250–300 containers "
        "source added: A second source (C2) text revised "
        "Judgments added (1) Judgment 2: The trade will grow. "
        "Judgments changed (1) Judgment 1: Russia pays for troops with missiles. "
        "confidence moderate → low"
    )
    assert marks(root) == {
        "troops": "New",
        "shipments": "Updated",
        "missiles": "",
        "drones": "",
    }
    pdf = pdf_text(root)
    assert "Changes since 25 November 2024" in pdf
    troops, shells = page_of(root, "sends troops"), page_of(root, "ships shells")
    assert f"Facts added (1) • North Korea sends troops, p. {troops}" in pdf
    assert (
        f"North Korea ships shells, p. {shells} – confidence moderate → high "
        "– quantity 200–250 containers → 250–300 containers"
    ) in pdf
    assert re.search(
        r"North Korea sends troops November 2024 · Moderate confidence · \S.* New", pdf
    )
    second_bytes = (root / "editions/brief/2024-12-10.json").read_bytes()

    # diff, in both formats: the same changes as the Changes section.
    result = run("diff", "brief", "--project", root, "--from", "2024-11-25", "--to", "2024-12-10")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "brief: changes from the edition of 2024-11-25 to the edition of 2024-12-10",
        "Facts added (1):",
        "  + troops: North Korea sends troops",
        "Facts changed (1):",
        "  ~ shipments: North Korea ships shells",
        "      confidence moderate → high",
        "      quantity 200–250 containers → 250–300 containers",
        "      source added: A second source (C2)",
        "      text revised",
        "Judgments added (1):",
        "  + 2. The trade will grow.",
        "Judgments changed (1):",
        "  ~ 1. Russia pays for troops with missiles.",
        "      confidence moderate → low",
    ]
    # By default, from the latest record: edition 2, just built from these facts.
    latest = json.loads(run("diff", "brief", "--project", root, "--format", "json").output)
    assert (latest["from"], latest["to"]) == ("2024-12-10", None)
    assert latest["facts_added"] == latest["facts_changed"] == latest["facts_withdrawn"] == []
    since = ("--from", "2024-11-25")
    data = json.loads(run("diff", "brief", "--project", root, *since, "--format", "json").output)
    assert data["from"] == "2024-11-25"
    assert data["to"] is None
    assert [f["id"] for f in data["facts_added"]] == ["troops"]
    assert data["facts_changed"][0]["changes"][1] == {
        "field": "quantity",
        "before": "200–250 containers",
        "after": "250–300 containers",
        "text": "quantity 200–250 containers → 250–300 containers",
    }
    assert data["facts_withdrawn"] == []

    # Edition 3: a fact and a judgment withdrawn.
    sheet_3 = [f for f in edition_2(EDITION_1) if f["id"] != "drones"]
    config_3 = edit(config_2, "edition: 2024-12-10", "edition: 2025-01-15")
    config_3 = config_3[: config_3.index("      - text: The trade will grow.")]
    write(root, config_3, sheet_3)
    result = run("diff", "brief", "--project", root)  # before building: what it will say
    assert result.output.splitlines() == [
        "brief: changes from the edition of 2024-12-10 to the current facts",
        "Facts withdrawn (1):",
        "  - drones: Drones over Pyongyang",
        "Judgments withdrawn (1):",
        "  - The trade will grow.",
    ]
    build(root)
    assert changes_section(root) == (
        "Changes since 10 December 2024 # "
        "Compared with the edition of 10 December 2024. "
        "Facts withdrawn (1) Drones over Pyongyang "
        "Judgments withdrawn (1) The trade will grow."
    )
    assert set(marks(root).values()) == {""}
    assert "Facts withdrawn (1) • Drones over Pyongyang" in pdf_text(root)
    assert (root / "editions/brief/2024-11-25.json").read_bytes() == first_bytes
    assert (root / "editions/brief/2024-12-10.json").read_bytes() == second_bytes
    third = record(root, "2025-01-15")
    facts = third["facts"]
    assert isinstance(facts, list)
    assert [f["id"] for f in facts] == ["missiles", "shipments", "troops"]

    # From the first edition to the third, across the second.
    result = run("diff", "brief", "--project", root, "--from", "2024-11-25", "--to", "2025-01-15")
    assert result.exit_code == 0
    assert "  - drones: Drones over Pyongyang" in result.output
    assert "  + troops: North Korea sends troops" in result.output
    same = run("diff", "brief", "--project", root, "--format", "json")
    assert json.loads(same.output)["from"] == "2025-01-15"  # the latest record, just built
    # --to alone: from the edition recorded before it.
    before = run("diff", "brief", "--project", root, "--to", "2025-01-15", "--format", "json")
    assert json.loads(before.output)["from"] == "2024-12-10"

    # Rebuilding edition 2 rewrites its own record alone, never a later one.
    third_bytes = (root / "editions/brief/2025-01-15.json").read_bytes()
    write(root, config_2, edition_2(EDITION_1))
    build(root)
    assert (root / "editions/brief/2025-01-15.json").read_bytes() == third_bytes
    assert (root / "editions/brief/2024-11-25.json").read_bytes() == first_bytes
    assert "Changes since 25 November 2024" in changes_section(root)
    # diff still starts from the latest record, edition 3, though edition 2 is current.
    result = run("diff", "brief", "--project", root)
    assert result.output.splitlines() == [
        "brief: changes from the edition of 2025-01-15 to the current facts",
        "Facts added (1):",
        "  + drones: Drones over Pyongyang",
        "Judgments added (1):",
        "  + 2. The trade will grow.",
    ]


# -- records that cannot be trusted ------------------------------------------------------

HTML_CONFIG = edit(CONFIG, "formats: [html, pdf]", "formats: [html]")
RECORD = "editions/brief/2024-11-25.json"
NOTHING_WRITTEN = "nothing was written; output/ is unchanged"


def two_editions(tmp_path: Path) -> Path:
    """Edition 1 built; edition 2 written but not built."""
    root = tmp_path / "p"
    write(root, HTML_CONFIG, EDITION_1)
    build(root)
    write(root, edit(HTML_CONFIG, "2024-11-25", "2024-12-10"), EDITION_1)
    return root


def rewrite(data: dict[str, object]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def signed(data: dict[str, object]) -> str:
    """`data` as a record with a digest that matches: copied, not edited by hand."""
    return rewrite({**data, "digest": record_digest(data)})


HINT = (
    "(records are written by briefgen build; restore it from version control, or delete "
    "it to compare with an earlier edition)"
)
NOT_WRITTEN_BY_BRIEFGEN = "error: the edition record is not an edition record briefgen wrote: "
EDITED = (
    "(records are written by briefgen build and never edited; restore it from version "
    "control, or delete it to compare with an earlier edition)"
)


def first_fact(data: dict[str, Any], **changed: object) -> dict[str, Any]:
    """`data` with its first fact's fields `changed`."""
    return {**data, "facts": [{**data["facts"][0], **changed}, *data["facts"][1:]]}


def version_1(data: dict[str, Any]) -> str:
    """`data` as a version 1 record: no record_version, no digest, no judgments."""
    old = {k: v for k, v in data.items() if k not in ("record_version", "digest", "judgments")}
    return rewrite(old)


def without(data: dict[str, Any], key: str) -> str:
    return rewrite({k: v for k, v in data.items() if k != key})


# The record two_editions writes, as json.dumps(indent=2) lays it out: "record_version"
# on line 2, "briefing" 3, "edition" 4, "judgments" from 17 to 25 (the first one's
# "confidence" on 20), "facts" from 26 (its first fact's "id" on 28, "title" 30, "date"
# 31, "confidence" 32, "citations" 34-36, "text" 37), the second fact's "title" on 55,
# "first_editions" on 73, "digest" on 86. A version 1 record has
# no "record_version" or "judgments": its first fact's lines are 10 less (its "id" 18).
@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda text: text.replace('"facts": [', '"facts": [,', 1),
            "26:13: error: the edition record is not valid JSON: Expecting value " + HINT,
        ),
        (
            lambda text: text[: text.index('"drones"')],  # cut off, as by a full disk
            "53:13: error: the edition record is not valid JSON: Expecting value " + HINT,
        ),
        (
            lambda text: rewrite({**json.loads(text), "facts": "none"}),
            "26:12: " + NOT_WRITTEN_BY_BRIEFGEN + "'facts' of record must be a list " + HINT,
        ),
        (
            lambda text: signed(first_fact(json.loads(text), confidence=3)),
            "32:21: " + NOT_WRITTEN_BY_BRIEFGEN + "'confidence' of facts[0] must be text " + HINT,
        ),
        (
            lambda text: signed({**json.loads(text), "facts": [*json.loads(text)["facts"], 7]}),
            "64:5: " + NOT_WRITTEN_BY_BRIEFGEN + "facts[3] must be an object " + HINT,
        ),
        (
            lambda text: signed({**json.loads(text), "sources": [{"id": "src"}]}),
            "66:5: " + NOT_WRITTEN_BY_BRIEFGEN + "'title' of sources[0] must be text " + HINT,
        ),
        (
            lambda text: text.replace('"title": "Drones over Pyongyang"', '"title": "Drones"'),
            "86:13: error: the edition record was changed after briefgen wrote it: its digest "
            "does not match its content " + EDITED,
        ),
        (
            lambda text: without(json.loads(text), "digest"),
            "2:21: error: the edition record has no digest, which a record of version 4 "
            "carries " + EDITED,
        ),
        (
            lambda text: rewrite({**json.loads(text), "record_version": 9}),
            "2:21: " + NOT_WRITTEN_BY_BRIEFGEN + "it is record version 9, newer than this "
            "briefgen reads (4); upgrade briefgen " + HINT,
        ),
        (
            lambda text: rewrite({**json.loads(text), "record_version": "3"}),
            "2:21: " + NOT_WRITTEN_BY_BRIEFGEN + "'record_version' must be a whole number " + HINT,
        ),
        (
            lambda text: signed({**json.loads(text), "briefing": "other"}),
            "3:15: error: the edition record records briefing 'other', not 'brief' " + HINT,
        ),
        (
            lambda text: signed({**json.loads(text), "edition": "2024-11-24"}),
            "4:14: error: the edition record records edition 2024-11-24, not 2024-11-25 " + HINT,
        ),
        (
            lambda text: "not json\n",
            "1:1: error: the edition record is not valid JSON: Expecting value " + HINT,
        ),
        (
            # json's parser recurses once per level, and gives up long before 100,000.
            lambda text: text.replace('"facts": [', '"facts": [' + "[" * 100_000, 1),
            "26:75: error: the edition record nests lists or objects too deeply " + HINT,
        ),
        (
            lambda text: signed(first_fact(json.loads(text), date="garbage-date")),
            "31:15: "
            + NOT_WRITTEN_BY_BRIEFGEN
            + "'date' of facts[0] is not a date: 'garbage-date' is not a date "
            + HINT,
        ),
        (
            lambda text: version_1(first_fact(json.loads(text), date="garbage-date")),
            "21:15: "
            + NOT_WRITTEN_BY_BRIEFGEN
            + "'date' of facts[0] is not a date: 'garbage-date' is not a date "
            + HINT,
        ),
        (
            lambda text: version_1(first_fact(json.loads(text), confidence="certain")),
            "22:21: "
            + NOT_WRITTEN_BY_BRIEFGEN
            + "'confidence' of facts[0] is not one of low, moderate, high "
            + HINT,
        ),
        (
            lambda text: version_1(first_fact(json.loads(text), id="<script>")),
            "18:13: " + NOT_WRITTEN_BY_BRIEFGEN + "'id' of facts[0] is not an id " + HINT,
        ),
        (
            lambda text: version_1(first_fact(json.loads(text), citations=["src B2", "src"])),
            "26:9: "
            + NOT_WRITTEN_BY_BRIEFGEN
            + "'facts[0].citations' must be texts such as \"source-id B2\" "
            + HINT,
        ),
        (
            lambda text: version_1(first_fact(json.loads(text), title="Drones\x1b[2J")),
            "20:16: "
            + NOT_WRITTEN_BY_BRIEFGEN
            + "'title' of facts[0] holds a control character "
            + HINT,
        ),
        (
            lambda text: version_1(first_fact(json.loads(text), text="Made-up text.")),
            "27:15: "
            + NOT_WRITTEN_BY_BRIEFGEN
            + "'text' of facts[0] must be the digest briefgen writes "
            + HINT,
        ),
        (
            lambda text: version_1({**json.loads(text), "facts": None}),
            "16:12: " + NOT_WRITTEN_BY_BRIEFGEN + "'facts' of record must be a list " + HINT,
        ),
        (
            # json keeps the last of two equal keys; a reader of the file may see the first.
            lambda text: text.replace('"confidence": ', '"confidence": "high", "confidence": ', 1),
            "20:29: error: the edition record has a duplicate key 'confidence' (first at "
            "line 20) " + HINT,
        ),
        (
            lambda text: text.replace('"digest": ', '"digest": "0000", "digest": ', 1),
            "86:21: error: the edition record has a duplicate key 'digest' (first at line 86) "
            + HINT,
        ),
    ],
    ids=[
        "bad-json",
        "truncated-json",
        "wrong-shape",
        "wrong-type",
        "not-an-object",
        "missing-key",
        "hand-edited",
        "no-digest",
        "newer-version",
        "version-not-a-number",
        "other-briefing",
        "other-edition",
        "not-json-at-all",
        "nested-too-deeply",
        "garbage-date-signed",
        "garbage-date-version-1",
        "version-1-confidence",
        "version-1-id",
        "version-1-citation",
        "version-1-control-character",
        "version-1-text",
        "version-1-no-facts",
        "duplicate-key",
        "duplicate-digest",
    ],
)
def test_a_bad_record_is_a_located_error_and_nothing_is_written(
    tmp_path: Path, spoil: object, message: str
) -> None:
    """validate, build and diff each say where the record is wrong, exit 1, never 70,
    and leave output/ and editions/ as they were."""
    root = two_editions(tmp_path)
    path = root / RECORD
    assert callable(spoil)
    path.write_text(spoil(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = {p: p.read_bytes() for p in (root / "output").iterdir()}
    record = path.read_bytes()
    for command in (["validate"], ["build"], ["diff", "brief"]):
        result = run(*command, "--project", root)
        assert result.exit_code == 1, (command, result.output)
        located = [line for line in result.output.splitlines() if line.startswith(RECORD)]
        assert located == [f"{RECORD}:{message}"], command
        assert {p: p.read_bytes() for p in (root / "output").iterdir()} == before
        assert sorted(p.name for p in (root / "editions/brief").iterdir()) == ["2024-11-25.json"]
        assert path.read_bytes() == record
        if command == ["build"]:
            assert NOTHING_WRITTEN in result.output


def test_a_duplicate_key_is_found_past_strings_that_look_like_json() -> None:
    text = '{"a": "x\\": {\\"n\\": 1", "n": [[{"k": 1, "c": ":{["}], {"n": 0}], "n": 2}'
    assert json.loads(text)["n"] == 2  # json itself keeps the last, silently
    index, key, first = jsontext.duplicate_key(text)
    assert (key, text[first:index]) == ("n", '"n": [[{"k": 1, "c": ":{["}], {"n": 0}], ')


def test_a_record_not_utf_8_is_located_at_its_first_bad_byte(tmp_path: Path) -> None:
    root = two_editions(tmp_path)
    path = root / RECORD
    path.write_bytes(path.read_bytes().replace(b'"Drones over', b'"Dr\xffones over'))
    for command in (["validate"], ["build"], ["diff", "brief"]):
        result = run(*command, "--project", root)
        assert result.exit_code == 1, (command, result.output)
        located = [line for line in result.output.splitlines() if line.startswith(RECORD)]
        assert located == [
            f"{RECORD}:55:19: error: the edition record is not UTF-8 text (invalid start "
            f"byte) {HINT}"
        ]


@pytest.mark.parametrize(
    ("at", "position"),
    [
        ((), (1, 2)),
        (("a",), (2, 7)),
        (("a", 1), (2, 11)),
        (("a", 1, "b"), (2, 17)),
        (("a", 2), (2, 7)),  # no such index: the list
        (("c",), (3, 15)),  # two equal keys: the last, as json keeps it
        (("é",), (4, 7)),  # columns count characters, not bytes
        (("é", "x"), (4, 7)),  # not an object: the value
        (("missing", "x"), (1, 2)),  # no such key: the object
    ],
)
def test_locate_finds_the_value_a_path_names(at: jsontext.At, position: tuple[int, int]) -> None:
    text = ' {\n "a": [1, {"b": [true]}],\n "c": 1, "c": {"d": 2},\n "é": "ü",\n "z": {}\n}\n'
    assert json.loads(text)["c"] == {"d": 2}
    assert jsontext.locate(text, at) == position


def test_a_record_over_the_size_limit_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = two_editions(tmp_path)
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 2**20)
    path = root / RECORD
    path.write_text(path.read_text() + " " * 2**20)
    result = run("build", "--project", root)
    assert result.exit_code == 1
    located = [line for line in result.output.splitlines() if line.startswith(RECORD)]
    assert located == [
        f"{RECORD}:1:1: error: the edition record is larger than the limit of 1 MiB {HINT}"
    ]


def test_a_record_of_version_1_is_compared_on_what_it_kept(tmp_path: Path) -> None:
    root = two_editions(tmp_path)
    data = json.loads((root / RECORD).read_text())
    old = {
        key: data[key]
        for key in ("briefing", "title", "edition", "generator", "inputs_digest", "sources")
    }
    old["key_judgments"] = []
    old["facts"] = [
        {k: v for k, v in f.items() if k in ("id", "section", "title", "date", "confidence")}
        | {"citations": f["citations"]}
        for f in data["facts"]
    ]
    old["facts"][0]["confidence"] = "low"
    (root / RECORD).write_text(rewrite(old))
    build(root)
    assert changes_section(root).endswith(
        "Facts changed (1) Russia delivers missiles confidence low → moderate"
    )


def test_the_earlier_record_is_an_input(tmp_path: Path) -> None:
    """Removing the earlier record renders the briefing again, without its Changes."""
    root = two_editions(tmp_path)
    build(root)
    assert changes_section(root).startswith("Changes since 25 November 2024 # No facts")
    (root / RECORD).unlink()
    build(root)
    assert changes_section(root) == ""


def test_diff_usage_and_missing_editions(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, HTML_CONFIG, EDITION_1)
    none_yet = run("diff", "brief", "--project", root)
    assert none_yet.exit_code == 2
    assert (
        "no edition of briefing 'brief' is recorded in editions/brief/ yet; "
        "`briefgen build` records one" in none_yet.output
    )
    build(root)
    unchanged = run("diff", "brief", "--project", root)
    assert unchanged.exit_code == 0
    assert unchanged.output.splitlines() == [
        "brief: changes from the edition of 2024-11-25 to the current facts",
        "No facts or judgments have changed.",
    ]
    missing = run("diff", "brief", "--project", root, "--from", "2024-10-01")
    assert missing.exit_code == 2
    assert "no edition 2024-10-01 of 'brief' is recorded; recorded editions: 2024-11-25" in (
        missing.output
    )
    assert run("diff", "brief", "--project", root, "--from", "soon").exit_code == 2
    assert run("diff", "other", "--project", root).exit_code == 2
    spoilt = [{**EDITION_1[0], "confidence": "sure"}, *EDITION_1[1:]]
    (root / "facts/main.yaml").write_text(sheet(sources=SOURCES, facts=spoilt))
    broken = run("diff", "brief", "--project", root)
    assert broken.exit_code == 1
    assert "error: 'sure' is not a valid confidence" in broken.output


# -- the comparison itself ---------------------------------------------------------------


def recorded(facts: list[dict[str, object]], judgments: list[dict[str, object]]) -> Record:
    return parse_record(
        {
            "record_version": 2,
            "briefing": "brief",
            "edition": "2024-11-25",
            "facts": facts,
            "judgments": judgments,
            "sources": [
                {"id": "src", "title": "A source"},
                {"id": "second", "title": "A second source"},
            ],
        }
    )


def test_every_kind_of_change_is_said_in_words() -> None:
    risk: dict[str, object] = {
        "id": "risk",
        "title": "A risk",
        "section": "aid-flows",
        "date": "2024-11",
        "confidence": "low",
        "citations": ["src B2", "second C3"],
        "text": "a" * 16,  # a text digest, as editions.py writes them
        "likelihood": "unlikely",
        "impact": "high",
    }
    moved = {
        **risk,
        "section": "risks",
        "date": "2023-08/2024-12",
        "citations": ["src B3"],
        "likelihood": "likely",
        "impact": "severe",
        "status": "ratified",
    }
    judgment = {"text": "Russia will keep supplying missiles.", "confidence": "low"}
    before = recorded([risk], [{**judgment, "based_on": ["risk"]}])
    after = recorded(
        [moved],
        [
            {
                "text": "Russia will keep supplying missiles through 2025.",
                "confidence": "moderate",
                "likelihood": "likely",
                "based_on": ["risk", "other"],
            }
        ],
    )
    changes = compare(before, after, {"aid-flows": "Aid flows", "risks": "Risks"})
    assert [c.text for c in changes.facts_changed[0].changes] == [
        "date November 2024 → August 2023 – December 2024",
        "section Aid flows → Risks",
        "likelihood unlikely (20–45%) → likely (55–80%)",
        "impact high → severe",
        "status ratified added",
        "A source rated B2 → B3",
        "source removed: A second source",
    ]
    # A judgment revised, not one withdrawn and another added.
    assert changes.judgments_added == changes.judgments_withdrawn == []
    assert [c.text for c in changes.judgments_changed[0].changes] == [
        "text revised, was “Russia will keep supplying missiles.”",
        "confidence low → moderate",
        "likelihood likely (55–80%) added",
        "now also based on: other",
    ]
    assert [line.strip() for line in describe_changes(changes)][:2] == [
        "Facts changed (1):",
        "~ risk: A risk",
    ]


# -- bounded work: records come from outside, and briefings can hold many judgments -----


def _judgments(texts: list[str]) -> list[dict[str, object]]:
    return [{"text": text, "confidence": "low", "based_on": []} for text in texts]


def test_many_edited_judgments_are_paired_with_a_bounded_number_of_comparisons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 400 edited judgments once took 31 s (every pair compared): now each new one is
    # compared with at most changes.CANDIDATES old ones sharing its uncommon words.
    import difflib
    import random

    from briefgen import changes

    rng = random.Random(25)
    words = [f"word{i}" for i in range(2000)] + ["the", "of", "will", "likely"] * 200
    before = [" ".join(rng.choice(words) for _ in range(25)) + "." for _ in range(1000)]
    after = [text.replace(" ", " very ", 1) for text in before]
    rng.shuffle(after)
    calls = []
    ratio = difflib.SequenceMatcher.ratio
    monkeypatch.setattr(
        difflib.SequenceMatcher, "ratio", lambda self: calls.append(1) or ratio(self)
    )
    found = compare(recorded([], _judgments(before)), recorded([], _judgments(after)))
    assert len(found.judgments_changed) == 1000
    assert found.judgments_added == found.judgments_withdrawn == []
    for judgment in found.judgments_changed:
        [change] = judgment.changes
        assert change.text.startswith("text revised, was “")  # the old words follow
    assert len(calls) <= changes.CANDIDATES * 1000


def test_a_small_edit_among_few_judgments_is_still_found_by_comparing_every_pair() -> None:
    before = ["Russia will keep supplying missiles.", "Aid will slow."]
    after = ["Aid will slow down.", "Russia will keep supplying drones."]
    found = compare(recorded([], _judgments(before)), recorded([], _judgments(after)))
    assert [(j.number, j.text) for j in found.judgments_changed] == [
        (1, "Aid will slow down."),
        (2, "Russia will keep supplying drones."),
    ]


def test_a_long_judgment_against_its_reverse_is_compared_quickly() -> None:
    import random
    import time

    rng = random.Random(6)
    text = "".join(rng.choice("ab ") for _ in range(100_000))
    start = time.monotonic()
    found = compare(recorded([], _judgments([text])), recorded([], _judgments([text[::-1]])))
    assert time.monotonic() - start < 5  # minutes when the whole texts were compared
    assert len(found.judgments_changed) + len(found.judgments_added) == 1


def test_a_bad_value_in_what_the_record_says_of_its_issue_is_located(tmp_path: Path) -> None:
    outputs = {"output/brief.pdf": {"sha256": "0" * 64, "bytes": 10}}
    data = {
        "record_version": 3,
        "briefing": "brief",
        "edition": "2024-11-25",
        "facts": [],
        "judgments": [],
        "sources": [],
        "issued": {
            "at": "2024-11-26",
            "outputs": outputs,
            "corrections": [
                {"at": "2024-11-27", "reason": "A typo.", "replaced": outputs},
                {"at": "2024-11-27", "reason": "A typo.", "replaced": {"output/x": {}}},
            ],
        },
    }
    path = tmp_path / RECORD
    path.parent.mkdir(parents=True)
    path.write_text(signed(data))
    record, _, problems = records.load_record(tmp_path, path)
    assert record is None
    # "replaced" of the second correction: line 31 is `"output/x": {}`; its "sha256"
    # is missing, so the object that lacks it.
    assert [str(p) for p in problems] == [
        f"{RECORD}:31:23: {NOT_WRITTEN_BY_BRIEFGEN}'replaced' of corrections[1] must name "
        f"each output's SHA-256 {HINT}"
    ]
