"""An editor for the tests: `briefgen lsp` started over stdio and driven by pygls's client."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from helpers import REPO
from lsprotocol import types
from pygls.lsp.client import LanguageClient


class Editor:
    """One server in `root`, the diagnostics it published by URI, and its documents."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("briefgen-tests", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.published = asyncio.Event()
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(ls: Any, params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)
            self.published.set()

    async def __aenter__(self) -> Editor:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        await self.client.start_io(
            sys.executable, "-m", "briefgen", "lsp", cwd=str(self.root), env=env
        )
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=self.root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(self.root.as_uri(), "project")],
            )
        )
        self.client.initialized(types.InitializedParams())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    def open(self, rel: str, text: str | None = None) -> str:
        uri = self.uri(rel)
        text = (self.root / rel).read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        item = types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(item))
        return uri

    def change(self, rel: str, text: str) -> None:
        uri = self.uri(rel)
        self.versions[uri] += 1
        document = types.VersionedTextDocumentIdentifier(version=self.versions[uri], uri=uri)
        whole = types.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(document, [whole]))

    async def diagnostics_until(
        self, rel: str, wanted: Any, timeout: float = 20.0
    ) -> list[types.Diagnostic]:
        """The diagnostics of `rel` once `wanted(diagnostics)` holds."""
        uri = self.uri(rel)
        deadline = asyncio.get_running_loop().time() + timeout
        while not wanted(self.diagnostics.get(uri, [])):
            self.published.clear()
            left = deadline - asyncio.get_running_loop().time()
            assert left > 0, f"timed out; last published: {self.diagnostics.get(uri)}"
            try:
                await asyncio.wait_for(self.published.wait(), left)
            except TimeoutError:
                continue
        return self.diagnostics.get(uri, [])

    async def started(self, rel: str) -> None:
        """Wait until the server answers about `rel` (it has read the project)."""
        await self.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(self.uri(rel)), types.Position(0, 0))
        )


def run(root: Path, scenario: Callable[[Editor], Awaitable[None]]) -> None:
    """Play `scenario` with an editor on a server started in `root`."""

    async def main() -> None:
        async with Editor(root) as editor:
            await scenario(editor)

    asyncio.run(main())


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    """The position of the one occurrence of `needle` in `text`, plus `offset` characters."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    before = text[: text.index(needle) + offset]
    return types.Position(before.count("\n"), len(before) - (before.rfind("\n") + 1))


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """`text` with `edits` applied (ranges in characters: the tests' texts are ASCII)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    for edit in reversed(ordered):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text
