"""The language server over stdio (pygls): the editor's messages to the desk (state.py),
diagnostics (diagnostics.py), completion, hover (describe.py), navigation and actions."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..load import CONFIG_NAME
from .actions import code_actions
from .completion import complete
from .describe import describe_id, describe_value
from .diagnostics import Publisher
from .navigation import Refused, check_new_id, places
from .state import Desk
from .text import Spot, id_kind, spot_at, utf16


class RequestFailed(JsonRpcException):
    """LSP's RequestFailed: a request understood and refused, with the reason."""

    CODE = -32803


class BriefgenServer(LanguageServer):
    """The server and the desk it keeps."""

    def __init__(self) -> None:
        super().__init__("briefgen", __version__)
        self.desk: Desk | None = None
        self.publisher: Publisher | None = None

    def start(self, root: Path) -> None:
        self.desk = Desk(root)
        self.publisher = Publisher(self.desk, self.text_document_publish_diagnostics)
        self.desk.scan()
        self.publisher.publish(self.desk.check())

    def rel(self, uri: str) -> str | None:
        path = to_fs_path(uri)
        return self.desk.rel(Path(path)) if self.desk is not None and path else None

    def changed(self, rel: str) -> None:
        """Publish every problem, `rel`'s first: the desk checks again only what the
        change can alter, so the warnings come with the errors."""
        assert self.desk is not None and self.publisher is not None
        self.publisher.publish(self.desk.check(), first=rel)

    def spot(self, uri: str, position: types.Position) -> tuple[str, Spot] | None:
        rel = self.rel(uri)
        if rel is None or self.desk is None:
            return None
        text = self.workspace.get_text_document(uri).source
        return rel, spot_at(text, position.line, position.character)

    def uri(self, rel: str) -> str:
        assert self.desk is not None
        return (self.desk.root / rel).as_uri()


server = BriefgenServer()


def _root(ls: BriefgenServer) -> Path:
    """The workspace folder holding briefgen.yaml, or the folder the server started in."""
    folders = [to_fs_path(f.uri) for f in ls.workspace.folders.values()]
    candidates = [*folders, ls.workspace.root_path]
    for folder in candidates:
        if folder and (Path(folder) / CONFIG_NAME).is_file():
            return Path(folder)
    return Path.cwd()


@server.feature(types.INITIALIZED)
def initialized(ls: BriefgenServer, params: types.InitializedParams) -> None:
    ls.start(_root(ls))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def changed(
    ls: BriefgenServer, params: types.DidOpenTextDocumentParams | types.DidChangeTextDocumentParams
) -> None:
    rel = ls.rel(params.text_document.uri)
    if rel is None or ls.desk is None:
        return
    text = ls.workspace.get_text_document(params.text_document.uri).source
    ls.desk.edit(rel, text.encode("utf-8", errors="surrogatepass"))
    ls.changed(rel)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def closed(ls: BriefgenServer, params: types.DidCloseTextDocumentParams) -> None:
    rel = ls.rel(params.text_document.uri)
    if rel is not None and ls.desk is not None:
        ls.desk.close(rel)
        ls.changed(rel)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def rescan(ls: BriefgenServer, params: Any) -> None:
    """A file saved or changed on disk: sheets may have appeared or gone."""
    if ls.desk is not None and ls.publisher is not None:
        ls.desk.scan()
        ls.publisher.publish(ls.desk.check())


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[" ", "[", ",", ":"]),
)
def completion(ls: BriefgenServer, params: types.CompletionParams) -> types.CompletionList:
    found = ls.spot(params.text_document.uri, params.position)
    items = complete(ls.desk.project if ls.desk else None, found[1], found[0]) if found else []
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: BriefgenServer, params: types.HoverParams) -> types.Hover | None:
    found = ls.spot(params.text_document.uri, params.position)
    project = ls.desk.project if ls.desk else None
    if found is None or project is None:
        return None
    rel, spot = found
    kind = id_kind(spot.keys, rel)
    if kind is not None and spot.word:
        words = describe_id(project, kind[0], spot.word)
    else:
        words = describe_value(spot.keys[-1], spot.value) if spot.keys and not spot.on_key else ""
    if not words:
        return None
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, words))


def _target(ls: BriefgenServer, uri: str, position: types.Position) -> tuple[str, str] | None:
    """The kind and id under the cursor, if it is an id."""
    found = ls.spot(uri, position)
    if found is None or not found[1].word:
        return None
    rel, spot = found
    kind = id_kind(spot.keys, rel)
    return (kind[0], spot.word) if kind else None


def _locations(ls: BriefgenServer, kind: str, item_id: str, declares: bool | None) -> list[Any]:
    assert ls.desk is not None and ls.desk.project is not None
    locations = []
    for place in places(ls.desk.project, kind, item_id):
        if declares is not None and place.declares != declares:
            continue
        line = ls.desk.text(place.path).split("\n")[place.line]
        start = types.Position(place.line, utf16(line, place.start))
        end = types.Position(place.line, utf16(line, place.end))
        locations.append(types.Location(ls.uri(place.path), types.Range(start, end)))
    return locations


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: BriefgenServer, params: types.DefinitionParams) -> list[types.Location]:
    target = _target(ls, params.text_document.uri, params.position)
    return _locations(ls, *target, declares=True) if target else []


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: BriefgenServer, params: types.ReferenceParams) -> list[types.Location]:
    target = _target(ls, params.text_document.uri, params.position)
    if target is None:
        return []
    return _locations(ls, *target, declares=None if params.context.include_declaration else False)


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: BriefgenServer, params: types.RenameParams) -> types.WorkspaceEdit:
    target = _target(ls, params.text_document.uri, params.position)
    project = ls.desk.project if ls.desk else None
    if target is None or project is None:
        raise RequestFailed("only an id can be renamed here")
    kind, old = target
    if old not in project.declared.get(kind, {}):
        raise RequestFailed(f"'{old}' is declared nowhere; declare it before renaming it")
    try:
        check_new_id(project, kind, old, params.new_name)
    except Refused as refusal:
        raise RequestFailed(str(refusal)) from None
    changes: dict[str, list[types.TextEdit]] = {}
    for location in _locations(ls, kind, old, declares=None):
        changes.setdefault(location.uri, []).append(types.TextEdit(location.range, params.new_name))
    return types.WorkspaceEdit(changes=changes)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: BriefgenServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    rel = ls.rel(uri)
    if rel is None or ls.desk is None:
        return []
    lines = ls.workspace.get_text_document(uri).source.split("\n")
    return code_actions(ls.desk.project, uri, rel, lines, params.context.diagnostics)


def serve() -> None:
    """Answer an editor on stdin and stdout until it says exit."""
    logging.getLogger("pygls").setLevel(logging.WARNING)
    server.start_io()
