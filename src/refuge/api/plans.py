"""The JSON shapes and route of resupply plans (shared with the CLI's `--json`)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from pydantic import BaseModel, Field

from refuge.api.routes import Db, day, refusals
from refuge.services.planner import DEFAULT_CAPACITY_KG, DEFAULT_HOURS, ResupplyPlan, plan_resupply

router = APIRouter()


class PlanIn(BaseModel):
    start: str | None = Field(None, alias="from", description="the plan's first day, YYYY-MM-DD (default today)")
    days: int = Field(description="the horizon in days (at least 1)")
    volunteers: list[str] = Field(description="handles or names of the people who walk the runs")
    capacity_kg: float = Field(DEFAULT_CAPACITY_KG, description="what each volunteer carries, kg")
    hours_a_day: float = Field(DEFAULT_HOURS, description="hours each volunteer walks a day")
    time_limit: float = Field(30.0, description="seconds for the routing in all")

    model_config = {"populate_by_name": True}


class PackedOut(BaseModel):
    sku: str
    name: str
    unit: str
    units: int
    kg: float
    expires_on: str | None = Field(description="new stock from the base: the day of the visit plus the item's "
                                               "shelf life; null for items that keep")


class TaskOut(BaseModel):
    defence: str
    name: str
    due: str


class StopOut(BaseModel):
    shelter: str
    name: str
    arrive: str = Field(description="the day the volunteer reaches the shelter")
    hours_from_start: float
    packing: list[PackedOut] = Field(description="carry enough to fill each item up to its target; bring back the rest")
    tasks: list[TaskOut] = Field(description="defence tests falling due: test on this visit")


class RunOut(BaseModel):
    day: str
    volunteer: str
    days: int = Field(description="days the run takes, nights spent in shelters on the way")
    hours: float = Field(description="hours walked from the base and back, with the stops")
    kg: float
    stops: list[StopOut]


class UncoveredOut(BaseModel):
    shelter: str
    reason: str


class PlanOut(BaseModel):
    start: str
    days: int
    base: str
    travel: str
    risk: float = Field(description="the probability of a shelter ending a day below a minimum that the plan accepts")
    runs: list[RunOut]
    uncovered: list[UncoveredOut] = Field(description="shelters the plan cannot keep above their minimums, and why")
    hours_walked: float
    solve_seconds: float

    @classmethod
    def of(cls, found: ResupplyPlan) -> PlanOut:
        made = found.plan
        return cls(start=found.start.isoformat(), days=found.days, base=found.base, travel=found.travel,
                   risk=made.options.risk, runs=[_run(found, run) for run in made.runs],
                   uncovered=[UncoveredOut(shelter=u.shelter, reason=u.reason) for u in made.uncovered],
                   hours_walked=round(made.hours_walked, 2), solve_seconds=made.solve_seconds)


def _run(found: ResupplyPlan, run) -> RunOut:  # type: ignore[no-untyped-def]
    kg = {sku: item[2] for sku, item in found.items.items()}
    stops = []
    for stop in run.stops:
        packing = []
        for sku, units in sorted(stop.load.items()):
            name, unit, each, life = found.items[sku]
            expires = (found.day(stop.arrive_day) + timedelta(days=life)).isoformat() if life is not None else None
            packing.append(PackedOut(sku=sku, name=name, unit=unit, units=units, kg=round(units * each, 3),
                                     expires_on=expires))
        stops.append(StopOut(shelter=stop.shelter, name=found.places[stop.shelter][0],
                             arrive=found.day(stop.arrive_day).isoformat(), hours_from_start=stop.arrive_hours,
                             packing=packing, tasks=[TaskOut(defence=c, name=n, due=found.day(d).isoformat())
                                                     for c, n, d in stop.tasks]))
    return RunOut(day=found.day(run.day).isoformat(), volunteer=run.volunteer.name, days=run.days, hours=run.hours,
                  kg=round(sum(u * kg[s] for stop in run.stops for s, u in stop.load.items()), 3), stops=stops)


@router.post("/plans", response_model=PlanOut, summary="Plan resupply runs", responses=refusals(404, 422),
             description="Runs over `days` days from `from`, walked by the named volunteers: on which day, by whom, "
                         "which shelters in which order, what to carry and which defence tests to make on the way; "
                         "and the shelters it cannot keep above their minimums, with the reason. Nothing is "
                         "written (see docs/planning.md).")
def post_plan(body: PlanIn, db: Db) -> PlanOut:
    return PlanOut.of(plan_resupply(db, day(body.start, "from"), body.days, body.volunteers, body.capacity_kg,
                                    body.hours_a_day, body.time_limit))
