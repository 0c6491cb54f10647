"""Releases (FORMAT 1.2): a briefing released at a marking carries nothing above it, in
any output, in any form. Proven by searching the bytes of every output (PDF streams
decompressed, its attachments, XMP and outline; the docx's XML parts; JSON, STIX,
HTML) for every withheld item's id and the words only it carries."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import require_tool, run, write_tree
from marked_project import FILES, RELEASES, shown_at, withheld_at

SUFFIXES = (".html", ".pdf", ".json", ".stix.json", ".docx")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = write_tree(tmp_path_factory.mktemp("marked"), FILES)
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    return root, result.output


def _slug(release: str) -> str:
    return release.removeprefix("TLP:").lower().replace("+", "-")


def output_bytes(path: Path) -> bytes:
    """Everything a reader of `path` could get at, as bytes to search."""
    if path.suffix == ".pdf":
        qpdf = require_tool("qpdf", "qpdf")
        pdftotext = require_tool("pdftotext", "poppler-utils")
        flat = subprocess.run(
            [qpdf, "--qdf", "--object-streams=disable", "--stream-data=uncompress", path, "-"],
            capture_output=True,
            check=False,
        ).stdout
        text = subprocess.run([pdftotext, path, "-"], capture_output=True, check=True).stdout
        return flat + b"\n" + text
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as docx:
            return b"\n".join(docx.read(name) for name in docx.namelist())
    return path.read_bytes()


def _forms(tracer: str) -> list[bytes]:
    # As UTF-8, and as the UTF-16 PDF strings (outline, metadata) are written in.
    return [tracer.encode(), tracer.encode("utf-16-be")]


@pytest.mark.parametrize("release", RELEASES)
def test_nothing_withheld_is_in_any_output(built: tuple[Path, str], release: str) -> None:
    root, _ = built
    withheld = withheld_at(release)
    assert withheld  # every release here withholds something
    for suffix in SUFFIXES:
        data = output_bytes(root / "output" / f"brief-{_slug(release)}{suffix}")
        for item in withheld:
            for tracer in (item.id, *item.tracers):
                for form in _forms(tracer):
                    assert form not in data, f"{item.kind} {item.id} leaks into {suffix}: {tracer}"


@pytest.mark.parametrize("release", RELEASES)
def test_what_is_shown_is_found_by_the_same_search(built: tuple[Path, str], release: str) -> None:
    # The search above can fail: the same search finds every shown item.
    root, _ = built
    for suffix in (".html", ".pdf", ".json"):
        data = output_bytes(root / "output" / f"brief-{_slug(release)}{suffix}")
        for item in shown_at(release):
            assert item.tracers[0].encode() in data, f"{item.id} missing from {suffix}"


@pytest.mark.parametrize("release", RELEASES)
def test_other_briefings_are_not_in_the_pdf(built: tuple[Path, str], release: str) -> None:
    root, _ = built
    data = output_bytes(root / "output" / f"brief-{_slug(release)}.pdf")
    for other in RELEASES:
        if other != release:
            assert f"brief-{_slug(other)}".encode() not in data


def test_the_build_says_what_each_release_withheld(built: tuple[Path, str]) -> None:
    _, output = built
    for release in RELEASES:
        ids = sorted(item.id for item in withheld_at(release))
        assert f"brief-{_slug(release)}: release {release} withheld {', '.join(ids)}" in output


def test_a_fact_marked_below_its_source_is_a_located_warning(built: tuple[Path, str]) -> None:
    _, output = built
    assert (
        "facts/main.yaml:155:14: warning: fact 'fact-under' is marked TLP:CLEAR, below its "
        "source 'src-amber' (TLP:AMBER); it is handled as TLP:AMBER (mark the fact TLP:AMBER "
        "or higher, or cite a source marked TLP:CLEAR or lower)"
    ) in output


def test_every_shown_item_carries_its_portion_mark(built: tuple[Path, str]) -> None:
    root, _ = built
    data = json.loads((root / "output" / "brief-amber.json").read_text(encoding="utf-8"))
    facts = {f["id"]: f for s in data["sections"] for f in s["facts"]}
    assert facts["fact-green"]["marking"] == "TLP:GREEN"
    assert facts["fact-under"]["marking"] == "TLP:AMBER"
    assert {s["id"]: s["marking"] for s in data["sources"]}["src-clear"] == "TLP:CLEAR"
    assert [j["marking"] for j in data["judgments"]] == ["TLP:CLEAR"]
    assert data["banner"] == "TLP:AMBER"
    html = (root / "output" / "brief-amber.html").read_text(encoding="utf-8")
    assert html.count('class="portion"') >= len(facts) + len(data["sources"]) + 1


def test_stix_objects_carry_tlp_marking_definitions(built: tuple[Path, str]) -> None:
    root, _ = built
    bundle = json.loads((root / "output" / "brief-green.stix.json").read_text(encoding="utf-8"))
    markings = {o["id"]: o for o in bundle["objects"] if o["type"] == "marking-definition"}
    green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
    assert markings[green]["name"] == "TLP:GREEN"
    notes = [o for o in bundle["objects"] if o["type"] == "note"]
    assert notes and all(o["object_marking_refs"] for o in notes)
    every_id = {o["id"] for o in bundle["objects"]}
    for obj in bundle["objects"]:
        for ref in obj.get("object_refs", []) + obj.get("object_marking_refs", []):
            assert ref in every_id


@pytest.mark.slow
@pytest.mark.parametrize("release", RELEASES)
def test_the_unpacked_pdf_builds_the_same_pdf(
    built: tuple[Path, str], release: str, tmp_path: Path
) -> None:
    root, _ = built
    pdf = root / "output" / f"brief-{_slug(release)}.pdf"
    result = run("unpack", pdf, tmp_path / "again")
    assert result.exit_code == 0, result.output
    result = run("build", "--project", tmp_path / "again")
    assert result.exit_code == 0, result.output
    rebuilt = tmp_path / "again" / "output" / pdf.name
    assert rebuilt.read_bytes() == pdf.read_bytes()
    # The unpacked project holds this briefing alone and nothing withheld.
    unpacked = b"".join(p.read_bytes() for p in (tmp_path / "again").rglob("*.yaml"))
    for item in withheld_at(release):
        assert item.id.encode() not in unpacked
