"""The travel-time matrix between every active shelter and every base, for one travel profile.

The resupply planner walks its runs over this matrix. Each entry is the fastest route from one point
to another within the chakra budget (each leg on its own budget), found by the same exact search as
`refuge nearest`; a pair with no route within the budget (an island with no chakra to cross the
lake) has no entry. Building it takes one search per point (with chakra to spend, and where those stop
at their cap, a search towards each of a few goals besides: see `build`), so the result is cached in the database,
keyed by the terrain's digest, the profile, the chakra budget and the points' positions: importing a
new terrain, moving, adding or closing a shelter, or changing the travel model makes a new one.
Clearance only decides which rows and columns a viewer sees; the cached matrix holds them all.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime

from refuge.domain.network import Place, Shelter, ShelterStatus
from refuge.terrain.chakra_free import FreeSearcher
from refuge.terrain.search import MAX_ENTRIES, Reach, Searcher
from refuge.terrain.travel import MoveCosts

#: Reported after each origin's search, and each goal searched for apart: (steps done, steps in all; the
#: second grows when searches give up at their cap and goals are searched for apart).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MatrixPoint:
    key: str  # a shelter's code or a base's name
    kind: str  # "shelter" or "base"
    name: str
    x: float
    y: float
    clearance: int  # bases are known to everyone: 0


@dataclass(frozen=True)
class TravelMatrix:
    profile: str
    chakra: float
    points: list[MatrixPoint]
    #: seconds[i][j]: the fastest time from points[i] to points[j]; None where there is no route.
    seconds: list[list[float | None]]
    distance_m: list[list[float | None]]
    chakra_used: list[list[float | None]]
    terrain_digest: str
    built_at: datetime
    build_seconds: float
    #: True when read from the database's cache rather than built for this question.
    cached: bool = False
    #: False when a search towards one goal gave up at its cap too (see `build`): that pair's entry is the
    #: fastest route spending no chakra (none if there is none), and a faster one within the budget may
    #: exist. Such a matrix is never cached.
    complete: bool = True

    def index(self, key: str) -> int:
        for i, point in enumerate(self.points):
            if point.key == key:
                return i
        raise KeyError(key)

    def time_s(self, origin: str, goal: str) -> float | None:
        return self.seconds[self.index(origin)][self.index(goal)]

    def restricted(self, keep: Callable[[MatrixPoint], bool]) -> TravelMatrix:
        """The same matrix with only the points `keep` accepts (rows and columns alike)."""
        chosen = [i for i, point in enumerate(self.points) if keep(point)]

        def cut(grid: list[list[float | None]]) -> list[list[float | None]]:
            return [[grid[i][j] for j in chosen] for i in chosen]

        return replace(self, points=[self.points[i] for i in chosen], seconds=cut(self.seconds),
                       distance_m=cut(self.distance_m), chakra_used=cut(self.chakra_used))

    def payload(self) -> dict:  # type: ignore[type-arg]
        """What the cache stores (JSON)."""
        return {
            "points": [[p.key, p.kind, p.name, p.x, p.y, p.clearance] for p in self.points],
            "seconds": self.seconds, "distance_m": self.distance_m, "chakra_used": self.chakra_used,
            "build_seconds": self.build_seconds,
        }

    @classmethod
    def from_payload(cls, payload: dict, profile: str, chakra: float, terrain_digest: str,  # type: ignore[type-arg]
                     built_at: datetime) -> TravelMatrix:
        return cls(profile, chakra, [MatrixPoint(*row) for row in payload["points"]], payload["seconds"],
                   payload["distance_m"], payload["chakra_used"], terrain_digest, built_at,
                   float(payload["build_seconds"]), cached=True)


def matrix_points(shelters: Iterable[Shelter], places: Iterable[Place]) -> list[MatrixPoint]:
    """Every base, then every active shelter, in a stable order."""
    bases = [MatrixPoint(p.name, "base", p.name, p.x, p.y, 0) for p in places if p.is_base]
    active = [MatrixPoint(s.code, "shelter", s.name, s.x, s.y, s.clearance)
              for s in sorted(shelters, key=lambda s: s.code) if s.status is ShelterStatus.ACTIVE]
    return bases + active


def points_digest(points: list[MatrixPoint]) -> str:
    """What the matrix's cells depend on besides the terrain: which points, and where."""
    return hashlib.sha256(json.dumps([[p.key, p.kind, p.x, p.y] for p in points]).encode()).hexdigest()


def build(costs: MoveCosts, cells: list[tuple[int, int]], points: list[MatrixPoint], profile: str, chakra: float,
          terrain_digest: str, now: datetime, progress: Progress | None = None,
          max_entries: int = MAX_ENTRIES, goal_entries: int = MAX_ENTRIES) -> TravelMatrix:
    """One exact search from each point to all the others, within `chakra` on each leg; where one gives
    up at its cap (`max_entries`, see `Searcher`) before reaching every point, the pairs left are found
    from the other end or by a search towards one goal (capped at `goal_entries`)."""
    started = time.perf_counter()
    n = len(points)
    seconds: list[list[float | None]] = [[None] * n for _ in range(n)]
    distance: list[list[float | None]] = [[None] * n for _ in range(n)]
    used: list[list[float | None]] = [[None] * n for _ in range(n)]
    free = threading.local()
    if FreeSearcher(costs).affords_nothing(chakra):  # no move that costs chakra is affordable

        def from_point(i: int) -> list[Reach]:
            if not hasattr(free, "searcher"):
                free.searcher = FreeSearcher(costs)  # one per thread: each holds its own scratch space
            return free.searcher.search(cells[i], dict(enumerate(cells)))

        # The compiled search releases the interpreter's lock, so the origins run side by side.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for i, reaches in enumerate(pool.map(from_point, range(n))):
                for reach in reaches:
                    j = int(reach.key)  # type: ignore[call-overload]
                    seconds[i][j], distance[i][j], used[i][j] = round(reach.time_s, 1), round(reach.distance_m, 1), 0.0
                if progress:
                    progress(i + 1, n)
        return TravelMatrix(profile, chakra, points, seconds, distance, used, terrain_digest, now,
                            round(time.perf_counter() - started, 3))
    searcher = Searcher(costs, dict(enumerate(cells)), listed=False, max_entries=max_entries)  # all at once
    unknown: set[tuple[int, int]] = set()  # (origin, goal) pairs a search gave up on before reaching
    steps = n
    for i, cell in enumerate(cells):
        reaches: list[Reach] = searcher.search(cell, chakra)
        found = {int(reach.key) for reach in reaches}  # type: ignore[call-overload]
        for reach in reaches:
            _put(seconds, distance, used, i, int(reach.key), reach)  # type: ignore[call-overload]
        if not searcher.last_complete:
            unknown |= {(i, j) for j in range(n) if j != i and j not in found}
        seconds[i][i], distance[i][i], used[i][i] = 0.0, 0.0, 0.0
        if progress:
            progress(i + 1, steps)
    # A move costs the same time and chakra either way, so the way back from j to i is a way from i to j:
    # where the search from j was complete (or reached i), the pair is known.
    known_back = {(i, j) for i, j in unknown if (j, i) not in unknown}
    for i, j in known_back:
        seconds[i][j], distance[i][j], used[i][j] = seconds[j][i], distance[j][i], used[j][i]
    unknown -= known_back
    # The rest, each a search of its own towards one goal (bounds exact for that goal), as `refuge route`
    # searches: as few goals as cover every pair left, each pair searched once for both directions.
    covers = _covering_goals({frozenset(pair) for pair in unknown})
    steps += len(covers)
    complete = True
    for done, (goal, origins) in enumerate(covers, start=1):
        single = Searcher(costs, {goal: cells[goal]}, max_entries=goal_entries)
        for i in origins:
            reach = single.route(cells[i], goal, chakra)
            if reach is None and not single.last_complete:
                # It gave up too: the fastest way spending no chakra (within any budget) stands in, and
                # the matrix says it is not exact.
                complete, reach = False, next(iter(FreeSearcher(costs).search(cells[i], {goal: cells[goal]}, 1)),
                                              None)
            if reach is not None:
                _put(seconds, distance, used, i, goal, reach)
                _put(seconds, distance, used, goal, i, reach)
        if progress:
            progress(n + done, steps)
    return TravelMatrix(profile, chakra, points, seconds, distance, used, terrain_digest, now,
                        round(time.perf_counter() - started, 3), complete=complete)


def _put(seconds: list[list[float | None]], distance: list[list[float | None]], used: list[list[float | None]],
         i: int, j: int, reach: Reach) -> None:
    seconds[i][j], distance[i][j], used[i][j] = round(reach.time_s, 1), round(reach.distance_m, 1), reach.chakra


def _covering_goals(pairs: set[frozenset[int]]) -> list[tuple[int, list[int]]]:
    """Goals that between them end every pair (a point in the most pairs left first), each with the other
    ends of its pairs."""
    left, covers = set(pairs), []
    while left:
        count: dict[int, int] = {}
        for pair in left:
            for point in pair:
                count[point] = count.get(point, 0) + 1
        goal = max(sorted(count), key=count.__getitem__)
        ends = sorted(next(iter(pair - {goal})) for pair in left if goal in pair)
        covers.append((goal, ends))
        left = {pair for pair in left if goal not in pair}
    return covers
