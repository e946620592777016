"""Use cases of field navigation: the nearest usable shelter, a route, the travel-time matrix.

A `Navigator` keeps the terrain's cost grids and route searchers warm between questions (the API
holds one for its lifetime); it reloads them when the stored terrain changes.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import numpy as np
from sqlalchemy.exc import IntegrityError

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.errors import InvalidInput
from refuge.domain.network import Category, Place, Shelter, ShelterStatus, parse_choice
from refuge.domain.people import Person, PersonCondition
from refuge.domain.values import utc_now
from refuge.services.clock import end_of
from refuge.services.matrix import Progress, TravelMatrix, build, matrix_points, points_digest
from refuge.store import ledger as ledger_store
from refuge.store import register as register_store
from refuge.store import terrain as terrain_store
from refuge.store.database import Database
from refuge.terrain.bounds_cache import BoundsCache
from refuge.terrain.chakra_free import FreeSearcher
from refuge.terrain.gridref import format_gridref, looks_like_position, parse_position
from refuge.terrain.search import Reach, Searcher, bearing_deg, passable, turning_points
from refuge.terrain.travel import MoveCosts, move_costs, parse_travel_model

#: Route searchers kept warm for single destinations (each holds bounds over the whole grid).
ROUTE_SEARCHERS = 8
#: How far from the route its waypoints' straight lines may stray.
WAYPOINT_TOLERANCE_M = 250.0
NO_TERRAIN = "this network has no terrain yet; load the demo (`refuge demo`) or import a land-cover raster"


@dataclass(frozen=True)
class Viewer:
    """Who is asking: what they may see, how they can travel, how much chakra they have."""

    clearance: int
    profile: str
    chakra: float
    person: Person | None


@dataclass(frozen=True)
class Leg:
    """One way from here to there: its length, time, chakra, the first bearing and its turning points."""

    distance_m: float
    time_s: float
    chakra: float
    bearing_deg: float
    route: list[tuple[float, float]]
    modes: list[str]


@dataclass(frozen=True)
class Destination:
    shelter: Shelter
    gridref: str
    leg: Leg
    holds: dict[str, list[tuple[str, str, Decimal]]]


@dataclass(frozen=True)
class Waypoint:
    """A point of a route drawn simply enough to follow by compass: where to make for next."""

    gridref: str
    x: float
    y: float
    bearing_deg: float  # from the point before
    distance_m: float  # straight from the point before


@dataclass(frozen=True)
class Route:
    origin: str
    goal: str
    start: tuple[float, float]
    end: tuple[float, float]
    start_gridref: str
    end_gridref: str
    viewer: Viewer
    leg: Leg
    #: False when the search gave up at its cap: the leg is then the fastest way spending no
    #: chakra, and a faster one spending chakra may exist.
    complete: bool = True
    #: The leg's turning points drawn within `WAYPOINT_TOLERANCE_M` of it, from the start to the end.
    way: list[Waypoint] = field(default_factory=list)
    #: What the traveller should know of the ends: a shelter that is closed or compromised.
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Nearest:
    x: float
    y: float
    gridref: str
    viewer: Viewer
    needs: list[str]
    destinations: list[Destination]
    #: False when the search gave up before settling every shelter asked for: those listed are exact,
    #: but a slower one within the budget may be missing.
    complete: bool = True
    #: The land class at the start when it is water (which only chakra crosses), else None.
    on_water: str | None = None


class Navigator:
    """`keep_trees`: for a server, keep a shortest-path tree per shelter and profile (a byte per cell) and
    answer questions with no chakra to spend by walking down them, instead of searching each time.
    `cache_dir`: keep the route searches' bounds on disk there, so that a question with chakra to spend
    builds them only the first time (None or empty: build them in memory for each new searcher).
    `notice`: told, before work that takes seconds, what is being prepared."""

    def __init__(self, db: Database, keep_trees: bool = False, cache_dir: str | None = None,
                 notice: Callable[[str], None] | None = None) -> None:
        self.db = db
        self.keep_trees = keep_trees
        self.cache = BoundsCache(cache_dir) if cache_dir else None
        self.notice = notice
        self._digest: str | None = None
        self._stored: terrain_store.StoredTerrain | None = None
        self._costs: dict[str, MoveCosts] = {}
        self._searchers: dict[tuple[str, str], Searcher] = {}
        self._building = threading.Lock()
        self._free: dict[str, FreeSearcher] = {}
        self._route_searchers: OrderedDict[tuple[str, tuple[int, int]], Searcher] = OrderedDict()

    def nearest(self, at: str, needs: list[str] | None = None, chakra: float | None = None,
                profile: str | None = None, as_person: str | None = None, limit: int | None = 5,
                now: datetime | None = None, clearance: int | None = None) -> Nearest:
        """The shelters the viewer may know of and can reach from `at` within their chakra, fastest first,
        holding something usable of every need; each with distance, time, chakra, bearing and route.
        `clearance` bounds what the viewer may know, whoever they are (the signed-in person's own)."""
        now = now or utc_now()
        if limit is not None and limit <= 0:
            raise InvalidInput(f"limit must be a positive number, not {limit}")
        wanted = [parse_choice(Category, need, "need").value for need in (needs or [])]
        with self.db.reading() as session:
            stored = self._terrain(session)
            viewer = _viewer(session, as_person, profile, chakra, clearance)
            free = self._free_searcher(stored, viewer.profile)
            # with chakra to spend, the searcher's targets are every shelter; the answer keeps to `allowed`
            every = [] if free.affords_nothing(viewer.chakra) else register_store.shelters(session)
            shelters = every or register_store.shelters(session, viewer.clearance)  # `allowed` keeps to the clearance
            # what the shelters hold is read only when the question names needs (7 ms of a question)
            stock = ledger_store.usable_stock(session, now.date(), end_of(now.date())) if wanted else {}
        x, y = parse_position(at, stored.terrain)
        start = _passable_cell(stored, self.costs(stored, viewer.profile), (x, y), "position")
        allowed = [s for s in shelters if s.status is ShelterStatus.ACTIVE and s.clearance <= viewer.clearance
                   and stored.terrain.contains(s.x, s.y)
                   and all(any(row[0] == need for row in stock.get(s.code, [])) for need in wanted)]
        by_code = {s.code: s for s in allowed}
        if free.affords_nothing(viewer.chakra):  # no chakra to spend: a plain shortest-path search is exact
            targets = {code: stored.terrain.cell_of(s.x, s.y) for code, s in by_code.items()}
            reaches = free.search_trees(start, targets, limit) if self.keep_trees else free.search(start, targets, limit)
            complete = True
        else:  # one searcher per profile over every shelter on the map; it answers among the allowed ones
            searcher = self._searcher(stored, viewer.profile, every)
            reaches, complete = searcher.search(start, viewer.chakra, limit, among=by_code), searcher.last_complete
        ground = stored.terrain.land_class(int(stored.terrain.classes[start]))
        return Nearest(x, y, format_gridref(x, y, stored.terrain), viewer, wanted,
                       [self._destination(stored, (x, y), by_code[r.key], r, stock, wanted) for r in reaches],
                       complete, ground.name if ground.water else None)

    def route(self, origin: str, goal: str, chakra: float | None = None, profile: str | None = None,
              as_person: str | None = None, clearance: int | None = None) -> Route:
        """The fastest route between two shelters, places or positions the viewer may know of."""
        with self.db.reading() as session:
            stored = self._terrain(session)
            viewer = _viewer(session, as_person, profile, chakra, clearance)
            shelters = register_store.shelters(session, viewer.clearance)
            places = register_store.places(session)
        (start_xy, start_at), (end_xy, end_at) = (_resolve(end, shelters, places, stored) for end in (origin, goal))
        warnings = [_unsafe(shelter) for shelter in (start_at, end_at)
                    if shelter is not None and shelter.status is not ShelterStatus.ACTIVE]
        costs = self.costs(stored, viewer.profile)
        start = _passable_cell(stored, costs, start_xy, "start")
        end = _passable_cell(stored, costs, end_xy, "destination")
        free = self._free_searcher(stored, viewer.profile)
        complete = True
        if free.affords_nothing(viewer.chakra):
            reach = next(iter(free.search(start, {"goal": end}, 1)), None)  # one goal: searching beats a tree
        else:
            searcher = self._route_searcher(viewer.profile, costs, end)
            reach = searcher.route(start, "goal", viewer.chakra)
            if reach is None and not searcher.last_complete:
                # The search gave up at its cap: offer the fastest way that spends no chakra (it is
                # within the budget), and say that a faster one spending chakra may exist.
                complete, reach = False, next(iter(free.search(start, {"goal": end}, 1)), None)
                if reach is None:
                    raise InvalidInput(f"the route search from {origin} to {goal} gave up before finding a way "
                                       f"within {viewer.chakra:g} chakra, and there is none without chakra")
        if reach is None:
            raise InvalidInput(f"no route from {origin} to {goal} within {viewer.chakra:g} chakra "
                               f"({viewer.profile}); more chakra may open a way over water")
        terrain = stored.terrain
        leg = _leg(terrain, start_xy, end_xy, reach)
        return Route(origin, goal, start_xy, end_xy, format_gridref(*start_xy, terrain),
                     format_gridref(*end_xy, terrain), viewer, leg, complete, _way(terrain, start_xy, end_xy, leg),
                     warnings)

    def matrix(self, profile: str | None = None, chakra: float | None = None, as_person: str | None = None,
               rebuild: bool = False, progress: Progress | None = None, now: datetime | None = None,
               clearance: int | None = None) -> TravelMatrix:
        """Travel times between every base and active shelter on the map (walking, no chakra, unless told),
        from the database's cache when the terrain, travel model and points are unchanged. With
        `as_person`, only the shelters that person is cleared for appear; `clearance` bounds them too."""
        now = now or utc_now()
        profile = profile or "walking"
        check_chakra(chakra)
        chakra = 0.0 if chakra is None else float(chakra)
        with self.db.reading() as session:
            stored = self._terrain(session)
            costs = self.costs(stored, profile)  # refuses an unknown profile before any work
            own = register_store.person_row(session, as_person).clearance if as_person else None
            bounds = [c for c in (own, clearance) if c is not None]
            clearance = min(bounds) if bounds else None
            points = [p for p in matrix_points(register_store.shelters(session), register_store.places(session))
                      if stored.terrain.contains(p.x, p.y)]
            key = points_digest(points)
            cached = None if rebuild else terrain_store.cached_matrix(session, stored.digest, profile, chakra, key)
        if cached is not None:
            payload, built_at = cached
            matrix = TravelMatrix.from_payload(payload, profile, chakra, stored.digest, built_at)
        else:
            cells = [stored.terrain.cell_of(p.x, p.y) for p in points]
            matrix = build(costs, cells, points, profile, chakra, stored.digest, now, progress)
            if matrix.complete:
                try:
                    with self.db.writing() as session:
                        terrain_store.save_matrix(session, stored.digest, profile, chakra, key, matrix.payload(), now)
                except IntegrityError:
                    pass  # another request cached the same matrix meanwhile
        return matrix if clearance is None else matrix.restricted(lambda point: point.clearance <= clearance)

    def warm(self, profile: str = "walking") -> int:
        """Build the shortest-path trees of every active shelter for a profile ahead of the first question
        (a server does this at start); answers how many. Nothing to do without a terrain."""
        with self.db.reading() as session:
            if terrain_store.terrain_digest(session) is None:
                return 0
            stored = self._terrain(session)
            shelters = [s for s in register_store.shelters(session)
                        if s.status is ShelterStatus.ACTIVE and stored.terrain.contains(s.x, s.y)]
        free = self._free_searcher(stored, profile)
        for shelter in shelters:
            free.tree(stored.terrain.cell_of(shelter.x, shelter.y))
        return len(shelters)

    def warm_search(self, profile: str = "running") -> int:
        """Build a profile's route searcher (its bounds over every shelter on the map) ahead of the first
        question with chakra to spend; answers how many shelters it covers. Nothing to do without a terrain."""
        with self.db.reading() as session:
            if terrain_store.terrain_digest(session) is None:
                return 0
            stored = self._terrain(session)
            every = register_store.shelters(session)
        return len(self._searcher(stored, profile, every).keys)

    # --- caches -------------------------------------------------------------------------------

    def _terrain(self, session) -> terrain_store.StoredTerrain:  # type: ignore[no-untyped-def]
        digest = terrain_store.terrain_digest(session)
        if digest is None:
            raise InvalidInput(NO_TERRAIN)
        if digest != self._digest:
            self._stored = terrain_store.load_terrain(session)
            self._digest, self._costs, self._searchers = digest, {}, {}
            self._route_searchers.clear()
            self._free.clear()
        assert self._stored is not None
        return self._stored

    def costs(self, stored: terrain_store.StoredTerrain, profile: str) -> MoveCosts:
        if profile not in self._costs:
            model = parse_travel_model(stored.travel_model, stored.terrain.table, "the network's travel model")
            self._costs[profile] = move_costs(stored.terrain, model, profile)
        return self._costs[profile]

    def _searcher(self, stored: terrain_store.StoredTerrain, profile: str, shelters: list[Shelter]) -> Searcher:
        """The profile's searcher over every shelter on the map (built again when one is added or moved)."""
        on_map = [s for s in shelters if stored.terrain.contains(s.x, s.y)]
        key = (profile, _fingerprint([(s.code, s.x, s.y) for s in on_map]))
        with self._building:  # a question asked while the server prepares the searcher waits for it
            if key not in self._searchers:
                for old in [k for k in self._searchers if k[0] == profile]:
                    del self._searchers[old]  # the shelters changed: the old bounds are of no more use
                targets = {s.code: stored.terrain.cell_of(s.x, s.y) for s in on_map}
                self._searchers[key] = Searcher(self.costs(stored, profile), targets, cache=self.cache,
                                                on_build=self._telling(f"{profile} route search over {len(targets)} shelters"))
            return self._searchers[key]

    def _telling(self, preparing: str) -> Callable[[], None] | None:
        """What a searcher calls before it builds its bounds (not when it reads them from the cache)."""
        if self.notice is None:
            return None
        kept = f"; kept in {self.cache.directory} for next time" if self.cache is not None else ""
        return lambda: self.notice(f"preparing the {preparing} (about two minutes on a large map{kept})")  # type: ignore[misc]

    def _free_searcher(self, stored: terrain_store.StoredTerrain, profile: str) -> FreeSearcher:
        if profile not in self._free:
            self._free[profile] = FreeSearcher(self.costs(stored, profile))
        return self._free[profile]

    def _route_searcher(self, profile: str, costs: MoveCosts, goal: tuple[int, int]) -> Searcher:
        key = (profile, goal)
        if key in self._route_searchers:
            self._route_searchers.move_to_end(key)
        else:
            self._route_searchers[key] = Searcher(costs, {"goal": goal}, cache=self.cache,
                                                  on_build=self._telling(f"{profile} route search to the destination"))
            while len(self._route_searchers) > ROUTE_SEARCHERS:
                self._route_searchers.popitem(last=False)
        return self._route_searchers[key]

    def _destination(self, stored, origin, shelter, reach: Reach, stock, wanted) -> Destination:  # type: ignore[no-untyped-def]
        holds = {need: [(sku, name, q) for category, sku, name, q in stock.get(shelter.code, []) if category == need]
                 for need in wanted}
        leg = _leg(stored.terrain, origin, (shelter.x, shelter.y), reach)
        return Destination(shelter, format_gridref(shelter.x, shelter.y, stored.terrain), leg, holds)


def _leg(terrain, origin: tuple[float, float], end: tuple[float, float], reach: Reach) -> Leg:  # type: ignore[no-untyped-def]
    points = [terrain.centre_of(*cell) for cell in turning_points(reach.path)]
    return Leg(reach.distance_m, reach.time_s, reach.chakra, bearing_deg(origin, end), points, reach.modes)


def _way(terrain, start: tuple[float, float], end: tuple[float, float],  # type: ignore[no-untyped-def]
         leg: Leg) -> list[Waypoint]:
    """The leg's turning points (a grid route zig-zags where it runs across the grid) simplified to the few a
    person can follow by compass, none further than `WAYPOINT_TOLERANCE_M` from the route (Douglas-Peucker),
    with the real start and end in place of their cells' centres."""
    from skimage.measure import approximate_polygon

    points = np.array([start, *leg.route[1:-1], end] if len(leg.route) >= 2 else [start, end], dtype=float)
    kept = approximate_polygon(points, WAYPOINT_TOLERANCE_M)
    way = [Waypoint(format_gridref(*start, terrain), *start, 0.0, 0.0)]
    for before, here in zip(kept, kept[1:]):
        x, y = float(here[0]), float(here[1])
        way.append(Waypoint(format_gridref(x, y, terrain), x, y, bearing_deg(tuple(before), (x, y)),
                            float(math.hypot(x - before[0], y - before[1]))))
    return way


def check_chakra(chakra: float | None) -> None:
    """Refuses a chakra budget that is not a number of points from 0 up (None: the asker's own)."""
    if chakra is None:
        return
    if not math.isfinite(chakra):
        raise InvalidInput(f"chakra must be a finite number of points, not {chakra}")
    if chakra < 0:
        raise InvalidInput(f"chakra cannot be negative, not {chakra:g}")


def _viewer(session, as_person: str | None, profile: str | None, chakra: float | None,  # type: ignore[no-untyped-def]
            ceiling: int | None = None) -> Viewer:
    person = register_store.to_person(register_store.person_row(session, as_person)) if as_person else None
    check_chakra(chakra)
    hurt = person is not None and person.condition in (PersonCondition.INJURED, PersonCondition.CRITICAL)
    return Viewer(
        # Nobody named: a walker who may know what the asker may know (on the command line, the least).
        clearance=min(person.clearance, ceiling or FULL_CLEARANCE) if person else (ceiling or 1),
        profile=profile or ("injured" if hurt else "running" if person else "walking"),
        chakra=float(chakra if chakra is not None else (person.max_chakra if person else 0)),
        person=person,
    )


def _passable_cell(stored, costs: MoveCosts, xy: tuple[float, float], what: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    cell = stored.terrain.cell_of(*xy)
    if not passable(costs, cell):
        land = stored.terrain.land_class(int(stored.terrain.classes[cell]))
        raise InvalidInput(f"the {what} ({xy[0]:.0f}, {xy[1]:.0f}) is in impassable terrain ({land.name})")
    return cell


def _resolve(text: str, shelters: list[Shelter], places: list[Place],  # type: ignore[no-untyped-def]
             stored) -> tuple[tuple[float, float], Shelter | None]:
    """Where a shelter code, a place name, or a position (X,Y in metres or a grid reference) is; and the
    shelter, when it names one."""
    wanted = text.strip()
    for shelter in shelters:
        if shelter.code == wanted.upper():
            return (shelter.x, shelter.y), shelter
    for place in places:
        if place.name.lower() == wanted.lower():
            return (place.x, place.y), None
    if looks_like_position(wanted):  # off the map, or a square not on it: say which
        return parse_position(wanted, stored.terrain), None
    raise InvalidInput(f"{text!r} is not a shelter you may know of, a place, or a position "
                       "(X,Y in metres or a grid reference)")


def _unsafe(shelter: Shelter) -> str:
    if shelter.status is ShelterStatus.COMPROMISED:
        return f"{shelter.code} is compromised: the enemy may know of it, and it may be watched or emptied"
    return f"{shelter.code} is {shelter.status.value}: do not count on finding it stocked or open"


def _fingerprint(value: object) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()[:16]
