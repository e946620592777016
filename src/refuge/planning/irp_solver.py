"""Solve an IRP under the maximum-level policy (docs/planning-benchmarks.md).

Stages under one time limit, each keeping the best solution so far:

1. A construction: every customer served as late as its minimum allows, each day routed by PyVRP.
2. An exact model in OR-Tools CP-SAT, briefly: per day and vehicle a circuit over the supplier and the
   customers (a customer's self-loop means "not visited by this vehicle"), inventory balance with the
   maximum-level and minimum-level bounds, and the exact objective (routing plus holding, scaled to
   integers). It proves the small instances optimal, and finds a start where the construction cannot.
3. The schedule search (irp_search.py): an iterated local search over which customers are visited on
   which day and in which routes, each schedule priced with its least-holding quantities by a
   minimum-cost flow (irp_flow.py).
4. For small instances and for one vehicle over three days, the exact model again from the search's best.

The solution carries the solver's claimed cost; the independent checker recomputes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from refuge.domain.errors import RefugeError
from refuge.planning.irp_model import IRPInstance, IRPSolution, Route, holding_scale, route_cost

Progress = Callable[[str, float | None], None]  # (message, best cost so far)


#: The share of the time the exact model gets first (to prove small instances: a third of it beyond SMALL
#: customers times vehicles), and at the end for small instances and for one vehicle over three days,
#: where its circuit relaxation is strong enough to improve the search's best or prove it optimal.
FIRST_EXACT_SHARE = 0.15
LAST_EXACT_SHARE = 0.25
SMALL = 30


class NoSolutionFound(RefugeError):
    """The time ran out before any feasible solution was found."""


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 1


class _Model:
    """The CP-SAT model of one instance, kept so later rounds can re-solve it from a hint."""

    def __init__(self, instance: IRPInstance) -> None:
        from ortools.sat.python import cp_model

        self.instance = instance
        self.model = model = cp_model.CpModel()
        self.scale = scale = holding_scale(instance)
        sites, n, days, cap = instance.sites, instance.size, instance.days, instance.capacity
        nodes = range(n + 1)
        self.visit = {(t, i): model.NewBoolVar(f"v{t}_{i}") for t in range(1, days + 1) for i in instance.customers}
        self.qty = {}
        self.arc = {}
        objective = []
        level_before = {i: sites[i].initial for i in nodes}
        for t in range(1, days + 1):
            shipped = []
            for i in instance.customers:
                s = sites[i]
                top = min(s.maximum, cap)
                q = model.NewIntVar(0, top, f"q{t}_{i}")
                self.qty[t, i] = q
                model.Add(q <= top * self.visit[t, i])
                model.Add(q >= 1).OnlyEnforceIf(self.visit[t, i])
                level = model.NewIntVar(s.minimum, s.maximum - s.rate, f"I{t}_{i}")
                model.Add(level == level_before[i] + q - s.rate)
                model.Add(level_before[i] + q <= s.maximum)  # the maximum-level policy
                level_before[i] = level
                shipped.append(q)
                objective.append(round(s.holding * scale) * level)
            total = sum(shipped)
            model.Add(total <= cap * instance.vehicles)
            stock = model.NewIntVar(0, sites[0].initial + days * sites[0].rate, f"B{t}")
            model.Add(stock == level_before[0] + sites[0].rate - total)
            level_before[0] = stock
            objective.append(round(sites[0].holding * scale) * stock)
            if instance.vehicles == 1:
                self._circuit(t, 0, instance.customers, {i: self.visit[t, i] for i in instance.customers},
                              objective)
                model.Add(total <= cap)
                continue
            # One circuit per vehicle: the vehicles are identical, so vehicle k+1 runs only if k does.
            served = {(k, i): model.NewBoolVar(f"y{t}_{k}_{i}") for k in range(instance.vehicles)
                      for i in instance.customers}
            part = {(k, i): model.NewIntVar(0, min(sites[i].maximum, cap), f"p{t}_{k}_{i}")
                    for k in range(instance.vehicles) for i in instance.customers}
            used = []
            for k in range(instance.vehicles):
                used.append(self._circuit(t, k, instance.customers,
                                          {i: served[k, i] for i in instance.customers}, objective))
                model.Add(sum(part[k, i] for i in instance.customers) <= cap)
                for i in instance.customers:
                    model.Add(part[k, i] <= min(sites[i].maximum, cap) * served[k, i])
            for k in range(1, instance.vehicles):
                model.AddImplication(used[k], used[k - 1])
            for i in instance.customers:
                model.Add(sum(served[k, i] for k in range(instance.vehicles)) == self.visit[t, i])
                model.Add(sum(part[k, i] for k in range(instance.vehicles)) == self.qty[t, i])
        model.Minimize(sum(objective))

    def _circuit(self, t: int, k: int, customers: range, visit: dict, objective: list):  # type: ignore[type-arg]
        """A tour of vehicle k on day t through the customers whose visit literal is true; returns
        the literal 'the vehicle leaves the supplier'."""
        model, instance = self.model, self.instance
        nodes = [0, *customers]
        arcs = []
        for i in nodes:
            for j in nodes:
                if i != j:
                    x = model.NewBoolVar(f"x{t}_{k}_{i}_{j}")
                    self.arc[t, k, i, j] = x
                    arcs.append((i, j, x))
                    objective.append(instance.distances[i][j] * self.scale * x)
        for i in customers:
            arcs.append((i, i, visit[i].Not()))
        used = model.NewBoolVar(f"used{t}_{k}")
        arcs.append((0, 0, used.Not()))
        for i in customers:
            model.AddImplication(visit[i], used)
        model.AddCircuit(arcs)
        return used

    def hint(self, solution: IRPSolution) -> None:
        model, instance = self.model, self.instance
        model.ClearHints()
        q = solution.deliveries(instance)
        on_arc = set()
        vehicle_of: dict[int, int] = {}
        for r in solution.routes:
            k = vehicle_of[r.day] = vehicle_of.get(r.day, -1) + 1
            on_arc |= {(r.day, k, a, b) for a, b in zip([0, *r.stops], [*r.stops, 0])}
        for (t, k, i, j), x in self.arc.items():
            model.AddHint(x, (t, k, i, j) in on_arc)
        for (t, i), v in self.visit.items():
            model.AddHint(v, q[t][i] > 0)
            model.AddHint(self.qty[t, i], q[t][i])

    def solve(self, seconds: float, options: SolveOptions, progress: Progress | None) -> tuple[IRPSolution | None, bool]:
        from ortools.sat.python import cp_model

        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(seconds, 0.1)
        solver.parameters.num_workers = options.workers
        solver.parameters.random_seed = options.seed
        scale = self.scale

        class Reporter(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                if progress is not None:
                    progress("exact model: new incumbent", self.ObjectiveValue() / scale)

        status = solver.Solve(self.model, Reporter())
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, False
        instance = self.instance
        routes = []
        for t in range(1, instance.days + 1):
            for k in range(instance.vehicles):
                for j in instance.customers:
                    if solver.Value(self.arc[t, k, 0, j]):
                        stops, here = [], j
                        while here != 0:
                            stops.append(here)
                            here = next(m for m in range(instance.size + 1)
                                        if m != here and solver.Value(self.arc[t, k, here, m]))
                        routes.append(Route(t, tuple(stops), tuple(solver.Value(self.qty[t, s]) for s in stops)))
        optimal = status == cp_model.OPTIMAL
        bound = solver.BestObjectiveBound() / scale
        solution = IRPSolution(tuple(routes), solver.ObjectiveValue() / scale, optimal, bound)
        return solution, optimal


def solution_cost(instance: IRPInstance, routes: tuple[Route, ...] | list[Route]) -> float:
    """Routing plus holding (days 1..H) of a set of routes, as the solver sees it."""
    q = [[0] * len(instance.sites) for _ in range(instance.days + 1)]
    for route in routes:
        for stop, amount in zip(route.stops, route.quantities):
            q[route.day][stop] += amount
    level = [s.initial for s in instance.sites]
    holding = 0.0
    for t in range(1, instance.days + 1):
        for i in instance.customers:
            level[i] += q[t][i] - instance.sites[i].rate
        level[0] += instance.sites[0].rate - sum(q[t])
        holding += sum(s.holding * level[i] for i, s in enumerate(instance.sites))
    return sum(route_cost(instance, r.stops) for r in routes) + holding


def reroute(instance: IRPInstance, solution: IRPSolution, seconds: float, seed: int = 1,
            fleet: int | None = None, days: set[int] | None = None, always: bool = False) -> IRPSolution:
    """Keep days and quantities; route each day's visits (or those of `days`) again with PyVRP, keeping a
    day's new routes only when they are shorter (or, with `always`, whenever they fit the fleet: to split
    routes that carry too much)."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    routes_by_day: dict[int, list[Route]] = {}
    for route in solution.routes:
        routes_by_day.setdefault(route.day, []).append(route)
    busy = [day for day, routes in routes_by_day.items() if sum(len(r.stops) for r in routes) >= 2
            and (days is None or day in days)]
    result: list[Route] = [r for day, rs in routes_by_day.items() if day not in busy for r in rs]
    share = seconds / max(len(busy), 1)
    for day in busy:
        current = routes_by_day[day]
        amount = {s: a for r in current for s, a in zip(r.stops, r.quantities)}
        customers = sorted(amount)
        m = Model()
        ids = [0, *customers]
        locations = [m.add_location(x=instance.sites[i].x, y=instance.sites[i].y) for i in ids]
        m.add_depot(locations[0])
        m.add_vehicle_type(num_available=instance.vehicles, capacity=[instance.capacity])
        if fleet is not None and fleet > instance.vehicles:  # extra vehicles, dear enough to be avoided
            m.add_vehicle_type(num_available=fleet - instance.vehicles, capacity=[instance.capacity],
                               fixed_cost=10 * sum(map(sum, instance.distances)))
        for c, where in zip(customers, locations[1:]):
            m.add_client(where, delivery=[amount[c]])
        for a, frm in enumerate(locations):
            for b, to in enumerate(locations):
                if a != b:
                    m.add_edge(frm, to, distance=instance.distances[ids[a]][ids[b]])
        found = m.solve(stop=MaxRuntime(max(share, 0.05)), seed=seed, display=False)
        best = found.best
        old = sum(route_cost(instance, r.stops) for r in current)
        if best.is_feasible() and (always or best.distance() < old):
            for r in best.routes():
                stops = tuple(customers[a.idx] for a in r if a.is_client())
                result.append(Route(day, stops, tuple(amount[s] for s in stops)))
        else:
            result.extend(current)
    result.sort(key=lambda r: r.day)
    return IRPSolution(tuple(result), solution_cost(instance, result), False, solution.bound)


def construct(instance: IRPInstance, seconds: float, seed: int = 1) -> IRPSolution | None:
    """A first solution: each customer is served as late as its minimum level allows and filled towards
    its maximum level (no more than the rest of the horizon needs, no more than one vehicle holds), or,
    when that overloads the supplier or the fleet, given just what the day needs; each day's visits are
    then routed by PyVRP. None when neither rule fits the supplier's stock and the fleet."""
    for fill in (True, False):
        found = _construct(instance, seconds / 2, seed, fill)
        if found is not None:
            return found
    return None


def _construct(instance: IRPInstance, seconds: float, seed: int, fill: bool) -> IRPSolution | None:
    sites, days = instance.sites, instance.days
    plan: dict[int, dict[int, int]] = {t: {} for t in range(1, days + 1)}
    for i in instance.customers:
        s = sites[i]
        level = s.initial
        for t in range(1, days + 1):
            if level - s.rate < s.minimum:
                need_rest = s.minimum + s.rate * (days - t + 1) - level
                need_today = s.minimum + s.rate - level
                q = min(s.maximum - level, instance.capacity, max(need_rest, need_today) if fill else need_today)
                if level + q - s.rate < s.minimum:
                    return None
                plan[t][i] = q
                level += q
            level -= s.rate
    stock = sites[0].initial
    for t in range(1, days + 1):
        stock += sites[0].rate - sum(plan[t].values())
        if stock < 0 or sum(plan[t].values()) > instance.capacity * instance.vehicles:
            return None
    routes = [Route(t, (i,), (q,)) for t in plan for i, q in plan[t].items()]
    draft = IRPSolution(tuple(routes), solution_cost(instance, routes))
    # Route every day from scratch: one route per stop is a start PyVRP improves on, whatever the fleet.
    routed = reroute(instance, draft, seconds, seed, fleet=max(instance.vehicles, max(len(p) for p in plan.values())))
    per_day: dict[int, int] = {}
    for route in routed.routes:
        per_day[route.day] = per_day.get(route.day, 0) + 1
    if any(count > instance.vehicles for count in per_day.values()):
        return None
    return routed


def solve_irp(instance: IRPInstance, options: SolveOptions = SolveOptions(),
              progress: Progress | None = None) -> IRPSolution:
    """The best solution found within options.time_limit seconds (proven optimal when it says so)."""
    from refuge.planning.irp_search import ScheduleSearch

    started = time.monotonic()
    limit = options.time_limit

    def left() -> float:
        return limit - (time.monotonic() - started)

    def say(message: str, cost: float | None) -> None:
        if progress is not None:
            progress(message, cost)

    best = construct(instance, min(limit * 0.05, 0.5 * instance.days), options.seed)
    if best is not None:
        say("constructed a first solution", best.claimed_cost)

    def keep(found: IRPSolution | None) -> None:
        nonlocal best
        if found is not None and (best is None or found.claimed_cost < best.claimed_cost - 1e-9):
            best = found

    # 1. the exact model, briefly: it proves the small instances optimal (and finds a start when the
    # construction could not)
    model = _Model(instance)
    if best is not None:
        model.hint(best)
    say("exact model", best.claimed_cost if best else None)
    small = instance.size * instance.vehicles <= SMALL
    share = FIRST_EXACT_SHARE if small else FIRST_EXACT_SHARE / 3
    found, optimal = model.solve(min(limit * share, left()) if best is not None else left() * 0.5,
                                 options, progress)
    bound = found.bound if found is not None else None
    keep(found)
    if optimal and found is not None:
        return found
    if best is None:
        raise NoSolutionFound(f"{instance.name}: no feasible solution found within {limit:g} s")
    # 2. the schedule search; 3. (small, or one vehicle over three days) the exact model again from its best
    final = limit * LAST_EXACT_SHARE if small or (instance.vehicles == 1 and instance.days <= 3) else 0.0
    if left() - final > 0.5:
        say("schedule search", best.claimed_cost)
        search = ScheduleSearch(instance, options.seed)
        keep(search.run(best, left() - final - 0.2, lambda cost: say("schedule search: new incumbent", cost)))
    if final and left() > 0.5:
        model.hint(best)
        say("exact model from the incumbent", best.claimed_cost)
        found, optimal = model.solve(left(), options, progress)
        if found is not None and found.bound is not None:
            bound = max(bound or 0.0, found.bound)
        if optimal and found is not None and found.claimed_cost <= best.claimed_cost + 1e-6:
            return found
        keep(found)
    return IRPSolution(best.routes, best.claimed_cost, False, bound)
