"""The JSON routes under /api: each parses what it was sent, calls one service and maps the result to a schema."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from refuge.api.auth import LedgerManager, Reader, RosterReader, StockKeeper
from refuge.api.schemas import (
    DefenceOut,
    DefenceTestIn,
    ItemOut,
    MovementIn,
    MovementOut,
    PersonCalendarOut,
    PersonOut,
    ReadinessOut,
    RecordedOut,
    ShelterOut,
    StockOut,
)
from refuge.api.deps import Db, refusals, settings
from refuge.config import Settings
from refuge.domain.defences import TestResult
from refuge.domain.network import parse_choice
from refuge.domain.readiness import Level, ReadinessPolicy
from refuge.domain.values import parse_date, parse_datetime, utc_now
from refuge.services import calendars, ledger, register
from refuge.services import readiness as readiness_service
from refuge.services.requests import movement_request

router = APIRouter()


AsOf = Annotated[str | None, Query(description="a day, YYYY-MM-DD; default today (UTC)")]


def day(value: str | None, field: str = "as_of") -> date | None:
    return parse_date(value, field=field) if value else None


@router.get("/shelters", response_model=list[ShelterOut], summary="List shelters", responses=refusals(),
            description="Every shelter of the network, by code, with its position in metres in the map frame.")
def list_shelters(db: Db, who: Reader) -> list[ShelterOut]:
    return [ShelterOut.of(shelter) for shelter in register.shelters(db, who.clearance)]


@router.get("/shelters/{code}", response_model=ShelterOut, summary="One shelter", responses=refusals(404, 422),
            description="A shelter by its code (such as `LF-001`; case does not matter).")
def get_shelter(code: str, db: Db, who: Reader) -> ShelterOut:
    return ShelterOut.of(register.shelter(db, code, who.clearance))


@router.get("/shelters/{code}/stock", response_model=StockOut, summary="What a shelter holds",
            responses=refusals(404, 422),
            description="Stock of a shelter at the end of `as_of` (default today), item by item and lot by lot, "
                        "beside its par levels. `quantity` includes expired lots; `usable` does not.")
def get_stock(code: str, db: Db, who: Reader, as_of: AsOf = None) -> StockOut:
    return StockOut.of(ledger.stock(db, code, day(as_of), who.clearance))


@router.get("/shelters/{code}/history", response_model=list[MovementOut], summary="Movements of a shelter",
            responses=refusals(404, 422),
            description="Movements at the shelter (both ends of its transfers), newest first; "
                        "`sku` keeps one item, `limit` the newest N.")
def get_history(code: str, db: Db, who: Reader, sku: Annotated[str | None, Query(description="one item's sku")] = None,
                limit: Annotated[int | None, Query(description="at most this many, newest first")] = None,
                ) -> list[MovementOut]:
    return [MovementOut.of(movement) for movement in ledger.history(db, code, sku or None, limit, who.clearance)]


@router.post("/shelters/{code}/movements", response_model=RecordedOut, status_code=201,
             summary="Record a movement", responses={
                 200: {"model": RecordedOut, "description": "the key had been used for this same movement: "
                                                            "the original is returned and nothing is written"},
                 **refusals(404, 409, 422)},
             description="Record a restock, consumption, stocktake count or transfer at the shelter. "
                         "A consumption draws from the earliest-expiring lot first; a count posts the "
                         "difference from the ledger. With a `key`, sending the same movement again "
                         "returns the original (200, `replayed: true`); the same key with other content "
                         "is refused (409). A refused request writes nothing.")
def record_movement(code: str, body: MovementIn, response: Response, db: Db, who: StockKeeper) -> RecordedOut:
    request = movement_request(body.kind, code, body.sku, body.quantity, to_shelter=body.to_shelter,
                               expires=body.expires_on, at=body.occurred_at, by=who.acting_for(body.by),
                               note=body.note, source=body.source, key=body.key)
    recorded = ledger.record(db, request, clearance=who.clearance)
    if recorded.replayed:
        response.status_code = 200
    return RecordedOut.of(recorded)


@router.post("/expire", response_model=list[MovementOut], summary="Write off expired stock",
             responses=refusals(404, 422),
             description="Write off, in one transaction, every lot in every shelter that expired before "
                         "`as_of` (default today, never later); returns the write-offs, none if nothing expired.")
def expire_stock(db: Db, who: LedgerManager, as_of: AsOf = None,
                 by: Annotated[str | None, Query(description="handle or name of the person")] = None,
                 ) -> list[MovementOut]:
    return [MovementOut.of(movement) for movement in ledger.expire(db, day(as_of), by or None,
                                                                   clearance=who.clearance)]


@router.get("/readiness", response_model=list[ReadinessOut], summary="Readiness of every shelter",
            responses=refusals(422),
            description="Green, amber or red for every shelter at the end of `as_of` (default today), with "
                        "the reasons: items below minimum, empty categories, expired lots, defences overdue "
                        "or not armed, no visit for too long. `level` keeps the shelters at that level.")
def get_readiness(db: Db, who: Reader, config: Annotated[Settings, Depends(settings)], as_of: AsOf = None,
                  level: Annotated[str | None, Query(description="green, amber or red")] = None,
                  ) -> list[ReadinessOut]:
    wanted = parse_choice(Level, level, "level") if level else None
    assessed = readiness_service.readiness(db, day(as_of), ReadinessPolicy(visit_days=config.visit_days),
                                           who.clearance)
    return [ReadinessOut.of(r) for r in assessed if wanted is None or r.level == wanted]


@router.get("/items", response_model=list[ItemOut], summary="The catalogue", responses=refusals(),
            description="Every catalogue item, by category and sku, with unit, unit weight and shelf life.")
def list_items(db: Db, _who: Reader) -> list[ItemOut]:
    return [ItemOut.of(item) for item in register.items(db)]


@router.get("/people", response_model=list[PersonOut], summary="The roster", responses=refusals(),
            description="Everyone who may record movements or test defences, by handle.")
def list_people(db: Db, _who: RosterReader) -> list[PersonOut]:
    found = calendars.calendars(db)
    return [PersonOut.of(person, found.get(person.handle)) for person in register.people(db)]


@router.get("/people/{person}/calendar", response_model=PersonCalendarOut, summary="A person's calendar",
            responses=refusals(404, 422),
            description="The days a person can walk resupply runs: usual weekdays, dates away, extra free dates, "
                        "and the free days of the `days` days from `from` (default today, 28 days). Set it with "
                        "`refuge calendar`.")
def person_calendar(person: str, db: Db, _who: RosterReader,
                    start: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD; default today")] = None,
                    days: Annotated[int, Query(ge=1, le=366, description="the window's length in days")] = 28,
                    ) -> PersonCalendarOut:
    found = calendars.calendar(db, person)
    return PersonCalendarOut.of(found.person.handle, found.calendar, day(start, "from") or utc_now().date(), days)


@router.get("/defences", response_model=list[DefenceOut], summary="Defences and their state",
            responses=refusals(404, 422),
            description="Every defence (or one shelter's) as its test log leaves it at the end of `as_of` "
                        "(default today): armed, faulty, spent or untested, and when the next test is due.")
def list_defences(db: Db, who: Reader, as_of: AsOf = None,
                  shelter: Annotated[str | None, Query(description="one shelter's code")] = None,
                  ) -> list[DefenceOut]:
    return [DefenceOut.of(state) for state in register.defences(db, shelter or None, day(as_of), who.clearance)]


@router.post("/shelters/{code}/defences/{defence}/tests", response_model=DefenceOut, status_code=201,
             summary="Log a defence test", responses=refusals(404, 422),
             description="Log a test of a defence: a pass (re)arms it, a fail leaves it faulty. `at` defaults "
                         "to now and may not be in the future. Returns the defence's state after the test.")
def record_defence_test(code: str, defence: str, body: DefenceTestIn, db: Db, who: StockKeeper) -> DefenceOut:
    at = parse_datetime(body.at, field="at") if body.at else None
    state = register.test_defence(db, code, defence, TestResult(body.result), by=who.acting_for(body.by), at=at,
                                  note=body.note,
                                  clearance=who.clearance)
    return DefenceOut.of(state)
