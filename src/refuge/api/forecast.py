"""The JSON shapes and route of the forecasts (shared with the CLI's `--json`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from refuge.api.auth import Reader
from refuge.api.deps import Db, refusals
from refuge.api.routes import AsOf, day
from refuge.services.forecast import Forecasts, ItemForecast
from refuge.services.forecast import forecast as forecast_service

router = APIRouter()


class ItemForecastOut(BaseModel):
    sku: str
    name: str
    category: str
    unit: str
    on_hand: float = Field(description="usable (unexpired) stock at the end of the forecast's day")
    expired_on_shelf: float = Field(description="stock past its expiry still on the shelf, not counted as usable")
    min: float | None
    target: float | None
    consumption_days: int = Field(description="days with consumption in the history window")
    exposure_days: float = Field(description="days of the window the shelter held the item")
    network_rate_per_30_days: float = Field(description="the network-wide prior: consumption days per 30 days")
    rate_per_30_days: float = Field(description="this shelter's posterior: consumption days per 30 days")
    daily_use: float = Field(description="expected units used per day")
    days_to_min: float | None = Field(description="median days until below the minimum; 0 if already below; "
                                                  "null if not within the horizon")
    days_to_empty: float | None = Field(description="median days until nothing usable is left; null if not "
                                                    "within the horizon")
    p_out_by: float = Field(description="probability that nothing usable is left by the `by` date")
    expiring_unused: float = Field(description="expected units that will expire on the shelf within the horizon")

    @classmethod
    def of(cls, row: ItemForecast) -> ItemForecastOut:
        seen = row.outlook
        return cls(sku=row.sku, name=row.name, category=row.category, unit=row.unit, on_hand=row.on_hand,
                   expired_on_shelf=row.expired_on_shelf, min=row.min, target=row.target,
                   consumption_days=row.consumption_days, exposure_days=row.exposure_days,
                   network_rate_per_30_days=round(30 * row.prior.mean, 4),
                   rate_per_30_days=round(30 * (row.prior.shape + row.consumption_days)
                                          / (row.prior.rate + row.exposure_days), 4) if row.prior.rate + row.exposure_days > 0 else 0.0,
                   daily_use=round(seen.daily_use, 4), days_to_min=seen.days_to_min, days_to_empty=seen.days_to_empty,
                   p_out_by=round(seen.p_out_by, 4), expiring_unused=round(seen.expiring_unused, 3))


class ShelterForecastOut(BaseModel):
    code: str
    name: str
    items: list[ItemForecastOut]


class ForecastOut(BaseModel):
    as_of: str
    by: str
    window_days: int
    horizon_days: int
    shelters: list[ShelterForecastOut]

    @classmethod
    def of(cls, found: Forecasts) -> ForecastOut:
        horizon = next((i.outlook.horizon_days for s in found.shelters for i in s.items), 0)
        return cls(as_of=found.as_of.isoformat(), by=found.by.isoformat(), window_days=found.window_days,
                   horizon_days=horizon,
                   shelters=[ShelterForecastOut(code=s.code, name=s.name, items=[ItemForecastOut.of(i) for i in s.items])
                             for s in found.shelters])


@router.get("/forecast", response_model=ForecastOut, summary="Consumption and stock-out forecasts",
            responses=refusals(404, 422),
            description="For every item at every active shelter (or at `shelter`): the expected daily use, the "
                        "median days until below minimum and until empty, the probability of running out by "
                        "`by` (default six weeks after `as_of`), and the stock expected to expire unused. "
                        "Rates are pooled across the network (a Gamma–Poisson model; see docs/forecasts.md).")
def get_forecast(db: Db, who: Reader, shelter: Annotated[str | None, Query(description="a shelter code")] = None,
                 as_of: AsOf = None, by: Annotated[str | None, Query(description="a day, YYYY-MM-DD")] = None,
                 ) -> ForecastOut:
    return ForecastOut.of(forecast_service(db, shelter, day(as_of), day(by, "by"), clearance=who.clearance))
