"""The resupply planner: when to visit each shelter, how much to bring, and who walks which route.

Pure planning over a `Network` (the shelters, their stock and par levels, demand, travel times) and a
team of volunteers; docs/planning.md describes the method. In short, day by day over the horizon:

1. WHEN. Demand is drawn as many possible futures from the pooled forecast model (mission stops at
   each shelter as a Poisson process at the shelter's posterior rate, each stop taking a basket seen
   in the ledger). Projected from the stock as planned so far, a shelter falls *due* on the first day
   on which the probability that some item with a minimum is below it passes the risk threshold.
   A shelter is *required* today when waiting for the next day with a free volunteer would be too
   late, and *optional* while it falls due within the look-ahead window.
2. HOW MUCH. Order up to target: the volunteer fills each item up to its target (never beyond the
   shelf's capacity) and carries enough whole units to do so in all but the accepted risk of the
   futures; what is not needed comes back. A load heavier than the strongest volunteer carries is
   cut, the items nearest their minimum kept first.
3. WHO AND WHICH WAY. PyVRP routes the day's due shelters: one vehicle per free volunteer with their
   load in grams and their hours as the shift, durations from the travel matrix plus a stop at each
   shelter; required shelters carry a prize far above any walk, optional ones a prize of the walk they
   would save later, so a visit is pulled forward only where it fits on the way. A shelter farther than
   a day's walk is reached by a run of several days (nights in shelters on the way).

The future's draws are seeded, so the same inputs give the same plan.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from refuge.planning.futures import Futures, draw_demand

#: Minutes spent at each shelter on a run: finding it, opening it, shelving, counting (as the simulation).
STOP_MINUTES = 20
#: A required visit's prize, in seconds of walking: more than any day's walk, so it is dropped only when
#: it cannot be carried or reached at all.
REQUIRED_PRIZE = 10**7


@dataclass(frozen=True)
class Site:
    """A shelter as the planner sees it: mission stops a day and the baskets a stop takes."""

    code: str
    stops_per_day: float
    baskets: tuple[dict[str, float], ...]
    #: Only volunteers cleared to this level are sent there.
    clearance: int = 0


@dataclass(frozen=True)
class Network:
    """Everything the planner reads, with days counted from the plan's first day (day 0)."""

    base: str
    sites: list[Site]
    #: sku -> (kg a unit, shelf life in days or None)
    items: dict[str, tuple[float, int | None]]
    #: (shelter, sku) -> (min, target, capacity)
    pars: dict[tuple[str, str], tuple[float, float, float]]
    #: (shelter, sku) -> [(expiry day or None, units)] usable at the start of day 0
    lots: dict[tuple[str, str], list[tuple[float | None, float]]]
    #: seconds between points (the base and shelter codes); None or absent where there is no way
    seconds: Callable[[str, str], float | None]
    #: shelter -> [(defence code, name, due day)] tests falling due
    defences: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Volunteer:
    name: str
    capacity_kg: float = 20.0
    hours_a_day: float = 8.0
    #: The plan's days (0-based) the volunteer can walk; None: every day.
    days: frozenset[int] | None = None
    #: The highest shelter clearance the volunteer may be sent to; None: any.
    clearance: int | None = None

    def cleared_for(self, level: int) -> bool:
        return self.clearance is None or level <= self.clearance

    def free_on(self, day: int) -> bool:
        return self.days is None or day in self.days

    def free_in_a_row(self, day: int, most: int) -> int:
        """Days in a row from `day` the volunteer is free (at most `most`): the longest run they can start."""
        count = 0
        while count < most and self.free_on(day + count):
            count += 1
        return count


@dataclass(frozen=True)
class Options:
    days: int
    risk: float = 0.10  # the probability of falling below a minimum the plan accepts per shelter
    window_days: int = 7  # how far ahead a due shelter may be pulled forward
    draws: int = 200
    seed: int = 1
    time_limit: float = 30.0  # seconds for all the routing
    max_run_days: int = 6  # the longest run, in days of walking (a week with a day of rest)
    #: PyVRP's search stops after this many iterations without improvement (or at the time limit), so a
    #: plan does not depend on the machine's speed unless the time limit cuts it short
    patience: int = 500


@dataclass(frozen=True)
class Stop:
    shelter: str
    arrive_day: int
    arrive_hours: float  # hours walked from the start of the run
    load: dict[str, int]  # units of each sku to leave
    tasks: list[tuple[str, str, int]]  # defence tests due: (code, name, due day)


@dataclass(frozen=True)
class PlannedRun:
    day: int
    volunteer: Volunteer
    stops: list[Stop]
    hours: float  # walked, base to base, with the stops

    @property
    def days(self) -> int:
        return max(1, math.ceil(self.hours / self.volunteer.hours_a_day - 1e-9))

    def kg(self, items: dict[str, tuple[float, int | None]]) -> float:
        return sum(units * items[sku][0] for stop in self.stops for sku, units in stop.load.items())


@dataclass(frozen=True)
class Uncovered:
    shelter: str
    reason: str


@dataclass(frozen=True)
class Plan:
    options: Options
    runs: list[PlannedRun]
    uncovered: list[Uncovered]
    #: shelter -> probability, under the plan, that some item with a minimum falls below it in the horizon
    risk: dict[str, float]
    #: units short of the minimum, expected over the horizon, per shelter (where any)
    expected_shortage: dict[str, float]
    hours_walked: float
    solve_seconds: float


class PlanRefused(ValueError):
    """The inputs cannot make a plan (no volunteers, no days): the message says which."""


Progress = Callable[[int, int], None]


def plan(network: Network, volunteers: list[Volunteer], options: Options,
         progress: Progress | None = None) -> Plan:
    """Runs over `options.days` days that keep every shelter above its minimums where possible."""
    _check(volunteers, options)
    started = time.perf_counter()
    state = Futures.start(network, options)
    unreachable = {s.code: "no route from the base and back in the travel matrix" for s in network.sites
                   if network.seconds(network.base, s.code) is None or network.seconds(s.code, network.base) is None}
    longest = options.max_run_days * max(v.hours_a_day for v in volunteers) * 3600
    unreachable.update({s.code: f"the walk there and back takes more than {options.max_run_days} days" for s in network.sites
                        if s.code not in unreachable
                        and network.seconds(network.base, s.code) + network.seconds(s.code, network.base) > longest})  # type: ignore[operator]
    unreachable.update({s.code: f"classified {s.clearance}, above the clearance of every volunteer named"
                        for s in network.sites if s.code not in unreachable
                        and not any(v.cleared_for(s.clearance) for v in volunteers)})
    hungry = _beyond_a_full_load(network, volunteers, unreachable)
    skipped = {**unreachable, **hungry, **_beyond_the_free_days(network, volunteers, options, {**unreachable, **hungry})}
    runs: list[PlannedRun] = []
    late: dict[str, str] = {}
    busy: dict[str, int] = {}
    deadline = started + options.time_limit
    for day in range(options.days):
        free = [v for v in volunteers if v.free_on(day) and busy.get(v.name, 0) <= day]
        if free:
            due = {code: d for code, d in state.due_days(day, options.risk).items()
                   if code not in skipped and d < options.days}
            chosen = _today(network, volunteers, due, day, options)
            if chosen:
                share = max(0.05, (deadline - time.perf_counter()) / (options.days - day))
                for run in _route(network, state, free, chosen, day, options, share):
                    runs.append(run)
                    busy[run.volunteer.name] = day + run.days
                    for stop in run.stops:
                        state.deliver(stop.shelter, stop.arrive_day, stop.load)
            for code, d in due.items():
                if d <= day and not any(s.shelter == code and s.arrive_day <= day for r in runs for s in r.stops):
                    late.setdefault(code, f"falls due on day {d} and no volunteer could reach it in time")
        elif day == 0:
            for code, d in state.due_days(day, options.risk).items():
                if d == 0 and code not in skipped:
                    late.setdefault(code, "below its minimum at the start and no volunteer is free on the first day")
        state.consume(day)
        if progress:
            progress(day + 1, options.days)
    risk, shortage = replay(network, runs, options)
    uncovered = [Uncovered(code, reason) for code, reason in sorted(skipped.items())]
    for code in sorted(risk):
        if code not in skipped and risk[code] > options.risk + 1e-9:
            uncovered.append(Uncovered(code, _why(code, runs, late, state.start_risk.get(code, 0.0), options)
                                       + f" (risk up to {risk[code]:.0%} on a day)"))
    _attach_tasks(network, runs, options.days)
    return Plan(options, runs, uncovered, risk, shortage, sum(r.hours for r in runs),
                round(time.perf_counter() - started, 3))


def _why(code: str, runs: list[PlannedRun], late: dict[str, str], at_start: float, options: Options) -> str:
    first = min((stop.arrive_day for run in runs for stop in run.stops if stop.shelter == code), default=None)
    if at_start > options.risk and (first is None or first > 0):
        return ("already below a minimum on the first day" + (f"; the first visit arrives on day {first}"
                                                                if first is not None else ", and no run reaches it"))
    return late.get(code, "the loads that fit could not keep it above its minimums")


def _check(volunteers: list[Volunteer], options: Options) -> None:
    if options.days <= 0:
        raise PlanRefused(f"a plan needs a horizon of at least one day, not {options.days}")
    if not volunteers:
        raise PlanRefused("a plan needs at least one volunteer")
    for v in volunteers:
        if v.capacity_kg <= 0:
            raise PlanRefused(f"volunteer {v.name}: carrying capacity must be more than 0 kg, not {v.capacity_kg:g}")
        if not 0 < v.hours_a_day <= 24:
            raise PlanRefused(f"volunteer {v.name}: hours a day must be more than 0 and at most 24, not {v.hours_a_day:g}")
        if v.days is not None and not any(0 <= d < options.days for d in v.days):
            raise PlanRefused(f"volunteer {v.name} is not available on any day of the plan")
    if not 0 < options.risk < 1:
        raise PlanRefused(f"the accepted risk must be between 0 and 1, not {options.risk:g}")


def _beyond_the_free_days(network: Network, volunteers: list[Volunteer], options: Options,
                          skipped: dict[str, str]) -> dict[str, str]:
    """Shelters whose run there and back takes more days in a row than any volunteer is free."""
    longest = max(max((v.free_in_a_row(d, options.max_run_days) for d in range(options.days)), default=0)
                  for v in volunteers)
    found = {}
    for site in network.sites:
        if site.code not in skipped:
            need = _run_days(network, site.code, volunteers, options)
            if need > longest:
                found[site.code] = (f"a run there and back takes {need} days and no volunteer is free "
                                    f"{need} days in a row in the plan")
    return found


def _beyond_a_full_load(network: Network, volunteers: list[Volunteer], skipped: dict[str, str]) -> dict[str, str]:
    """Shelters whose expected use outweighs the strongest volunteer's load carried there every day."""
    strongest = max(v.capacity_kg for v in volunteers)
    found = {}
    for site in network.sites:
        if site.code in skipped or not site.baskets:
            continue
        kg_a_stop = sum(sum(units * network.items[sku][0] for sku, units in b.items() if sku in network.items)
                        for b in site.baskets) / len(site.baskets)
        hours = (network.seconds(network.base, site.code) + network.seconds(site.code, network.base)) / 3600  # type: ignore[operator]
        trip_days = max(1, math.ceil(hours / max(v.hours_a_day for v in volunteers)))
        need = site.stops_per_day * kg_a_stop * trip_days
        if need > strongest * len(volunteers):
            found[site.code] = (f"uses about {site.stops_per_day * kg_a_stop:.1f} kg a day; even a full load of "
                                f"{strongest:g} kg from every volunteer on every trip ({trip_days} day(s)) cannot keep up")
    return found


def _today(network: Network, volunteers: list[Volunteer], due: dict[str, int], day: int,
           options: Options) -> dict[str, bool]:
    """The shelters to offer today's routing: code -> required."""
    chosen = {}
    for code, d in due.items():
        lead = _lead_days(network, code, volunteers)
        need = _run_days(network, code, volunteers, options)
        later = (t for t in range(day + 1, options.days) if any(v.free_in_a_row(t, need) >= need for v in volunteers))
        next_chance = next(later, options.days)
        if d - lead < next_chance:
            chosen[code] = True
        elif d - lead <= day + options.window_days:
            chosen[code] = False
    return chosen


def _run_days(network: Network, code: str, volunteers: list[Volunteer], options: Options) -> int:
    """Days a run to the shelter and back takes (at most the longest run)."""
    hours = ((network.seconds(network.base, code) or 0.0) + (network.seconds(code, network.base) or 0.0)) / 3600
    return min(options.max_run_days,
               max(1, math.ceil((hours + STOP_MINUTES / 60) / max(v.hours_a_day for v in volunteers) - 1e-9)))


def _lead_days(network: Network, code: str, volunteers: list[Volunteer]) -> int:
    """Whole days of walking before a run reaches the shelter from the base."""
    hours = max(v.hours_a_day for v in volunteers)
    return int(((network.seconds(network.base, code) or 0.0) / 3600 + STOP_MINUTES / 60) // hours)


def order_up_to(network: Network, state: Futures, code: str, day: int, risk: float) -> dict[str, int]:
    """Whole units to carry so that, in all but `risk` of the futures, every item at `code` can be filled up
    to its target on `day` (never beyond the shelf's capacity); what is not needed comes back."""
    load = {}
    for (c, sku), (_low, target, capacity) in network.pars.items():
        if c != code or sku not in network.items:
            continue
        wanted = np.clip(min(target, capacity) - state.levels_at((c, sku), day), 0.0, None)
        units = math.ceil(float(np.quantile(wanted, 1.0 - risk)) - 1e-9)
        if units > 0:
            load[sku] = units
    return load


def _fit(network: Network, state: Futures, code: str, day: int, load: dict[str, int], kg: float) -> dict[str, int]:
    """Cut a load to `kg`, keeping first the items whose stock is nearest (or furthest below) their minimum."""
    def slack(sku: str) -> float:
        low, target, _cap = network.pars[(code, sku)]
        return (float(state.levels_at((code, sku), day).mean()) - low) / max(target, 1.0)

    kept, carried = {}, 0.0
    for sku in sorted(load, key=slack):
        each = network.items[sku][0]
        units = load[sku] if each <= 0 else min(load[sku], int((kg - carried) // each))
        if units > 0:
            kept[sku], carried = units, carried + units * each
    return kept


def _route(network: Network, state: Futures, free: list[Volunteer], chosen: dict[str, bool], day: int,
           options: Options, seconds: float) -> list[PlannedRun]:
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime, MultipleCriteria, NoImprovement

    codes = sorted(chosen)
    strongest = max(v.capacity_kg for v in free)
    loads = {}
    for code in codes:
        arrive = day + _lead_days(network, code, free)
        load = order_up_to(network, state, code, arrive, options.risk)
        if sum(u * network.items[s][0] for s, u in load.items()) > strongest:
            load = _fit(network, state, code, arrive, load, strongest)
        loads[code] = load
    codes = [c for c in codes if loads[c]]
    if not codes:
        return []
    longest = max((network.seconds(network.base, c) or 0) + (network.seconds(c, network.base) or 0) for c in codes) / 3600
    span = min(options.max_run_days, max(1, math.ceil((longest + STOP_MINUTES / 60) / min(v.hours_a_day for v in free))))
    m = Model()
    points = [network.base, *codes]
    where = [m.add_location(x=0, y=0) for _ in points]
    m.add_depot(where[0])
    level = {site.code: site.clearance for site in network.sites}
    # A volunteer walks only where they are cleared to go: one routing profile per clearance on the team,
    # without the edges into shelters classified above it.
    profiles = {v.clearance: m.add_profile(name=f"clearance {v.clearance}") for v in free}
    for v in free:  # a run keeps to the volunteer's free days in a row
        m.add_vehicle_type(num_available=1, capacity=[int(round(v.capacity_kg * 1000))],
                           shift_duration=int(v.hours_a_day * 3600 * min(span, v.free_in_a_row(day, span))),
                           profile=profiles[v.clearance], name=v.name)
    for code, place in zip(codes, where[1:]):
        grams = int(math.ceil(sum(u * network.items[s][0] for s, u in loads[code].items()) * 1000))
        trip = (network.seconds(network.base, code) or 0) + (network.seconds(code, network.base) or 0)
        prize = REQUIRED_PRIZE if chosen[code] else int(trip * 0.5)
        m.add_client(place, delivery=[grams], service_duration=STOP_MINUTES * 60, prize=prize, required=False)
    for a, frm in enumerate(points):
        for b, to in enumerate(points):
            if a != b:
                legs = network.seconds(frm, to)
                if legs is None:
                    continue
                for clearance, profile in profiles.items():
                    cleared = Volunteer("", clearance=clearance).cleared_for
                    if cleared(level.get(frm, 0)) and cleared(level.get(to, 0)):
                        m.add_edge(where[a], where[b], distance=int(legs), duration=int(legs), profile=profile)
    with warnings.catch_warnings():  # a day that cannot carry every required visit is expected, and reported
        warnings.simplefilter("ignore")
        stop = MultipleCriteria([NoImprovement(options.patience), MaxRuntime(seconds)])
        found = m.solve(stop=stop, seed=options.seed, display=False)
    if not found.best.is_feasible():
        return []
    runs = []
    for route in found.best.routes():
        volunteer = free[route.vehicle_type()]
        visits = [codes[a.idx] for a in route if a.is_client()]
        runs.append(_timed(network, volunteer, day, visits, loads))
    return runs


def _timed(network: Network, volunteer: Volunteer, day: int, visits: list[str], loads: dict[str, dict[str, int]]
           ) -> PlannedRun:
    """A run with its arrival times: a volunteer walks `hours_a_day` a day and sleeps where the day ends."""
    hours, here, stops = 0.0, network.base, []
    for code in visits:
        hours += (network.seconds(here, code) or 0.0) / 3600
        stops.append(Stop(code, day + int(hours // volunteer.hours_a_day), round(hours, 2), loads[code], []))
        hours += STOP_MINUTES / 60
        here = code
    hours += (network.seconds(here, network.base) or 0.0) / 3600
    return PlannedRun(day, volunteer, stops, round(hours, 2))


def _attach_tasks(network: Network, runs: list[PlannedRun], days: int) -> None:
    """Each defence test falling due within the horizon goes to the first visit from a month before it is due
    (or the first visit at all when it is overdue)."""
    visits = sorted(((stop.arrive_day, stop) for run in runs for stop in run.stops), key=lambda pair: pair[0])
    for code, tests in network.defences.items():
        for test in tests:
            if test[2] >= days:
                continue
            at = [stop for arrive, stop in visits if stop.shelter == code and arrive >= test[2] - 30]
            if at:
                at[0].tasks.append(test)


def replay(network: Network, runs: list[PlannedRun], options: Options, seed: int | None = None
           ) -> tuple[dict[str, float], dict[str, float]]:
    """Play the plan's deliveries against drawn futures: per shelter, the highest probability over the days
    that some item with a minimum ends the day below it, and the expected units short of the minimums
    (summed over the days)."""
    state = Futures(network, options, draw_demand(network, options.days, options.draws,
                                                 options.seed if seed is None else seed))
    for run in runs:
        for stop in run.stops:
            state.deliver(stop.shelter, stop.arrive_day, stop.load)
    risk, shortage = {}, {}
    for code, skus in state.minimums.items():
        short = 0.0
        for sku in skus:
            path = np.maximum(state.project((code, sku), 0), 0.0)
            short += float(np.maximum(network.pars[(code, sku)][0] - path, 0.0).sum(axis=1).mean())
        risk[code] = float(state.below(code, 0).mean(axis=0).max(initial=0.0))
        if short > 0:
            shortage[code] = round(short, 2)
    return risk, shortage


def runs_today(network: Network, free: list[Volunteer], team: list[Volunteer], options: Options,
               skip: frozenset[str] = frozenset()) -> list[PlannedRun]:
    """Today's runs only (day 0 of a rolling horizon of `options.days`), for a policy that plans again every
    day: the shelters due, routed for the volunteers `free` today; `team` tells who may walk on later days;
    `skip` holds shelters a run already on its way will reach."""
    if not free:
        return []
    longest = options.max_run_days * max(v.hours_a_day for v in team) * 3600
    state = Futures.start(network, options)
    reachable = {s.code for s in network.sites if network.seconds(network.base, s.code) is not None
                 and network.seconds(s.code, network.base) is not None
                 and network.seconds(network.base, s.code) + network.seconds(s.code, network.base) <= longest}  # type: ignore[operator]
    due = {code: d for code, d in state.due_days(0, options.risk).items()
           if code in reachable and code not in skip and d < options.days}
    chosen = _today(network, team, due, 0, options)
    return _route(network, state, free, chosen, 0, options, options.time_limit) if chosen else []
