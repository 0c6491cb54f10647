"""Projects for the tests, built from Python data: `write_tree` writes files, `yaml_text`
turns dicts and lists into YAML in the project's own style, and `config`, `sheet` and
`project` build briefgen.yaml and fact sheets from small defaults.

The text is exact and stable (two-space indents, `- ` items under their key, lists of
scalars in flow style, multi-line strings as `|` blocks), so a test can still count the
line and column a key lands on. A key whose value is None is left out; one whose value
is "" is written bare (`key:`, YAML's empty value). Any other string is written as it
is: quote it yourself where YAML needs quotes (`'"A: title"'`), or pass a flow mapping
as text (`"{min: 1, max: 2}"`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

Data = dict[str, Any]


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create `files` ({relative path: text or bytes}) under `root`; return `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# -- YAML text from data ---------------------------------------------------------------


def _is_scalar(value: object) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return str(value)


def _lines(data: Mapping[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            out.append(f"{pad}{key}:")
            out += _lines(value, indent + 2)
        elif isinstance(value, list | tuple) and not all(_is_scalar(v) for v in value):
            out.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, Mapping):
                    first, *rest = _lines(item, indent + 4)
                    out += [f"{pad}  - {first.lstrip()}", *rest]
                else:
                    out.append(f"{pad}  - {_scalar(item)}")
        elif isinstance(value, str) and "\n" in value:
            out.append(f"{pad}{key}: |")
            out += [f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n")]
        else:
            text = _scalar(value)
            out.append(f"{pad}{key}: {text}" if text else f"{pad}{key}:")
    return out


def yaml_text(data: Mapping[str, Any]) -> str:
    """`data` as block YAML, keys in their order: the inverse of what the tests load."""
    return "".join(line + "\n" for line in _lines(data, 0))


# -- the pieces of a project -------------------------------------------------------------


def section(id_: str, title: str, **keys: Any) -> Data:
    """An entry of briefgen.yaml's `sections:`."""
    return {"id": id_, "title": title, **keys}


def briefing(
    id_: str = "brief", title: str = "A briefing", edition: str = "2024-11-25", **keys: Any
) -> Data:
    """An entry of briefgen.yaml's `briefings:`; `keys` follow `edition` in their order."""
    return {"id": id_, "title": title, "edition": edition, **keys}


def actor(id_: str, name: str, **keys: Any) -> Data:
    """An entry of a sheet's `actors:`."""
    return {"id": id_, "name": name, **keys}


def source(
    id_: str = "src",
    title: str = "A source",
    reliability: str = "B",
    type_: str = "official",
    **keys: Any,
) -> Data:
    """An entry of a sheet's `sources:`."""
    return {"id": id_, "title": title, "reliability": reliability, "type": type_, **keys}


def cite(source_id: str = "src", credibility: int = 2, **keys: Any) -> Data:
    """An entry of a fact's `sources:`."""
    return {"source": source_id, "credibility": credibility, **keys}


def fact(id_: str = "fact-one", title: str = "A fact", **keys: Any) -> Data:
    """An entry of a sheet's `facts:`: `keys` replace the defaults in place (so `date`
    stays on its line), None leaves one out, and new keys come in order before the
    fact's `sources`, which stay last."""
    defaults: Data = {
        "text": "Something happened.",
        "date": "2024-11",
        "confidence": "moderate",
        "actors": ["RU", "KP"],
    }
    sources = keys.pop("sources", [cite()])
    return {"id": id_, "title": title, **defaults, **keys, "sources": sources}


SECTIONS = (section("aid-flows", "Aid flows"), section("risks", "Risks"))
ACTORS = (actor("RU", "Russia"), actor("KP", "North Korea"))
SOURCES = (source(),)


def config(
    sections: Sequence[Data] = SECTIONS, briefings: Sequence[Data] = (briefing(),), **keys: Any
) -> str:
    """The text of briefgen.yaml: two sections and one briefing unless told otherwise."""
    return yaml_text({"sections": list(sections), "briefings": list(briefings), **keys})


def sheet(
    section_id: str | None = "aid-flows",
    actors: Sequence[Data] = ACTORS,
    sources: Sequence[Data] = SOURCES,
    facts: Sequence[Data] = (fact(),),
) -> str:
    """The text of a fact sheet; a key whose list is empty is left out."""
    data: Data = {"section": section_id} if section_id else {}
    for key, items in (("actors", actors), ("sources", sources), ("facts", facts)):
        if items:
            data[key] = list(items)
    return yaml_text(data)


def project(
    root: Path,
    *,
    sections: Sequence[Data] = SECTIONS,
    briefings: Sequence[Data] = (briefing(),),
    sheets: Mapping[str, str] | None = None,
    files: Mapping[str, str | bytes] | None = None,
) -> Path:
    """Write a project under `root`: briefgen.yaml from `sections` and `briefings`, a
    sheet facts/NAME.yaml for each of `sheets` ({NAME: text}, one valid sheet
    facts/main.yaml by default), then `files` as they are; return `root`."""
    tree: dict[str, str | bytes] = {"briefgen.yaml": config(sections, briefings)}
    for name, text in (sheets if sheets is not None else {"main": sheet()}).items():
        tree[f"facts/{name}.yaml"] = text
    return write_tree(root, {**tree, **(files or {})})
