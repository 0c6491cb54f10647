"""Sharding: which briefings job K of N builds, so a desk can spread a build over N machines.

Every job of a CI matrix validates the whole project and computes the same
split from the same project, so the jobs never need to talk: each builds only
its own briefings, and together they build each briefing exactly once.

The split weighs each briefing by the facts it holds (layout time grows with
them) and is *bounded-load rendezvous hashing*: every briefing ranks the N
shards by a hash of its id and the shard's number and, taken in the order of
a hash of their ids, goes to the first shard in its ranking that stays under
a cap of 1.15 times an even share (or to the least loaded one, when none
does). So:

- it is deterministic: the same ids and fact counts give the same split on
  every machine and in any order (SHA-256, never Python's salted hash());
- it is balanced: no shard is more than 15 % over an even share unless a
  briefing added late finds every shard full, and then it is at most one
  briefing over (measured on random desks of 20 to 100 briefings: 10-14 %
  over on average, 17 % at worst);
- it is stable: a briefing goes where its own hash sends it, not where a
  running count happens to be, so adding a briefing leaves almost every other
  where it was (2 % of them move at 60 or 100 briefings, 12 % at 20), and a
  CI cache of each shard's output/ stays warm.

Greedy largest-first into the least loaded shard balances better (0-2 %
over), but a briefing added anywhere in its order can move every later one:
a third of them moved in the same measurement (tests/test_shard.py). Plain
rendezvous hashing moves none but ignores size, and with tens of briefings
leaves shards far apart. The cap trades a few percent of balance for stability.
"""

from __future__ import annotations

import hashlib
import re

SLACK = 1.15  # a shard may take up to this much more than an even share
_SHARD = re.compile(r"([0-9]+)/([0-9]+)")


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4). Raises ValueError, worded for the user, for anything else."""
    match = _SHARD.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"'{text}' is not K/N: write the shard's number and the count, e.g. 2/4")
    k, n = int(match.group(1)), int(match.group(2))
    if n < 1 or not 1 <= k <= n:
        raise ValueError(f"'{text}': K must be from 1 to N, and N at least 1, e.g. 2/4")
    return k, n


def split(weights: dict[str, int], n: int) -> list[list[str]]:
    """The ids of `weights` ({briefing id: facts}) in `n` shards, each in the order
    given; shard K of a matrix is `split(...)[K - 1]`."""
    if n < 1:
        raise ValueError("n must be at least 1")
    sized = {item: max(weight, 1) for item, weight in weights.items()}  # an empty one costs too
    total = sum(sized.values())
    cap = max(SLACK * total / n, max(sized.values(), default=0))
    loads = [0] * n
    home: dict[str, int] = {}
    # In the order of their own hashes, not of their sizes: a new briefing then
    # changes the loads only that much, and the others mostly keep their shard.
    # Only a briefing larger than an even share goes first, to a shard of its own.
    share = total / n
    for item in sorted(sized, key=lambda i: (sized[i] <= share, _score(i, -1))):
        ranking = sorted(range(n), key=lambda shard: _score(item, shard), reverse=True)
        fits = [shard for shard in ranking if loads[shard] + sized[item] <= cap]
        # None fits only when the cap is nearly reached everywhere: the least loaded
        # then, and among equals the one the item ranks first.
        chosen = fits[0] if fits else min(ranking, key=lambda shard: loads[shard])
        loads[chosen] += sized[item]
        home[item] = chosen
    return [[item for item in weights if home[item] == shard] for shard in range(n)]


def _score(item: str, shard: int) -> int:
    digest = hashlib.sha256(f"{item}\0{shard}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big")


def imbalance(weights: dict[str, int], shards: list[list[str]]) -> float:
    """The largest shard's facts over an even share (1.0 is perfect)."""
    loads = [sum(max(weights[i], 1) for i in shard) for shard in shards]
    even = sum(loads) / len(loads) if loads else 0
    return max(loads) / even if even else 1.0
