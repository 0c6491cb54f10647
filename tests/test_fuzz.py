"""Property-based fuzzing of the loader and validator: whatever the input, the only
outcomes are success or briefgen's own located problems, never another exception.

Derandomized, so CI sees the same examples every run; raise max_examples locally
(or drop derandomize) to search harder.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, REPO, minimal_project, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.assemble import assemble_briefing
from briefgen.build import validate
from briefgen.edition import GENERATOR
from briefgen.errors import Problem
from briefgen.render import render_html
from briefgen.yamlfile import load_yaml

FAST = settings(derandomize=True, max_examples=300, deadline=None)
SLOW = settings(
    derandomize=True,
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LOCATED = re.compile(r"[^\n]+:[1-9][0-9]*:[1-9][0-9]*: (error|warning): [^\n]+")

# Pieces of YAML, good and bad, that random text is assembled from.
TOKENS = [
    "a", "id", "facts", "sources", "title", ":", ": ", "- ", "-", "\n", "  ", "    ", "\t",
    "[", "]", "{", "}", ", ", "&x ", "*x", "!t ", "!!python/object/apply:os.system ", "<<",
    "'", '"', "# c", "---\n", "...\n", "%YAML 1.2\n", "? ", "|\n", ">\n", "yes", "NO", "true",
    "~", "2024-02-30", "2024-11", "\\", "é", "\u202e", "@", "`", "\\x1b", "1e999", "007",
    "{{ 7*7 }}", "<script>", "\x00", "\ufeff", "\r\n", "%", "=", "|-", "!!binary ",
]  # fmt: skip

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2),
    st.sampled_from(
        ["2024-02-30", "2024-13", "0000", "NO", "yes", "javascript:alert(1)", "../x", "A", "B2",
         "{{ 7*7 }}", "", " ", "file:///etc/passwd", "https://example.org", "-1", "7", "1e999"]
    ),
)  # fmt: skip


def assert_located(problems: list[Problem], files: set[str]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert LOCATED.fullmatch(str(problem)), str(problem)
        assert problem.path in files, problem.path


@FAST
@given(st.binary(max_size=600))
def test_random_bytes_load_or_are_refused(raw: bytes) -> None:
    loaded = load_yaml(raw, "facts/x.yaml")
    assert_located(loaded.problems, {"facts/x.yaml"})
    if loaded.problems:
        assert loaded.data is None


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_random_yaml_loads_or_is_refused(text: str) -> None:
    loaded = load_yaml(text.encode("utf-8"), "facts/x.yaml")
    assert_located(loaded.problems, {"facts/x.yaml"})
    if loaded.problems:
        assert loaded.data is None


@pytest.mark.slow
@SLOW
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join), st.booleans())
def test_random_yaml_as_a_project_file_validates_or_is_located(text: str, config: bool) -> None:
    name = "briefgen.yaml" if config else "facts/main.yaml"
    with tempfile.TemporaryDirectory() as folder:
        root = minimal_project(Path(folder), **{name: text})
        _, problems = validate(root)
    assert_located(problems, {"briefgen.yaml", "facts/main.yaml"})


# -- mutations of a valid project ----------------------------------------------------------


def paths_in(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in `data` a value sits: keys of mappings, indexes of lists."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths_in(value, (*prefix, index))
    return found


def parent_of(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` (a valid file) with a few random edits: keys deleted, values of another
    type, values swapped, garbage keys added."""
    data = load_yaml(text.encode(), "f.yaml").data
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = paths_in(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = parent_of(data, path)
        operation = draw(st.sampled_from(["delete", "replace", "swap", "insert"]))
        if operation == "delete":
            del parent[path[-1]]
        elif operation == "replace":
            parent[path[-1]] = draw(VALUES)
        elif operation == "swap":
            other = draw(st.sampled_from(paths))
            if other[: len(path)] != path and path[: len(other)] != other:
                other_parent = parent_of(data, other)
                parent[path[-1]], other_parent[other[-1]] = (
                    other_parent[other[-1]],
                    parent[path[-1]],
                )
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
        else:
            parent.insert(path[-1], draw(VALUES))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.slow
@SLOW
@given(mutated(MINIMAL_SHEET), mutated(MINIMAL_CONFIG), st.booleans())
def test_a_mutated_project_validates_or_is_located(sheet: str, config: str, both: bool) -> None:
    files = {"facts/main.yaml": sheet, **({"briefgen.yaml": config} if both else {})}
    with tempfile.TemporaryDirectory() as folder:
        root = minimal_project(Path(folder), **files)
        project, problems = validate(root)
        assert_located(problems, {"briefgen.yaml", "facts/main.yaml"})
        if not any(p.severity == "error" for p in problems):
            # What validates must also assemble and render (the PDF is the same HTML).
            for briefing_id in project.briefings:
                view = assemble_briefing(project, briefing_id, GENERATOR)
                assert render_html(view, root, "html").startswith("<!DOCTYPE html>")


EXAMPLE = {
    path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
    for path in [REPO / "briefgen.yaml", *sorted((REPO / "facts").rglob("*.yaml"))]
}


@pytest.mark.slow
@SLOW
@given(
    st.sampled_from(sorted(EXAMPLE)).flatmap(
        lambda name: mutated(EXAMPLE[name]).map(lambda text: (name, text))
    )
)
def test_a_mutated_example_validates_or_is_located(edit: tuple[str, str]) -> None:
    name, text = edit
    with tempfile.TemporaryDirectory() as folder:
        root = write_tree(Path(folder), {**EXAMPLE, name: text})
        project, problems = validate(root)
        assert_located(problems, set(EXAMPLE))
        if not any(p.severity == "error" for p in problems):
            for briefing_id in project.briefings:
                view = assemble_briefing(project, briefing_id, GENERATOR)
                assert render_html(view, root, "html").startswith("<!DOCTYPE html>")
