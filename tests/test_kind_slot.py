"""The home of kinds of fact: a kind registered in kinds.KINDS (with its field on the
fact's model) reaches every stage from its entry alone. A made-up kind, `shipment`,
is added here; the real kinds have their own tests."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import docx
import pydantic
import pypdf
import pytest
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, edit, minimal_project, run

import briefgen.load
from briefgen import kinds
from briefgen.build import build, validate
from briefgen.kinds import ActorName, FactKind, Relation, Row, named_actors
from briefgen.model import Fact, Id, Strict, Text
from briefgen.options import BuildOptions


class Shipment(Strict):
    from_: Id = pydantic.Field(alias="from")
    to: Id
    cargo: Text
    tonnes: Text | None = None


@dataclass
class ShipmentView:
    origin: str
    destination: str
    cargo: str
    tonnes: str | None


def shipment_view(shipment: Shipment, actor_name: ActorName) -> ShipmentView:
    return ShipmentView(
        actor_name(shipment.from_), actor_name(shipment.to), shipment.cargo, shipment.tonnes
    )


def shipment_rows(shipment: ShipmentView) -> list[Row]:
    return [
        ("Route", f"{shipment.origin} to {shipment.destination}"),
        ("Cargo", shipment.cargo),
        ("Tonnes", shipment.tonnes),
    ]


def shipment_relations(shipment: ShipmentView) -> list[Relation]:
    words = f"{shipment.origin} ships {shipment.cargo} to {shipment.destination}"
    return [Relation("shipment", shipment.origin, shipment.destination, words)]


def shipment_skeleton(actors: list[str], day: str) -> list[str]:
    first, second = [*actors, "TODO-actor", "TODO-actor"][:2]
    return ["shipment:", f"  from: {first}", f"  to: {second}", "  cargo: TODO what is shipped"]


SHIPMENT = FactKind(
    "shipment",
    "a shipment",
    Shipment,
    ("from", "to"),
    shipment_view,
    "_shipment.html",
    rows=shipment_rows,
    relations=shipment_relations,
    compared={"tonnes": lambda shipment: shipment.tonnes},
    skeleton=shipment_skeleton,
    about="goods shipped from one actor to another",
    help={"": "Goods shipped from one actor to another.", "cargo": "What is shipped."},
)
# The fact's model with the kind's field, as model.py would declare it.
FactWithShipment = pydantic.create_model("Fact", __base__=Fact, shipment=(Shipment | None, None))

PARTIAL = (
    '<p class="shipment">{{ fact.details.origin }} ships {{ fact.details.cargo }}'
    " to {{ fact.details.destination }}</p>\n"
)
# fact-one names its actors only through its shipment.
SHEET = edit(
    MINIMAL_SHEET,
    "    actors: [RU, KP]\n",
    "    shipment:\n      from: RU\n      to: KP\n      cargo: shells\n      tonnes: '5'\n",
)
# A briefing taking only the facts that name North Korea.
CONFIG = MINIMAL_CONFIG + "    include:\n      actors: [KP]\n"


@pytest.fixture(autouse=True)
def shipment_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(kinds.KINDS, "shipment", SHIPMENT)  # restored after the test
    monkeypatch.setattr(briefgen.load, "Fact", FactWithShipment)


def project(root: Path, config: str = CONFIG, **more: str) -> Path:
    files = {"briefgen.yaml": config, "facts/main.yaml": SHEET, "templates/_shipment.html": PARTIAL}
    return minimal_project(root, **(files | more))


def errors_of(root: Path) -> list[str]:
    return [str(p) for p in validate(root)[1]]


def test_a_registered_kind_is_checked_filtered_and_scoped_from_its_entry(tmp_path: Path) -> None:
    root = project(tmp_path)
    project_, problems = validate(root)
    # KP is named only by the shipment: the filter matches it, and no actor is unused.
    assert [str(p) for p in problems] == []
    fact = project_.facts["fact-one"].item
    assert named_actors(fact) == ["RU", "KP"]
    unknown = edit(SHEET, "to: KP", "to: KPP")
    errors = errors_of(project(tmp_path / "bad", **{"facts/main.yaml": unknown}))
    assert "facts/main.yaml:20:11: error: unknown actor 'KPP' (did you mean 'KP'?)" in errors
    both = edit(
        SHEET, "    shipment:\n", "    risk: {likelihood: likely, impact: low}\n    shipment:\n"
    )
    errors = errors_of(project(tmp_path / "two", **{"facts/main.yaml": both}))
    assert errors == [
        "facts/main.yaml:19:5: error: 'shipment' and 'risk' in one fact; a fact has at most "
        "one of flow, agreement, risk and shipment (split it into two facts)"
    ]


def test_a_registered_kind_reaches_html_json_and_stix(tmp_path: Path) -> None:
    root = project(tmp_path)
    build(root, options=BuildOptions(override_formats=("html", "json", "stix")))
    html = (root / "output/brief.html").read_text()
    assert '<p class="shipment">Russia ships shells to North Korea</p>' in html
    assert "facts naming North Korea" in html  # the scope sentence
    [fact] = json.loads((root / "output/brief.json").read_text())["sections"][0]["facts"]
    assert fact["kind"] == "shipment"
    assert fact["shipment"] == {
        "origin": "Russia",
        "destination": "North Korea",
        "cargo": "shells",
        "tonnes": "5",
    }
    assert fact["flow"] is None
    bundle = json.loads((root / "output/brief.stix.json").read_text())
    by_id = {o["id"]: o for o in bundle["objects"]}
    [note] = [o for o in bundle["objects"] if o["type"] == "note"]
    assert "Route: Russia to North Korea.\nCargo: shells.\nTonnes: 5.\n" in note["content"]
    [relationship] = [o for o in bundle["objects"] if o["type"] == "relationship"]
    assert relationship["relationship_type"] == "related-to"
    assert relationship["description"] == "Russia ships shells to North Korea"
    ends = [by_id[relationship[end]]["name"] for end in ("source_ref", "target_ref")]
    assert ends == ["Russia", "North Korea"]
    assert relationship["id"] in note["object_refs"]


@pytest.mark.slow
def test_a_registered_kind_reaches_pdf_and_docx(tmp_path: Path) -> None:
    root = project(tmp_path)
    build(root, options=BuildOptions(override_formats=("pdf", "docx")))
    reader = pypdf.PdfReader(root / "output/brief.pdf")
    pdf = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Russia ships shells to North Korea" in pdf
    document = docx.Document(io.BytesIO((root / "output/brief.docx").read_bytes()))
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    # The kind's table, among those of About the scales.
    kind_tables = [rows for rows in tables if rows[0][0] == "Route"]
    assert kind_tables == [
        [["Route", "Russia to North Korea"], ["Cargo", "shells"], ["Tonnes", "5"]]
    ]


def test_new_fact_takes_a_registered_kind(tmp_path: Path) -> None:
    root = project(tmp_path)
    sheet = root / "facts/main.yaml"
    result = run(
        "new", "fact", "--kind", "shipment", "--id", "f2", "--sheet", sheet, "--project", root
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("facts/main.yaml:27: added fact 'f2' (a shipment) in section")
    added = sheet.read_text()[len(SHEET) :]
    assert (
        "\n    shipment:\n      from: RU\n      to: KP\n      cargo: TODO what is shipped\n"
        in added
    )
    check = run("validate", "--project", root)
    assert check.exit_code == 0, check.output


def test_the_changes_of_a_registered_kind_are_listed(tmp_path: Path) -> None:
    root = project(tmp_path)
    build(root, options=BuildOptions(override_formats=("html",)))
    sheet = root / "facts/main.yaml"
    sheet.write_text(edit(SHEET, "tonnes: '5'", "tonnes: '7'"))
    config = root / "briefgen.yaml"
    config.write_text(edit(CONFIG, "edition: 2024-11-25", "edition: 2024-12-02"))
    build(root, options=BuildOptions(override_formats=("html",)))
    record = json.loads((root / "editions/brief/2024-12-02.json").read_text())
    assert record["facts"][0]["tonnes"] == "7"
    html = (root / "output/brief.html").read_text()
    assert "tonnes 5 → 7" in html
