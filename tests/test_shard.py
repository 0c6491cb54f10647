"""build --shard K/N: every briefing in exactly one shard, in balance, and stable."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import run
from projects import briefing, project, section

from briefgen.cache import CACHE_NAME
from briefgen.shard import SLACK, imbalance, parse_shard, split


@pytest.mark.parametrize(
    ("text", "expected"), [("1/1", (1, 1)), ("2/4", (2, 4)), ("10/12", (10, 12))]
)
def test_a_shard_is_k_of_n(text: str, expected: tuple[int, int]) -> None:
    assert parse_shard(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0/2", "'0/2': K must be from 1 to N, and N at least 1, e.g. 2/4"),
        ("3/2", "'3/2': K must be from 1 to N, and N at least 1, e.g. 2/4"),
        ("1/0", "'1/0': K must be from 1 to N, and N at least 1, e.g. 2/4"),
        ("2", "'2' is not K/N: write the shard's number and the count, e.g. 2/4"),
        ("-1/2", "'-1/2' is not K/N: write the shard's number and the count, e.g. 2/4"),
        ("a/b", "'a/b' is not K/N: write the shard's number and the count, e.g. 2/4"),
    ],
)
def test_a_bad_shard_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(") + "$"):
        parse_shard(text)
    result = run("build", "--project", tmp_path, "--shard", text)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--shard': {message}"


def weights_of(count: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    return {f"brief-{seed}-{i:03d}": rng.randint(5, 400) for i in range(count)}


@pytest.mark.parametrize(("count", "n"), [(1, 1), (3, 4), (6, 2), (20, 4), (60, 4), (100, 8)])
def test_each_briefing_is_in_exactly_one_shard_and_the_same_one_every_time(
    count: int, n: int
) -> None:
    weights = weights_of(count, seed=count)
    shards = split(weights, n)
    assert len(shards) == n
    assert sorted(i for shard in shards for i in shard) == sorted(weights)
    for shard in shards:  # in the order given, so a shard builds as the whole would
        assert shard == [i for i in weights if i in shard]
    reordered = dict(reversed(list(weights.items())))
    assert [sorted(s) for s in split(reordered, n)] == [sorted(s) for s in shards]


@pytest.mark.parametrize(("count", "n"), [(20, 4), (60, 4), (100, 8)])
def test_shards_are_in_balance_by_facts(count: int, n: int) -> None:
    ratios = []
    for seed in range(20):
        weights = weights_of(count, seed)
        shards = split(weights, n)
        loads = [sum(weights[i] for i in shard) for shard in shards]
        even = sum(loads) / n
        # Over the cap by at most one briefing, when a late one finds every shard full.
        assert max(loads) <= SLACK * even + max(weights.values())
        ratios.append(imbalance(weights, shards))
    assert sum(ratios) / len(ratios) <= SLACK


def test_one_briefing_larger_than_a_share_has_a_shard_to_itself() -> None:
    weights = {"huge": 1000, "a": 10, "b": 10, "c": 10}
    shards = split(weights, 2)
    assert ["huge"] in shards
    assert sorted(["a", "b", "c"]) in [sorted(s) for s in shards]


def greedy(weights: dict[str, int], n: int) -> list[list[str]]:
    """Largest first into the least loaded shard: the usual split, for comparison."""
    loads, home = [0] * n, {}
    for item in sorted(weights, key=lambda i: (-weights[i], i)):
        home[item] = min(range(n), key=lambda shard: (loads[shard], shard))
        loads[home[item]] += weights[item]
    return [[i for i in weights if home[i] == shard] for shard in range(n)]


def moved_by_adding_one(
    how: Callable[[dict[str, int], int], list[list[str]]], count: int, n: int
) -> float:
    moved = 0
    for seed in range(20):
        weights = weights_of(count, seed)
        before = {i: k for k, shard in enumerate(how(weights, n)) for i in shard}
        added = {**weights, "new": random.Random(seed).randint(5, 400)}
        after = {i: k for k, shard in enumerate(how(added, n)) for i in shard}
        moved += sum(before[i] != after[i] for i in weights)
    return moved / (20 * count)


@pytest.mark.parametrize(("count", "n"), [(20, 4), (60, 4), (100, 8)])
def test_adding_a_briefing_moves_few_others(count: int, n: int) -> None:
    ours, usual = moved_by_adding_one(split, count, n), moved_by_adding_one(greedy, count, n)
    assert ours < 0.15
    assert ours < usual / 2.5  # greedy moves about a third here


def desk(root: Path, ids: list[str]) -> Path:
    """The minimal project's sheet, read by one briefing of each id."""
    briefings = [briefing(i, f"Briefing {i}", formats=["html"]) for i in ids]
    return project(root, sections=[section("aid-flows", "Aid flows")], briefings=briefings)


def test_the_shards_together_build_every_briefing_once(tmp_path: Path) -> None:
    ids = ["alpha", "bravo", "charlie", "delta", "echo"]
    whole = desk(tmp_path / "whole", ids)
    built: list[str] = []
    for k in (1, 2, 3):
        result = run("build", "--project", whole, "--shard", f"{k}/3", "--force")
        assert result.exit_code == 0, result.output
        built += result.stdout.split()
    assert sorted(built) == sorted(f"output/{i}.html" for i in ids)
    written = sorted(p.name for p in (whole / "output").iterdir() if p.name != CACHE_NAME)
    assert written == sorted(f"{i}.html" for i in ids)


def test_a_shard_with_nothing_to_build_says_so(tmp_path: Path) -> None:
    root = desk(tmp_path, ["only"])
    results = [run("build", "--project", root, "--shard", f"{k}/2") for k in (1, 2)]
    assert [r.exit_code for r in results] == [0, 0]
    assert sorted(r.stdout for r in results) == ["", "output/only.html\n"]
    empty = next(r for r in results if not r.stdout)
    assert empty.stderr.splitlines()[-1].endswith("has no briefing to build")
