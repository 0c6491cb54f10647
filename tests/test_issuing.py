"""Issued editions (`briefgen issue`): the record of an issue, a changed rebuild
refused with nothing written, a correction, Changes since the latest issued
edition; judgments matched by id; `diff` as a Unix tool."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from helpers import REPO, run
from projects import Data, briefing, config, fact, sheet, write_tree

HTML = "output/brief.html"
RECORD = "editions/brief/2024-11-25.json"


def judgment(text: str, **keys: Any) -> Data:
    return {"text": text, "confidence": "moderate", "based_on": ["missiles"], **keys}


def write(root: Path, edition: str = "2024-11-25", quantity: str = "two", **keys: Any) -> None:
    facts = [
        fact(
            "missiles", "Russia delivers missiles", text=f"Russia delivered {quantity} batteries."
        ),
        fact("troops", "North Korea sends troops"),
    ]
    brief = briefing(edition=edition, formats=["html", "json"], **keys)
    write_tree(
        root, {"briefgen.yaml": config(briefings=[brief]), "facts/main.yaml": sheet(facts=facts)}
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("output", "editions")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def record(root: Path, edition: str = "2024-11-25") -> dict[str, Any]:
    data = json.loads((root / f"editions/brief/{edition}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def hashes(root: Path) -> dict[str, dict[str, Any]]:
    return {
        name: {
            "sha256": hashlib.sha256((root / name).read_bytes()).hexdigest(),
            "bytes": len((root / name).read_bytes()),
        }
        for name in ("output/brief.html", "output/brief.json")
    }


def test_an_issued_edition_is_frozen_and_a_correction_keeps_what_it_replaced(
    tmp_path: Path,
) -> None:
    root = tmp_path / "p"
    write(root)
    # Before issuing, build writes the record as always, without an issue.
    assert run("build", "--project", root).exit_code == 0
    assert "issued" not in record(root)

    result = run("issue", "--project", root, "--at", "2024-11-26")
    assert result.exit_code == 0, result.output
    issued = hashes(root)
    assert record(root)["issued"] == {"at": "2024-11-26", "outputs": issued, "corrections": []}
    assert record(root)["record_version"] == 4

    # The same facts build again, and issue again, without a word of complaint.
    assert run("build", "--project", root).exit_code == 0
    assert run("issue", "--project", root, "--at", "2024-11-30").exit_code == 0
    assert record(root)["issued"]["at"] == "2024-11-26"

    # A changed fact under the same edition: refused at `edition:`, nothing written.
    write(root, quantity="three")
    before = snapshot(root)
    message = (
        "briefgen.yaml:9:14: error: edition 2024-11-25 of 'brief' was issued on 2024-11-26; "
        "its facts have changed since: set a new edition date, or issue a correction "
        '(a correction: briefgen issue brief --correction "REASON")'
    )
    for command in ("build", "issue"):
        result = run(command, "--project", root, "--force")
        assert result.exit_code == 1
        assert result.output.splitlines()[0] == message
        assert snapshot(root) == before

    # A correction: the earlier hashes kept with the reason and the date.
    reason = "three batteries, not two"
    result = run("issue", "--project", root, "--correction", reason, "--at", "2024-11-28")
    assert result.exit_code == 0, result.output
    corrected = hashes(root)
    assert corrected != issued
    assert record(root)["issued"] == {
        "at": "2024-11-26",
        "outputs": corrected,
        "corrections": [{"at": "2024-11-28", "reason": reason, "replaced": issued}],
    }
    page = (root / HTML).read_text(encoding="utf-8")
    assert f'<p class="correction"><strong>Corrected edition:</strong> {reason}</p>' in page
    # A later build keeps the correction on the page: nothing to render again.
    result = run("build", "--project", root)
    assert result.exit_code == 0, result.output
    assert "up to date: output/brief.html" in result.output
    assert hashes(root) == corrected


def test_a_correction_needs_an_issued_edition_that_changed(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root)
    result = run("issue", "--project", root, "--correction", "why", "--at", "2024-11-26")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "briefgen.yaml:9:14: error: edition 2024-11-25 of 'brief' has not been issued, so "
        "there is nothing to correct (issue it first: briefgen issue brief)"
    )
    assert not (root / "output").exists()
    assert run("issue", "--project", root, "--at", "2024-11-26").exit_code == 0
    result = run("issue", "--project", root, "--correction", "why", "--at", "2024-11-27")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "briefgen.yaml:9:14: error: edition 2024-11-25 of 'brief' has not changed since it "
        "was issued on 2024-11-26; there is nothing to correct"
    )
    result = run("issue", "--project", root, "--at", "26 Nov")
    assert result.exit_code == 2
    assert "--at 26 Nov:" in result.output


def test_changes_since_the_latest_issued_edition(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root)
    assert run("issue", "--project", root, "--at", "2024-11-25").exit_code == 0
    write(root, edition="2024-12-01", quantity="three")  # built, never issued
    assert run("build", "--project", root).exit_code == 0
    write(root, edition="2024-12-10", quantity="four")
    assert run("build", "--project", root).exit_code == 0
    page = (root / HTML).read_text(encoding="utf-8")
    assert "Changes since 25 November 2024" in page
    assert "Compared with the edition of" in page
    assert "editions/brief/2024-11-25.json" not in page  # a reader sees no file paths


def test_a_version_2_record_is_still_read(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root)
    assert run("build", "--project", root).exit_code == 0
    data = record(root)
    old = {k: v for k, v in data.items() if k not in ("summary", "digest")}
    old["record_version"] = 2
    from briefgen.records import record_digest

    old["digest"] = record_digest(old)
    (root / RECORD).write_text(json.dumps(old, indent=2), encoding="utf-8")
    write(root, edition="2024-12-10", quantity="three")
    assert run("build", "--project", root).exit_code == 0
    assert "Changes since 25 November 2024" in (root / HTML).read_text(encoding="utf-8")


def test_judgments_are_matched_by_id_and_show_their_old_wording(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, judgments=[judgment("Russia pays for troops with missiles.", id="pay")])
    assert run("build", "--project", root).exit_code == 0
    assert record(root)["judgments"][0]["id"] == "pay"
    # Reworded beyond recognition, and its confidence changed: the same judgment, by id.
    new = judgment("Pyongyang is being compensated in air defence.", id="pay", confidence="high")
    write(
        root, edition="2024-12-10", judgments=[new], summary="Now with a summary.", title="Renamed"
    )
    result = run("diff", "brief", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "brief: changes from the edition of 2024-11-25 to the current facts",
        "Briefing changed (1):",
        "      title revised, was “A briefing”",
        "      summary added",
        "Judgments changed (1):",
        "  ~ 1. Pyongyang is being compensated in air defence.",
        "      text revised, was “Russia pays for troops with missiles.”",
        "      confidence moderate → high",
    ]
    data = json.loads(run("diff", "brief", "--project", root, "--format", "json").output)
    assert data["judgments_added"] == data["judgments_withdrawn"] == []
    assert data["judgments_changed"][0]["changes"][0] == {
        "field": "text",
        "before": "Russia pays for troops with missiles.",
        "after": "Pyongyang is being compensated in air defence.",
        "text": "text revised, was “Russia pays for troops with missiles.”",
    }
    assert data["briefing_changed"][0]["field"] == "title"
    assert run("build", "--project", root).exit_code == 0
    page = (root / HTML).read_text(encoding="utf-8")
    assert "<li>text revised, was “Russia pays for troops with missiles.”</li>" in page
    assert "<li>title revised, was “A briefing”</li>" in page
    # Then the summary changes between two recorded editions.
    write(root, edition="2024-12-20", judgments=[new], summary="Another summary.", title="Renamed")
    assert run("build", "--project", root).exit_code == 0
    result = run("diff", "brief", "--project", root, "--from", "2024-12-10", "--to", "2024-12-20")
    assert result.output.splitlines()[1:] == [
        "Briefing changed (1):",
        "      summary revised, was “Now with a summary.”",
    ]


def test_from_later_than_to_is_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root)
    assert run("build", "--project", root).exit_code == 0
    result = run("diff", "brief", "--project", root, "--from", "2024-12-10", "--to", "2024-11-25")
    assert result.exit_code == 2
    assert result.output == (
        "Error: --from 2024-12-10 is later than --to 2024-11-25; name the earlier edition "
        "with --from\n"
    )


def _closed_pipe(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """Run briefgen with a stdout whose reader has already gone."""
    read, write_end = os.pipe()
    os.close(read)
    try:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        return subprocess.run(
            [sys.executable, "-m", "briefgen", *map(str, args)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)


def test_a_closed_pipe_is_a_quiet_exit_for_every_command(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root)
    assert run("build", "--project", root).exit_code == 0
    write(root, edition="2024-12-10", quantity="three")
    for args in (("diff", "brief"), ("validate",), ("schema", "config")):
        done = (
            _closed_pipe(*args, "--project", root) if args[0] != "schema" else _closed_pipe(*args)
        )
        assert done.returncode in (0, 141), done
        assert done.stderr == b""


def test_diff_piped_into_head(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root)
    assert run("build", "--project", root).exit_code == 0
    write(root, edition="2024-12-10", quantity="three")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    python = re.sub(r"'", "", sys.executable)
    done = subprocess.run(
        f"set -o pipefail; '{python}' -m briefgen diff brief --project '{root}' | head -1",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode in (0, 141)
    assert done.stdout == b"brief: changes from the edition of 2024-11-25 to the current facts\n"
    assert done.stderr == b""


def test_diff_starts_from_the_latest_issued_edition_as_the_changes_section_does(
    tmp_path: Path,
) -> None:
    root = tmp_path / "p"
    write(root)
    assert run("issue", "--project", root, "--at", "2024-11-25").exit_code == 0
    # A later edition built (recorded) but never issued, and the facts changed again.
    write(root, edition="2024-12-10", quantity="three")
    assert run("build", "--project", root).exit_code == 0
    write(root, edition="2024-12-20", quantity="four")

    def from_edition(*args: str) -> str:
        result = run("diff", "brief", "--project", root, *args, "--format", "json")
        assert result.exit_code == 0, result.output
        found = json.loads(result.output)["from"]
        assert isinstance(found, str)
        return found

    # Not the latest record (2024-12-10): the latest issued edition.
    assert from_edition() == "2024-11-25"
    result = run("diff", "brief", "--project", root)
    assert result.output.splitlines()[0] == (
        "brief: changes from the edition of 2024-11-25 to the current facts"
    )
    assert run("build", "--project", root).exit_code == 0
    assert "Changes since 25 November 2024" in (root / HTML).read_text(encoding="utf-8")
    # --to alone: the latest issued edition before it, whose changes its page shows.
    assert from_edition("--to", "2024-12-20") == "2024-11-25"
    assert from_edition("--to", "2024-12-10") == "2024-11-25"
    # --from still names any recorded edition.
    assert from_edition("--from", "2024-12-10") == "2024-12-10"
    # Once a later edition is issued, it is the one compared from.
    assert run("issue", "--project", root, "--at", "2024-12-20").exit_code == 0
    assert from_edition() == "2024-12-20"
    assert from_edition("--to", "2024-12-20") == "2024-11-25"


def test_the_json_carries_the_correction_and_the_briefings_own_changes(tmp_path: Path) -> None:
    root = tmp_path / "p"

    def document() -> dict[str, Any]:
        data = json.loads((root / "output/brief.json").read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    write(root)
    assert run("issue", "--project", root, "--at", "2024-11-25").exit_code == 0
    assert (document()["correction"], document()["correction_date"]) == (None, None)
    write(root, quantity="three")
    reason = "three batteries, not two"
    result = run("issue", "--project", root, "--correction", reason, "--at", "2024-11-28")
    assert result.exit_code == 0, result.output
    assert (document()["correction"], document()["correction_date"]) == (reason, "2024-11-28")
    # The next edition, with the briefing's own title and summary revised.
    write(root, edition="2024-12-10", quantity="three", title="Renamed", summary="New.")
    assert run("build", "--project", root).exit_code == 0
    data = document()
    assert (data["correction"], data["correction_date"]) == (None, None)
    changes = data["changes"]
    assert (changes["since_iso"], changes["title_changed"], changes["summary_changed"]) == (
        "2024-11-25",
        True,
        True,
    )
    assert [c["field"] for c in changes["briefing_changed"]] == ["title", "summary"]
    write(root, edition="2024-12-10", quantity="three", title="A briefing", summary="New.")
    assert run("build", "--project", root).exit_code == 0
    assert (document()["changes"]["title_changed"], document()["changes"]["summary_changed"]) == (
        False,
        True,
    )
