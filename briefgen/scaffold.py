"""Scaffolding: a new project from the example (`init`), a new entry in a sheet (`new`).

`new` adds to a sheet through yamlinsert.py, which edits it as text, so every
byte the analyst wrote (comments, order, quoting) stays as it was, and refuses
an edit that would not read back as the same sheet plus one entry.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .kinds import KINDS, PLAIN, mapped_kinds
from .load import CONFIG_NAME, FACTS_DIR, SHEET_SUFFIXES, load_project
from .model import (
    ID_MAX,
    ID_PATTERN,
    LISTS,
    Confidence,
    ItemType,
    Reliability,
    SourceType,
    choices,
)
from .output import write_atomic
from .paths import inside
from .schema import SchemaName, json_schema
from .yamlfile import YamlFile, load_yaml
from .yamlinsert import InsertError, append_entry, check_appended

# What a fact sheet lists, and so what `new` makes (sections and briefings are in
# briefgen.yaml).
SHEET_KINDS: tuple[ItemType, ...] = ("fact", "source", "actor")

SCHEMA_DIR = "schemas"
SCHEMA_FILES: dict[SchemaName, str] = {
    "facts": f"{SCHEMA_DIR}/facts.schema.json",
    "config": f"{SCHEMA_DIR}/config.schema.json",
}
MODELINE = "# yaml-language-server: $schema={}\n"
# What a build writes: the outputs, and the parse cache (parsecache.py).
GITIGNORE_LINES = ("output/", ".briefgen-cache/")


class ScaffoldError(Exception):
    """`init` or `new` cannot do what was asked; the message says why and what to do."""

    def __init__(self, message: str, *, wrong_use: bool = False) -> None:
        super().__init__(message)
        self.wrong_use = wrong_use  # the command was used wrongly, not the project


def example_dir() -> Path:
    """The example project: inside the package when installed, the repository root
    in a source checkout (as theme.THEME_DIR finds the theme)."""
    here = Path(__file__).parent
    for folder in (here / "example", here.parent):
        if (folder / CONFIG_NAME).is_file() and (folder / FACTS_DIR).is_dir():
            return folder
    raise ScaffoldError("the example project is missing from this installation of briefgen")


# -- init -------------------------------------------------------------------------------


# `init --blank`: one section and one briefing to fill in, and no facts.
BLANK_CONFIG = """\
sections:
  - id: main
    title: Main points

briefings:
  - id: briefing
    title: A briefing
    edition: {today}
    formats: [html, pdf]
"""


def init_project(target: Path, *, force: bool = False, blank: bool = False) -> list[Path]:
    """Write a new project into `target`: the example facts and briefgen.yaml (with
    `blank`, a briefgen.yaml of one section and one briefing, and no facts), the
    editor schemas and their wiring, and a .gitignore for output/ and .briefgen-cache/.

    Refuses (ScaffoldError, nothing written) when a file would be replaced,
    unless `force`. Returns the files written.
    """
    files = project_files(blank)
    clashes = [name for name in files if (target / name).exists()]
    if clashes and not force:
        more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
        shown = ", ".join(clashes[:5]) + more
        raise ScaffoldError(
            f"{target} already has {shown}; nothing was written "
            "(pass --force to replace them, or choose an empty folder)",
            wrong_use=True,
        )
    written = []
    for name, data in files.items():
        write_atomic(target / name, data)
        written.append(target / name)
    gitignore = target / ".gitignore"
    existing = gitignore.read_text(encoding="utf-8") if gitignore.is_file() else ""
    missing = [line for line in GITIGNORE_LINES if line not in existing.splitlines()]
    if missing:
        # Added to, never replaced: the folder may already be a repository.
        separator = "" if not existing or existing.endswith("\n") else "\n"
        added = "".join(f"{line}\n" for line in missing)
        write_atomic(gitignore, f"{existing}{separator}{added}".encode())
        written.append(gitignore)
    return written


def project_files(blank: bool = False) -> dict[str, bytes]:
    """Every file `init` writes except .gitignore, by project-relative path."""
    source = example_dir()
    files: dict[str, bytes] = {
        CONFIG_NAME: _with_modeline(source / CONFIG_NAME, SCHEMA_FILES["config"]),
    }
    if blank:
        text = BLANK_CONFIG.format(today=dt.date.today().isoformat())
        files[CONFIG_NAME] = (MODELINE.format(SCHEMA_FILES["config"]) + text).encode()
    for sheet in [] if blank else sorted((source / FACTS_DIR).rglob("*")):
        if sheet.suffix in SHEET_SUFFIXES and sheet.is_file():
            name = sheet.relative_to(source).as_posix()
            files[name] = _with_modeline(sheet, _relative(name, SCHEMA_FILES["facts"]))
    for kind, name in SCHEMA_FILES.items():
        files[name] = schema_text(kind).encode()
    files[".vscode/settings.json"] = _json(
        {
            "yaml.schemas": {
                f"./{SCHEMA_FILES['facts']}": [f"{FACTS_DIR}/**/*.yaml", f"{FACTS_DIR}/**/*.yml"],
                f"./{SCHEMA_FILES['config']}": [CONFIG_NAME],
            },
        }
    )
    files[".vscode/extensions.json"] = _json({"recommendations": ["redhat.vscode-yaml"]})
    files[".helix/languages.toml"] = HELIX_LANGUAGES.encode()
    files[".nvim.lua"] = NEOVIM_EXRC.encode()
    return files


# `briefgen lsp` beside the YAML language server, for editors that read a workspace's own
# configuration (VS Code needs the extension in editors/vscode/: README, Editors).
HELIX_LANGUAGES = """\
# Helix: briefgen's language server beside the YAML one, for this project's sheets.
[language-server.briefgen]
command = "briefgen"
args = ["lsp"]

[[language]]
name = "yaml"
language-servers = ["yaml-language-server", "briefgen"]
"""
NEOVIM_EXRC = """\
-- Neovim 0.9 or later reads this with `:set exrc` (it asks once whether to trust it).
vim.api.nvim_create_autocmd("FileType", {
  pattern = "yaml",
  callback = function(args)
    local found = vim.fs.find("briefgen.yaml", { upward = true, path = vim.fs.dirname(
      vim.api.nvim_buf_get_name(args.buf)) })[1]
    vim.lsp.start({
      name = "briefgen",
      cmd = { "briefgen", "lsp" },
      root_dir = found and vim.fs.dirname(found) or vim.fn.getcwd(),
    })
  end,
})
"""


def schema_text(kind: SchemaName) -> str:
    """The JSON Schema for `facts` or `config`, as written to a file."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def _with_modeline(path: Path, schema: str) -> bytes:
    # The modeline wires the schema in any editor using the YAML language server;
    # .vscode/settings.json does the same for sheets created later.
    return MODELINE.format(schema).encode() + path.read_bytes()


def _relative(from_file: str, to_file: str) -> str:
    """`to_file` as seen from the folder of `from_file`, both project-relative."""
    return Path(os.path.relpath(to_file, Path(from_file).parent)).as_posix()


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2) + "\n").encode()


# -- new --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewEntry:
    """A skeleton entry: its fresh id, its YAML text, and the sheet it went into (if any)."""

    kind: ItemType
    item_id: str
    text: str
    sheet: Path | None
    line: int = 0  # the line of the sheet where the entry starts
    fact_kind: str | None = None  # a fact's kind: a name in kinds.KINDS
    section: str | None = None  # a fact's section
    section_reason: str = ""  # why that section: "the sheet's default", ...


def new_entry(
    root: Path,
    kind: ItemType,
    *,
    sheet: Path | None = None,
    section: str | None = None,
    today: dt.date | None = None,
    fact_kind: str | None = None,
    item_id: str | None = None,
) -> NewEntry:
    """A commented skeleton of a fact, source or actor with a fresh id, valid as written.

    With `sheet`, the entry is added to that fact sheet (created if missing);
    the sheet's existing bytes are kept as they are. Raises ScaffoldError when
    the project or the sheet does not allow it.
    """
    if kind not in SHEET_KINDS:
        raise ScaffoldError(f"a {kind} is written in {CONFIG_NAME}, not made by 'new'")
    if not (root / CONFIG_NAME).is_file():
        raise ScaffoldError(f"no {CONFIG_NAME} in {root}; run 'briefgen init' to start a project")
    project, _ = load_project(root)
    sections = list(project.declared.get("sections", {}))
    if section is not None and section not in sections:
        raise ScaffoldError(f"unknown section '{section}'; the sections are {', '.join(sections)}")
    today = today or dt.date.today()
    declared = project.declared.get(LISTS[kind], {})
    if item_id is None:
        item_id = _fresh_id(kind, today, set(declared))
    else:
        _check_new_id(kind, item_id, declared)

    before = b""
    loaded = None
    if sheet is not None:
        sheet = _sheet_path(root, sheet)
        if sheet.exists():
            before = sheet.read_bytes()
            loaded = _load_sheet(root, sheet, before)
    sheet_section = loaded.data.get("section") if loaded and loaded.data else None
    if not isinstance(sheet_section, str):
        sheet_section = None
    if section is not None:
        chosen, reason = section, "as asked"
    elif sheet_section is not None:
        chosen, reason = sheet_section, "the sheet's default"
    else:
        chosen = next(iter(sections), "TODO-section")
        reason = "the first in briefgen.yaml"
    actors = list(project.declared.get("actors", {}))
    if kind == "fact":
        fact_kind = fact_kind or _usual_kind(loaded)
        if fact_kind not in KINDS:
            raise ScaffoldError(f"unknown kind of fact '{fact_kind}'; the kinds are {_kinds()}")
        if KINDS[fact_kind].actor_keys and len(actors) < 2:
            raise ScaffoldError(
                f"{KINDS[fact_kind].label} names two actors, and the project declares "
                f"{len(actors) or 'none'}; add them first with 'briefgen new actor'"
            )
    context = _Context(
        today=today,
        section=section or (None if sheet_section else chosen),
        sheet_section=sheet_section,
        source=next(iter(project.sources), next(iter(project.declared.get("sources", {})), None)),
        sections=sections,
        actors=actors,
        fact_kind=fact_kind or "plain",
    )
    made = functools.partial(
        NewEntry,
        fact_kind=fact_kind if kind == "fact" else None,
        section=chosen if kind == "fact" else None,
        section_reason=reason if kind == "fact" else "",
    )
    if sheet is None:
        header = f"# add under '{LISTS[kind]}:' in a fact sheet\n"
        text = header + _skeleton(kind, item_id, context, 2)
        return made(kind, item_id, text, None)
    after, added = _insert(root, sheet, loaded, before, kind, item_id, context)
    data = loaded.data if loaded and loaded.data else {}
    try:
        line = check_appended(data, after, sheet.name, LISTS[kind], item_id)
    except InsertError as error:
        raise ScaffoldError(str(error)) from error
    write_atomic(sheet, after)
    return made(kind, item_id, added, sheet, line)


def _usual_kind(loaded: YamlFile | None) -> str:
    """The kind most facts of the sheet have (of the latest fact, in a tie); plain
    for a sheet with no facts."""
    facts = loaded.data.get("facts") if loaded is not None and loaded.data else None
    counts: dict[str, int] = {}
    for fact in facts if isinstance(facts, list) else []:
        if isinstance(fact, dict):
            kinds = (k.name for k in mapped_kinds() if fact.get(k.name) is not None)
            name = next(kinds, PLAIN.name)
            counts[name] = counts.pop(name, 0) + 1  # re-inserted: the latest sorts last
    if not counts:
        return PLAIN.name
    most = max(counts.values())
    return [name for name, count in counts.items() if count == most][-1]


def _kinds() -> str:
    return ", ".join(KINDS)


def _check_new_id(kind: ItemType, item_id: str, declared: dict[str, Any]) -> None:
    if len(item_id) > ID_MAX or not ID_PATTERN.fullmatch(item_id):
        raise ScaffoldError(
            f"'{item_id}' is not a valid id: use up to {ID_MAX} letters, digits, '.', '_' "
            "and '-', starting with a letter or digit"
        )
    if item_id in declared:
        first = declared[item_id][0]
        line, _ = first.file.positions.of((*first.path, "id"))
        raise ScaffoldError(
            f"{kind} id '{item_id}' is taken (at {first.file.path}:{line}); choose another"
        )


def section_ids(root: Path) -> list[str]:
    """The section ids declared in briefgen.yaml, for shell completion."""
    return _config_ids(root, "sections")


def briefing_ids(root: Path) -> list[str]:
    """The briefing ids declared in briefgen.yaml, for shell completion."""
    return _config_ids(root, "briefings")


def _config_ids(root: Path, key: str) -> list[str]:
    path = root / CONFIG_NAME
    if not path.is_file():
        return []
    data = load_yaml(path.read_bytes(), CONFIG_NAME).data
    items = data.get(key) if isinstance(data, dict) else None
    return [s["id"] for s in items or [] if isinstance(s, dict) and isinstance(s.get("id"), str)]


def _fresh_id(kind: ItemType, today: dt.date, taken: set[str]) -> str:
    stem = f"{kind}-{today.isoformat()}-" if kind != "actor" else "actor-"
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def _sheet_path(root: Path, sheet: Path) -> Path:
    sheet = sheet.absolute()
    facts = (root / FACTS_DIR).absolute()
    if not inside(sheet, facts) or sheet.suffix not in SHEET_SUFFIXES:
        raise ScaffoldError(
            f"{sheet} is not a fact sheet of this project: sheets are *.yaml files under {facts}"
        )
    return sheet


def _load_sheet(root: Path, sheet: Path, raw: bytes) -> YamlFile:
    """The sheet as read, refusing one that does not parse or is not a mapping."""
    loaded = load_yaml(raw, sheet.relative_to(root.absolute()).as_posix())
    if loaded.problems:
        raise ScaffoldError(f"fix the sheet first: {loaded.problems[0]}")
    if loaded.data is not None and not isinstance(loaded.data, dict):
        raise ScaffoldError(f"{loaded.path} is not a fact sheet (keys and values)")
    return loaded


# -- the skeletons ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    today: dt.date
    section: str | None  # None: the sheet's default section applies
    sheet_section: str | None
    source: str | None  # a declared source to cite, so the fact validates as written
    sections: list[str]
    actors: list[str]
    fact_kind: str = "plain"


def _skeleton(kind: ItemType, item_id: str, c: _Context, indent: int) -> str:
    day = c.today.isoformat()
    if kind == "actor":
        lines = [
            f"id: {item_id}  # e.g. an ISO 3166 code such as RU",
            "name: TODO the actor's name",
            "# short: TODO a short name, e.g. DPRK",
        ]
    elif kind == "source":
        lines = [
            f"id: {item_id}",
            "title: TODO the title of the document, interview or report",
            "# publisher: TODO",
            "# url: https://",
            f"# published: {day}",
            f"accessed: {day}",
            f"reliability: F  # Admiralty: {choices(Reliability)} (A completely reliable, "
            "F cannot be judged)",
            f"type: other  # {choices(SourceType)}",
            "# origin: TODO  # sources with the same origin are not independent",
        ]
    else:
        section = (
            [f"section: {c.section}  # one of: {', '.join(c.sections)}"]
            if c.section is not None
            else [f"# section: {c.sheet_section}  # this sheet's default"]
        )
        source = c.source or "TODO-source"
        actors = f"e.g. [{', '.join(c.actors[:2])}]" if c.actors else "declare actors first"
        lines = [
            f"id: {item_id}",
            "title: TODO the fact in one sentence",
            "text: |",
            "  TODO the fact in full, in Markdown; say who reports it.",
            f"date: {day}  # when it happened: YYYY, YYYY-MM, YYYY-MM-DD or {{from: ..., to: ...}}",
            *section,
            f"confidence: low  # ICD 203: {choices(Confidence)}",
            "# key: true  # a key judgment, listed at the top of the briefing",
            f"actors: []  # actor ids, {actors}",
            "tags: []",
            f"reviewed: {day}",
            "sources:",
            f"  - source: {source}  # the id of a declared source"
            + ("" if c.source else "; add one with 'briefgen new source'"),
            "    credibility: 6  # Admiralty: 1 confirmed ... 6 truth cannot be judged",
            "    # locator: TODO where in the source, e.g. page 3",
            *_kind_lines(c),
        ]
    pad = " " * indent
    first, *rest = lines
    return "".join([f"{pad}- {first}\n", *(f"{pad}  {line}\n" for line in rest)])


def _kind_lines(c: _Context) -> list[str]:
    """The lines of a fact's kind (kinds.KINDS): its mapping, valid as written, TODOs
    to replace."""
    skeleton = KINDS[c.fact_kind].skeleton
    return skeleton(c.actors, c.today.isoformat()) if skeleton is not None else []


# -- adding to a sheet ----------------------------------------------------------------------


def _insert(
    root: Path,
    sheet: Path,
    loaded: YamlFile | None,
    before: bytes,
    kind: ItemType,
    item_id: str,
    context: _Context,
) -> tuple[bytes, str]:
    """The sheet's bytes with the new entry added to its list, everything else
    untouched (yamlinsert.py); and the text added."""
    rel = sheet.relative_to(root.absolute()).as_posix()
    schema = root / SCHEMA_FILES["facts"]
    header = MODELINE.format(_relative(rel, SCHEMA_FILES["facts"])) if schema.is_file() else ""
    try:
        return append_entry(
            loaded,
            before,
            LISTS[kind],
            lambda indent: _skeleton(kind, item_id, context, indent),
            header,
        )
    except InsertError as error:
        raise ScaffoldError(str(error)) from error
