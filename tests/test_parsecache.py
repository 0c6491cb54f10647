"""The parse cache: an unchanged file is not parsed again, and nothing else changes."""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from helpers import REPO, edit, minimal_project, run

from briefgen import load, parsecache
from briefgen.build import validate
from briefgen.load import load_project
from briefgen.parsecache import CACHE_DIR, PARSE_DIR

# A second sheet with a mistake of each reach: one the model finds in the file (a
# confidence not on the scale), one only the whole project shows (a source nobody
# declares), and an analytic warning (an uncited source).
SECOND_SHEET = """\
sources:
  - id: lonely
    title: Nobody cites this
    reliability: C
    type: media
facts:
  - id: fact-two
    title: Another fact
    text: Something else happened.
    date: 2024-10
    section: risks
    confidence: sure
    sources:
      - source: nowhere
        credibility: 3
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return minimal_project(tmp_path / "desk", **{"facts/second.yaml": SECOND_SHEET})


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the YAML parser is run on, in order."""
    seen: list[str] = []
    real = parsecache.load_yaml

    def counting(raw: bytes, path: str) -> parsecache.YamlFile:
        seen.append(path)
        return real(raw, path)

    monkeypatch.setattr(parsecache, "load_yaml", counting)
    return seen


def shown(root: Path) -> list[str]:
    return [str(p) for p in validate(root)[1]]


def entries(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR / PARSE_DIR).glob("*.json"))


def signed_entry(path: Path) -> dict[str, object]:
    """The JSON of an entry, after checking it is signed with the suite's key."""
    mac, _, body = path.read_bytes().partition(b"\n")
    key = parsecache.machine_key(parsecache.key_folder())
    assert key is not None
    assert mac == hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    entry: dict[str, object] = json.loads(body)
    return entry


def entry_path(root: Path, sheet: str) -> Path:
    name = hashlib.sha256(sheet.encode()).hexdigest()[:32] + ".json"
    return root / CACHE_DIR / PARSE_DIR / name


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")}


ALL_FILES = ["briefgen.yaml", "facts/main.yaml", "facts/second.yaml"]


def test_a_second_run_parses_nothing_and_reports_the_same(project: Path, parsed: list[str]) -> None:
    cold = shown(project)
    assert parsed == ["briefgen.yaml", "facts/main.yaml", "facts/second.yaml"]
    assert cold == [
        "facts/second.yaml:2:9: warning: source 'lonely' is never cited "
        "(cite it from a fact, or remove it)",
        "facts/second.yaml:12:17: error: 'sure' is not a valid confidence "
        "(expected one of low, moderate and high)",
        "facts/second.yaml:14:17: error: unknown source 'nowhere' "
        "(declare it under 'sources:' in a fact sheet)",
    ]
    assert len(entries(project)) == 3

    parsed.clear()
    assert shown(project) == cold  # the same located messages, every one
    assert parsed == []


def test_an_edit_is_seen_and_only_that_file_is_parsed(project: Path, parsed: list[str]) -> None:
    shown(project)
    sheet = project / "facts/second.yaml"
    stat = sheet.stat()
    # The same length and the same modification time: only the bytes tell.
    sheet.write_text(edit(SECOND_SHEET, "confidence: sure", "confidence: high"))
    os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    parsed.clear()

    problems = shown(project)

    assert parsed == ["facts/second.yaml"]
    assert not any("'sure'" in p for p in problems)
    assert "facts/second.yaml:14:17: error: unknown source 'nowhere'" in "\n".join(problems)


@pytest.mark.parametrize(
    "damage",
    [b"", b'{"key": "trunc', b"\x00\xff garbage", b"[1, 2, 3]", b'{"data": {"facts": []}}'],
    ids=["empty", "truncated", "binary", "not-an-entry", "no-key"],
)
def test_a_damaged_entry_is_parsed_again_and_rewritten(
    project: Path, parsed: list[str], damage: bytes
) -> None:
    cold = shown(project)
    for entry in entries(project):
        entry.write_bytes(damage)
    parsed.clear()

    assert shown(project) == cold
    assert sorted(parsed) == sorted(ALL_FILES)
    for entry in entries(project):
        assert signed_entry(entry)["key"] == parsecache.cache_key()
    parsed.clear()
    assert shown(project) == cold
    assert parsed == []


def test_an_entry_for_other_bytes_is_not_trusted(project: Path, parsed: list[str]) -> None:
    """An entry is used only for the bytes it was made from, whatever else it claims."""
    shown(project)
    sheet = project / "facts/main.yaml"
    path = entry_path(project, "facts/main.yaml")
    entry = signed_entry(path)
    entry["data"]["facts"][0]["confidence"] = "nonsense"  # type: ignore[index]
    body = json.dumps(entry).encode()
    key = parsecache.machine_key(parsecache.key_folder())
    assert key is not None
    path.write_bytes(hmac.new(key, body, hashlib.sha256).hexdigest().encode() + b"\n" + body)
    assert any("'nonsense'" in p for p in shown(project))  # the cache is believed for its bytes
    sheet.write_text(sheet.read_text() + "# a comment\n")
    parsed.clear()
    assert not any("'nonsense'" in p for p in shown(project))  # but never over the file
    assert parsed == ["facts/main.yaml"]


BROKEN = "facts:\n  - id: [\n  - id: b: c\n\t- x\n"


@pytest.mark.parametrize("signed_with", [None, b"k" * 32], ids=["unsigned", "another-key"])
def test_a_planted_entry_says_no_more_than_the_sheet(
    tmp_path: Path, parsed: list[str], signed_with: bytes | None
) -> None:
    """An entry this machine did not sign, for the exact bytes of a broken sheet,
    claiming a clean parse: ignored, and the sheet's own problems are reported."""
    root = minimal_project(tmp_path / "desk", **{"facts/broken.yaml": BROKEN})
    honest = shown(root)
    assert any(p.startswith("facts/broken.yaml:") for p in honest)
    raw = BROKEN.encode()
    entry = {
        "key": parsecache.cache_key(),
        "path": "facts/broken.yaml",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "data": {"facts": []},
    }
    body = json.dumps(entry, separators=(",", ":")).encode()
    mac = hmac.new(signed_with, body, hashlib.sha256).hexdigest().encode() if signed_with else b""
    planted = entry_path(root, "facts/broken.yaml")
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_bytes(mac + b"\n" + body if signed_with else body)
    parsed.clear()
    assert shown(root) == honest
    assert "facts/broken.yaml" in parsed


def test_a_planted_entry_for_a_sheet_that_is_not_utf8_gives_the_usual_error(
    tmp_path: Path,
) -> None:
    raw = b"facts: []\n# caf\xe9\n"
    root = minimal_project(tmp_path / "desk", **{"facts/latin.yaml": raw})
    entry = {"key": parsecache.cache_key(), "path": "facts/latin.yaml"}
    entry |= {"sha256": hashlib.sha256(raw).hexdigest(), "data": {"facts": []}}
    planted = entry_path(root, "facts/latin.yaml")
    planted.parent.mkdir(parents=True)
    planted.write_text(json.dumps(entry))
    result = run("validate", "--project", root)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        "facts/latin.yaml:2:6: error: not UTF-8: byte 0xe9 cannot start a character here "
        "(save the file as UTF-8)"
    )


def test_the_key_is_made_once_outside_the_project_and_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    folder = tmp_path / "home-cache" / "briefgen"
    monkeypatch.setenv(parsecache.KEY_DIR_VARIABLE, str(folder))
    root = minimal_project(tmp_path / "desk")
    shown(root)
    key = (folder / "key").read_bytes()
    assert len(key) == 32
    assert (folder / "key").stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert not any(p.name == "key" for p in root.rglob("*"))
    parsed.clear()
    shown(root)
    assert parsed == []  # the entries it signed are used
    assert (folder / "key").read_bytes() == key


def test_a_key_others_can_read_or_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "key").write_bytes(b"k" * 32)
    (folder / "key").chmod(0o644)
    monkeypatch.setenv(parsecache.KEY_DIR_VARIABLE, str(folder))
    root = minimal_project(tmp_path / "desk")
    shown(root)
    parsed.clear()
    shown(root)
    assert parsed == ["briefgen.yaml", "facts/main.yaml"]  # parsed every time
    assert not (root / CACHE_DIR / PARSE_DIR).exists()


def test_a_new_briefgen_version_ignores_the_cache(
    project: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = shown(project)
    monkeypatch.setattr(parsecache, "__version__", "999.0")
    parsecache.cache_key.cache_clear()
    try:
        parsed.clear()
        assert shown(project) == cold
        assert sorted(parsed) == sorted(ALL_FILES)
    finally:
        parsecache.cache_key.cache_clear()


def test_the_cache_never_touches_facts(project: Path) -> None:
    facts, config = tree(project / "facts"), (project / "briefgen.yaml").read_bytes()
    shown(project)
    for entry in entries(project):
        entry.write_bytes(b"{")
    shown(project)
    shown(project)
    assert tree(project / "facts") == facts
    assert (project / "briefgen.yaml").read_bytes() == config
    written = {p.relative_to(project).parts[0] for p in project.rglob("*") if p.is_file()}
    assert written == {"briefgen.yaml", "facts", CACHE_DIR}
    # Git ignores the cache even in a project whose .gitignore does not mention it.
    assert (project / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"


def test_entries_of_deleted_files_are_dropped(project: Path) -> None:
    shown(project)
    assert len(entries(project)) == 3
    (project / "facts/second.yaml").unlink()
    (project / "facts/third.yaml").write_text("facts: []\n")
    shown(project)
    assert len(entries(project)) == 3  # briefgen.yaml, main and third


def test_a_cache_folder_linking_out_of_the_project_is_left_alone(
    tmp_path: Path, parsed: list[str]
) -> None:
    root = minimal_project(tmp_path / "desk")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / CACHE_DIR).symlink_to(elsewhere)
    cold = shown(root)
    parsed.clear()
    assert shown(root) == cold
    assert len(parsed) == 2  # parsed every time: nothing read or written through the link
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
def test_two_validates_at_once_agree_and_leave_whole_entries(project: Path) -> None:
    """Two processes filling a cold cache at once: both report the same, and every
    entry left behind is whole (the last writer's) and used by the next run."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "briefgen", "validate"]
    for _ in range(3):
        runs = [
            subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in runs]
        for p in runs:
            if p.stderr:
                p.stderr.close()
        assert outputs[0] == outputs[1]
        assert outputs[0][0] == 1 and "unknown source 'nowhere'" in outputs[0][1]
        assert "Traceback" not in outputs[0][1]
        assert len(entries(project)) == 3
        for entry in entries(project):
            signed_entry(entry)
        leftovers = [p.name for p in (project / CACHE_DIR / PARSE_DIR).iterdir()]
        assert all(name.endswith(".json") for name in leftovers), leftovers
        for entry in entries(project):
            entry.unlink()  # cold again for the next round


def test_a_file_with_a_yaml_problem_is_not_kept(tmp_path: Path, parsed: list[str]) -> None:
    root = minimal_project(tmp_path / "desk", **{"facts/broken.yaml": "facts: [\n"})
    first = shown(root)
    assert any("facts/broken.yaml" in p for p in first)
    parsed.clear()
    assert shown(root) == first
    assert parsed == ["facts/broken.yaml"]  # reported from its parse, every time


class _Node:
    me: _Node


def test_what_a_load_freezes_is_collected_after_the_next_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading leaves its objects to the permanent generation (the collector would
    walk them for nothing); a later load hands them back and, once the process has
    grown, collects, so a long `serve` that loads again and again frees what it has
    moved on from."""
    root = minimal_project(tmp_path / "desk")
    node = _Node()
    node.me = node  # a cycle: only the collector can free it
    ref = weakref.ref(node)
    load_project(root)
    assert gc.isenabled()
    del node
    gc.collect()
    assert ref() is not None  # frozen by the load
    monkeypatch.setattr(load, "_baseline", 1)  # as if the process had grown
    load_project(root)
    assert ref() is None


def test_a_load_in_a_process_that_has_not_grown_makes_no_full_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full collection walks every object in the process: made on every load, it
    quadrupled the CPU time of the test suite, which loads a thousand projects."""
    root = minimal_project(tmp_path / "desk")
    full: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(seen)  # the collector reads this very list
    try:
        load_project(root)
        monkeypatch.setattr(load, "_baseline", sys.getallocatedblocks())  # it has not grown
        full.clear()
        # Counting the frozen objects walks them all (22 ms a call in the test
        # suite's process): a load that makes no full collection never asks.
        counted: list[int] = []
        count = gc.get_freeze_count
        monkeypatch.setattr(gc, "get_freeze_count", lambda: counted.append(1) or count())
        load_project(root)
        load_project(root)
    finally:
        gc.callbacks.remove(seen)
    assert full == []
    assert counted == []
