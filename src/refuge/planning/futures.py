"""The stock of every shelter and item in many drawn futures, as a resupply plan leaves it.

Demand is drawn from the pooled forecast model (mission stops as a Poisson process at each shelter's
rate, each taking a basket seen in the ledger); stock is carried along per future, deliveries fill up
to target with what was carried, and lots are written off at expiry, first expiry first out (after
the expiry of a lot, no more can remain than the lots expiring later hold).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from refuge.planning.resupply import Network, Options


class Futures:
    """The stock of every shelter and item in each drawn future, as the plan so far leaves it."""

    def __init__(self, network: Network, options: Options, demand: dict[tuple[str, str], np.ndarray]) -> None:
        self.network, self.options, self.demand = network, options, demand
        self.level = {pair: np.full(options.draws, float(sum(q for _e, q in lots)))
                      for pair, lots in network.lots.items()}
        for pair in network.pars:
            self.level.setdefault(pair, np.zeros(options.draws))
        self.lots = {pair: sorted(([math.inf if e is None else float(e), float(q)] for e, q in network.lots.get(pair, [])))
                     for pair in self.level}
        self.minimums: dict[str, list[str]] = {}
        for (code, sku), (low, _t, _c) in network.pars.items():
            if low > 0:
                self.minimums.setdefault(code, []).append(sku)
        self.pending: dict[tuple[str, str], list[tuple[int, float]]] = {}
        self.today = 0
        #: per shelter: the probability that some item with a minimum is below it at the start (before day 0)
        self.start_risk = {code: float(np.mean(np.any([self.level[(code, sku)] < network.pars[(code, sku)][0] - 1e-9
                                                       for sku in skus], axis=0))) for code, skus in self.minimums.items()}

    @classmethod
    def start(cls, network: Network, options: Options) -> Futures:
        return cls(network, options, draw_demand(network, options.days, options.draws, options.seed))

    def due_days(self, day: int, risk: float) -> dict[str, int]:
        """Per shelter with minimums: the first day (from `day`) that ends with some item below its minimum
        in more than `risk` of the futures, given the deliveries planned; the horizon's length when none does."""
        horizon = self.options.days
        due = {}
        for code in self.minimums:
            chance = self.below(code, day).mean(axis=0)
            over = np.flatnonzero(chance > risk)
            due[code] = day + int(over[0]) if over.size else horizon
        return due

    def below(self, code: str, day: int) -> np.ndarray:
        """draws × days from `day`: whether some item with a minimum ends that day below it."""
        found = np.zeros((self.options.draws, max(0, self.options.days - day)), dtype=bool)
        for sku in self.minimums[code]:
            found |= self.project((code, sku), day) < self.network.pars[(code, sku)][0] - 1e-9
        return found

    def project(self, pair: tuple[str, str], day: int) -> np.ndarray:
        """Stock at the end of each day from `day` to the horizon's end (draws × days), with the deliveries
        already planned and lots written off at expiry (first expiry, first out)."""
        horizon = self.options.days
        used = self.demand.get(pair)
        spent = np.cumsum(used[:, day:horizon], axis=1) if used is not None else np.zeros((self.options.draws, horizon - day))
        path = self.level[pair][:, None] - spent
        capacity = self.network.pars.get(pair, (0, 0, math.inf))[2]
        up_to = min(self.network.pars.get(pair, (0, math.inf, math.inf))[1], capacity)
        for arrive, units in sorted(self.pending.get(pair, [])):
            if day <= arrive < horizon:
                column = arrive - day
                before = path[:, column] + (used[:, arrive] if used is not None else 0.0)  # start of that day
                path[:, column:] += np.clip(up_to - np.maximum(before, 0.0), 0.0, units)[:, None]
        lots = list(self.lots[pair]) + [[arrive + self._life(pair[1]), u] for arrive, u in self.pending.get(pair, [])
                                        if arrive >= day]
        for expiry, _units in sorted(lots):
            if not day <= expiry < horizon:
                continue
            column = int(expiry) - day
            later = sum(q for e, q in lots if e > expiry)
            over = np.maximum(path[:, column] - later, 0.0)
            path[:, column:] -= over[:, None]
        return path

    def _life(self, sku: str) -> float:
        life = self.network.items[sku][1]
        return math.inf if life is None else float(life)

    def levels_at(self, pair: tuple[str, str], day: int) -> np.ndarray:
        """Stock at the start of `day` (before that day's use and deliveries) in each future, as planned so far."""
        day = min(day, self.options.days - 1)
        if pair not in self.level:
            return np.zeros(self.options.draws)
        if day <= self.today:
            return self.level[pair]
        return np.maximum(self.project(pair, self.today)[:, day - self.today - 1], 0.0)

    def deliver(self, code: str, day: int, load: dict[str, int]) -> None:
        for sku, units in load.items():
            if units > 0:
                self.pending.setdefault((code, sku), []).append((day, float(units)))
                self.level.setdefault((code, sku), np.zeros(self.options.draws))
                self.lots.setdefault((code, sku), [])

    def consume(self, day: int) -> None:
        """Close `day`: shelve what arrives, take the day's use, write off what expires."""
        for pair, level in self.level.items():
            _low, target, capacity = self.network.pars.get(pair, (0, math.inf, math.inf))
            for arrive, units in self.pending.get(pair, []):
                if arrive == day:
                    level += np.clip(min(target, capacity) - level, 0.0, units)
                    self.lots[pair].append([day + self._life(pair[1]), units])
                    self.lots[pair].sort()
            if pair in self.demand:
                np.maximum(level - self.demand[pair][:, day], 0.0, out=level)
            lots = self.lots[pair]
            while lots and lots[0][0] <= day:
                lots.pop(0)
                np.minimum(level, sum(q for _e, q in lots), out=level)
        self.today = day + 1


def draw_demand(network: Network, days: int, draws: int, seed: int) -> dict[tuple[str, str], np.ndarray]:
    """Units used per shelter and item on each day of each drawn future (draws × days)."""
    rng = np.random.default_rng(seed)
    demand = {}
    for site in network.sites:
        if not site.baskets or site.stops_per_day <= 0:
            continue
        skus = sorted({sku for b in site.baskets for sku in b})
        table = np.array([[b.get(sku, 0.0) for sku in skus] for b in site.baskets])
        stops = rng.poisson(site.stops_per_day, size=(draws, days))
        cell = np.repeat(np.arange(draws * days), stops.ravel())
        chosen = table[rng.integers(len(site.baskets), size=cell.size)]
        for j, sku in enumerate(skus):
            demand[(site.code, sku)] = np.bincount(cell, weights=chosen[:, j], minlength=draws * days).reshape(draws, days)
    return demand
