"""A briefing built in all five formats, each file opened by its validator or a real
client: the Nu HTML checker, qpdf, JSON Schema, the STIX library and validator, and
LibreOffice."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import docx
import pytest
from exports import EXPORT_CONFIG, export_project
from helpers import edit, require_tool, run
from test_html import nu_check
from test_jsonout import check_output
from test_stix import check_bundle
from test_word import libreoffice_pdf

from briefgen.formats import FORMATS, format_for_file
from briefgen.formats.docx import docx_key
from briefgen.options import BuildOptions

ALL = ["html", "pdf", "json", "stix", "docx"]
FILES = ["exports.html", "exports.pdf", "exports.json", "exports.stix.json", "exports.docx"]


def test_the_table_names_the_five_formats_and_their_files() -> None:
    assert list(FORMATS) == ALL
    assert [f"exports.{FORMATS[name].suffix}" for name in ALL] == FILES
    assert format_for_file("exports.stix.json") is FORMATS["stix"]
    assert format_for_file("exports.json") is FORMATS["json"]
    assert FORMATS["stix"].media_type == "application/stix+json;version=2.1"
    key = FORMATS["docx"].key
    assert key is not None and key(BuildOptions()) == docx_key(BuildOptions())
    assert any(part.startswith("python-docx ") for part in key(BuildOptions()))


def test_formats_listed_in_the_briefing_are_built_cached_and_rebuilt_alike(tmp_path: Path) -> None:
    root = export_project(tmp_path / "p")
    config = edit(EXPORT_CONFIG, "formats: [html]", "formats: [json, stix, docx]")
    (root / "briefgen.yaml").write_text(config, encoding="utf-8")
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    output = root / "output"
    first = {name: (output / name).read_bytes() for name in FILES[2:]}
    assert not (output / "exports.html").exists()
    again = run("build", "--project", root)
    assert again.exit_code == 0 and "up to date" in again.output, again.output
    assert run("build", "--project", root, "--force").exit_code == 0
    assert {name: (output / name).read_bytes() for name in FILES[2:]} == first
    check_output(first["exports.json"])
    check_bundle(first["exports.stix.json"])
    assert docx.Document(io.BytesIO(first["exports.docx"])).core_properties.title.startswith(
        "Exports & <Imports>"
    )
    record = json.loads(next((root / "editions/exports").glob("*.json")).read_text())
    assert sorted(record["outputs"]) == sorted(f"output/{name}" for name in FILES[2:])


@pytest.mark.slow
def test_every_format_passes_its_validator_or_opens_in_its_client(tmp_path: Path) -> None:
    root = export_project(tmp_path / "p")
    formats = [arg for name in ALL for arg in ("--format", name)]
    result = run("build", "--project", root, *formats)
    assert result.exit_code == 0, result.output
    output = root / "output"
    assert sorted(p.name for p in output.iterdir() if not p.name.startswith(".")) == sorted(FILES)
    assert nu_check(output / "exports.html") == []
    qpdf = require_tool("qpdf", "qpdf")
    checked = subprocess.run([qpdf, "--check", output / "exports.pdf"], capture_output=True)
    assert checked.returncode == 0, checked.stdout
    check_output((output / "exports.json").read_bytes())
    check_bundle((output / "exports.stix.json").read_bytes())
    pdf = libreoffice_pdf(output / "exports.docx", tmp_path / "libreoffice")
    text = subprocess.run(
        [require_tool("pdftotext", "poppler-utils"), pdf, "-"], capture_output=True, text=True
    ).stdout
    assert "Treaty of Three" in text and "[2 A1]" in text
