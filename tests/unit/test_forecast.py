"""The forecasting model: pooled rates recover known rates, and the simulated futures obey the ledger's rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from refuge.domain.forecast import Posterior, fit_prior, outlook, posterior, seed_for

SURE = Posterior(1e9, 1e9 / 0.5)  # a rate known exactly: one consumption day in two


def test_pooling_recovers_known_rates_better_than_each_shelter_alone() -> None:
    rng = np.random.default_rng(11)
    errors_pooled, errors_alone = [], []
    for _trial in range(30):
        true = rng.gamma(4.0, 0.05 / 4.0, size=40)  # rates around 0.05 consumption days a day
        exposure = rng.choice([30.0, 90.0, 365.0], size=40)  # some shelters are new
        counts = rng.poisson(true * exposure)
        prior = fit_prior(counts, exposure)
        assert prior.mean == pytest.approx(counts.sum() / exposure.sum())
        pooled = np.array([posterior(prior, int(x), t).mean for x, t in zip(counts, exposure, strict=True)])
        errors_pooled.append(np.mean((pooled - true) ** 2))
        errors_alone.append(np.mean((counts / exposure - true) ** 2))
    assert np.mean(errors_pooled) < 0.6 * np.mean(errors_alone)


def test_the_prior_tracks_the_network_spread() -> None:
    rng = np.random.default_rng(5)
    exposure = np.full(2000, 365.0)
    true = rng.gamma(2.0, 0.1 / 2.0, size=2000)  # mean 0.1, variance 0.005
    prior = fit_prior(rng.poisson(true * exposure), exposure)
    assert prior.mean == pytest.approx(0.1, rel=0.05)
    assert prior.shape == pytest.approx(2.0, rel=0.2) and prior.rate == pytest.approx(20.0, rel=0.2)


def test_shelters_that_agree_share_one_rate_and_no_use_means_no_demand() -> None:
    same = fit_prior(np.array([36, 37, 36, 37]), np.full(4, 365.0))
    assert same.rate == pytest.approx(4 * 365.0) and same.mean == pytest.approx(146 / 1460)
    assert fit_prior(np.zeros(5), np.full(5, 365.0)).mean == 0.0
    never = outlook(posterior(fit_prior(np.zeros(5), np.full(5, 365.0)), 0, 365.0), np.array([]), [(None, 5.0)],
                    2.0, 42.0, 365, 200, 1)
    assert never.daily_use == 0 and never.days_to_min is None and never.p_out_by == 0


def test_a_steady_rate_empties_the_shelf_when_the_arithmetic_says() -> None:
    # Half the days use 2 units: 1 a day, so 40 units last about 40 days.
    seen = outlook(SURE, np.array([2.0]), [(None, 40.0)], 10.0, 35.0, 365, 400, 3)
    assert seen.daily_use == pytest.approx(1.0)
    assert seen.days_to_min == pytest.approx(30.0, rel=0.1) and seen.days_to_empty == pytest.approx(40.0, rel=0.1)
    assert 0 < seen.p_out_by < 0.3 and seen.expiring_unused == 0


def test_lots_expire_first_in_first_out_and_the_rest_is_written_off() -> None:
    # 10 units expiring on day 10 are used first; by then N ~ Poisson(5) days have taken 2 units each,
    # so E[waste] = sum over n < 5 of (10 - 2n) P(N = n).
    seen = outlook(SURE, np.array([2.0]), [(None, 10.0), (10, 10.0)], 0.0, 365.0, 365, 4000, 3)
    expected = sum((10 - 2 * n) * math.exp(-5) * 5**n / math.factorial(n) for n in range(5))
    assert seen.expiring_unused == pytest.approx(expected, abs=0.15)
    slow = outlook(Posterior(1e9, 1e9 / 0.05), np.array([2.0]), [(None, 10.0), (10, 10.0)], 0.0, 365.0, 365, 400, 3)
    assert slow.expiring_unused == pytest.approx(9.0, abs=0.6)  # about one unit used before day 10
    idle = outlook(Posterior(0.0, 1.0), np.array([2.0]), [(10, 6.0)], 4.0, 30.0, 365, 50, 3)
    assert (idle.days_to_min, idle.days_to_empty, idle.p_out_by, idle.expiring_unused) == (10.0, 10.0, 1.0, 6.0)


def test_a_shelf_already_below_its_minimum_or_empty_says_so() -> None:
    below = outlook(SURE, np.array([1.0]), [(None, 1.0)], 3.0, 42.0, 365, 100, 1)
    assert below.days_to_min == 0
    empty = outlook(SURE, np.array([1.0]), [], 3.0, 42.0, 365, 100, 1)
    assert (empty.days_to_min, empty.days_to_empty, empty.p_out_by) == (0, 0, 1.0)


def test_the_same_seed_gives_the_same_future_and_the_risk_grows_with_time() -> None:
    post, pool = Posterior(3.0, 60.0), np.array([1.0, 2.0, 5.0])
    lots = [(None, 8.0), (30, 4.0)]
    first = outlook(post, pool, lots, 3.0, 42.0, 365, 500, seed_for("LF-001", "AID-BANDAGE"))
    again = outlook(post, pool, lots, 3.0, 42.0, 365, 500, seed_for("LF-001", "AID-BANDAGE"))
    assert first == again
    risks = [outlook(post, pool, lots, 3.0, float(by), 365, 500, 9).p_out_by for by in (10, 60, 200, 365)]
    assert risks == sorted(risks) and risks[0] < risks[-1]
