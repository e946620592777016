"""An independent replay of a resupply plan: what it promises (loads, days, hours, stock above minimums)."""

from __future__ import annotations

import math

import numpy as np

from refuge.planning.resupply import STOP_MINUTES, Network, Plan, draw_demand


def audit(network: Network, plan: Plan, free_days: dict[str, set[int]] | None = None) -> list[str]:
    """Every broken promise of `plan`, in words; empty when it keeps them all. `free_days` gives, per
    volunteer, the days (from the plan's first) they are free; by default the volunteer's own `days`
    (None: every day)."""
    problems = []
    days, hours_by_name = plan.options.days, {}
    for run in plan.runs:
        v = run.volunteer
        kg = sum(units * network.items[sku][0] for stop in run.stops for sku, units in stop.load.items())
        if kg > v.capacity_kg + 1e-9:
            problems.append(f"{v.name} on day {run.day} carries {kg:.2f} kg, more than {v.capacity_kg:g}")
        if not 0 <= run.day < days:
            problems.append(f"{v.name} walks on day {run.day}, not a day of the plan")
        walked, here = 0.0, network.base
        level = {site.code: site.clearance for site in network.sites}
        for stop in run.stops:
            if v.clearance is not None and level.get(stop.shelter, 0) > v.clearance:
                problems.append(f"{v.name} (clearance {v.clearance}) is sent to {stop.shelter}, classified "
                                f"{level[stop.shelter]}")
            walked += network.seconds(here, stop.shelter) / 3600  # type: ignore[operator]
            if abs(walked - stop.arrive_hours) > 0.02 or stop.arrive_day != run.day + int(walked // v.hours_a_day):
                problems.append(f"{v.name} cannot reach {stop.shelter} on day {stop.arrive_day} ({walked:.2f} h out)")
            walked += STOP_MINUTES / 60
            here = stop.shelter
        walked += network.seconds(here, network.base) / 3600  # type: ignore[operator]
        needed = max(1, math.ceil(walked / v.hours_a_day - 1e-9))
        if abs(walked - run.hours) > 0.05 or run.days != needed or needed > plan.options.max_run_days:
            problems.append(f"{v.name}'s run from day {run.day} walks {walked:.2f} h, not {run.hours} h in {run.days} day(s)")
        free = (free_days or {}).get(v.name, v.days)
        away = [d for d in range(run.day, run.day + needed) if free is not None and d not in free]
        if away:
            problems.append(f"{v.name}'s run from day {run.day} walks on day {away[0]}, a day they are not free")
        hours_by_name.setdefault(v.name, []).append((run.day, run.day + needed))
    for name, spans in hours_by_name.items():
        spans.sort()
        for (_a, end), (start, _b) in zip(spans, spans[1:]):
            if start < end:
                problems.append(f"{name} starts a run on day {start} before the last one ends on day {end}")
    covered = {s.code for s in network.sites} - {u.shelter for u in plan.uncovered}
    for code, chance in replay_risk(network, plan).items():
        if code in covered and chance > plan.options.risk + 1e-9:
            problems.append(f"{code} ends a day below a minimum in {chance:.0%} of futures, more than promised")
    return problems


def replay_risk(network: Network, plan: Plan) -> dict[str, float]:
    """Per shelter, the highest share of futures (the plan's own draws) ending a day with an item below its
    minimum, when each visit fills up to target with what was carried. Written without the planner's code
    for items that do not expire within the horizon (the tests' networks have none that do)."""
    options = plan.options
    demand = draw_demand(network, options.days, options.draws, options.seed)
    level = {pair: np.full(options.draws, float(sum(q for _e, q in lots))) for pair, lots in network.lots.items()}
    arrivals: dict[int, list[tuple[str, dict[str, int]]]] = {}
    for run in plan.runs:
        for stop in run.stops:
            arrivals.setdefault(stop.arrive_day, []).append((stop.shelter, stop.load))
    worst: dict[str, float] = {}
    for day in range(options.days):
        for code, load in arrivals.get(day, []):
            for sku, units in load.items():
                _low, target, capacity = network.pars[(code, sku)]
                have = level.setdefault((code, sku), np.zeros(options.draws))
                have += np.clip(min(target, capacity) - have, 0, units)
        for pair, used in demand.items():
            if pair in level:
                level[pair] = np.maximum(level[pair] - used[:, day], 0.0)
        for site in network.sites:
            low_items = [sku for (c, sku), par in network.pars.items() if c == site.code and par[0] > 0]
            if low_items:
                below = np.any([level.get((site.code, sku), np.zeros(options.draws)) < network.pars[(site.code, sku)][0] - 1e-9
                                for sku in low_items], axis=0)
                worst[site.code] = max(worst.get(site.code, 0.0), float(below.mean()))
    return worst
