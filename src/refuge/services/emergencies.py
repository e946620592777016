"""Emergencies: "a medic is needed at <place> for <person>" — who can go, how long they take, and the way.

Responders must have the skill, be fit, be free (no term, leave or mission holding them) and be
cleared for the place and the rescue. They are ranked by travel time from where they are (their
recorded position, else their last check-in with a position, else the village) to the place.

With a terrain, travel times come from the terrain search (the Navigator's travel model, running,
within each responder's chakra). The movement costs are symmetric, so one search from the place
reaches every responder at once; responders holding different amounts of chakra get one search per
amount, so each route is the fastest within what that responder holds. Should a search stop at its
cap before reaching someone, they get the fastest way spending no chakra, marked as such.
Without a terrain, time is the straight line at walking pace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.errors import Conflict, InvalidInput, UnknownShelter
from refuge.domain.missions import Mission, MissionKind, MissionStatus, Objective, Schedule
from refuge.domain.network import ShelterStatus, check_clearance
from refuge.domain.people import Person
from refuge.domain.values import utc_now
from refuge.services.clock import end_of
from refuge.services.navigation import Navigator
from refuge.store import ledger as ledger_store
from refuge.store import missions as store
from refuge.store import register
from refuge.store import terrain as terrain_store
from refuge.store.database import Database
from refuge.terrain.chakra_free import FreeSearcher
from refuge.terrain.search import Searcher, passable, turning_points

#: Straight-line pace when the network has no terrain: 5 km/h.
WALKING_M_PER_S = 5000 / 3600
#: A shelter within this distance of a route is "on the way": about an hour's walk off it.
CORRIDOR_M = 5000.0
RESCUE_CHECKIN_HOURS = 2.0


@dataclass(frozen=True)
class Responder:
    person: Person
    start: tuple[float, float]
    #: Where `start` came from: "recorded position", "last check-in" or the base's name.
    start_from: str
    time_s: float
    distance_m: float
    chakra: float
    route: list[tuple[float, float]]
    #: "terrain" (searched on the land-cover grid) or "straight line".
    method: str
    #: Shelters within reach of the route: (code, name, metres off the route, {category: total usable}).
    shelters: list[tuple[str, str, float, dict[str, Decimal]]]


@dataclass(frozen=True)
class Proposal:
    skill: str
    place: str
    at: tuple[float, float]
    subject: Person
    clearance: int
    responders: list[Responder]
    #: Everyone with the skill who was left out, and why.
    excluded: list[tuple[str, str]]


def propose(db: Database, skill: str, place: str, person: str, classification: int = 1,
            limit: int | None = 5, navigator: Navigator | None = None, now: datetime | None = None,
            clearance: int = FULL_CLEARANCE) -> Proposal:
    """Responders for an emergency, fastest first (at most `limit`), with their routes and the shelters on the way.
    Whoever asks knows only the shelters cleared for `clearance`, and may not classify above it."""
    now = now or utc_now()
    check_clearance(classification, "classification")
    if classification > clearance:
        raise InvalidInput(f"classification {classification} is above your own clearance ({clearance})")
    skill = skill.strip().lower()
    if not skill:
        raise InvalidInput("say which skill is needed, e.g. medic")
    if limit is not None and limit <= 0:
        raise InvalidInput(f"limit must be a positive number, not {limit}")
    with db.reading() as session:
        subject = register.to_person(register.person_row(session, person))
        label, goal, place_clearance = _place(session, place, clearance)
        needed = max(classification, place_clearance)
        people = register.people(session)
        busy = store.busy_handles(session)
        positions = store.last_positions(session)
        base = next((p for p in register.places(session) if p.is_base), None)
        shelters = [s for s in register.shelters(session, clearance) if s.status is ShelterStatus.ACTIVE]
        stock = ledger_store.usable_stock(session, now.date(), end_of(now.date()))
        stored = terrain_store.load_terrain(session) if terrain_store.terrain_digest(session) else None
    candidates, excluded = [], []
    for someone in people:
        if skill not in someone.skills or someone.handle == subject.handle:
            continue
        reason = _unfit(someone, busy, needed)
        start = _start(someone, positions, base)
        if reason is None and start is None:
            reason = "nobody knows where they are"
        if reason:
            excluded.append((someone.handle, reason))
        else:
            candidates.append((someone, *start))  # type: ignore[misc]
    timed, unreachable = _timed(candidates, goal, stored, navigator or Navigator(db))
    excluded += unreachable
    timed.sort(key=lambda r: (r.time_s, r.person.handle))
    chosen = timed[:limit] if limit else timed
    chosen = [_with_shelters(r, shelters, stock) for r in chosen]
    return Proposal(skill, label, goal, subject, needed, chosen, sorted(excluded))


def _place(session, text: str, clearance: int) -> tuple[str, tuple[float, float], int]:  # type: ignore[no-untyped-def]
    """A shelter code, a place name or X,Y: its label, position and the clearance it takes to be told of it."""
    wanted = text.strip()
    for place in register.places(session):
        if place.name.lower() == wanted.lower():
            return place.name, (place.x, place.y), 1
    parts = wanted.split(",")
    if len(parts) == 2:
        try:
            x, y = float(parts[0]), float(parts[1])
        except ValueError:
            pass
        else:
            if math.isfinite(x) and math.isfinite(y):
                return f"{x:.0f},{y:.0f}", (x, y), 1
    try:
        row = register.shelter_row(session, wanted, clearance=clearance)
    except UnknownShelter:
        raise InvalidInput(f"{text!r} is not a place, a shelter code or a position X,Y in metres") from None
    return f"{row.code} {row.name}", (row.x, row.y), row.clearance


def _unfit(person: Person, busy: set[str], needed: int) -> str | None:
    if not person.fit:
        return f"not fit ({person.condition.value})"
    if not person.free:
        return f"not available ({person.availability.value if person.availability.value != 'available' else 'marked unavailable'})"
    if person.handle in busy:
        return "on a mission"
    if person.clearance < needed:
        return f"clearance {person.clearance}, {needed} needed"
    return None


def _start(person: Person, positions: dict, base) -> tuple[tuple[float, float], str] | None:  # type: ignore[no-untyped-def]
    if person.position is not None:
        return person.position, "recorded position"
    if person.handle in positions:
        x, y, _at = positions[person.handle]
        return (x, y), "last check-in"
    return ((base.x, base.y), base.name) if base is not None else None


def _timed(candidates: list, goal: tuple[float, float], stored, navigator: Navigator) -> tuple[list[Responder], list]:  # type: ignore[no-untyped-def,type-arg]
    if not candidates:
        return [], []
    if stored is None:
        return [_straight(person, start, source, goal) for person, start, source in candidates], []
    terrain = stored.terrain
    costs = navigator.costs(stored, "running")
    goal_cell = terrain.cell_of(*goal) if terrain.contains(*goal) else None
    if goal_cell is None or not passable(costs, goal_cell):
        raise InvalidInput(f"the place ({goal[0]:.0f}, {goal[1]:.0f}) is off the map or in impassable terrain")
    cells, unreachable = {}, []
    for person, start, _source in candidates:
        if terrain.contains(*start) and passable(costs, terrain.cell_of(*start)):
            cells[person.handle] = terrain.cell_of(*start)
        else:
            unreachable.append((person.handle, "their position is off the map or in impassable terrain"))
    if not cells:
        return [], unreachable
    searcher = Searcher(costs, cells, listed=False, cache=navigator.cache)  # asked for every responder at once
    # One exact search per chakra budget among the responders: each gets their fastest route within
    # what they themselves hold.
    by_budget: dict[float, list[str]] = {}
    for person, _start, _source in candidates:
        if person.handle in cells:
            by_budget.setdefault(float(person.max_chakra), []).append(person.handle)
    best, gave_up = {}, []
    for budget, handles in by_budget.items():
        found = {reach.key: reach for reach in searcher.search(goal_cell, budget, among=handles)}
        best |= found
        if not searcher.last_complete:  # the search stopped at its cap before reaching these
            gave_up += [handle for handle in handles if handle not in found]
    walked = set()
    if gave_up:  # the fastest way spending no chakra is within anyone's budget
        walking = FreeSearcher(costs).search(goal_cell, {handle: cells[handle] for handle in gave_up})
        best |= {reach.key: reach for reach in walking}
        walked = {reach.key for reach in walking}
    timed = []
    for person, start, source in candidates:
        reach = best.get(person.handle)
        if person.handle not in cells:
            continue
        if reach is None or reach.chakra > person.max_chakra:
            unreachable.append((person.handle, "no route to the place within their chakra"))
            continue
        # The search ran from the place; the responder walks the same path the other way.
        route = [terrain.centre_of(*cell) for cell in reversed(turning_points(reach.path))]
        how = "terrain, without chakra (the search with chakra gave up)" if person.handle in walked else "terrain"
        timed.append(Responder(person, start, source, reach.time_s, reach.distance_m, reach.chakra,
                               [start, *route[1:-1], goal], how, []))
    return timed, unreachable


def _straight(person: Person, start: tuple[float, float], source: str, goal: tuple[float, float]) -> Responder:
    distance = math.dist(start, goal)
    return Responder(person, start, source, distance / WALKING_M_PER_S, distance, 0.0, [start, goal],
                     "straight line", [])


def _with_shelters(responder: Responder, shelters: list, stock: dict) -> Responder:  # type: ignore[type-arg]
    """The shelters the responder may know of lying within the corridor of their route, nearest the start first."""
    near = []
    for shelter in shelters:
        if shelter.clearance > responder.person.clearance:
            continue
        off = _distance_to_route((shelter.x, shelter.y), responder.route)
        if off <= CORRIDOR_M:
            totals: dict[str, Decimal] = {}
            for category, _sku, _name, quantity in stock.get(shelter.code, []):
                totals[category] = totals.get(category, Decimal(0)) + quantity
            near.append((math.dist(responder.start, (shelter.x, shelter.y)), (shelter.code, shelter.name, round(off), totals)))
    near.sort(key=lambda pair: pair[0])
    return Responder(**{**responder.__dict__, "shelters": [entry for _d, entry in near]})


def _distance_to_route(point: tuple[float, float], route: list[tuple[float, float]]) -> float:
    if len(route) == 1:
        return math.dist(point, route[0])
    return min(_to_segment(point, a, b) for a, b in zip(route, route[1:]))


def _to_segment(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def accept(db: Database, skill: str, place: str, person: str, responder: str, classification: int = 1,
           navigator: Navigator | None = None, now: datetime | None = None,
           clearance: int = FULL_CLEARANCE) -> tuple[Mission, Responder]:
    """Send `responder`: a rescue mission, under way at once, with check-ins every two hours."""
    now = now or utc_now()
    proposal = propose(db, skill, place, person, classification, None, navigator, now, clearance)
    with db.reading() as session:
        wanted = register.person_row(session, responder).handle
    chosen = next((r for r in proposal.responders if r.person.handle == wanted), None)
    if chosen is None:
        reason = dict(proposal.excluded).get(wanted, f"does not have the skill {skill!r}")
        raise Conflict(f"{wanted} cannot be sent: {reason}")
    with db.writing() as session:
        if wanted in store.busy_handles(session):
            raise Conflict(f"{wanted} cannot be sent: on a mission")
        code = store.next_code(session)
        mission = Mission(
            code, f"Rescue {proposal.subject.name} at {proposal.place}", "A", wanted, (wanted,),
            client="mission desk (emergency)", objectives=(Objective(f"reach {proposal.subject.name} with {skill} skills"),
                                                           Objective(f"bring {proposal.subject.name} to safety")),
            start=now, area=proposal.place, schedule=Schedule(every_hours=RESCUE_CHECKIN_HOURS),
            classification=proposal.clearance, status=MissionStatus.UNDER_WAY, kind=MissionKind.RESCUE,
            subject=proposal.subject.handle, started_at=now,
        )
        store.add_mission(session, mission, store.person_ids(session), now)
    return mission, chosen
