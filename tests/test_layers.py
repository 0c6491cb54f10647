"""Layers that only look down: no import circle in briefgen/, and the layers below.

Every import statement counts, at the top of a module, inside a function or
under TYPE_CHECKING alike, relative or absolute: a circle hidden in a
function is still a circle. Only explicit statements count: importing
`briefgen.figures.flows` also runs `briefgen/figures/__init__.py`, but that
is the package's table importing its members, not the importer's choice.
"""

from __future__ import annotations

import ast
from collections.abc import Set
from pathlib import Path

from helpers import REPO

PACKAGE = REPO / "briefgen"

# Bottom first. A module imports only from its own layer or those below it.
LAYERS: list[tuple[str, ...]] = [
    # What everything may use: the version, errors, paths, dates, the build options,
    # atomic writes, the warning codes, the time limit, the sharding arithmetic.
    ("briefgen", "errors", "paths", "dates", "options", "output", "wording", "timelimit", "shard"),
    ("yamlsyntax", "yamlfile", "yamlinsert", "parsecache", "jsontext"),  # parse
    ("model",),  # FORMAT.md's shape
    ("markings",),  # the project's markings and each item's
    ("fonts", "shaping", "svgtext"),  # the theme's faces, shaping text with them
    ("richtext", "values", "kinds", "figures.base"),  # the parts a view is made of
    ("messages", "load"),  # load
    (
        "rules",
        "checks.markings",
        "checks.references",
        "checks.warnings",
        "checks.judgments",
        "checks.scope",
    ),
    ("checks",),  # check: the entry points and the table of warnings
    ("assemble",),  # the reader's view
    (
        "figures.canvas",
        "figures.captions",
        "figures.flows",
        "figures.timeline",
        "figures.matrix",
        "figures",
    ),
    (
        "theme",
        "records",
        "changes",
        "render",
        "inputs",
        "projection",
        "editions",
        "issuing",
    ),  # what an edition draws on
    ("edition",),  # the edition, made once
    # Render: the formats and what they render with.
    ("pdf", "formats.base", "formats.page", "formats.jsonout", "formats.stix"),
    (  # the Word writer, by job
        "formats.docx.ooxml",
        "formats.docx.package",
        "formats.docx.figures",
        "formats.docx.house",
        "formats.docx.body",
        "formats.docx.richtext",
        "formats.docx.styles",
        "formats.docx.writer",
        "formats.docx",
    ),
    ("formats", "workers"),
    ("cache", "build"),  # the pipeline
    ("signing",),  # build --sign's key, handed to the build as options.Signer
    ("diff", "unpack", "verify", "watch", "serve", "scaffold", "schema"),  # around the pipeline
    # briefgen lsp: where things are in the text and what ids say; the desk; the
    # features; the server.
    ("lsp.text", "lsp.describe", "lsp.navigation", "lsp.state"),
    ("lsp.diagnostics", "lsp.completion", "lsp.actions"),
    ("lsp.server", "lsp"),
    # The command line, by group of commands.
    ("cli.exits", "cli.report", "cli.params", "cli.sharing", "cli.preview"),
    ("cli.builds", "cli.authoring", "cli", "__main__"),
]

# Upward imports allowed at most (each one a debt, named in the failure).
MAX_UPWARD = 3

Graph = dict[str, set[str]]


def module_names(package: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def import_graph(package: Path) -> Graph:
    """Each module -> the modules of the package its import statements name."""
    modules = module_names(package)
    graph: Graph = {}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                # `from . import flows` names a module; `from .figures import X` a name in one.
                for alias in node.names:
                    member = f"{source}.{alias.name}"
                    found.add(member if member in modules else source)
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def find_cycle(graph: Graph, ignore: Set[tuple[str, str]] = frozenset()) -> list[str] | None:
    """A circle of imports in `graph` as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path; 2: done, no circle through it
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if (node, target) in ignore:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def upward_imports(graph: Graph, layers: list[tuple[str, ...]]) -> list[str]:
    """Every import from a lower layer to a higher one, as 'a -> b (layer i -> j)'."""
    level = {name: index for index, group in enumerate(layers) for name in group}
    return [
        f"{source} -> {target} (layer {level[source]} -> {level[target]})"
        for source, targets in sorted(graph.items())
        for target in sorted(targets)
        if level[target] > level[source]
    ]


def layered(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name if name == "briefgen" else f"briefgen.{name}" for name in names)


def test_every_module_has_one_layer() -> None:
    declared = [name for group in LAYERS for name in layered(group)]
    assert len(declared) == len(set(declared)), "a module is in two layers"
    assert sorted(declared) == sorted(module_names(PACKAGE))


def test_no_import_circle() -> None:
    graph = import_graph(PACKAGE)
    assert "briefgen.assemble" in graph["briefgen.edition"]  # the walk sees imports
    assert find_cycle(graph) is None, f"import circle: {find_cycle(graph)}"


def test_layers_only_look_down() -> None:
    upward = upward_imports(import_graph(PACKAGE), [layered(g) for g in LAYERS])
    assert len(upward) <= MAX_UPWARD, "imports from a lower layer to a higher one:\n" + "\n".join(
        upward
    )


# One job per module: past this many lines a module is doing two (issue 19).
MAX_MODULE_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    lengths = {
        path.relative_to(REPO).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert len(lengths) > 50  # the walk finds the package
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}


def test_the_checker_sees_a_planted_circle() -> None:
    graph = {"a": {"b"}, "b": {"c", "d"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle(graph, {("c", "a")}) is None
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_checker_counts_an_import_up() -> None:
    graph = {"low": {"high"}, "high": {"low"}}
    assert upward_imports(graph, [("low",), ("high",)]) == ["low -> high (layer 0 -> 1)"]


def test_the_walk_reads_every_kind_of_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import X\n",
        "b.py": "def f():\n    import pkg.c\n",
        "c.py": "from .sub import d\nfrom .sub.e import Y\n",
        "sub/__init__.py": "from . import d\n",
        "sub/d.py": "from ..a import Z\n",
        "sub/e.py": "",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    assert import_graph(package) == {
        "pkg": set(),
        "pkg.a": {"pkg.b"},
        "pkg.b": {"pkg.c"},
        "pkg.c": {"pkg.sub.d", "pkg.sub.e"},
        "pkg.sub": {"pkg.sub.d"},
        "pkg.sub.d": {"pkg.a"},
        "pkg.sub.e": set(),
    }
    assert find_cycle(import_graph(package)) == ["pkg.a", "pkg.b", "pkg.c", "pkg.sub.d", "pkg.a"]
