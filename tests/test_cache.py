"""The rebuild cache: an output is rendered again exactly when something it is made
from has changed (briefgen.yaml, a fact sheet its briefing draws on, the
templates, briefgen's version, the PDF options), or the file is no longer what
was written."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, run
from projects import (
    ACTORS,
    Data,
    actor,
    briefing,
    cite,
    config,
    fact,
    section,
    sheet,
    source,
    write_tree,
)

import briefgen.edition
from briefgen.cache import CACHE_NAME
from briefgen.figures import flows

CONFIG = config(
    sections=[section("aid-flows", "Aid flows")],
    briefings=[
        briefing("alpha", "Alpha", include={"tags": ["alpha"]}, formats=["html"]),
        briefing("beta", "Beta", include={"tags": ["beta"]}, formats=["html"]),
    ],
)


def facts_sheet(*facts: Data) -> str:
    """A sheet of facts only: what they cite and name is declared in the shared one."""
    return sheet(actors=[], sources=[], facts=facts)


# Alpha and beta each draw on their own sheet, and both on the shared one, where
# the sources and actors are declared.
SOURCES = [source("src-a", "Source A"), source("src-b", "Source B", reliability="C", type_="media")]
SHARED = sheet(actors=[actor("RU", "Russia")], sources=SOURCES, facts=[])
ALPHA_FACT = fact(
    "fact-a",
    "Alpha fact",
    text="Alpha text.",
    actors=["RU"],
    sources=[cite("src-a")],
    tags=["alpha"],
)
BETA_FACT = fact(
    "fact-b",
    "Beta fact",
    text="Beta text.",
    date="2024-10",
    confidence="low",
    actors=None,
    sources=[cite("src-b", 3)],
    tags=["beta"],
)
ALPHA = facts_sheet(ALPHA_FACT)
BETA = facts_sheet(BETA_FACT)

SHEETS = {"facts/shared.yaml": SHARED, "facts/alpha.yaml": ALPHA, "facts/beta.yaml": BETA}
BOTH = ["output/alpha.html", "output/beta.html"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "desk", {"briefgen.yaml": CONFIG, **SHEETS})
    built = build(root)
    assert built == (BOTH, [])
    return root


def build(root: Path, *args: str) -> tuple[list[str], list[str]]:
    """Written paths (stdout) and the paths reported up to date (stderr)."""
    result = run("build", "--project", root, *args)
    assert result.exit_code == 0, result.output
    fresh = [line.removeprefix("up to date: ") for line in result.stderr.splitlines()]
    assert all(line.startswith("output/") for line in fresh), result.stderr
    return result.stdout.splitlines(), fresh


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


DIGEST = re.compile(r"inputs digest <code>([0-9a-f]{12})</code>")


def digest(project: Path, briefing_id: str) -> str:
    found = DIGEST.findall((project / f"output/{briefing_id}.html").read_text())
    assert len(found) == 1
    return str(found[0])


def test_a_rebuild_with_nothing_changed_writes_nothing(project: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in (project / "output").iterdir()}
    assert build(project) == ([], BOTH)
    after = {p.name: p.stat().st_mtime_ns for p in (project / "output").iterdir()}
    assert after == before
    cache = json.loads((project / "output" / CACHE_NAME).read_text())
    assert sorted(cache["outputs"]) == ["alpha.html", "beta.html"]
    html = (project / "output/alpha.html").read_bytes()
    assert cache["outputs"]["alpha.html"]["size"] == len(html)


def test_an_edit_rebuilds_only_the_briefings_that_draw_on_its_sheet(project: Path) -> None:
    beta, beta_digest = (project / "output/beta.html").read_bytes(), digest(project, "beta")
    alpha_digest = digest(project, "alpha")
    edit(project / "facts/alpha.yaml", "Alpha text.", "Alpha text, revised.")
    assert build(project) == (["output/alpha.html"], ["output/beta.html"])
    assert "Alpha text, revised." in (project / "output/alpha.html").read_text()
    assert digest(project, "alpha") != alpha_digest
    assert (project / "output/beta.html").read_bytes() == beta
    assert digest(project, "beta") == beta_digest
    # The other way round, and beta's new digest is the one its page shows.
    edit(project / "facts/beta.yaml", "Beta text.", "Beta text, revised.")
    assert build(project) == (["output/beta.html"], ["output/alpha.html"])
    assert digest(project, "beta") != beta_digest


def test_an_edit_to_a_source_only_one_cites_rebuilds_that_one(project: Path) -> None:
    # Alpha cites only src-a: its projection (what its PDF carries, what its digest
    # covers) holds none of src-b, though the sheet declares both.
    edit(project / "facts/shared.yaml", "title: Source B", "title: Source B, revised")
    assert build(project) == (["output/beta.html"], ["output/alpha.html"])
    assert "Source B, revised" in (project / "output/beta.html").read_text()


def test_a_comment_is_not_shared_so_it_changes_nothing(project: Path) -> None:
    # The projection is made from the data, without comments: a note to the desk
    # is not in the PDF, so it rebuilds nothing.
    edit(project / "facts/alpha.yaml", "facts:\n", "# checked by J.\nfacts:\n")
    assert build(project) == ([], BOTH)


def test_a_sheet_no_briefing_draws_on_changes_nothing(project: Path) -> None:
    gamma = facts_sheet({**BETA_FACT, "id": "fact-g", "tags": ["gamma"]})
    write_tree(project, {"facts/gamma.yaml": gamma})
    assert build(project) == ([], BOTH)
    edit(project / "facts/gamma.yaml", "Beta text.", "Gamma text.")
    assert build(project) == ([], BOTH)
    (project / "facts/gamma.yaml").unlink()
    assert build(project) == ([], BOTH)


def test_a_new_fact_a_briefing_takes_in_rebuilds_it(project: Path) -> None:
    more = facts_sheet({**BETA_FACT, "id": "fact-b2", "title": "Second beta fact"})
    write_tree(project, {"facts/more.yaml": more})
    assert build(project) == (["output/beta.html"], ["output/alpha.html"])
    assert "Second beta fact" in (project / "output/beta.html").read_text()
    # Moved to another sheet, the same fact is another input: the PDF would carry
    # another file.
    (project / "facts/more.yaml").rename(project / "facts/moved.yaml")
    assert build(project) == (["output/beta.html"], ["output/alpha.html"])
    # Taken out of the briefing by its tag, it is no longer one of beta's inputs.
    edit(project / "facts/moved.yaml", "tags: [beta]", "tags: [gamma]")
    assert build(project) == (["output/beta.html"], ["output/alpha.html"])
    assert "Second beta fact" not in (project / "output/beta.html").read_text()


def test_a_file_briefgen_does_not_read_changes_nothing(project: Path) -> None:
    write_tree(project, {"facts/NOTES.txt": "to check with the desk", "notes.md": "todo"})
    assert build(project) == ([], BOTH)


def test_another_briefings_entry_rebuilds_only_that_one(project: Path) -> None:
    # Each PDF carries briefgen.yaml with its own briefing alone.
    edit(project / "briefgen.yaml", "title: Beta\n", "title: Beta, second edition\n")
    assert build(project) == (["output/beta.html"], ["output/alpha.html"])


def test_a_section_both_show_rebuilds_both(project: Path) -> None:
    text = (project / "briefgen.yaml").read_text(encoding="utf-8")
    section = text.split("title: ", 1)[1].split("\n", 1)[0]
    edit(project / "briefgen.yaml", f"title: {section}\n", f"title: {section}, renamed\n")
    assert build(project) == (BOTH, [])


def test_a_project_template_rebuilds_every_briefing(project: Path) -> None:
    theme_fact = (REPO / "templates/_fact.html").read_text(encoding="utf-8")
    write_tree(project, {"templates/_fact.html": theme_fact})
    assert build(project) == (BOTH, [])
    assert build(project) == ([], BOTH)
    edit(project / "templates/_fact.html", '<div class="fact-text">', '<div class="fact-text own">')
    assert build(project) == (BOTH, [])
    assert 'class="fact-text own"' in (project / "output/beta.html").read_text()


def test_a_process_compiles_each_template_once_and_again_when_it_is_edited(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `serve` and `watch` rebuild in one process: the theme is compiled once.
    import jinja2

    compiled: list[str | None] = []
    compile_source = jinja2.Environment.compile

    def counting(env: jinja2.Environment, source: Any, name: str | None = None, *a: Any) -> Any:
        compiled.append(name)
        return compile_source(env, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    write_tree(project, {"templates/_fact.html": (REPO / "templates/_fact.html").read_text()})
    build(project, "--force")
    compiled.clear()
    build(project, "--force")
    assert compiled == []
    edit(project / "templates/_fact.html", '<div class="fact-text">', '<div class="fact-text own">')
    build(project, "--force")
    assert compiled == ["_fact.html"]
    assert 'class="fact-text own"' in (project / "output/beta.html").read_text()


def test_a_new_briefgen_version_rebuilds_every_briefing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefgen.edition, "GENERATOR", "briefgen 99.0")
    assert build(project) == (BOTH, [])
    assert "briefgen 99.0" in (project / "output/alpha.html").read_text()


def test_a_deleted_output_is_rebuilt(project: Path) -> None:
    (project / "output/alpha.html").unlink()
    assert build(project) == (["output/alpha.html"], ["output/beta.html"])


@pytest.mark.parametrize("change", ["append", "same-size"])
def test_an_output_edited_by_hand_is_rebuilt(project: Path, change: str) -> None:
    path = project / "output/alpha.html"
    good = path.read_bytes()
    if change == "append":
        path.write_bytes(good + b"<!-- edited -->")
    else:
        path.write_bytes(good.replace(b"Alpha text.", b"Alpha TEXT."))
    assert build(project) == (["output/alpha.html"], ["output/beta.html"])
    assert path.read_bytes() == good


def test_force_rebuilds_what_is_up_to_date(project: Path) -> None:
    assert build(project, "--force") == (BOTH, [])
    assert build(project, "beta", "--force") == (["output/beta.html"], [])


def test_building_one_briefing_keeps_the_others_entries(project: Path) -> None:
    text = (project / "briefgen.yaml").read_text(encoding="utf-8")
    section = text.split("title: ", 1)[1].split("\n", 1)[0]
    edit(project / "briefgen.yaml", f"title: {section}\n", f"title: {section} two\n")
    assert build(project, "alpha") == (["output/alpha.html"], [])
    assert build(project, "beta") == (["output/beta.html"], [])
    assert build(project) == ([], BOTH)


# "[" * 100_000: deeper than json's parser recurses (it raises RecursionError).
@pytest.mark.parametrize(
    "junk", ["not json", "[]", '{"version": 0, "outputs": {}}', "{}", "[" * 100_000]
)
def test_an_unreadable_cache_means_a_full_build(project: Path, junk: str) -> None:
    (project / "output" / CACHE_NAME).write_text(junk)
    assert build(project) == (BOTH, [])
    assert build(project) == ([], BOTH)


def test_a_failed_build_leaves_the_cache_alone(project: Path) -> None:
    cache = (project / "output" / CACHE_NAME).read_bytes()
    edit(project / "facts/beta.yaml", "confidence: low", "confidence: lwo")
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "facts/beta.yaml:7:17: error: 'lwo' is not a valid confidence (did you mean 'low'?)",
        "1 error",
        "nothing was written; output/ is unchanged",
    ]
    assert (project / "output" / CACHE_NAME).read_bytes() == cache


@pytest.mark.slow
def test_a_pdf_is_skipped_and_rebuilt_on_its_own(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "desk",
        {
            "briefgen.yaml": CONFIG.replace("formats: [html]\n", "formats: [html, pdf]\n", 1),
            **SHEETS,
        },
    )
    paths = ["output/alpha.html", "output/alpha.pdf", "output/beta.html"]
    assert build(root) == (paths, [])
    assert build(root) == ([], paths)
    pdf = root / "output/alpha.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(good[:-10])
    assert build(root) == (["output/alpha.pdf"], BOTH)
    assert pdf.read_bytes() == good
    # Another PDF variant is another PDF; the HTML pages stay as they are.
    assert build(root, "--pdf-variant", "pdf/a-3b") == (
        ["output/alpha.pdf"],
        BOTH,
    )
    assert pdf.read_bytes() != good


# -- the version of Graphviz, which lays out the flow diagram ------------------------------

FLOW = facts_sheet(
    {
        **ALPHA_FACT,
        "actors": ["RU", "KP"],
        "flow": {"from": "RU", "to": "KP", "what": "missiles", "category": "weapons"},
    },
    # A second arrow: a diagram of one flow is not drawn.
    {
        **ALPHA_FACT,
        "id": "fact-a2",
        "actors": ["RU", "KP"],
        "flow": {"from": "KP", "to": "RU", "what": "shells", "category": "weapons"},
    },
)


def test_a_new_graphviz_rebuilds_what_shows_a_flow_diagram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = CONFIG.replace("formats: [html]", "formats: [html, json, stix]")
    shared = sheet(actors=ACTORS, sources=SOURCES, facts=[])
    sheets = {"facts/shared.yaml": shared, "facts/alpha.yaml": FLOW, "facts/beta.yaml": BETA}
    root = write_tree(tmp_path / "desk", {"briefgen.yaml": config, **sheets})
    monkeypatch.setattr(flows, "dot_version", lambda: "dot - graphviz version 2.43.0 (0)")
    build(root)
    assert "<svg" in (root / "output/alpha.html").read_text()
    alpha = ["output/alpha.html", "output/alpha.json"]
    others = [
        "output/alpha.stix.json",
        "output/beta.html",
        "output/beta.json",
        "output/beta.stix.json",
    ]
    assert build(root) == ([], sorted(alpha + others))

    monkeypatch.setattr(flows, "dot_version", lambda: "dot - graphviz version 99.0.0 (0)")
    # The flow diagram's outputs, and only those: STIX shows no figures, beta no flows.
    written, fresh = build(root)
    assert (written, sorted(fresh)) == (alpha, sorted(others))
    assert build(root) == ([], sorted(alpha + others))


def test_without_a_flow_diagram_graphviz_is_never_asked(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_dot() -> str:
        raise AssertionError("dot -V was run for a briefing without flows")

    monkeypatch.setattr(flows, "dot_version", no_dot)
    assert build(project, "--force") == (BOTH, [])
    assert build(project) == ([], BOTH)


def test_graphviz_is_asked_its_version_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = subprocess.run

    def counting(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return real(args, **kwargs)

    flows.dot_version.cache_clear()
    monkeypatch.setattr(subprocess, "run", counting)
    first, second = flows.dot_version(), flows.dot_version()
    assert first == second
    assert first.startswith("dot - graphviz version ")
    assert [args[1:] for args in calls] == [["-V"]]
