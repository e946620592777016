"""Forecasts from the ledger on both databases: known rates come back, and bad questions write nothing."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from refuge.domain.errors import InvalidInput, UnknownShelter
from refuge.services import ledger
from refuge.services.forecast import forecast
from refuge.services.requests import movement_request
from refuge.store.database import Database
from tests.factories import NOW

TRUE_RATES = {"LF-001": 0.30, "LF-002": 0.10, "LF-003": 0.02}  # consumption days a day, one kunai each


@pytest.fixture
def used(db: Database) -> Database:
    rng = np.random.default_rng(2026)
    for code, rate in TRUE_RATES.items():
        start = NOW - timedelta(days=365)
        ledger.record(db, movement_request("restock", code, "WPN-KUNAI", "1000", at=start.isoformat()), now=NOW)
        days = np.flatnonzero(rng.random(364) < rate) + 1
        for day in days:
            at = (start + timedelta(days=int(day), hours=3)).isoformat()
            ledger.record(db, movement_request("consume", code, "WPN-KUNAI", "1", at=at), now=NOW)
    return db


def test_known_rates_come_back_within_their_sampling_error(used: Database) -> None:
    found = forecast(used, as_of=NOW.date(), draws=500)
    kunai = {s.code: next(i for i in s.items if i.sku == "WPN-KUNAI") for s in found.shelters}
    for code, rate in TRUE_RATES.items():
        row = kunai[code]
        estimate = (row.prior.shape + row.consumption_days) / (row.prior.rate + row.exposure_days)
        assert row.exposure_days == pytest.approx(365, abs=1)
        assert abs(estimate - rate) < 3 * (rate / 365) ** 0.5, (code, estimate, rate)
        assert row.outlook.daily_use == pytest.approx(estimate)  # one kunai a consumption day
        assert row.outlook.days_to_empty is None  # a thousand kunai outlast the year


def test_one_shelter_and_its_expiring_stock(db: Database) -> None:
    found = forecast(db, "lf-002", as_of=NOW.date(), by=NOW.date() + timedelta(days=30), draws=200)
    assert [s.code for s in found.shelters] == ["LF-002"]
    rows = {i.sku: i for i in found.shelters[0].items}
    assert rows["AID-ANTIDOTE"].on_hand == 0 and rows["AID-ANTIDOTE"].outlook.days_to_empty == 0
    assert rows["AID-ANTIDOTE"].outlook.p_out_by == 1.0
    assert rows["AID-BANDAGE"].on_hand == 1 and rows["AID-BANDAGE"].consumption_days == 1


@pytest.mark.parametrize(("args", "error", "message"), [
    ({"shelter": "LF-099"}, UnknownShelter, "LF-099"),
    ({"as_of": NOW.date() + timedelta(days=3650)}, InvalidInput, "future"),
    ({"by": NOW.date() - timedelta(days=1)}, InvalidInput, "must come after"),
    ({"window_days": 0}, InvalidInput, "window"),
])
def test_bad_questions_get_a_specific_error(db: Database, args: dict, error: type, message: str) -> None:
    args = {"as_of": NOW.date(), **args}
    with pytest.raises(error, match=message):
        forecast(db, **args)
