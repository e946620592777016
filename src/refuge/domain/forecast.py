"""Forecasting consumption at shelters from sparse, lumpy ledger data.

A remote shelter sees a few visits a month, and each visit takes what it needs: most days nothing is
used, some days several units at once. The model (docs/forecasts.md) therefore separates *when* from
*how much*:

- Consumption days of an item at a shelter arrive as a Poisson process with an unknown rate λ
  (days with consumption per day). λ has a Gamma(α, β) prior shared by every shelter holding the
  item, fitted to the whole network by the method of moments (empirical Bayes); a shelter's own
  history, X consumption days over T days of exposure, gives the posterior Gamma(α + X, β + T). A
  shelter with little history is pulled towards the network's rate; one with a long history speaks
  for itself.
- How much is used on a consumption day is drawn from that item's daily totals across the network.

The future is then simulated (with a fixed seed, so a forecast is reproducible): λ from its
posterior, consumption days as a Poisson process, quantities from the pooled totals, stock drawn
first-expiry-first-out and lots written off on expiry. From the simulated futures come the median
days until the stock falls below its minimum and until it is empty, the probability of running out
by a date, and the stock expected to expire unused.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np
from numba import njit

#: The prior's shape for an item nobody has used in the window: no demand is expected.
NO_DEMAND = 0.0


@dataclass(frozen=True)
class Prior:
    """Gamma(shape, rate) prior on an item's consumption days per day, with the data it came from."""

    shape: float
    rate: float
    shelters: int
    days: float
    consumption_days: int

    @property
    def mean(self) -> float:
        return self.shape / self.rate if self.rate > 0 else 0.0


def fit_prior(consumption_days: np.ndarray, exposure_days: np.ndarray) -> Prior:
    """The network-wide Gamma prior of one item from each shelter's consumption days and exposure.

    Method of moments: the pooled rate m = ΣX / ΣT is the prior mean; the spread of the shelters' own
    rates X/T beyond what Poisson noise alone gives (m/T) is the between-shelter variance v, so the
    prior rate is m / v. With no spread beyond noise, every shelter shares the rate and the prior is
    worth the whole network's exposure (its rate is capped there, so it never outweighs all the data).
    """
    x = np.asarray(consumption_days, dtype=float)
    t = np.asarray(exposure_days, dtype=float)
    keep = t > 0
    x, t = x[keep], t[keep]
    total_x, total_t = float(x.sum()), float(t.sum())
    if total_t <= 0 or total_x <= 0:
        return Prior(NO_DEMAND, 1.0, int(keep.sum()), total_t, int(total_x))
    m = total_x / total_t
    rates = x / t
    spread = float(np.mean((rates - m) ** 2)) - m * float(np.mean(1.0 / t)) if len(t) > 1 else 0.0
    rate = min(m / spread, total_t) if spread > 0 else total_t
    return Prior(m * rate, rate, len(t), total_t, int(total_x))


@dataclass(frozen=True)
class Posterior:
    shape: float
    rate: float

    @property
    def mean(self) -> float:
        """Expected consumption days per day."""
        return self.shape / self.rate if self.rate > 0 else 0.0


def posterior(prior: Prior, consumption_days: int, exposure_days: float) -> Posterior:
    return Posterior(prior.shape + consumption_days, prior.rate + max(0.0, exposure_days))


@dataclass(frozen=True)
class Outlook:
    """What the simulated futures of one item at one shelter say (days from the forecast's date)."""

    daily_use: float  # expected units used per day
    days_to_min: float | None  # median days until below the minimum (0: already below; None: not within the horizon)
    days_to_empty: float | None  # median days until nothing usable is left (None: not within the horizon)
    p_out_by: float  # probability of running out (nothing usable left) by the date asked about
    expiring_unused: float  # expected units that expire on the shelf within the horizon
    horizon_days: int


def seed_for(*parts: object) -> int:
    """A stable seed per shelter and item, so one forecast does not depend on the order of the others."""
    return zlib.crc32("\x1f".join(map(str, parts)).encode()) & 0x7FFFFFFF


def outlook(post: Posterior, amounts: np.ndarray, lots: list[tuple[float | None, float]], minimum: float,
            by_day: float, horizon_days: int, draws: int, seed: int) -> Outlook:
    """Simulate `draws` futures over `horizon_days`. `lots` are (days until expiry or None, quantity) of
    the usable stock; `amounts` the item's daily consumption totals across the network; `by_day` the day
    whose stock-out probability is wanted."""
    ordered = sorted(((math.inf if e is None else float(e), float(q)) for e, q in lots if q > 0))
    expiry = np.array([e for e, _ in ordered], dtype=np.float64)
    cumulative = np.cumsum(np.array([q for _, q in ordered], dtype=np.float64))
    pool = np.asarray(amounts, dtype=np.float64)
    mean_amount = float(pool.mean()) if pool.size else 0.0
    daily_use = post.mean * mean_amount
    below, empty, waste = _simulate(post.shape, post.rate, pool, expiry, cumulative, float(minimum),
                                    float(horizon_days), draws, seed)
    return Outlook(daily_use, _median_day(below, horizon_days), _median_day(empty, horizon_days),
                   float(np.mean(empty <= by_day)), float(np.mean(waste)), horizon_days)


def _median_day(days: np.ndarray, horizon: int) -> float | None:
    middle = float(np.median(days))
    return None if middle > horizon else round(middle, 1)


@njit(cache=True)
def _simulate(shape, rate, pool, expiry, cumulative, minimum, horizon, draws, seed):  # pragma: no cover - compiled
    """Per draw: the day the stock first falls below `minimum`, the day it is first empty (horizon + 1
    when not within the horizon), and the units written off on expiry."""
    np.random.seed(seed)
    below = np.full(draws, horizon + 1.0)
    empty = np.full(draws, horizon + 1.0)
    waste = np.zeros(draws)
    lots = cumulative.shape[0]
    total = cumulative[lots - 1] if lots > 0 else 0.0
    for d in range(draws):
        if total < minimum:
            below[d] = 0.0
        if total <= 0.0:
            empty[d] = 0.0
            continue
        lam = np.random.gamma(shape, 1.0 / rate) if shape > 0 and pool.shape[0] > 0 else 0.0
        events = np.random.poisson(lam * horizon) if lam > 0 else 0
        times = np.sort(np.random.random(events) * horizon)
        used = 0.0  # drawn from the lots in expiry order, by consumption or by write-off
        lot = 0
        e = 0
        while True:
            next_event = times[e] if e < events else np.inf
            next_expiry = expiry[lot] if lot < lots else np.inf
            if next_event == np.inf and (next_expiry == np.inf or next_expiry > horizon):
                break
            if next_expiry <= next_event:  # the lot's expiry comes first: what is left of it is written off
                if next_expiry > horizon:
                    break
                if used < cumulative[lot]:
                    waste[d] += cumulative[lot] - used
                    used = cumulative[lot]
                lot += 1
                now = next_expiry
            else:
                if next_event > horizon:
                    break
                used += pool[np.random.randint(pool.shape[0])]
                e += 1
                now = next_event
                while lot < lots and used >= cumulative[lot]:
                    lot += 1
            if used > total:
                used = total
            if below[d] > horizon and total - used < minimum:
                below[d] = now
            if total - used <= 0.0:
                empty[d] = now
                break
    return below, empty, waste
