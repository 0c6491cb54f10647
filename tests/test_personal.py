"""Nothing personal in any output: no absolute path, user name or host name in any
format's bytes or metadata (PDF streams, Info and XMP, and its attachments; the docx's
XML parts, core and app properties; HTML, JSON, STIX), and no analyst's reason for
acknowledging a warning, which stays in the desk's edition records.

The projects are built in a folder whose path carries a token, with HOME, USER,
LOGNAME and HOSTNAME set to tokens of their own; then every output is searched for
each token, as UTF-8 and as the UTF-16 that PDF strings use."""

from __future__ import annotations

import getpass
import json
import socket
import zipfile
from pathlib import Path

import docx
import pytest
from exports import view_of
from helpers import copy_example, edit, run, write_tree
from marked_project import FILES
from test_release import output_bytes

from briefgen.formats.jsonout import json_bytes, output_schema

TOKENS = {
    "USER": "zzuserzz",
    "LOGNAME": "zzlognamezz",
    "HOSTNAME": "zzhostzz",
    "USERNAME": "zzusernamezz",
}
REASON = "Zzreasonzz: the desk confirmed it by telephone."


def _acknowledged(files: dict[str, str]) -> dict[str, str]:
    """The marked project with one fact's warning acknowledged, for a reason."""
    sheet = edit(
        files["facts/main.yaml"],
        "    confidence: low\n    marking: TLP:CLEAR\n",
        "    confidence: low\n    marking: TLP:CLEAR\n"
        f"    acknowledge:\n      marked-below-source: '{REASON}'\n",
    )
    return {**files, "facts/main.yaml": sheet}


def _forbidden(desk: Path, home: Path) -> list[str]:
    """Every token, the folders' paths, and the machine's own names when long enough
    to search for without matching by chance."""
    found = [*TOKENS.values(), str(desk), str(home), desk.name, home.name]
    found += [name for name in (getpass.getuser(), socket.gethostname()) if len(name) >= 6]
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[str]]:
    base = tmp_path_factory.mktemp("personal")
    desk, home = base / "zzdeskzz-of-zzuserzz", base / "zzhomezz"
    home.mkdir()
    roots = [
        copy_example(desk / "example"),
        write_tree(desk / "marked", _acknowledged(FILES)),
    ]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOME", str(home))
        for name, value in TOKENS.items():
            env.setenv(name, value)
        for root in roots:
            result = run("build", "--project", root)
            assert result.exit_code == 0, result.output
    outputs = sorted(p for root in roots for p in (root / "output").rglob("*") if p.is_file())
    return outputs, _forbidden(desk, home)


@pytest.mark.slow
def test_no_output_names_the_machine_the_user_or_the_folder(
    built: tuple[list[Path], list[str]],
) -> None:
    outputs, forbidden = built
    suffixes = {p.name.split(".", 1)[1] for p in outputs}
    assert {"html", "pdf", "json", "stix.json", "docx"} <= suffixes
    for path in outputs:
        data = output_bytes(path)
        assert data.strip(), path.name  # the search reads the file
        for token in forbidden:
            for form in (token.encode(), token.encode("utf-16-be")):
                assert form not in data, f"{path.name} carries {token!r}"


@pytest.mark.slow
def test_no_output_carries_an_acknowledgment_reason(built: tuple[list[Path], list[str]]) -> None:
    outputs, _ = built
    marked = [p for p in outputs if p.parent.parent.name == "marked"]
    assert marked
    for path in marked:
        data = output_bytes(path)
        for form in (b"Zzreasonzz", "Zzreasonzz".encode("utf-16-be")):
            assert form not in data, path.name
    # The desk's own record keeps it.
    (record,) = (marked[0].parent.parent / "editions" / "brief-amber").glob("*.json")
    assert REASON in record.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_word_documents_properties_name_only_the_briefings_author(
    built: tuple[list[Path], list[str]],
) -> None:
    outputs, _ = built
    for path in (p for p in outputs if p.suffix == ".docx"):
        properties = docx.Document(str(path)).core_properties
        assert properties.author == ""  # neither project names an author
        assert properties.last_modified_by == "briefgen"
        with zipfile.ZipFile(path) as package:
            app = package.read("docProps/app.xml").decode()
        assert "<Company>" not in app and "<Manager>" not in app


def test_the_json_leaves_acknowledgment_reasons_out(tmp_path: Path) -> None:
    root = write_tree(tmp_path, _acknowledged(FILES))
    view = view_of(root, "brief-amber")
    (fact,) = [f for f in view.facts if f.acknowledged]
    assert fact.acknowledged == {"marked-below-source": REASON}  # the record reads the view
    document = json.loads(json_bytes(view))
    facts = [f for section in document["sections"] for f in section["facts"]]
    assert facts and all("acknowledged" not in f for f in facts)
    assert "Zzreasonzz" not in json.dumps(document)
    assert "acknowledged" not in json.dumps(output_schema())
