"""The quantities of an IRP schedule: a minimum-cost flow.

With the visits and the routes fixed, what to leave at each stop under the maximum-level policy is a
network flow. Stock flows through time: at the supplier from day to day (production enters every day,
the opening stock on day 1), from the supplier's day node through a route (at most Q) to the customers
the route visits that day, and at each customer from day to day. Demand leaves each customer-day node.
The maximum-level rule I(t-1) + q(t) <= U is, by flow conservation, the bound I(t) <= U - r on the
customer's end-of-day stock, and the minimum level is its lower bound; every end-of-day stock arc costs
its unit holding cost, so the least-cost flow is the least holding cost. Flows are integral, so the
quantities are whole units; no flow means the schedule cannot keep every customer above its minimum.
(OR-Tools' min-cost flow; costs scaled to integers by the smallest power of ten that makes them whole.)
"""

from __future__ import annotations

import math

import numpy as np

from refuge.planning.irp_model import IRPInstance, holding_scale

Schedule = list[list[list[int]]]  # day index (0 = day 1) -> routes -> customers


class QuantityFlow:
    """Least holding-cost quantities for fixed routes, cached by the routes' customer sets."""

    def __init__(self, instance: IRPInstance) -> None:
        self.instance = inst = instance
        self.scale = scale = holding_scale(instance)
        n, days = instance.size, instance.days
        self.sink = days + n * days
        tails, heads, caps, costs = [], [], [], []
        supply = np.zeros(self.sink + 1, dtype=np.int64)
        supplier = inst.sites[0]
        self.big = big = supplier.initial + days * supplier.rate + sum(s.initial + days * s.rate for s in inst.sites)
        for t in range(days):  # the supplier's end-of-day stock
            tails.append(t)
            heads.append(t + 1 if t + 1 < days else self.sink)
            caps.append(big)
            costs.append(round(supplier.holding * scale))
            supply[t] += supplier.rate
        supply[0] += supplier.initial
        self.constant = 0.0  # holding of the minimum levels, taken out of the flow as lower bounds
        for i in inst.customers:
            s = inst.sites[i]
            for t in range(days):
                here = self.node(i, t)
                tails.append(here)
                heads.append(self.node(i, t + 1) if t + 1 < days else self.sink)
                caps.append(max(s.maximum - s.rate - s.minimum, 0))
                costs.append(round(s.holding * scale))
                supply[here] -= s.rate + s.minimum
                supply[heads[-1]] += s.minimum
                self.constant += s.holding * s.minimum
            supply[self.node(i, 0)] += s.initial
        supply[self.sink] -= supply.sum()
        self.static = (np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32),
                       np.array(caps, dtype=np.int64), np.array(costs, dtype=np.int64))
        self.top = [0] + [min(s.maximum, inst.capacity) for s in inst.sites[1:]]
        self.supply = supply
        self.feasible_levels = all(s.maximum - s.rate >= s.minimum for s in inst.sites[1:])
        self.cache: dict[tuple, tuple[float, dict[tuple[int, int], int]] | None] = {}

    def node(self, customer: int, day: int) -> int:
        return self.instance.days + (customer - 1) * self.instance.days + day

    def solve(self, schedule: Schedule) -> tuple[float, dict[tuple[int, int], int]] | None:
        """(holding cost, {(day index, customer): quantity}) or None when no quantities fit."""
        found = self.priced(schedule, None)
        return None if found is None else found[:2]

    def priced(self, schedule: Schedule, penalty: float | None
               ) -> tuple[float, dict[tuple[int, int], int], int] | None:
        """As `solve`, but with `penalty` (cost per unit) a route may carry more than Q and the supplier may
        ship more than it holds: (holding + penalty x excess, quantities, excess units). None when even then
        nothing fits (a customer that no set of loads could keep above its minimum)."""
        key = (penalty, tuple(frozenset(frozenset(r) for r in day if r) for day in schedule))
        if key not in self.cache:
            self.cache[key] = self._solve(schedule, penalty)
        return self.cache[key]

    def _solve(self, schedule: Schedule, penalty: float | None
               ) -> tuple[float, dict[tuple[int, int], int], int] | None:
        from ortools.graph.python import min_cost_flow

        if not self.feasible_levels:
            return None
        inst, days, top = self.instance, self.instance.days, self.top
        tails, heads, caps, costs = [], [], [], []
        price = 0 if penalty is None else max(1, round(penalty * self.scale))
        credit = self.sink + 1  # where excess comes from, when a penalty is allowed
        route_node = credit + 1
        visits, delivery, excess = [], [], []
        first = len(self.static[0])
        for t, routes in enumerate(schedule):
            for route in routes:
                if not route:
                    continue
                tails.append(t)
                heads.append(route_node)
                caps.append(inst.capacity)
                costs.append(0)
                if penalty is not None:
                    excess.append(first + len(tails))
                    tails.append(t)
                    heads.append(route_node)
                    caps.append(self.big)
                    costs.append(price)
                for i in route:
                    visits.append((t, i))
                    delivery.append(first + len(tails))
                    tails.append(route_node)
                    heads.append(days + (i - 1) * days + t)
                    caps.append(top[i])
                    costs.append(0)
                route_node += 1
        if penalty is not None:  # the supplier may borrow, at the penalty, what it does not hold
            for t in range(days):
                excess.append(first + len(tails))
                tails.append(credit)
                heads.append(t)
                caps.append(self.big)
                costs.append(price)
            tails.append(credit)
            heads.append(self.sink)
            caps.append(self.big)
            costs.append(0)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(*self.static)
        if tails:
            flow.add_arcs_with_capacity_and_unit_cost(np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32),
                                                      np.array(caps, dtype=np.int64), np.array(costs, dtype=np.int64))
        supply = np.zeros(route_node, dtype=np.int64)
        supply[:len(self.supply)] = self.supply
        if penalty is not None:
            supply[credit] = self.big
            supply[self.sink] -= self.big
        flow.set_nodes_supplies(np.arange(route_node, dtype=np.int32), supply)
        if flow.solve() != flow.OPTIMAL:
            return None
        amounts = dict(zip(visits, flow.flows(np.array(delivery, dtype=np.int32)).tolist())) if visits else {}
        extra = int(flow.flows(np.array(excess, dtype=np.int32)).sum()) if excess else 0
        return flow.optimal_cost() / self.scale + self.constant, amounts, extra


def alone_feasible(instance: IRPInstance, i: int, mask: int) -> bool:
    """Whether customer i alone stays above its minimum when each visit on the days of `mask` (bit t: day
    t + 1) fills it to its maximum level, or by a vehicle's load."""
    s = instance.sites[i]
    level = s.initial
    for t in range(instance.days):
        if mask >> t & 1:
            level = min(s.maximum, level + instance.capacity)
        level -= s.rate
        if level < s.minimum:
            return False
    return True


def alone_holding(instance: IRPInstance, i: int, mask: int) -> float:
    """Customer i's holding cost alone on the days of mask, less what its deliveries save the supplier: each visit
    fills it up when its stock costs less to hold than the supplier's, else brings just enough to last until the
    next visit (the cheapest plan for one customer); infinite when no plan keeps it above its minimum."""
    s, supplier, days = instance.sites[i], instance.sites[0], instance.days
    visits = [t for t in range(days) if mask >> t & 1]
    level, cost, shipped = s.initial, 0.0, 0
    for t in range(days):
        if t in visits:
            after = visits[visits.index(t) + 1] if visits.index(t) + 1 < len(visits) else days
            wanted = s.maximum if s.holding < supplier.holding else max(level, s.minimum + s.rate * (after - t))
            amount = max(0, min(wanted, s.maximum) - level, 0)
            amount = min(amount, instance.capacity)
            level += amount
            shipped += amount
        level -= s.rate
        if level < s.minimum:
            return math.inf
        cost += s.holding * level - supplier.holding * shipped
    return cost
