"""The fast reader of clean YAML files agrees with the composer on every input: the
same data, the same position for every value and key, the same problems (the
composer reads every file the fast reader leaves to it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import MINIMAL_CONFIG, MINIMAL_SHEET, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefgen.yamlfile as yamlfile
from briefgen.yamlfile import YamlFile, load_yaml

pytestmark = pytest.mark.skipif(yamlfile._FastParser is None, reason="PyYAML without libyaml")


@contextmanager
def strict_only() -> Iterator[None]:
    saved = yamlfile._read_clean
    yamlfile._read_clean = lambda text: yamlfile._UNUSUAL  # type: ignore[assignment]
    try:
        yield
    finally:
        yamlfile._read_clean = saved  # type: ignore[assignment]


def both(text: str | bytes) -> tuple[YamlFile, YamlFile]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    fast = load_yaml(raw, "facts/x.yaml")
    with strict_only():
        strict = load_yaml(raw, "facts/x.yaml")
    return fast, strict


def assert_same(text: str | bytes) -> None:
    fast, strict = both(text)
    assert fast.problems == strict.problems
    assert [str(p) for p in fast.problems] == [str(p) for p in strict.problems]
    assert fast.data == strict.data
    assert _typed(fast.data) == _typed(strict.data)  # True is not 1, "1" is not 1
    assert fast.positions.values == strict.positions.values
    assert fast.positions.keys == strict.positions.keys


def _typed(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _typed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_typed(v) for v in data]
    return (type(data).__name__, data)


def test_the_fast_reader_reads_clean_sheets(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without this, every test below could pass with the fast reader never used.
    used: list[bool] = []
    real = yamlfile._read_clean

    def spy(text: str) -> Any:
        result = real(text)
        used.append(result is not yamlfile._UNUSUAL)
        return result

    monkeypatch.setattr(yamlfile, "_read_clean", spy)
    file = load_yaml(MINIMAL_SHEET.encode(), "facts/main.yaml")
    assert used == [True]
    assert file.data["facts"][0]["id"] == "fact-one"
    assert file.positions._text is not None  # not worked out yet
    assert file.positions.of(("facts", 0, "confidence")) == (17, 17)
    assert file.positions._text is None


CORPUS = sorted((REPO / "tests/corpus").rglob("*.y*ml"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO / "tests/corpus")))
def test_the_bad_input_corpus(path: Path) -> None:
    assert_same(path.read_bytes())


@pytest.mark.parametrize(
    "path",
    [REPO / "briefgen.yaml", *sorted((REPO / "facts").glob("*.yaml"))],
    ids=lambda p: p.name,
)
def test_example_project_files(path: Path) -> None:
    assert_same(path.read_bytes())


TRICKY = [
    MINIMAL_CONFIG,
    MINIMAL_SHEET,
    MINIMAL_SHEET.replace("\n", "\r\n"),
    "",
    "# only a comment\n",
    "---\n",
    "---\n...\n",
    "a: 1\n---\nb: 2\n",
    "a:\n",
    "a:\nb:\n  - \n  -\n",
    "? a\n: b\n",
    "? [a, b]\n: c\n",
    "{a: 1, b: [x, y, {c: d}]}\n",
    "[a, b, c]\n",
    "plain text\n",
    "'quoted'\n",
    "a: &x 1\nb: *x\n",
    "a: *x\n",
    "a: !!str 1\n",
    "a: !custom x\n",
    "a: ! x\n",
    "<<: {a: 1}\n",
    "'<<': 1\n",
    "a: 1\na: 2\n",
    "true: 1\nyes: no\nNO: on\n~: null\n",
    "a: true\nb: 'true'\nc: True\nd: ~\ne: null\nf: Null\ng: ''\nh: \"\"\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG !e! tag:example.com,2000:\n---\na: 1\n",
    "a: b: c\n",
    "a:\n  - b\n - c\n",
    "a: [1, 2\n",
    "a: 'unterminated\n",
    "\ta: 1\n",
    "a:\t1\n",
    "a: |\n  line\n   more\n\n  last\n",
    "a: >-\n  folded\n  text\n\n  para\n",
    "a: |2+\n   indented\n\n",
    'a: "esc \\u00e9 \\x41 \\t \\\\ \\""\n',
    'a: "bad escape \\q"\n',
    "a: x\u0007y\n",
    "a: caf\u00e9 \u65e5\u672c \U0001f600\n",
    "a: b\u2028c\n",
    "a: b\x85c\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "a: 1\rb: 2\r",
    "- a\n- - b\n  - c\n- {d: e}\n",
    "a:\n  b:\n    c:\n      d: [e, {f: g}]\n",
    "[" * 40 + "]" * 40 + "\n",
    "a: " + "[" * 31 + "]" * 31 + "\n",
    "a: " + "[" * 32 + "]" * 32 + "\n",
    "key with spaces: value with: colon\n",
    "a: 'it''s'\nb: \"multi\n  line\"\nc: plain\n  continued\n",
    "a: -1\nb: 0x1F\nc: 1e3\nd: .inf\ne: 2024-11-25\nf: 007\n",
    "- ? complex\n  : key\n",
    "a: {? b}\n",
    "a: [b: c]\n",
    "@a: 1\n",
    "`a: 1\n",
    "a: 1 # comment\n# trailing\n",
    "a:    \n  b\n",
    "&anchor a: 1\n",
    "a: !!binary aGVsbG8=\n",
    "x" * 1100 + ": 1\n",
]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_tricky_documents(text: str) -> None:
    assert_same(text)


def test_invalid_utf8_and_oversize_are_reported_the_same() -> None:
    assert_same(b"a: \xff\n")
    assert_same(b"a: " + b"x" * (5 * 1024 * 1024 + 1))


# Random documents: data dumped in random styles, then sometimes damaged.
_scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["true", "false", "~", "null", "yes", "NO", "<<", "-", "?", ":", "#", ""]),
    st.integers(-1000, 1000),
    st.booleans(),
    st.none(),
)
_keys = st.text(max_size=8) | st.sampled_from(["id", "<<", "true"])
_data = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)
_damage = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.sampled_from([*list(":-?[]{},#&*!|>'\"%@` \t\n\r"), "\n  ", ": ", "- ", "\u2028"]),
    ),
    max_size=3,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=_data,
    flow=st.sampled_from([None, True, False]),
    width=st.sampled_from([20, 80, 1000]),
    style=st.sampled_from([None, "'", '"', "|", ">"]),
    damage=_damage,
    crlf=st.booleans(),
)
def test_random_documents(
    data: Any, flow: bool | None, width: int, style: str | None, damage: Any, crlf: bool
) -> None:
    text = yaml.safe_dump(
        data, default_flow_style=flow, width=width, allow_unicode=True, default_style=style
    )
    for where, insert in damage:
        at = where % (len(text) + 1)
        text = text[:at] + insert + text[at:]
    if crlf:
        text = text.replace("\n", "\r\n")
    assert_same(text)
