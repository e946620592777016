"""Use case: plan resupply runs over a horizon from the network as it stands (docs/planning.md).

Reads the shelters, stock, par levels, a year of demand and the travel times (the same world the season
simulation plays in), the defences and their tests, and the named volunteers; writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.defences import state_of
from refuge.domain.errors import InvalidInput
from refuge.domain.values import utc_now
from refuge.planning.resupply import Network, Options, Plan, PlanRefused, Site, Volunteer, plan
from refuge.services import calendars
from refuge.services.clock import end_of
from refuge.simulation.world import World, load_world
from refuge.store import register as register_store
from refuge.store.database import Database

DEFAULT_CAPACITY_KG = 20.0
DEFAULT_HOURS = 8.0


@dataclass(frozen=True)
class ResupplyPlan:
    start: date
    days: int
    base: str
    travel: str
    plan: Plan
    #: sku -> (name, unit, kg a unit, shelf life in days or None)
    items: dict[str, tuple[str, str, float, int | None]]
    #: shelter code -> (name, x, y); the base's name -> its position too
    places: dict[str, tuple[str, float, float]]

    def day(self, offset: int) -> date:
        return self.start + timedelta(days=offset)


def network_of(world: World, first_day: date, defences: dict[str, list[tuple[str, str, int]]] | None = None,
               clearances: dict[str, int] | None = None) -> Network:
    """The planner's view of a simulation world, with days counted from `first_day` (and each shelter's
    clearance, which decides who may be sent there)."""
    clearances = clearances or {}
    return Network(
        world.base, [Site(s.code, s.stops_per_day, s.baskets, clearances.get(s.code, 0)) for s in world.shelters],
        {sku: (item.kg, item.shelf_life_days) for sku, item in world.items.items()}, dict(world.pars),
        {pair: [(None if e is None else (e - first_day).days, q) for e, q in found] for pair, found in world.lots.items()},
        world.leg, defences or {})


def plan_resupply(db: Database, start: date | None, days: int, volunteers: list[str],
                  capacity_kg: float = DEFAULT_CAPACITY_KG, hours_a_day: float = DEFAULT_HOURS,
                  time_limit: float = 30.0, risk: float = 0.10,
                  progress: Callable[[int, int], None] | None = None,
                  clearance: int = FULL_CLEARANCE) -> ResupplyPlan:
    """Runs from `start` (default today) over `days` days, walked by the named volunteers, to the
    shelters cleared for `clearance` (all, by default): a plan never names a shelter its maker may not know."""
    start = start or utc_now().date()
    if days <= 0:
        raise InvalidInput(f"a plan needs a horizon of at least one day, not {days}")
    if not volunteers:
        raise InvalidInput("a plan needs at least one volunteer: name them with --volunteer (see `refuge people`)")
    if time_limit <= 0:
        raise InvalidInput(f"the time limit must be more than 0 seconds, not {time_limit:g}")
    team = _team(db, volunteers, capacity_kg, hours_a_day, start, days)
    world = load_world(db, start - timedelta(days=1))
    with db.reading() as session:
        if clearance < FULL_CLEARANCE:
            world = _cleared(world, register_store.visible_codes(session, clearance))
        tests = register_store.defences(session, cutoff=end_of(start - timedelta(days=1)))
        register = register_store.shelters(session)
        shelters = {s.code: (s.name, s.x, s.y) for s in register}
        classified = {s.code: s.clearance for s in register}
        places = {p.name: (p.name, p.x, p.y) for p in register_store.places(session) if p.is_base}
        catalogue = {i.sku: (i.name, i.unit, float(i.unit_weight_kg), i.shelf_life_days)
                     for i in register_store.items(session)}
    active = {s.code for s in world.shelters}
    due: dict[str, list[tuple[str, str, int]]] = {}
    for defence, log in tests:
        if defence.shelter in active:
            found = state_of(defence, log, start - timedelta(days=1))
            due.setdefault(defence.shelter, []).append((defence.code, defence.name, (found.next_test_due - start).days))
    try:
        made = plan(network_of(world, start, due, classified), team, Options(days, risk=risk, time_limit=time_limit), progress)
    except PlanRefused as refused:
        raise InvalidInput(str(refused)) from None
    return ResupplyPlan(start, days, world.base, world.travel_source, made, catalogue,
                        {**{c: shelters[c] for c in active}, **places})


def _cleared(world: World, visible: set[str]) -> World:
    """The world with only the shelters in `visible`."""
    return replace(world, shelters=[s for s in world.shelters if s.code in visible],
                   pars={pair: par for pair, par in world.pars.items() if pair[0] in visible},
                   lots={pair: lots for pair, lots in world.lots.items() if pair[0] in visible})


def _team(db: Database, names: list[str], capacity_kg: float, hours_a_day: float, start: date, days: int
          ) -> list[Volunteer]:
    """The named volunteers with the days their calendars leave free, from the plan's first day to the end
    of the longest run that starts on its last."""
    if capacity_kg <= 0:
        raise InvalidInput(f"carrying capacity must be more than 0 kg, not {capacity_kg:g}")
    if not 0 < hours_a_day <= 24:
        raise InvalidInput(f"hours a day must be more than 0 and at most 24, not {hours_a_day:g}")
    reach = days + Options(days).max_run_days
    return [Volunteer(v.person.handle, capacity_kg, hours_a_day, v.calendar.free_days(start, reach), v.person.clearance)
            for v in calendars.volunteers(db, names, start, days)]
