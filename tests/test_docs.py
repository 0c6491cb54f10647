"""The documentation in the repository: its links resolve, and docs/format.md covers the
format as the models define it, so neither can drift from the code unnoticed."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import pytest
from helpers import REPO
from pydantic import BaseModel

from briefgen import model
from briefgen.checks import WARNINGS
from briefgen.figures import FIGURES
from briefgen.formats import FORMATS

DOCS = sorted([*REPO.glob("*.md"), *REPO.glob("docs/**/*.md")])
FORMAT_DOC = REPO / "docs/format.md"

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")
# [text](target) and ![alt](target); the text may hold one level of brackets.
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"  # [text], or ![alt]
    r"\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"  # (target "title")
)
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
EXTERNAL = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:, ...


def _prose(text: str) -> str:
    """The text without code blocks and code spans, where brackets are not links."""
    return CODE.sub("", FENCE.sub("", text))


def links(text: str) -> list[str]:
    prose = _prose(text)
    return [*INLINE_LINK.findall(prose), *REFERENCE_LINK.findall(prose)]


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives a document's headings."""
    found: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", text)):
        words = re.sub(r"[`*_]|<[^>]+>", "", heading).strip().lower()
        slug = re.sub(r"[^\w\- ]", "", words).replace(" ", "-")
        candidate, n = slug, 0
        while candidate in found:  # a repeated heading gets -1, -2, ...
            n += 1
            candidate = f"{slug}-{n}"
        found.add(candidate)
    return found


def test_the_link_finder_finds_links_and_skips_code() -> None:
    text = (
        "See [the format](docs/format.md#ids) and ![a page](docs/pages.png).\n"
        "[ref]: CHANGELOG.md\n"
        "`[not](a-link.md)`\n"
        "```\n[nor](this.md)\n```\n"
        "## The `briefgen.yaml` file *1.1*\n"
        "## Ids\n## Ids\n"
    )
    assert links(text) == ["docs/format.md#ids", "docs/pages.png", "CHANGELOG.md"]
    assert anchors(text) == {"the-briefgenyaml-file-11", "ids", "ids-1"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_resolves_inside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    broken = []
    for link in links(text):
        if EXTERNAL.match(link):
            continue
        path, _, anchor = link.partition("#")
        target = (doc.parent / path).resolve() if path else doc
        if not target.is_relative_to(REPO) or not target.exists():
            broken.append(f"{link}: no such file in the repository")
        elif (
            anchor
            and target.suffix == ".md"
            and anchor not in anchors(target.read_text(encoding="utf-8"))
        ):
            broken.append(f"{link}: no heading #{anchor} in {target.relative_to(REPO)}")
    assert broken == []


def test_the_readme_points_to_the_format_reference() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/format.md" in links(readme)
    assert "FORMAT.md" not in readme.replace("docs/format.md", "")  # a file users do not have


def _models() -> list[type[BaseModel]]:
    return [
        value
        for value in vars(model).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == model.__name__
        and value.model_fields
    ]


def _choices(annotation: object) -> set[str]:
    """Every value a Literal anywhere in `annotation` allows."""
    if typing.get_origin(annotation) is typing.Literal:
        return {str(v) for v in typing.get_args(annotation)}
    found: set[str] = set()
    for arg in typing.get_args(annotation):
        found |= _choices(arg)
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            found |= _choices(arg)
    return found


def _tables() -> dict[str, list[str]]:
    """The values the format takes from tables rather than from the models' types."""
    return {
        "format": list(FORMATS),
        "figure": list(FIGURES),
        "likelihood": list(model.LIKELIHOOD_BANDS),
        "reliability": list(model.RELIABILITY_WORDS),
        "credibility": [str(grade) for grade in model.CREDIBILITY_WORDS],
        "confidence": list(model.CONFIDENCE_WORDS),
        "warning code": list(WARNINGS),
    }


def test_the_models_and_tables_are_found() -> None:
    names = {m.__name__ for m in _models()}
    assert {"Config", "Briefing", "Section", "FactSheet", "Fact", "Source", "Risk"} <= names
    keys = {f.alias or name for m in _models() for name, f in m.model_fields.items()}
    assert {"from", "stale_after_days", "credibility", "indicators"} <= keys
    assert {"in-force", "think-tank", "severe"} <= {
        c for m in _models() for f in m.model_fields.values() for c in _choices(f.annotation)
    }
    tables = _tables()
    assert {"html", "pdf"} <= set(tables["format"])
    assert "roughly even odds" in tables["likelihood"]
    assert "uncited-source" in tables["warning code"]


def test_the_format_reference_names_every_key_and_value_of_the_models() -> None:
    documented = set(re.findall(r"`([^`\n]+)`", FORMAT_DOC.read_text(encoding="utf-8")))
    missing = [
        f"{table}: {value}"
        for table, values in _tables().items()
        for value in values
        if value not in documented
    ]
    for m in _models():
        for name, field in m.model_fields.items():
            key = field.alias or name
            if key not in documented:
                missing.append(f"{m.__name__}.{key}")
            missing += [
                f"{m.__name__}.{key}: {choice}"
                for choice in sorted(_choices(field.annotation))
                if choice not in documented
            ]
    assert missing == [], "docs/format.md does not mention these (in `code`)"


def test_the_crash_message_points_at_a_section_the_readme_has() -> None:
    # No made-up address: the crash line sends the user to the README.
    from briefgen.cli.exits import REPORTING

    section = REPORTING.split("'")[1]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"\n## {section}\n" in readme
