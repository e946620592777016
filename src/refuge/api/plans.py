"""The JSON shapes and route of resupply plans (shared with the CLI's `--json`)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from pydantic import BaseModel, Field

from refuge.api.auth import Planner, RunWalker
from refuge.api.deps import Db, refusals
from refuge.api.routes import day
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
def post_plan(body: PlanIn, db: Db, who: Planner) -> PlanOut:
    return PlanOut.of(plan_resupply(db, day(body.start, "from"), body.days, body.volunteers, body.capacity_kg,
                                    body.hours_a_day, body.time_limit, clearance=who.clearance))


class AcceptedOut(BaseModel):
    id: int
    day: str
    volunteer: str
    shelters: list[str]
    created: bool = Field(description="false when the same run had been accepted before")


class OutcomeIn(BaseModel):
    delivered: dict[str, str] = Field(default_factory=dict, description="units left on the shelf, by sku")
    counted: dict[str, str] = Field(default_factory=dict, description="units counted after the delivery, by sku")
    tested: dict[str, str] = Field(default_factory=dict, description="defence code -> pass or fail")
    at: str | None = Field(None, description="when it was done, ISO 8601 (default now)")


class OutcomeOut(BaseModel):
    run: int
    shelter: str
    movements: list[int]
    replayed: int = Field(description="movements already recorded under the same keys (nothing written for them)")
    tests: int = Field(description="defence tests logged now; 0 when the stop had been recorded before")
    run_done: bool


@router.post("/runs", response_model=list[AcceptedOut], summary="Accept a plan's runs", responses=refusals(404, 422),
             description="The body is a plan as POST /api/plans answered it. Creates its runs, all or none; the same "
                         "run accepted again is the same run. Nothing is posted to the ledger.")
def accept_runs(body: dict, db: Db, who: Planner) -> list[AcceptedOut]:  # type: ignore[type-arg]
    from refuge.services.runs import accept

    return [AcceptedOut(id=a.id, day=a.day.isoformat(), volunteer=a.volunteer, shelters=a.shelters, created=a.created)
            for a in accept(db, body, who.clearance)]


@router.get("/runs", summary="Accepted runs", responses=refusals(),
            description="Every accepted run by day, with its stops (packing, tasks) and which are recorded.")
def list_runs(db: Db, who: RunWalker) -> list[dict]:  # type: ignore[type-arg]
    from refuge.services.runs import listed

    return listed(db, who.clearance)


@router.post("/runs/{run}/stops/{shelter}", response_model=OutcomeOut, summary="Record a run's outcome at a shelter",
             responses=refusals(404, 409, 422),
             description="Posts a restock per item delivered and a stocktake count per item counted (each under an "
                         "idempotency key of the run, shelter and item) and logs the defence tests once per stop. "
                         "Recording the same outcome again writes nothing; a different quantity for a line already "
                         "recorded is a 409.")
def record_outcome(run: int, shelter: str, body: OutcomeIn, db: Db, who: RunWalker) -> OutcomeOut:
    from refuge.domain.defences import parse_result
    from refuge.domain.values import parse_datetime
    from refuge.services.runs import record_stop

    found = record_stop(db, run, shelter, dict(body.delivered), dict(body.counted),
                        {k.strip().upper(): parse_result(v) for k, v in body.tested.items()},
                        parse_datetime(body.at, field="at") if body.at else None, clearance=who.clearance)
    return OutcomeOut(run=found.run, shelter=found.shelter, movements=found.movements, replayed=found.replayed,
                      tests=found.tests, run_done=found.run_done)
