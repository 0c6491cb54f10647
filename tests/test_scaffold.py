"""`briefgen init` and `briefgen new`: a project that builds at once, entries that
validate as written, and sheets whose existing bytes are never touched."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pytest
from helpers import MINIMAL_SHEET, REPO, minimal_project, run, write_tree

from briefgen.scaffold import ScaffoldError, example_dir, new_entry

DAY = dt.date(2024, 11, 25)
EXAMPLE_SHEETS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "facts").glob("*.yaml"))
INIT_FILES = [
    "briefgen.yaml",
    *EXAMPLE_SHEETS,
    "schemas/facts.schema.json",
    "schemas/config.schema.json",
    ".vscode/settings.json",
    ".vscode/extensions.json",
    ".helix/languages.toml",
    ".nvim.lua",
    ".gitignore",
]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# -- init -------------------------------------------------------------------------------


@pytest.mark.slow
def test_init_writes_a_project_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *INIT_FILES,
        f"next: cd {target} && briefgen build, or briefgen serve to preview as you edit",
    ]
    assert (target / ".gitignore").read_text() == "output/\n.briefgen-cache/\n"

    build = run("build", "--project", target)
    assert build.exit_code == 0, build.output
    assert build.stdout.splitlines() == [
        "output/ru-kp-exchange.html",
        "output/ru-kp-exchange.pdf",
        "output/ru-kp-air-defence.html",
        "output/ru-kp-air-defence.pdf",
    ]


def test_init_wires_the_schemas_for_the_editor(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    run("init", target)
    settings = json.loads((target / ".vscode/settings.json").read_text())
    assert settings == {
        "yaml.schemas": {
            "./schemas/facts.schema.json": ["facts/**/*.yaml", "facts/**/*.yml"],
            "./schemas/config.schema.json": ["briefgen.yaml"],
        }
    }
    helix = tomllib.loads((target / ".helix/languages.toml").read_text())
    assert helix["language-server"]["briefgen"] == {"command": "briefgen", "args": ["lsp"]}
    assert helix["language"] == [
        {"name": "yaml", "language-servers": ["yaml-language-server", "briefgen"]}
    ]
    assert 'cmd = { "briefgen", "lsp" }' in (target / ".nvim.lua").read_text()
    for name in EXAMPLE_SHEETS:
        text = (target / name).read_text()
        assert text.startswith("# yaml-language-server: $schema=../schemas/facts.schema.json\n")
        # the rest is the example, as it is
        assert text.split("\n", 1)[1] == (REPO / name).read_text()
    config = (target / "briefgen.yaml").read_text()
    assert config.startswith("# yaml-language-server: $schema=schemas/config.schema.json\n")
    assert json.loads((target / "schemas/facts.schema.json").read_text()) == json.loads(
        run("schema", "facts").stdout
    )


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    write_tree(target, {"facts/risks.yaml": "# my own risks\n", "notes.txt": "keep\n"})
    before = _snapshot(target)
    result = run("init", target)
    assert result.exit_code == 2  # wrong use, as the README's exit statuses say
    assert result.stderr == (
        f"Error: {target} already has facts/risks.yaml; nothing was written "
        "(pass --force to replace them, or choose an empty folder)\n"
    )
    assert _snapshot(target) == before


def test_init_force_replaces_and_keeps_other_files(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    write_tree(target, {"facts/risks.yaml": "# my own risks\n", "notes.txt": "keep\n"})
    result = run("init", target, "--force")
    assert result.exit_code == 0, result.output
    assert (
        (target / "facts/risks.yaml").read_text().endswith((REPO / "facts/risks.yaml").read_text())
    )
    assert (target / "notes.txt").read_text() == "keep\n"


def test_init_adds_output_to_an_existing_gitignore(tmp_path: Path) -> None:
    target = write_tree(tmp_path / "desk", {".gitignore": "*.log"})
    assert run("init", target).exit_code == 0
    assert (target / ".gitignore").read_text() == "*.log\noutput/\n.briefgen-cache/\n"
    # run again with --force: the line is there once
    assert run("init", target, "--force").exit_code == 0
    assert (target / ".gitignore").read_text() == "*.log\noutput/\n.briefgen-cache/\n"


def test_init_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "next: briefgen build, or briefgen serve to preview as you edit"
    )
    assert run("validate").exit_code == 0


def test_example_dir_in_a_source_checkout_is_the_repository() -> None:
    assert example_dir() == REPO


# -- new --------------------------------------------------------------------------------


def test_new_prints_a_skeleton_that_validates_when_pasted(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    result = run("new", "fact", "--project", project)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# add under 'facts:' in a fact sheet"
    assert lines[1].startswith(f"  - id: fact-{dt.date.today().isoformat()}-1")
    assert "    section: aid-flows  # one of: aid-flows, risks" in lines
    assert "      - source: src  # the id of a declared source" in lines
    # nothing was written anywhere
    assert (project / "facts/main.yaml").read_text() == MINIMAL_SHEET

    with (project / "facts/main.yaml").open("a") as sheet:
        sheet.write(result.stdout)
    check = run("validate", "--project", project)
    assert check.exit_code == 0, check.output
    assert check.stdout.startswith("ok: 2 facts")


@pytest.mark.parametrize(
    ("kind", "sheet", "count"),
    [
        ("fact", "facts/risks.yaml", "16 facts"),
        ("source", "facts/sources.yaml", "8 sources"),
        ("actor", "facts/actors.yaml", "5 actors"),
        ("fact", "facts/aid-flows.yaml", "16 facts"),
    ],
)
def test_new_appends_to_a_sheet_keeping_its_bytes(
    example: Path, kind: str, sheet: str, count: str
) -> None:
    before = (example / sheet).read_bytes()
    result = run("new", kind, "--sheet", example / sheet, "--project", example)
    assert result.exit_code == 0, result.output
    after = (example / sheet).read_bytes()
    assert after.startswith(before)
    assert len(after) > len(before)
    assert result.stdout.startswith(f"{sheet}:")
    assert "replace its TODOs" in result.stdout
    check = run("validate", "--project", example)
    assert check.exit_code == 0, check.output
    assert count in check.stdout


def test_new_entry_ids_are_fresh_and_the_line_is_right(example: Path) -> None:
    sheet = example / "facts/risks.yaml"
    first = new_entry(example, "fact", sheet=sheet, today=DAY)
    second = new_entry(example, "fact", sheet=sheet, today=DAY)
    assert (first.item_id, second.item_id) == ("fact-2024-11-25-1", "fact-2024-11-25-2")
    lines = sheet.read_text().splitlines()
    assert lines[first.line - 1] == "  - id: fact-2024-11-25-1"
    assert lines[second.line - 1] == "  - id: fact-2024-11-25-2"
    assert lines[first.line - 2] == ""  # the sheet separates its facts by blank lines
    assert new_entry(example, "actor", today=DAY).item_id == "actor-1"
    assert new_entry(example, "source", today=DAY).item_id == "source-2024-11-25-1"


def test_new_fact_in_a_sheet_with_a_default_section_leaves_the_section_out(
    example: Path,
) -> None:
    entry = new_entry(example, "fact", sheet=example / "facts/risks.yaml", today=DAY)
    assert "    # section: risks  # this sheet's default\n" in entry.text
    assert "\n    section:" not in entry.text
    with_section = new_entry(
        example, "fact", sheet=example / "facts/risks.yaml", section="context", today=DAY
    )
    assert "    section: context  # one of: aid-flows, agreements, risks, context\n" in (
        with_section.text
    )
    assert run("validate", "--project", example).exit_code == 0


def test_new_inserts_into_a_list_that_is_not_last(tmp_path: Path) -> None:
    sheet = """\
# Sources first, then facts.
sources:
- id: src
  title: A source
  reliability: B
  type: official   # keep this comment

# The facts.
facts:
  - id: fact-one
    title: A fact
    text: Something happened.
    date: 2024-11
    section: aid-flows
    confidence: moderate
    sources:
      - source: src
        credibility: 2
"""
    project = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    entry = new_entry(project, "source", sheet=project / "facts/main.yaml", today=DAY)
    after = (project / "facts/main.yaml").read_text()
    head, tail = sheet.split("\n# The facts.", 1)
    # everything before and after the insertion is as it was, in order
    assert after.startswith(head + "\n")
    assert after.endswith("\n# The facts." + tail)
    assert after == head + entry.text + "\n# The facts." + tail
    # the sheet's own spacing and indentation: its source entries start at column 1
    assert entry.text.startswith("\n- id: source-2024-11-25-1\n  title: TODO")
    assert entry.line == 8
    assert run("validate", "--project", project).exit_code == 0


def test_new_adds_a_missing_list_to_a_sheet(tmp_path: Path) -> None:
    project = minimal_project(tmp_path, **{"facts/extra.yaml": "section: risks  # no newline"})
    entry = new_entry(project, "fact", sheet=project / "facts/extra.yaml", today=DAY)
    text = (project / "facts/extra.yaml").read_text()
    assert text.startswith("section: risks  # no newline\n\nfacts:\n  - id: fact-2024-11-25-1\n")
    assert entry.line == 4
    assert run("validate", "--project", project).exit_code == 0


def test_new_creates_a_missing_sheet_with_the_schema_line(tmp_path: Path) -> None:
    project = tmp_path / "desk"
    run("init", project)
    result = run("new", "fact", "--sheet", project / "facts/2024/new.yaml", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("facts/2024/new.yaml:3: added fact 'fact-")
    text = (project / "facts/2024/new.yaml").read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../../schemas/facts.schema.json\nfacts:\n  - id: fact-"
    )
    assert run("validate", "--project", project).exit_code == 0


def test_new_keeps_crlf_line_endings(tmp_path: Path) -> None:
    crlf = MINIMAL_SHEET.replace("\n", "\r\n").encode()
    project = minimal_project(tmp_path, **{"facts/main.yaml": crlf})
    new_entry(project, "actor", sheet=project / "facts/main.yaml", today=DAY)
    after = (project / "facts/main.yaml").read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert run("validate", "--project", project).exit_code == 0


@pytest.mark.parametrize(
    ("sheet_text", "message"),
    [
        (
            "facts: []\n",
            "facts/main.yaml:1:8: 'facts' is not written as a list with one '- ' line per "
            "entry; write it so, or add the entry by hand",
        ),
        ("facts:\n  - id: [\n", "fix the sheet first: facts/main.yaml:3:1: error: invalid YAML"),
        ("- a list\n", "facts/main.yaml is not a fact sheet (keys and values)"),
    ],
)
def test_new_refuses_sheets_it_cannot_add_to_safely(
    tmp_path: Path, sheet_text: str, message: str
) -> None:
    project = minimal_project(tmp_path, **{"facts/main.yaml": sheet_text})
    result = run("new", "fact", "--sheet", project / "facts/main.yaml", "--project", project)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {message}")
    assert (project / "facts/main.yaml").read_text() == sheet_text


def test_new_refuses_a_sheet_outside_facts_and_an_unknown_section(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    outside = run("new", "fact", "--sheet", project / "notes.yaml", "--project", project)
    assert outside.exit_code == 1
    assert outside.stderr == (
        f"Error: {project / 'notes.yaml'} is not a fact sheet of this project: "
        f"sheets are *.yaml files under {project / 'facts'}\n"
    )
    assert not (project / "notes.yaml").exists()
    section = run("new", "fact", "--section", "aid", "--project", project)
    assert section.exit_code == 1
    assert section.stderr == "Error: unknown section 'aid'; the sections are aid-flows, risks\n"


def test_new_needs_a_project(tmp_path: Path) -> None:
    result = run("new", "fact", "--project", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no briefgen.yaml in {tmp_path}; run 'briefgen init' to start a project\n"
    )


def test_new_fact_without_sources_says_to_add_one(tmp_path: Path) -> None:
    sheet = "actors:\n  - id: RU\n    name: Russia\n"
    project = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    entry = new_entry(project, "fact", today=DAY)
    assert (
        "      - source: TODO-source  # the id of a declared source; "
        "add one with 'briefgen new source'\n"
    ) in entry.text


def test_scaffold_error_is_a_plain_exception() -> None:
    with pytest.raises(ScaffoldError, match=r"no briefgen\.yaml"):
        new_entry(Path("/nonexistent"), "fact")


# -- kinds, ids and the section chosen -------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "kind", "section"),
    [
        ("facts/risks.yaml", "a risk", "risks"),
        ("facts/aid-flows.yaml", "a flow", "aid-flows"),
        # One agreement and one plain fact: a tie goes to the kind of the latest.
        ("facts/agreements.yaml", "a plain fact", "agreements"),
    ],
)
def test_new_fact_takes_the_kind_most_facts_in_the_sheet_have_and_says_so(
    example: Path, sheet: str, kind: str, section: str
) -> None:
    result = run("new", "fact", "--sheet", example / sheet, "--id", "new-one", "--project", example)
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    assert re.fullmatch(
        rf"{sheet}:\d+: added fact 'new-one' \({kind}\) in section '{section}' "
        r"\(the sheet's default\); replace its TODOs",
        line,
    ), line
    added = (example / sheet).read_text().split("- id: new-one\n")[1]
    for block in ("flow", "agreement", "risk"):
        assert (f"\n    {block}:\n" in added) == kind.endswith(block)


@pytest.mark.parametrize("kind", ["flow", "agreement", "risk", "plain"])
def test_each_kind_of_skeleton_validates_and_its_todos_warn(tmp_path: Path, kind: str) -> None:
    project = minimal_project(tmp_path)
    sheet = project / "facts/main.yaml"
    result = run(
        "new", "fact", "--kind", kind, "--id", "f2", "--sheet", sheet, "--project", project
    )
    assert result.exit_code == 0, result.output
    added = sheet.read_text()[len(MINIMAL_SHEET) :]
    assert (f"\n    {kind}:\n" in added) == (kind != "plain")
    check = run("validate", "--project", project)
    assert check.exit_code == 0, check.output
    todo = {"flow": "what", "agreement": "name", "risk": "indicators", "plain": None}[kind]
    fields = ["title", "text", *([todo] if todo else [])]
    todos = [line for line in check.stderr.splitlines() if "skeleton's TODO" in line]
    assert [re.sub(r":\d+:\d+:", ":L:C:", line) for line in todos] == [
        f"facts/main.yaml:L:C: warning: fact 'f2' still holds the skeleton's TODO in '{field}' "
        "(replace it with what you know)"
        for field in fields
    ]
    strict = run("validate", "--strict", "--project", project)
    assert strict.exit_code == 1


def test_new_fact_printed_says_its_kind_and_section_on_stderr(tmp_path: Path) -> None:
    project = minimal_project(tmp_path)
    result = run("new", "fact", "--id", "f2", "--project", project)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "printed fact 'f2' (a plain fact) in section 'aid-flows' (the first in "
        "briefgen.yaml); replace its TODOs\n"
    )
    assert result.stdout.splitlines()[1] == "  - id: f2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--id", "fact-one"),
            "fact id 'fact-one' is taken (at facts/main.yaml:13); choose another",
        ),
        (
            ("--id", "-bad"),
            "'-bad' is not a valid id: use up to 64 letters, digits, '.', '_' and '-', "
            "starting with a letter or digit",
        ),
        (("--kind", "risk", "--id", "x", "source"), "--kind is for facts; a source has no kind"),
    ],
)
def test_new_refuses_an_id_taken_or_malformed(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    project = minimal_project(tmp_path)
    kind = [] if args[-1] == "source" else ["fact"]
    options = args[:-1] if args[-1] == "source" else args
    result = run("new", *(kind or ["source"]), *options, "--project", project)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"


def test_a_flow_needs_two_declared_actors(tmp_path: Path) -> None:
    sheet = "sources:\n  - id: src\n    title: S\n    reliability: B\n    type: media\n"
    project = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    result = run("new", "fact", "--kind", "flow", "--project", project)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: a flow names two actors, and the project declares none; "
        "add them first with 'briefgen new actor'\n"
    )


def test_init_blank_starts_empty_and_validates(tmp_path: Path) -> None:
    root = tmp_path / "blank"
    result = run("init", "--blank", root)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"next: cd {root} && briefgen new fact --sheet facts/main.yaml, then briefgen build"
    )
    assert not (root / "facts").exists()  # no example facts
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/config.schema.json"] == ["briefgen.yaml"]
    today = dt.date.today().isoformat()
    assert (root / "briefgen.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=schemas/config.schema.json\n"
        "sections:\n  - id: main\n    title: Main points\n\n"
        f"briefings:\n  - id: briefing\n    title: A briefing\n    edition: {today}\n"
        "    formats: [html, pdf]\n"
    )
    result = run("validate", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "ok: 0 facts, 0 sources, 0 actors, 1 briefing"
