"""Shared judgments' ids (FORMAT 1.2) in `briefgen lsp`, driven over stdio: definition,
references, rename, completion and hover, on the example with two judgments shared."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_example, edit
from lsp_client import Editor, apply_edits, position_of, run
from lsprotocol import types

from briefgen.build import validate
from briefgen.load import load_project

CONFIG = "briefgen.yaml"
SHARED = """\
judgments:
  - id: nuclear-unlikely
    text: |
      Russia is *unlikely* to transfer nuclear technology to North Korea in
      the coming year.
    confidence: low
    likelihood: unlikely
    based_on: [risk-ru-nuclear-tech-to-kp, risk-ru-withholds-capabilities]
  - id: exchange-continues
    text: The exchange will *likely* continue through 2025.
    confidence: moderate
    based_on: [ru-kp-strategic-partnership-treaty, kp-troops-to-ru]

"""
# Each briefing's judgment on nuclear technology, written in place in the example.
IN_PLACE = (
    """\
      - text: |
          Russia is *unlikely* to transfer nuclear technology to North Korea in
          the coming year; it has reason to hold back its most advanced
          capabilities.
        confidence: low
        likelihood: unlikely
        based_on: [risk-ru-nuclear-tech-to-kp, risk-ru-withholds-capabilities]
""",
    """\
      - text: |
          Russia is *unlikely* to transfer nuclear technology to North Korea in
          the coming year.
        confidence: low
        likelihood: unlikely
        based_on: [risk-ru-nuclear-tech-to-kp, risk-ru-withholds-capabilities]
""",
)
NAMED = "      - nuclear-unlikely\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The example, its briefings naming one shared judgment where each wrote it, and
    the first judgment of the first briefing given an id of its own."""
    root = copy_example(tmp_path / "project")
    text = (root / CONFIG).read_text(encoding="utf-8")
    text = edit(text, "\nbriefings:\n", "\n" + SHARED + "briefings:\n")
    for written in IN_PLACE:
        text = edit(text, written, NAMED)
    text = edit(
        text,
        "      - text: |\n          Russia is supplying",
        "      - id: troops-for-aid\n        text: |\n          Russia is supplying",
    )
    (root / CONFIG).write_text(text, encoding="utf-8")
    _, problems = validate(root)
    assert [p for p in problems if p.severity == "error"] == []
    return root


def named_at(text: str) -> list[types.Position]:
    """Where each briefing names `nuclear-unlikely`, on the id's first character."""
    lines = text.split("\n")
    return [
        types.Position(row, len("      - "))
        for row, line in enumerate(lines)
        if line + "\n" == NAMED
    ]


def span(start: types.Position, length: int) -> types.Range:
    return types.Range(start, types.Position(start.line, start.character + length))


def test_definition_and_references_of_a_shared_judgment(project: Path) -> None:
    text = (project / CONFIG).read_text(encoding="utf-8")
    declared = span(position_of(text, "id: nuclear-unlikely", len("id: ")), len("nuclear-unlikely"))
    named = [span(at, len("nuclear-unlikely")) for at in named_at(text)]
    assert len(named) == 2

    async def scenario(editor: Editor) -> None:
        uri = editor.open(CONFIG)
        await editor.started(CONFIG)
        document = types.TextDocumentIdentifier(uri)
        at = types.Position(named[1].start.line, named[1].start.character + 3)
        definition = await editor.client.text_document_definition_async(
            types.DefinitionParams(document, at)
        )
        assert definition == [types.Location(uri, declared)]

        for include, expected in ((False, named), (True, [declared, *named])):
            references = await editor.client.text_document_references_async(
                types.ReferenceParams(
                    text_document=document,
                    position=at,
                    context=types.ReferenceContext(include_declaration=include),
                )
            )
            assert list(references or []) == [types.Location(uri, where) for where in expected]

        # From the declaration, too; a judgment written in place is no reference.
        references = await editor.client.text_document_references_async(
            types.ReferenceParams(
                text_document=document,
                position=declared.start,
                context=types.ReferenceContext(include_declaration=False),
            )
        )
        assert list(references or []) == [types.Location(uri, where) for where in named]

    run(project, scenario)


def test_completion_and_hover_show_the_judgment(project: Path) -> None:
    text = (project / CONFIG).read_text(encoding="utf-8")
    last = named_at(text)[1]
    # Half typed, a second shared judgment in the second briefing's list.
    typing = "\n".join(
        [*text.split("\n")[: last.line + 1], "      - exch", *text.split("\n")[last.line + 1 :]]
    )
    typed = types.Position(last.line + 1, len("      - exch"))

    async def scenario(editor: Editor) -> None:
        uri = editor.open(CONFIG, typing)
        await editor.started(CONFIG)
        document = types.TextDocumentIdentifier(uri)
        completion = await editor.client.text_document_completion_async(
            types.CompletionParams(document, typed)
        )
        assert completion is not None and not isinstance(completion, list)
        items = {item.label: item for item in completion.items}
        assert set(items) == {"nuclear-unlikely", "exchange-continues"}
        documentation = items["exchange-continues"].documentation
        assert isinstance(documentation, types.MarkupContent)
        assert documentation.value.startswith(
            "The exchange will *likely* continue through 2025.\n\nConfidence: moderate\n\n"
        )

        hover = await editor.client.text_document_hover_async(types.HoverParams(document, last))
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value == (
            "Russia is *unlikely* to transfer nuclear technology to North Korea in the coming "
            "year.\n\n"
            "Confidence: low  \nLikelihood: unlikely (ICD 203: 20–45%)\n\n"
            "Based on:\n"
            "- `risk-ru-nuclear-tech-to-kp`: "
            + _title(project, "risk-ru-nuclear-tech-to-kp")
            + "\n- `risk-ru-withholds-capabilities`: "
            + _title(project, "risk-ru-withholds-capabilities")
        )

    run(project, scenario)


def _title(root: Path, fact_id: str) -> str:
    return load_project(root, cache=False)[0].facts[fact_id].item.title


def test_rename_a_shared_judgment_changes_only_its_id(project: Path) -> None:
    text = (project / CONFIG).read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in [project / CONFIG, *project.glob("facts/*")]}
    assert text.count("nuclear-unlikely") == 3

    async def scenario(editor: Editor) -> None:
        uri = editor.open(CONFIG)
        await editor.started(CONFIG)
        document = types.TextDocumentIdentifier(uri)
        at = named_at(text)[0]
        refusals = {
            "exchange-continues": "'exchange-continues' is taken: declared at briefgen.yaml:",
            "troops-for-aid": "'troops-for-aid' is taken: judgment 1 of briefing "
            "'ru-kp-exchange' has it, at briefgen.yaml:",
            "a b": "'a b' is not a valid id",
            "nuclear-unlikely": "'nuclear-unlikely' is already its id",
        }
        for new_name, reason in refusals.items():
            with pytest.raises(Exception, match=reason):
                await editor.client.text_document_rename_async(
                    types.RenameParams(text_document=document, position=at, new_name=new_name)
                )
        result = await editor.client.text_document_rename_async(
            types.RenameParams(text_document=document, position=at, new_name="no-nuclear-help")
        )
        assert result is not None and result.changes is not None
        assert list(result.changes) == [uri] and len(result.changes[uri]) == 3
        path = project / CONFIG
        path.write_text(apply_edits(text, list(result.changes[uri])), encoding="utf-8")

    run(project, scenario)
    after = {p: p.read_bytes() for p in before}
    for path in before:  # exactly those characters, and no other byte of any file
        assert after[path] == before[path].replace(b"nuclear-unlikely", b"no-nuclear-help")
    _, problems = validate(project)
    assert [p for p in problems if p.severity == "error"] == []
