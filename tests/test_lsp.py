"""`briefgen lsp` driven over stdio as an editor drives it, on a copy of the example."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from helpers import copy_example, edit
from lsp_client import Editor, apply_edits, position_of, run
from lsprotocol import types

from briefgen.build import validate

AIDS = "facts/aid-flows.yaml"
SOURCES = "facts/sources.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


def test_a_typo_is_reported_on_its_range_with_the_hint_and_cleared_when_fixed(
    project: Path,
) -> None:
    text = (project / AIDS).read_text(encoding="utf-8")
    typo = edit(
        text,
        "  - id: ru-air-defence-to-kp\n",
        "  - id: ru-air-defence-to-kp\n",
    ).replace(
        "source: shin-interview-2024-11\n        credibility: 2\n        locator: article,"
        " paragraphs 1-2",
        "source: shin-intervew-2024-11\n        credibility: 2\n"
        "        locator: article, paragraphs 1-2",
        1,
    )
    assert typo != text

    async def scenario(editor: Editor) -> None:
        editor.open(AIDS)
        assert await editor.diagnostics_until(AIDS, lambda d: True) == []
        editor.change(AIDS, typo)
        found = await editor.diagnostics_until(AIDS, lambda d: len(d) > 0)
        assert [(d.message, d.code, d.severity) for d in found] == [
            (
                "unknown source 'shin-intervew-2024-11' (did you mean 'shin-interview-2024-11'?)",
                "unknown-reference",
                types.DiagnosticSeverity.Error,
            )
        ]
        start = position_of(typo, "shin-intervew-2024-11")
        end = types.Position(start.line, start.character + len("shin-intervew-2024-11"))
        assert found[0].range == types.Range(start, end)
        editor.change(AIDS, text)
        assert await editor.diagnostics_until(AIDS, lambda d: d == []) == []

    run(project, scenario)


def test_problems_in_sheets_not_open_are_published(project: Path) -> None:
    path = project / SOURCES
    path.write_text(path.read_text(encoding="utf-8").replace("reliability: B", "reliability: Q", 1))

    async def scenario(editor: Editor) -> None:
        found = await editor.diagnostics_until(SOURCES, lambda d: len(d) > 0)
        assert found[0].code == "enum"
        assert "'Q'" in found[0].message

    run(project, scenario)


def test_broken_yaml_is_reported_and_the_rest_keeps_the_last_good_state(project: Path) -> None:
    text = (project / SOURCES).read_text(encoding="utf-8")
    broken = text + "\n  - id: [unclosed\n"

    async def scenario(editor: Editor) -> None:
        editor.open(SOURCES)
        editor.open(AIDS)
        await editor.started(AIDS)
        editor.change(SOURCES, broken)
        found = await editor.diagnostics_until(
            SOURCES, lambda d: any(x.code == "yaml-syntax" for x in d)
        )
        assert {d.code for d in found} == {"yaml-syntax", "held-back"}
        # The sources it declared still resolve: no citation in another sheet breaks.
        await asyncio.sleep(1)
        assert editor.diagnostics.get(editor.uri(AIDS), []) == []

    run(project, scenario)


def test_completion_hover_definition_and_references(project: Path) -> None:
    text = (project / AIDS).read_text(encoding="utf-8")
    sources = (project / SOURCES).read_text(encoding="utf-8")

    async def scenario(editor: Editor) -> None:
        uri = editor.open(AIDS)
        await editor.started(AIDS)
        document = types.TextDocumentIdentifier(uri)
        cited = position_of(
            text,
            "source: shin-interview-2024-11\n        credibility: 2\n"
            "        locator: article, paragraphs 1-2",
            len("source: s"),
        )

        completion = await editor.client.text_document_completion_async(
            types.CompletionParams(document, cited)
        )
        assert completion is not None and not isinstance(completion, list)
        labels = {item.label: item for item in completion.items}
        assert {"shin-interview-2024-11", "article-military-exchange"} <= set(labels)
        documentation = labels["article-military-exchange"].documentation
        assert isinstance(documentation, types.MarkupContent)
        assert "Reliability:" in documentation.value

        hover = await editor.client.text_document_hover_async(types.HoverParams(document, cited))
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert "Shin" in hover.contents.value and "Reliability: " in hover.contents.value

        grade = position_of(
            text,
            "credibility: 2\n        locator: article, paragraphs 1-2\n      - source: kr",
            len("credibility: "),
        )
        hover = await editor.client.text_document_hover_async(types.HoverParams(document, grade))
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value == "Credibility 2: probably true"

        definition = await editor.client.text_document_definition_async(
            types.DefinitionParams(document, cited)
        )
        assert isinstance(definition, list) and len(definition) == 1
        assert definition[0].uri == editor.uri(SOURCES)
        declared = position_of(sources, "id: shin-interview-2024-11", len("id: "))
        assert definition[0].range.start == declared

        references = await editor.client.text_document_references_async(
            types.ReferenceParams(
                text_document=document,
                position=cited,
                context=types.ReferenceContext(include_declaration=False),
            )
        )
        assert references is not None
        cited_in = {ref.uri.rsplit("/", 1)[1] for ref in references}
        count = sum(
            p.read_text(encoding="utf-8").count("source: shin-interview-2024-11")
            for p in (project / "facts").glob("*.yaml")
        )
        assert len(references) == count and "aid-flows.yaml" in cited_in

    run(project, scenario)


def test_rename_changes_only_the_ids_and_the_project_still_validates(project: Path) -> None:
    text = (project / AIDS).read_text(encoding="utf-8")
    before = {p: p.read_bytes() for p in [project / "briefgen.yaml", *project.glob("facts/*")]}

    async def scenario(editor: Editor) -> None:
        uri = editor.open(AIDS)
        await editor.started(AIDS)
        at = position_of(text, "  - id: kp-troops-to-ru", len("  - id: "))
        document = types.TextDocumentIdentifier(uri)
        taken = types.RenameParams(
            text_document=document, position=at, new_name="ru-air-defence-to-kp"
        )
        with pytest.raises(Exception, match="'ru-air-defence-to-kp' is taken"):
            await editor.client.text_document_rename_async(taken)
        with pytest.raises(Exception, match="not a valid id"):
            await editor.client.text_document_rename_async(
                types.RenameParams(text_document=document, position=at, new_name="a b")
            )
        result = await editor.client.text_document_rename_async(
            types.RenameParams(text_document=document, position=at, new_name="kp-troops-to-russia")
        )
        assert result is not None and result.changes is not None
        for file_uri, edits in result.changes.items():
            path = Path(file_uri.removeprefix("file://"))
            path.write_text(apply_edits(path.read_text(encoding="utf-8"), list(edits)))

    run(project, scenario)
    after = {p: p.read_bytes() for p in before}
    changed = {p.name for p in before if before[p] != after[p]}
    assert changed == {"aid-flows.yaml", "briefgen.yaml"}
    for path in before:  # exactly those characters, and no other byte
        old = before[path].replace(b"kp-troops-to-ru", b"kp-troops-to-russia")
        assert after[path] == old
    _, problems = validate(project)
    assert [p for p in problems if p.severity == "error"] == []


def test_quick_fixes_review_today_and_acknowledge(project: Path) -> None:
    text = (project / AIDS).read_text(encoding="utf-8")
    unreviewed = edit(text, "  - id: kp-troops-to-ru\n", "  - id: kp-troops-to-ru\n")
    start = unreviewed.index("  - id: kp-troops-to-ru\n")
    review = unreviewed.index("    reviewed: 2024-11-25\n", start)
    unreviewed = unreviewed[:review] + unreviewed[review + len("    reviewed: 2024-11-25\n") :]

    async def scenario(editor: Editor) -> None:
        uri = editor.open(AIDS, unreviewed)
        found = await editor.diagnostics_until(
            AIDS, lambda d: any(x.code == "never-reviewed" for x in d)
        )
        warning = next(d for d in found if d.code == "never-reviewed")
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri),
                range=warning.range,
                context=types.CodeActionContext(diagnostics=[warning]),
            )
        )
        assert actions is not None
        by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
        today = dt.date.today().isoformat()
        review_action = by_title[f"Set reviewed: to today ({today})"]
        assert review_action.edit is not None and review_action.edit.changes is not None
        reviewed = apply_edits(unreviewed, list(review_action.edit.changes[uri]))
        assert reviewed == edit(
            unreviewed,
            "  - id: kp-troops-to-ru\n",
            f"  - id: kp-troops-to-ru\n    reviewed: {today}\n",
        )
        acknowledge = by_title["Acknowledge never-reviewed"]
        assert acknowledge.edit is not None and acknowledge.edit.changes is not None
        acknowledged = apply_edits(unreviewed, list(acknowledge.edit.changes[uri]))
        editor.change(AIDS, acknowledged)
        found = await editor.diagnostics_until(
            AIDS, lambda d: not any(x.code == "never-reviewed" for x in d)
        )
        assert [d.code for d in found] == ["todo"]  # the reason is left to fill in

    run(project, scenario)


def test_a_misspelt_source_is_fixed_by_its_did_you_mean(project: Path) -> None:
    text = (project / SOURCES).read_text(encoding="utf-8")

    async def scenario(editor: Editor) -> None:
        bad = text.replace("reliability: B", "reliability: b", 1)
        uri = editor.open(SOURCES, bad)
        found = await editor.diagnostics_until(SOURCES, lambda d: len(d) > 0)
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri),
                range=found[0].range,
                context=types.CodeActionContext(diagnostics=found[:1]),
            )
        )
        assert actions is not None
        fixes = [a for a in actions if isinstance(a, types.CodeAction) and a.edit]
        assert fixes and fixes[0].edit is not None and fixes[0].edit.changes is not None
        assert apply_edits(bad, list(fixes[0].edit.changes[uri])) == text

    run(project, scenario)
