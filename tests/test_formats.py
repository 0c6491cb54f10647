"""The formats table: the only place a format is named. A format added to it is
built, cached, served and offered by the CLI; one not in it is refused."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, minimal_project, run

import briefgen.formats
from briefgen.build import build
from briefgen.cache import CACHE_NAME
from briefgen.formats import FORMATS, Format, RenderContext, format_for_file
from briefgen.options import BuildOptions

HTML_ONLY = MINIMAL_CONFIG + "    formats: [html]\n"


def render_plain(context: RenderContext) -> bytes:
    """A dummy renderer: the facts' titles, one a line, and the variant it was asked for."""
    titles = [fact.title for fact in context.view.facts]
    figures = [figure.name for figure in context.figures]
    lines = [context.view.id, *titles, context.options.pdf_variant, *figures]
    inputs = [item.path for item in context.inputs]
    lines.append(" ".join(inputs))
    lines.append(str(context.env.get_template("briefing.html").name))
    lines.append(context.root.name)
    return "\n".join(lines).encode()


@pytest.fixture
def plain_format(monkeypatch: pytest.MonkeyPatch) -> Format:
    entry = Format("plain", "plain.txt", "text/plain; charset=utf-8", render_plain)
    monkeypatch.setitem(briefgen.formats.FORMATS, "plain", entry)
    return entry


def test_a_registered_format_is_built_from_its_own_renderer(
    tmp_path: Path, plain_format: Format
) -> None:
    root = minimal_project(tmp_path, **{"briefgen.yaml": MINIMAL_CONFIG + "    formats: [plain]\n"})
    built, _ = build(root)
    assert [path.name for path in built[0].paths] == ["brief.plain.txt"]
    lines = (root / "output/brief.plain.txt").read_text().splitlines()
    assert lines == [
        "brief",
        "A fact",
        "pdf/ua-1",
        # no figure line: one dated fact draws no timeline (issue 22)
        "briefgen.yaml facts/main.yaml",
        "briefing.html",
        root.name,
    ]
    # The cache knows it, so a second build leaves it alone.
    cache = json.loads((root / "output" / CACHE_NAME).read_text())
    assert list(cache["outputs"]) == ["brief.plain.txt"]
    again, _ = build(root)
    assert again[0].paths == []
    assert [p.name for p in again[0].up_to_date] == ["brief.plain.txt"]
    assert format_for_file("brief.plain.txt") is plain_format


def test_a_registered_format_is_offered_by_the_cli(tmp_path: Path, plain_format: Format) -> None:
    root = minimal_project(tmp_path)  # its briefing lists the default html and pdf
    result = run("build", "--project", root, "--format", "plain")
    assert result.exit_code == 0, result.output
    assert result.stdout == "output/brief.plain.txt\n"
    assert sorted(p.name for p in (root / "output").iterdir()) == [CACHE_NAME, "brief.plain.txt"]


def test_format_option_overrides_every_briefings_formats(tmp_path: Path) -> None:
    config = HTML_ONLY + "  - id: second\n    title: Another\n    edition: 2024-11\n"
    root = minimal_project(tmp_path, **{"briefgen.yaml": config})
    result = run("build", "--project", root, "--format", "html", "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.stdout == "output/brief.html\noutput/second.html\n"


def test_format_option_refuses_an_unknown_format(tmp_path: Path) -> None:
    root = minimal_project(tmp_path, **{"briefgen.yaml": HTML_ONLY})
    result = run("build", "--project", root, "--format", "epub")
    assert result.exit_code == 2
    known = ", ".join(FORMATS)
    assert (
        f"Invalid value for '--format': unknown format 'epub'; the formats are {known}"
        in result.stderr
    )
    assert not (root / "output").exists()


def test_an_unknown_format_in_briefgen_yaml_is_a_located_error(tmp_path: Path) -> None:
    root = minimal_project(tmp_path, **{"briefgen.yaml": MINIMAL_CONFIG + "    formats: [htm]\n"})
    result = run("build", "--project", root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "briefgen.yaml:10:15: error: 'htm' is not a valid format (did you mean 'html'?)"
    )


def test_a_name_becomes_a_format_only_through_the_table(tmp_path: Path) -> None:
    # The bug this table fixed: a name the model accepted was written as a PDF.
    root = minimal_project(tmp_path, **{"briefgen.yaml": MINIMAL_CONFIG + "    formats: [epub]\n"})
    with pytest.raises(ValueError, match="unknown format 'epub'"):
        build(root, options=BuildOptions(override_formats=("epub",)))
    assert run("build", "--project", root).exit_code == 1
    assert not (root / "output").exists()


def test_every_format_is_named_by_its_own_suffix() -> None:
    suffixes = [entry.suffix for entry in FORMATS.values()]
    assert len(set(suffixes)) == len(suffixes)
    for name, entry in FORMATS.items():
        assert entry.name == name
        assert format_for_file(f"x.{entry.suffix}") is entry


@dataclass(frozen=True)
class Shout:
    """A dummy format's prepared half: picklable, finished in a worker."""

    text: str

    def lay_out(self) -> bytes:
        return f"{self.text.upper()}\nlaid out in {os.getpid()}\n".encode()


def prepare_shout(context: RenderContext) -> Shout:
    return Shout(context.view.title)


def render_shout(context: RenderContext) -> bytes:
    return prepare_shout(context).lay_out()


@pytest.mark.slow
@pytest.mark.slow  # spawns worker processes that import WeasyPrint
def test_a_format_with_a_prepare_step_is_finished_in_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = Format("shout", "shout", "text/plain", render_shout, prepare=prepare_shout)
    monkeypatch.setitem(briefgen.formats.FORMATS, "shout", entry)
    config = MINIMAL_CONFIG + "  - id: second\n    title: Another\n    edition: 2024-11\n"
    root = minimal_project(tmp_path, **{"briefgen.yaml": config})
    options = BuildOptions(override_formats=("shout", "html"), jobs=2)
    built, _ = build(root, options=options)
    assert [[p.name for p in b.paths] for b in built] == [
        ["brief.shout", "brief.html"],
        ["second.shout", "second.html"],
    ]
    for name, title in (("brief", "A BRIEFING"), ("second", "ANOTHER")):
        first, pid = (root / f"output/{name}.shout").read_text().splitlines()
        assert first == title
        assert pid != f"laid out in {os.getpid()}"  # in a worker process
    # One process gives the same (but for the process id): `render` is prepare + lay_out.
    built, _ = build(root, options=dataclasses.replace(options, jobs=1, force=True))
    assert (root / "output/brief.shout").read_text() == f"A BRIEFING\nlaid out in {os.getpid()}\n"
