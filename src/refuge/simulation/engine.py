"""A season of supply and demand, day by day, under a resupply policy.

Each day: the policy sends the available volunteers (free on their calendars, if they have one, and
by chance) on runs (base, shelters, base), each carrying at most their load and walking at most their
hours a day (a longer run takes several days within the days their calendar leaves free in a row, and
the volunteer is away until it ends); deliveries are shelved when the volunteer arrives, as new lots
expiring a shelf life later, never beyond a shelter's capacity. Then mission stops arrive at every
shelter and take their baskets first-expiry-first-out; what is not there is a shortage, and the team
reports the shelter as out of that item. At the end of the day, lots past their expiry are written
off. Everything random comes from one seeded generator, so a season replays exactly.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from refuge.domain.calendar import Calendar
from refuge.simulation.world import World

#: Minutes spent at each shelter on a run: finding it, opening it, shelving, counting.
STOP_MINUTES = 20
#: The most days in a row a volunteer's calendar is asked about: no run is longer.
LONGEST_RUN_DAYS = 14


@dataclass(frozen=True)
class Volunteer:
    name: str
    capacity_kg: float = 20.0
    hours_a_day: float = 8.0
    #: Chance of being free on a day the calendar leaves free (unforeseen missions, illness).
    availability: float = 0.7
    #: The days the volunteer can walk (None: any day, as far as the chance above allows).
    calendar: Calendar | None = None

    def on_calendar(self, day: date) -> bool:
        return self.calendar is None or self.calendar.free_on(day)

    def free_in_a_row(self, first: date, most: int) -> int:
        """Calendar days in a row from `first` (at most `most`): the longest run the volunteer can start."""
        count = 0
        while count < most and self.on_calendar(first + timedelta(days=count)):
            count += 1
        return count


DEFAULT_TEAM = tuple(Volunteer(f"volunteer {n}") for n in range(1, 5))


@dataclass
class Run:
    day: int
    volunteer: Volunteer
    stops: list[tuple[str, dict[str, float]]]  # (shelter, units of each sku to leave)
    hours: float = 0.0

    @property
    def days(self) -> int:
        return max(1, math.ceil(self.hours / self.volunteer.hours_a_day))


@dataclass
class State:
    """Stock at every shelter as the simulation stands; lots are [expiry day or None, units], FEFO order."""

    world: World
    day: int = 0
    lots: dict[tuple[str, str], list[list]] = field(default_factory=dict)
    reported_out: dict[str, int] = field(default_factory=dict)  # shelter -> day someone reported it out
    last_visit: dict[str, int] = field(default_factory=dict)
    busy_until: dict[str, int] = field(default_factory=dict)  # volunteer -> first day free again
    #: Everyone who may walk in the season, free today or not (a policy may look at their calendars).
    team: tuple[Volunteer, ...] = ()

    def on_hand(self, code: str, sku: str) -> float:
        return sum(q for _e, q in self.lots.get((code, sku), []))

    def date(self, day: int | None = None) -> date:
        """The calendar date of a day of the season (default today)."""
        return self.world.start + timedelta(days=self.day if day is None else day)


class Policy(Protocol):
    name: str

    def runs(self, state: State, free: list[Volunteer]) -> list[Run]: ...


@dataclass
class Season:
    policy: str
    days: int
    stockout_shelter_days: int = 0
    short_units: float = 0.0
    hours_walked: float = 0.0
    runs: int = 0
    delivered_units: float = 0.0
    expired_units: float = 0.0
    #: shelters with some item out (below zero is impossible; "out" is none left of an item with a minimum)
    daily_out: list[int] = field(default_factory=list)


def simulate(world: World, policy: Policy, days: int, seed: int, team: tuple[Volunteer, ...] = DEFAULT_TEAM,
             progress: Callable[[int], None] | None = None) -> Season:
    rng = random.Random(seed)
    state = State(world, team=team)
    for (code, sku), found in world.lots.items():
        state.lots[(code, sku)] = sorted(([None if e is None else (e - world.start).days, q] for e, q in found),
                                         key=_fefo)
    season = Season(policy.name, days)
    minimums: dict[str, list[str]] = {s.code: [] for s in world.shelters}  # the items a shelter must not run out of
    for (code, sku), (low, _target, _capacity) in world.pars.items():
        if low > 0 and code in minimums:
            minimums[code].append(sku)
    arrivals: dict[int, list[tuple[str, dict[str, float]]]] = {}
    for day in range(1, days + 1):
        state.day = day
        free = [v for v in team if state.busy_until.get(v.name, 0) <= day and v.on_calendar(state.date())
                and rng.random() < v.availability]
        for run in policy.runs(state, free):
            _dispatch(world, state, run, arrivals, season)
        for code, load in arrivals.pop(day, []):
            _shelve(world, state, code, load, season)
        for shelter in world.shelters:
            for _ in range(_poisson(rng, shelter.stops_per_day)):
                basket = rng.choice(shelter.baskets) if shelter.baskets else {}
                for sku, wanted in basket.items():
                    short = _take(state, shelter.code, sku, wanted)
                    if short > 0:
                        season.short_units += short
                        state.reported_out.setdefault(shelter.code, day)
        season.expired_units += _expire(state, day)
        out = sum(1 for code, kept in minimums.items() if any(state.on_hand(code, sku) <= 1e-9 for sku in kept))
        season.stockout_shelter_days += out
        season.daily_out.append(out)
        if progress:
            progress(day)
    return season


def _fefo(lot: list) -> tuple[bool, float]:
    return (lot[0] is None, lot[0] if lot[0] is not None else 0.0)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; the means here are small (stops a day)."""
    if mean <= 0:
        return 0
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _dispatch(world: World, state: State, run: Run, arrivals: dict, season: Season) -> None:
    elapsed, here = 0.0, world.base
    for code, load in run.stops:
        elapsed += (world.leg(here, code) or 0.0) / 3600 + STOP_MINUTES / 60
        arrives = run.day + int(elapsed // run.volunteer.hours_a_day)
        arrivals.setdefault(arrives, []).append((code, load))
        state.last_visit[code] = arrives
        state.reported_out.pop(code, None)
        here = code
    elapsed += (world.leg(here, world.base) or 0.0) / 3600
    run.hours = elapsed
    state.busy_until[run.volunteer.name] = run.day + run.days
    season.runs += 1
    season.hours_walked += elapsed


def _shelve(world: World, state: State, code: str, load: dict[str, float], season: Season) -> None:
    for sku, units in load.items():
        room = world.pars.get((code, sku), (0.0, 0.0, math.inf))[2] - state.on_hand(code, sku)
        units = min(units, max(0.0, room))
        if units <= 0:
            continue
        life = world.items[sku].shelf_life_days
        lots = state.lots.setdefault((code, sku), [])
        lots.append([None if life is None else state.day + life, units])
        lots.sort(key=_fefo)
        season.delivered_units += units


def _take(state: State, code: str, sku: str, wanted: float) -> float:
    """Take `wanted` first-expiry-first-out; returns what was not there."""
    lots = state.lots.get((code, sku), [])
    while wanted > 1e-9 and lots:
        taken = min(wanted, lots[0][1])
        lots[0][1] -= taken
        wanted -= taken
        if lots[0][1] <= 1e-9:
            lots.pop(0)
    return max(0.0, wanted)


def _expire(state: State, day: int) -> float:
    gone = 0.0
    for lots in state.lots.values():
        while lots and lots[0][0] is not None and lots[0][0] <= day:
            gone += lots.pop(0)[1]
    return gone


def fill_to_target(world: World, state: State, code: str) -> dict[str, float]:
    """What a visit leaves to bring every item up to its target (as the stock stands at departure)."""
    wanted = {}
    for (c, sku), (_low, target, _cap) in world.pars.items():
        if c == code:
            short = target - state.on_hand(code, sku)
            if short > 0:
                wanted[sku] = short
    return wanted


def routes(world: World, state: State, due: list[str], free: list[Volunteer], max_days: int = 3) -> list[Run]:
    """Nearest-neighbour runs from the base through the due shelters, one per free volunteer, each within
    the volunteer's load and `max_days` of walking (the first stop however far it is), and within the days in
    a row the volunteer's calendar leaves free."""
    left = [code for code in due if world.leg(world.base, code) is not None]
    runs = []
    for volunteer in free:
        if not left:
            break
        days = volunteer.free_in_a_row(state.date(), LONGEST_RUN_DAYS) if volunteer.calendar else math.inf
        here, hours, kg, stops = world.base, 0.0, 0.0, []
        while left:
            code = min(left, key=lambda c: world.leg(here, c) or math.inf)
            load = fill_to_target(world, state, code)
            weight = sum(units * world.items[sku].kg for sku, units in load.items())
            back = (world.leg(code, world.base) or math.inf) / 3600
            more = (world.leg(here, code) or math.inf) / 3600 + STOP_MINUTES / 60
            walked = hours + more + back
            # the first stop goes however far it is, unless the calendar ends the run sooner
            too_long = (stops and walked > max_days * volunteer.hours_a_day) or walked > days * volunteer.hours_a_day
            if too_long or (stops and kg + weight > volunteer.capacity_kg):
                break
            if weight > volunteer.capacity_kg:  # more than one load: take what fits, most needed first
                load = _what_fits(world, load, volunteer.capacity_kg)
                weight = sum(units * world.items[sku].kg for sku, units in load.items())
            left.remove(code)
            stops.append((code, load))
            hours, kg, here = hours + more, kg + weight, code
        if stops:
            runs.append(Run(state.day, volunteer, stops))
    return runs


def _what_fits(world: World, load: dict[str, float], capacity_kg: float) -> dict[str, float]:
    kept, kg = {}, 0.0
    for sku, units in sorted(load.items(), key=lambda pair: -pair[1]):
        each = world.items[sku].kg
        take = units if each <= 0 else min(units, math.floor((capacity_kg - kg) / each))
        if take > 0:
            kept[sku], kg = take, kg + take * each
    return kept


@dataclass
class FixedCycle:
    """What an office with a spreadsheet does: every shelter every `weeks` weeks, filled to target."""

    weeks: int = 4
    name: str = "fixed-cycle"

    def runs(self, state: State, free: list[Volunteer]) -> list[Run]:
        due = [s.code for s in state.world.shelters
               if state.day - state.last_visit.get(s.code, -10**6) >= 7 * self.weeks]
        due.sort(key=lambda code: state.last_visit.get(code, -10**6))
        return routes(state.world, state, due, free)


@dataclass
class OnAlarm:
    """What happens today: a shelter is visited after someone reports it empty."""

    name: str = "on-alarm"

    def runs(self, state: State, free: list[Volunteer]) -> list[Run]:
        due = sorted(state.reported_out, key=lambda code: state.reported_out[code])
        return routes(state.world, state, due, free)


def _planner() -> Policy:
    from refuge.simulation.planner import PlannerPolicy  # the planner's routing loads PyVRP: only when asked

    return PlannerPolicy()


POLICIES: dict[str, Callable[[], Policy]] = {"planner": _planner, "fixed-cycle": FixedCycle, "on-alarm": OnAlarm}
