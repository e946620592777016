"""Iterated local search over the delivery schedule of an IRP, for one vehicle or several.

A solution is, for each day, the routes driven (customers in order). It is priced by the routes' length
plus the least holding cost of quantities that fit them: a minimum-cost flow (irp_flow.py), in which a
route may carry more than a vehicle holds, and the supplier ship more than it has, at a penalty per
unit. So every schedule is priced with its best quantities under the maximum-level policy, and the
search may cross schedules that need a little more than the fleet carries; the penalty rises while
the local optima need excess and falls while they need none. A local optimum that needs excess is made
to need none (several vehicles: its overloaded days split among the vehicles by PyVRP; then descents
under a much higher penalty) before it may become the best.

Moves, for one customer at a time: all its visits taken out and put back on another set of days on
which it alone could be kept above its minimum (which removes, adds and moves visits in one), each at
the cheapest place of the day's routes or on a vehicle still at home; for several vehicles, a visit
moved to another route of the same day, or exchanged with a customer of another route. A move's
estimate is its exact routing delta plus the customer's own holding for its days (its stock, less
what its deliveries save the supplier); the few best estimates are priced by the flow, and none whose
routing alone costs more than any holding saving could pay. Changed routes are tidied by 2-opt and
or-opt.

The descent is iterated: a kick gives a few customers near each other (or on a stretch of one route)
another set of days at random, mostly the same one (a new day's route for a corner of the map), and
one kick in five starts again from a greedy schedule built customer by customer. A result a little
worse than the current one may still be taken as the next start, and after 20 kicks without a new
best the next result is, whatever it costs. Every 10 kicks the best schedule's
days are routed again by PyVRP for its quantities.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from refuge.planning.irp_flow import QuantityFlow, Schedule, alone_feasible, alone_holding
from refuge.planning.irp_model import IRPInstance, IRPSolution, Route, route_cost
from refuge.planning.irp_routes import route_length, tidy

Report = Callable[[float], None]
#: The cheapest sets of days tried for a customer in one pass of the descent (by routing alone).
PATTERNS_TRIED = 8
#: The moves of one customer priced by the flow in one pass of the descent, the shortest first.
MOVES_PRICED = 8
#: Kicks between two re-routings of the best schedule by PyVRP.
REROUTE_EVERY = 10
#: Kicks without a new best after which the next result is taken as the start, however it compares.
STALE = 20
#: The share of kicks that start again from a fresh greedy schedule instead.
RESTARTS = 0.2


class ScheduleSearch:
    """Iterated local search over schedules (see the module's docstring)."""

    def __init__(self, instance: IRPInstance, seed: int = 1) -> None:
        self.instance = instance
        self.d = [list(row) for row in instance.distances]
        self.flow = QuantityFlow(instance)
        self.random = random.Random(seed)
        # the least holding any schedule can have: every customer every day, on one route carrying the fleet's load
        every = [[list(instance.customers)] for _ in range(instance.days)]
        found = _with_capacity(instance, instance.capacity * instance.vehicles).solve(every)
        self.least_holding = found[0] if found is not None else 0.0
        # solo[i][mask]: whether customer i alone stays above its minimum when visited on the days of mask
        self.solo = {i: [alone_feasible(instance, i, mask) for mask in range(1 << instance.days)]
                     for i in instance.customers}
        # alone[i][mask]: the holding cost customer i alone adds (its own stock less the supplier's) on those days
        self.alone = {i: [alone_holding(instance, i, mask) for mask in range(1 << instance.days)]
                      for i in instance.customers}
        self.near = {i: sorted((j for j in instance.customers if j != i), key=lambda j: self.d[i][j])[:8]
                     for i in instance.customers}
        self.penalty = 1.0

    # --- pricing -------------------------------------------------------------------------------------

    def routing(self, schedule: Schedule) -> int:
        return sum(route_length(self.d, r) for day in schedule for r in day)

    def cost(self, schedule: Schedule) -> float | None:
        """Routing plus least holding; None when no quantities fit the routes."""
        found = self.flow.solve(schedule)
        return None if found is None else self.routing(schedule) + found[0]

    def price(self, schedule: Schedule) -> tuple[float, int] | None:
        """(routing + holding + penalty x units beyond the loads and the supplier's stock, those units)."""
        found = self.flow.priced(schedule, self.penalty)
        return None if found is None else (self.routing(schedule) + found[0], found[2])

    # --- moves -----------------------------------------------------------------------------------------

    def _cheapest(self, day: list[list[int]], i: int, skip: int | None = None) -> tuple[float, int, int]:
        """(delta, route index, position) of adding i to the day's routes; route index len(day) is a vehicle
        still at home."""
        d = self.d
        best: tuple[float, int, int] = (math.inf, -1, -1)
        for r, route in enumerate(day):
            if r == skip or not route:
                continue
            path = [0, *route, 0]
            for p in range(len(path) - 1):
                delta = d[path[p]][i] + d[i][path[p + 1]] - d[path[p]][path[p + 1]]
                if delta < best[0]:
                    best = (delta, r, p)
        if sum(1 for r, route in enumerate(day) if route and r != skip) < self.instance.vehicles:
            if 2 * d[0][i] < best[0]:
                best = (2 * d[0][i], len(day), 0)
        return best

    @staticmethod
    def _copy(schedule: Schedule) -> Schedule:
        return [[list(r) for r in day] for day in schedule]

    @staticmethod
    def _place(day: list[list[int]], i: int, r: int, p: int) -> None:
        if r >= len(day):
            day.append([i])
        else:
            day[r].insert(p, i)

    def _without(self, schedule: Schedule, customers: set[int]) -> Schedule:
        return [[r for r in ([x for x in r if x not in customers] for r in day) if r] for day in schedule]

    def patterns(self, schedule: Schedule, i: int, bound: float = math.inf):  # type: ignore[no-untyped-def]
        """Customer i's visits all taken out and put back on another set of days (each at its cheapest place),
        for every set of days on which i alone could be kept above its minimum, the shortest first: this
        removes, adds and moves visits in one."""
        days = self.instance.days
        without = self._without(schedule, {i})
        saved = self.routing(schedule) - self.routing(without)
        adding = [self._cheapest(without[t], i) for t in range(days)]
        current = sum(1 << t for t in range(days) if _visits(schedule[t], i))
        options = []
        holding = self.alone[i]
        for mask in range(1 << days):
            if mask != current and self.solo[i][mask]:
                delta = sum(adding[t][0] for t in range(days) if mask >> t & 1) - saved
                if delta < bound:
                    options.append((delta + holding[mask] - holding[current], delta, mask))
        options.sort()
        for _estimate, delta, mask in options[:PATTERNS_TRIED]:
            def placed(mask: int = mask) -> Schedule:
                new = self._copy(without)
                for t in range(days):
                    if mask >> t & 1:
                        _, r2, p2 = adding[t]
                        self._place(new[t], i, r2, p2)
                return new
            yield _estimate, tuple(t for t in range(days) if (mask | current) >> t & 1), placed

    def relocations(self, schedule: Schedule, i: int):  # type: ignore[no-untyped-def]
        """Several vehicles: i moved to another route of the same day."""
        for t, day in enumerate(schedule):
            for r, route in enumerate(day):
                if i in route:
                    p = route.index(i)
                    before = route[p - 1] if p > 0 else 0
                    after = route[p + 1] if p + 1 < len(route) else 0
                    saved = self.d[before][i] + self.d[i][after] - self.d[before][after]
                    delta, r2, p2 = self._cheapest(day, i, skip=r)
                    if r2 == -1:
                        continue

                    def moved(t: int = t, r: int = r, r2: int = r2, p2: int = p2) -> Schedule:
                        new = self._copy(schedule)
                        self._place(new[t], i, r2, p2)
                        new[t][r].remove(i)
                        new[t] = [x for x in new[t] if x]
                        return new
                    yield delta - saved, (t,), moved

    def exchanges(self, schedule: Schedule, i: int):  # type: ignore[no-untyped-def]
        """Several vehicles: i and a customer of another route of the same day change places."""
        d = self.d
        for t, day in enumerate(schedule):
            for a, route in enumerate(day):
                if i not in route:
                    continue
                p = route.index(i)
                ip, iq = (route[p - 1] if p > 0 else 0), (route[p + 1] if p + 1 < len(route) else 0)
                for b, other in enumerate(day):
                    if b == a:
                        continue
                    for q, j in enumerate(other):
                        jp, jq = (other[q - 1] if q > 0 else 0), (other[q + 1] if q + 1 < len(other) else 0)
                        delta = (d[ip][j] + d[j][iq] - d[ip][i] - d[i][iq]) + (d[jp][i] + d[i][jq] - d[jp][j] - d[j][jq])

                        def swapped(t: int = t, a: int = a, b: int = b, p: int = p, q: int = q) -> Schedule:
                            new = self._copy(schedule)
                            new[t][a][p], new[t][b][q] = new[t][b][q], new[t][a][p]
                            return new
                        yield delta, (t,), swapped

    def descend(self, schedule: Schedule, value: tuple[float, int], deadline: float
                ) -> tuple[Schedule, tuple[float, int]]:
        """First-improvement descent (on the penalised cost) until no move improves, or time is up. For each
        customer the moves are priced by routing first and the most promising few by the flow."""
        holding = value[0] - self.routing(schedule)
        several = self.instance.vehicles > 1
        improved = True
        while improved and time.monotonic() < deadline:
            improved = False
            customers = list(self.instance.customers)
            self.random.shuffle(customers)
            for i in customers:
                if time.monotonic() >= deadline:
                    break
                bound = holding - self.least_holding  # no holding saving could pay for more walking than this
                moves = [m for m in self.patterns(schedule, i, bound)]
                if several:  # within a day only the routes change: worth the flow when they get shorter
                    limit = bound if value[1] > 0 else 0.0
                    moves += [m for m in _chain(self.relocations(schedule, i), self.exchanges(schedule, i))
                              if m[0] < min(limit, bound) - 1e-6]
                moves.sort(key=lambda m: m[0])
                for _estimate, changed, make in moves[:MOVES_PRICED]:
                    candidate = make()
                    found = self.price(candidate)
                    if found is None or found[0] >= value[0] - 1e-6:
                        continue
                    for t in changed:
                        candidate[t] = [tidy(self.d, r) for r in candidate[t]]
                    schedule, value = candidate, self.price(candidate)  # type: ignore[assignment]
                    holding = value[0] - self.routing(schedule)
                    improved = True
                    break
        return schedule, value

    # --- kicks -----------------------------------------------------------------------------------------

    def kick(self, schedule: Schedule) -> Schedule:
        """A few customers near each other (or on a stretch of one route) given other sets of days at random."""
        inst, rnd = self.instance, self.random
        busy = [(t, r) for t in range(inst.days) for r in schedule[t] if r]
        if busy and rnd.random() < 0.5:
            _, route = rnd.choice(busy)
            size = rnd.randint(1, max(1, min(len(route), 2 + inst.size // 10)))
            start = rnd.randrange(len(route) - size + 1)
            chosen = route[start:start + size]
        else:
            seed = rnd.choice(list(inst.customers))
            chosen = [seed, *self.near[seed][:rnd.randint(1, 4)]]
        new = self._without(schedule, set(chosen))
        common = rnd.choice([m for m in range(1 << inst.days) if self.solo[chosen[0]][m]])
        for i in chosen:
            masks = [m for m in range(1, 1 << inst.days) if self.solo[i][m]] or [0]
            # mostly the whole group on the same days: a new day's route for a corner of the map
            mask = common if self.solo[i][common] and rnd.random() < 0.8 else rnd.choice(masks)
            for t in range(inst.days):
                if mask >> t & 1:
                    _, r2, p2 = self._cheapest(new[t], i)
                    self._place(new[t], i, r2, p2)
        return new

    def greedy(self) -> Schedule:
        """A schedule built customer by customer (in random order): each gets the set of days, among those that
        keep it above its minimum alone, cheapest to add to the routes so far, with a little noise."""
        inst, rnd = self.instance, self.random
        schedule: Schedule = [[] for _ in range(inst.days)]
        order = list(inst.customers)
        rnd.shuffle(order)
        for i in order:
            adding = [self._cheapest(schedule[t], i) for t in range(inst.days)]
            best, chosen = math.inf, 0
            for mask in range(1 << inst.days):
                if self.solo[i][mask]:
                    cost = sum(adding[t][0] for t in range(inst.days) if mask >> t & 1) * (1 + 0.3 * rnd.random())
                    if cost < best:
                        best, chosen = cost, mask
            for t in range(inst.days):
                if chosen >> t & 1:
                    _, r2, p2 = adding[t]
                    self._place(schedule[t], i, r2, p2)
        return [[tidy(self.d, r) for r in day] for day in schedule]

    # --- the search -----------------------------------------------------------------------------------

    def reroute(self, schedule: Schedule, seconds: float) -> Schedule:
        """Every day routed again by PyVRP for the schedule's quantities, where that is shorter."""
        from refuge.planning.irp_solver import reroute

        better = reroute(self.instance, self.solution(schedule), seconds, self.random.randint(1, 10**6))
        new: Schedule = [[] for _ in range(self.instance.days)]
        for r in better.routes:
            new[r.day - 1].append(list(r.stops))
        return new if self.cost(new) is not None else schedule

    def run(self, start: IRPSolution, seconds: float, report: Report | None = None) -> IRPSolution:
        """The best schedule found within `seconds`, from `start` (which must be feasible)."""
        deadline = time.monotonic() + seconds
        schedule: Schedule = [[] for _ in range(self.instance.days)]
        for r in start.routes:
            schedule[r.day - 1].append(list(r.stops))
        best_cost = self.cost(schedule)
        if best_cost is None:
            return start
        delivered = sum(r.load for r in start.routes) or 1
        self.penalty = floor = max(self.routing(schedule) / delivered, 0.01)
        floor /= 4  # any lower and the search wanders off among schedules that need far more than the fleet holds
        best = schedule
        current, value = self.descend(schedule, self.price(schedule), deadline)  # type: ignore[arg-type]
        rounds = stale = 0
        while time.monotonic() < deadline:
            best, best_cost = self._keep(current, value, best, best_cost, deadline, report)
            rounds += 1
            # steer the penalty so that about half the local optima need no excess
            self.penalty = min(max(self.penalty * (1.3 if value[1] > 0 else 1 / 1.3), floor), 1e6)
            value = self.price(current) or value
            if self.random.random() < RESTARTS:
                trial = self.greedy() if self.instance.vehicles == 1 else self.split(self.greedy())
            else:
                trial = self.kick(current if self.random.random() < 0.8 else best)
            found = self.price(trial)
            if found is None:
                continue
            trial, found = self.descend(trial, found, deadline)
            stale += 1
            # a little worse may be the next start; after long without a new best, whatever came
            if found[0] < value[0] + 0.005 * abs(value[0]) * self.random.random() or stale >= STALE:
                current, value = trial, found
                stale = 0 if stale >= STALE else stale
            kept = best_cost
            best, best_cost = self._keep(trial, found, best, best_cost, deadline, report)
            stale = 0 if best_cost < kept else stale
            if rounds % REROUTE_EVERY == 0 and deadline - time.monotonic() > 1.0:
                rerouted = self.reroute(best, min(0.1 * self.instance.days, deadline - time.monotonic() - 0.5))
                again = self.cost(rerouted)
                if again is not None and again < best_cost - 1e-6:
                    best, best_cost = rerouted, again
                    if report:
                        report(best_cost)
        return self.solution(best)

    def split(self, schedule: Schedule) -> Schedule:
        """Several vehicles: the days whose routes carry more than a vehicle holds (with the quantities the
        penalised flow gives) routed again by PyVRP for those quantities, within the fleet where it can."""
        from refuge.planning.irp_solver import reroute

        found = self.flow.priced(schedule, self.penalty)
        if found is None:
            return schedule
        amounts, cap = found[1], self.instance.capacity
        over = {t + 1 for t, day in enumerate(schedule)
                if len(day) > self.instance.vehicles or any(sum(amounts[t, i] for i in r) > cap for r in day)}
        if not over:
            return schedule
        draft = IRPSolution(tuple(Route(t + 1, tuple(r), tuple(amounts[t, i] for i in r))
                                  for t, day in enumerate(schedule) for r in day if r))
        rerouted = reroute(self.instance, draft, 0.05 * len(over), self.random.randint(1, 10**6), days=over,
                           always=True)
        new: Schedule = [[] for _ in range(self.instance.days)]
        for r in rerouted.routes:
            new[r.day - 1].append(list(r.stops))
        return new

    def _feasible(self, schedule: Schedule, value: tuple[float, int], deadline: float) -> tuple[Schedule, float | None]:
        """A local optimum that needs excess, made to need none: for several vehicles its overloaded days
        split among the vehicles by PyVRP; then descended under a much higher penalty until it needs none."""
        if value[1] == 0:
            return schedule, value[0]
        if self.instance.vehicles > 1:
            schedule = self.split(schedule)
            again = self.price(schedule)
            if again is None:
                return schedule, None
            schedule, value = self.descend(schedule, again, deadline)
            if value[1] == 0:
                return schedule, value[0]
        kept = self.penalty
        try:
            for _ in range(3):
                self.penalty *= 10
                value = self.price(schedule)  # type: ignore[assignment]
                schedule, value = self.descend(schedule, value, deadline)
                if value[1] == 0:
                    return schedule, self.cost(schedule)
        finally:
            self.penalty = kept
        return schedule, self.cost(schedule)

    def _keep(self, schedule: Schedule, value: tuple[float, int], best: Schedule, best_cost: float,
              deadline: float, report: Report | None) -> tuple[Schedule, float]:
        """The better of the best so far and `schedule` made feasible."""
        if value[0] >= best_cost * 1.05:
            return best, best_cost
        schedule, cost = self._feasible(schedule, value, deadline)
        if cost is not None and cost < best_cost - 1e-6:
            if report:
                report(cost)
            return schedule, cost
        return best, best_cost

    def solution(self, schedule: Schedule) -> IRPSolution:
        found = self.flow.solve(schedule)
        assert found is not None
        amounts = found[1]
        out = []
        for t, day in enumerate(schedule):
            for r in day:
                stops = [i for i in r if amounts.get((t, i), 0) > 0]
                if stops:
                    out.append(Route(t + 1, tuple(stops), tuple(amounts[t, i] for i in stops)))
        cost = sum(route_cost(self.instance, r.stops) for r in out) + found[0]
        return IRPSolution(tuple(out), cost)


def _chain(*generators):  # type: ignore[no-untyped-def]
    for generator in generators:
        yield from generator


def _visits(day: list[list[int]], i: int) -> bool:
    return any(i in r for r in day)


def _with_capacity(instance: IRPInstance, capacity: int) -> QuantityFlow:
    from dataclasses import replace

    return QuantityFlow(replace(instance, capacity=capacity, vehicles=1))
