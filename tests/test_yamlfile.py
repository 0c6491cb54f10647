"""The strict YAML rules of FORMAT.md: what the loader refuses, and how it reads what it keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINIMAL_SHEET, edit, minimal_project, problems_in

from briefgen import load, yamlfile
from briefgen.yamlfile import MAX_BYTES, MAX_DEPTH, load_yaml

ALIAS_HINT = "write the value out in full; briefgen YAML has no anchors or aliases"
TAG_HINT = "remove the tag; quote the value if it should be text"
CHARACTER_HINT = "remove it or write it as an escape inside double quotes"
TAB_HINT = "indent with spaces; YAML does not allow tabs for indentation"
BOOLEAN_HINT = "only true and false, unquoted, are booleans; yes, no, on and off are text"


def sheet_problems(tmp_path: Path, sheet: str | bytes) -> list[str]:
    return problems_in(minimal_project(tmp_path, **{"facts/main.yaml": sheet}))


# MINIMAL_SHEET's lines, for reading the expected positions below:
#  3   - id: RU           4     name: Russia        5   - id: KP      6     name: North Korea
# 13   - id: fact-one    14     title: A fact       15     text: Something happened.
# 16     date: 2024-11   17     confidence: moderate


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "    title: A fact\n",
            "    title: A fact\n    title: Another fact\n",
            "facts/main.yaml:15:5: error: duplicate key 'title' (first at line 14) "
            "(keep one of them)",
            id="duplicate-key",
        ),
        pytest.param(
            "name: Russia",
            "name: &russia Russia",
            f"facts/main.yaml:4:11: error: anchor '&russia' is not allowed ({ALIAS_HINT})",
            id="anchor",
        ),
        pytest.param(
            "  - id: KP\n",
            "  - id: KP\n    <<: {short: DPRK}\n",
            "facts/main.yaml:6:5: error: merge key '<<' is not allowed "
            "(write the keys out in full)",
            id="merge-key",
        ),
        pytest.param(
            "name: Russia",
            "name: !!python/object/apply:os.system [echo]",
            "facts/main.yaml:4:11: error: tag '!!python/object/apply:os.system' is not allowed "
            f"({TAG_HINT})",
            id="python-tag",
        ),
        pytest.param(
            "name: Russia",
            "name: !!python/object:builtins.dict {}",
            "facts/main.yaml:4:11: error: tag '!!python/object:builtins.dict' is not allowed "
            f"({TAG_HINT})",
            id="python-object-tag",
        ),
        pytest.param(
            "name: Russia",
            "name: !foo Russia",
            f"facts/main.yaml:4:11: error: tag '!foo' is not allowed ({TAG_HINT})",
            id="local-tag",
        ),
        pytest.param(
            "name: Russia",
            "name: !!str Russia",
            f"facts/main.yaml:4:11: error: tag '!!str' is not allowed ({TAG_HINT})",
            id="standard-tag",
        ),
        pytest.param(
            "Something happened.",
            "Something\x00happened.",
            f"facts/main.yaml:15:20: error: character U+0000 is not allowed in YAML "
            f"({CHARACTER_HINT})",
            id="nul",
        ),
        pytest.param(
            "Something happened.",
            "Something\x07happened.",
            f"facts/main.yaml:15:20: error: character U+0007 is not allowed in YAML "
            f"({CHARACTER_HINT})",
            id="control-character",
        ),
        pytest.param(
            "    confidence: moderate\n",
            "    confidence: moderate\n    key: yes\n",
            f"facts/main.yaml:18:10: error: 'key' must be true or false, found 'yes' "
            f"({BOOLEAN_HINT})",
            id="yaml-1.1-boolean",
        ),
        pytest.param(
            "    confidence: moderate\n",
            "    confidence: moderate\n    key: 'true'\n",
            f"facts/main.yaml:18:10: error: 'key' must be true or false, found 'true' "
            f"({BOOLEAN_HINT})",
            id="quoted-boolean",
        ),
        pytest.param(
            "text: Something happened.",
            "text: Something: happened.",
            "facts/main.yaml:15:20: error: invalid YAML: a colon followed by a space inside an "
            'unquoted value (put the value in quotes: text: "Something: happened.")',
            id="colon-in-a-value",
        ),
        pytest.param(
            "    title: A fact\n",
            "\ttitle: A fact\n",
            f"facts/main.yaml:14:1: error: invalid YAML: a tab in the indentation ({TAB_HINT})",
            id="tab",
        ),
        pytest.param(
            "    text: Something happened.",
            "      text: Something happened.",
            "facts/main.yaml:15:7: error: invalid YAML: 'text' is indented deeper than 'title' "
            "on the line before it (align 'text' with 'title' (column 5))",
            id="key-indented-deeper",
        ),
        pytest.param(
            "    text: Something happened.",
            "   text: Something happened.",
            "facts/main.yaml:15:4: error: invalid YAML: 'text' is indented less than 'title' "
            "on the line before it (align 'text' with 'title' (column 5))",
            id="key-indented-less",
        ),
    ],
)
def test_broken_yaml_is_located(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert sheet_problems(tmp_path, edit(MINIMAL_SHEET, old, new)) == [expected]


def test_alias_is_refused_at_the_alias(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "name: Russia", "name: &r Russia")
    sheet = edit(sheet, "name: North Korea", "name: *r")
    assert sheet_problems(tmp_path, sheet) == [
        f"facts/main.yaml:4:11: error: anchor '&r' is not allowed ({ALIAS_HINT})",
        f"facts/main.yaml:6:11: error: alias '*r' is not allowed ({ALIAS_HINT})",
    ]


@pytest.mark.parametrize("second", ["---\nfacts: []\n", "---\n"])
def test_a_second_document_is_refused(tmp_path: Path, second: str) -> None:
    assert sheet_problems(tmp_path, MINIMAL_SHEET + second) == [
        "facts/main.yaml:22:1: error: a second YAML document; a file holds exactly one "
        "(remove the '---' line or move the rest to its own file)"
    ]


def test_explicit_document_markers_around_one_document_are_fine(tmp_path: Path) -> None:
    assert sheet_problems(tmp_path, "---\n" + MINIMAL_SHEET + "...\n") == []


def test_non_utf8_is_located_at_the_byte(tmp_path: Path) -> None:
    raw = edit(MINIMAL_SHEET, "Something happened.", "Café").encode("latin-1")
    assert sheet_problems(tmp_path, raw) == [
        "facts/main.yaml:15:14: error: not UTF-8: byte 0xe9 cannot start a character here "
        "(save the file as UTF-8)"
    ]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert sheet_problems(tmp_path, b"\xef\xbb\xbf" + MINIMAL_SHEET.encode()) == []


def test_a_file_at_the_size_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Parsing 5 MiB takes seconds, so the boundary is checked at a smaller limit.
    raw = MINIMAL_SHEET.encode() + b"#" * 99 + b"\n"
    monkeypatch.setattr(yamlfile, "MAX_BYTES", len(raw))
    monkeypatch.setattr(load, "MAX_BYTES", len(raw))
    assert sheet_problems(tmp_path, raw) == []
    assert sheet_problems(tmp_path, raw + b"\n") == [
        "facts/main.yaml:1:1: error: file is larger than the limit of 5 MiB "
        "(split it into several fact sheets)"
    ]


def test_a_file_over_5_mib_is_refused_unread(tmp_path: Path) -> None:
    raw = MINIMAL_SHEET.encode() + b"#" * (MAX_BYTES - len(MINIMAL_SHEET)) + b"\n"
    assert len(raw) == MAX_BYTES + 1
    assert sheet_problems(tmp_path, raw) == [
        "facts/main.yaml:1:1: error: file is larger than the limit of 5 MiB "
        "(split it into several fact sheets)"
    ]


def test_every_yaml_problem_of_a_file_is_reported_in_one_run(tmp_path: Path) -> None:
    raw = "x: &a [1]\ny: *a\nz: !t 1\nx: 2\n<<: {q: 1}\n"
    assert sheet_problems(tmp_path, raw) == [
        f"facts/main.yaml:1:4: error: anchor '&a' is not allowed ({ALIAS_HINT})",
        f"facts/main.yaml:2:4: error: alias '*a' is not allowed ({ALIAS_HINT})",
        f"facts/main.yaml:3:4: error: tag '!t' is not allowed ({TAG_HINT})",
        "facts/main.yaml:4:1: error: duplicate key 'x' (first at line 1) (keep one of them)",
        "facts/main.yaml:5:1: error: merge key '<<' is not allowed (write the keys out in full)",
    ]


def test_yaml_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    root = minimal_project(
        tmp_path,
        **{
            "facts/a.yaml": "a: 1\na: 2\n",
            "facts/b/c.yml": "b: !!binary aGk=\n",
            "briefgen.yaml": "sections: *s\n",
        },
    )
    assert problems_in(root) == [
        f"briefgen.yaml:1:11: error: alias '*s' is not allowed ({ALIAS_HINT})",
        "facts/a.yaml:2:1: error: duplicate key 'a' (first at line 1) (keep one of them)",
        f"facts/b/c.yml:1:4: error: tag '!!binary' is not allowed ({TAG_HINT})",
    ]


def test_an_alias_bomb_is_refused_without_expanding_it() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    loaded = load_yaml("\n".join(lines).encode(), "facts/bomb.yaml")
    assert loaded.data is None
    # One problem per anchor and per alias as written: 10 anchors, 90 aliases.
    assert len(loaded.problems) == 100
    assert str(loaded.problems[0]) == (
        f"facts/bomb.yaml:1:5: error: anchor '&a0' is not allowed ({ALIAS_HINT})"
    )


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    raw = b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)
    loaded = load_yaml(raw, "facts/deep.yaml")
    assert [str(p) for p in loaded.problems] == [
        f"facts/deep.yaml:1:{MAX_DEPTH + 1}: error: nesting deeper than {MAX_DEPTH} levels "
        "(no briefgen field nests this deep)"
    ]


def test_a_key_that_is_not_text_is_refused() -> None:
    loaded = load_yaml(b"? [a, b]\n: c\n", "facts/k.yaml")
    assert [str(p) for p in loaded.problems] == [
        "facts/k.yaml:1:3: error: a key must be plain text"
    ]


# -- how values are read -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("true", True),
        ("false", False),
        ("NO", "NO"),
        ("no", "no"),
        ("yes", "yes"),
        ("Yes", "Yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("True", "True"),
        ("'true'", "true"),
        ("123", "123"),
        ("007", "007"),
        ("1.10", "1.10"),
        ("1e3", "1e3"),
        ("0x1F", "0x1F"),
        ("2024-11-25", "2024-11-25"),
        ("12:30", "12:30"),
        ("", None),
        ("~", None),
        ("null", None),
        ("'null'", "null"),
        ("'<<'", "<<"),
    ],
)
def test_only_true_false_and_null_are_not_text(written: str, read: object) -> None:
    loaded = load_yaml(f"value: {written}\n".encode(), "f.yaml")
    assert loaded.problems == []
    assert loaded.data == {"value": read}


def test_a_yaml_1_1_directive_does_not_bring_its_booleans_back() -> None:
    loaded = load_yaml(b"%YAML 1.1\n---\nvalue: yes\n", "f.yaml")
    assert (loaded.data, loaded.problems) == ({"value": "yes"}, [])


def test_positions_of_keys_and_values_count_from_one() -> None:
    loaded = load_yaml(b"facts:\n  - id: a\n    tags: [x, y]\n", "f.yaml")
    assert loaded.positions.of(("facts", 0, "id")) == (2, 9)
    assert loaded.positions.of(("facts", 0, "id"), key=True) == (2, 5)
    assert loaded.positions.of(("facts", 0, "tags", 1)) == (3, 15)
    # A key that was never written points at the nearest thing that was.
    assert loaded.positions.of(("facts", 0, "title")) == (2, 5)


def test_norway_is_an_actor_id(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "- id: KP", "- id: NO")
    sheet = edit(sheet, "actors: [RU, KP]", "actors: [RU, NO]")
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    assert problems_in(root) == []
    from briefgen.build import validate

    project, _ = validate(root)
    assert "NO" in project.actors
    assert project.facts["fact-one"].item.actors == ["RU", "NO"]


def test_yes_on_off_are_plain_text_in_text_fields(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "name: Russia", "name: yes")
    sheet = edit(sheet, "title: A fact", "title: off")
    root = minimal_project(tmp_path, **{"facts/main.yaml": sheet})
    from briefgen.build import validate

    project, problems = validate(root)
    assert problems == []
    assert project.actors["RU"].item.name == "yes"
    assert project.facts["fact-one"].item.title == "off"


# -- syntax errors: every one of a file in one run, and never one that is not there ------


def test_every_syntax_error_of_a_file_is_reported_in_one_run(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "    name: Russia\n", "\tname: Russia\n")
    sheet = edit(sheet, "text: Something happened.", "text: Something: happened.")
    sheet = edit(sheet, "    date: 2024-11\n", "      date: 2024-11\n")
    sheet = edit(sheet, "        credibility: 2\n", "\t  credibility: 2\n")
    assert sheet_problems(tmp_path, sheet) == [
        f"facts/main.yaml:4:1: error: invalid YAML: a tab in the indentation ({TAB_HINT})",
        "facts/main.yaml:15:20: error: invalid YAML: a colon followed by a space inside an "
        'unquoted value (put the value in quotes: text: "Something: happened.")',
        "facts/main.yaml:16:7: error: invalid YAML: 'date' is indented deeper than 'text' "
        "on the line before it (align 'date' with 'text' (column 5))",
        f"facts/main.yaml:21:1: error: invalid YAML: a tab in the indentation ({TAB_HINT})",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "actors: [RU, KP]",
            "actors: [RU, KP",
            "facts/main.yaml:19:12: error: invalid YAML: did not find expected ',' or ']' "
            "(close the '[' opened at line 18, column 13)",
            id="unclosed-bracket",
        ),
        pytest.param(
            "title: A fact",
            "title: 'A fact",
            "facts/main.yaml:14:12: error: invalid YAML: this quote is never closed "
            "(close it where the value ends)",
            id="unclosed-quote",
        ),
        pytest.param(
            "  - id: fact-one\n",
            "  - id: fact-one: the first\n",
            "facts/main.yaml:13:17: error: invalid YAML: a colon followed by a space inside an "
            'unquoted value (put the value in quotes: id: "fact-one: the first")',
            id="colon-in-a-list-item",
        ),
        pytest.param(
            "sources:\n  - id: src",
            "\tsources:\n  - id: src",
            f"facts/main.yaml:7:1: error: invalid YAML: a tab in the indentation ({TAB_HINT})",
            id="tab-before-a-block",
        ),
    ],
)
def test_one_syntax_error_is_reported_once(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """Looking past an error must not report what the error itself causes further down."""
    assert sheet_problems(tmp_path, edit(MINIMAL_SHEET, old, new)) == [expected]


def test_a_sheet_that_does_not_parse_is_not_also_checked_for_meaning(tmp_path: Path) -> None:
    sheet = edit(MINIMAL_SHEET, "confidence: moderate", "confidence: sure")
    sheet = edit(sheet, "    title: A fact\n", "\ttitle: A fact\n")
    assert sheet_problems(tmp_path, sheet) == [
        f"facts/main.yaml:14:1: error: invalid YAML: a tab in the indentation ({TAB_HINT})",
    ]
