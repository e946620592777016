"""The JSON shapes of Refuge, shared by the API and by every `--json` listing of the CLI."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StrictFloat, StrictInt, StrictStr

from refuge.domain.calendar import WEEKDAYS, Calendar
from refuge.domain.defences import DefenceState
from refuge.domain.ledger import Lot, Movement
from refuge.domain.network import Item, Shelter
from refuge.domain.people import Person
from refuge.domain.readiness import Readiness
from refuge.services.ledger import Recorded, ShelterStock, StockLine

#: Quantities travel as JSON numbers; they are exact decimals with at most three places.
Quantity = Annotated[Decimal, PlainSerializer(lambda q: int(q) if q == q.to_integral_value() else float(q), return_type=float | int)]


class ShelterOut(BaseModel):
    code: str
    name: str
    x: float
    y: float
    access_notes: str
    beds: int
    condition: str
    status: str
    clearance: int

    @classmethod
    def of(cls, shelter: Shelter) -> ShelterOut:
        return cls(code=shelter.code, name=shelter.name, x=shelter.x, y=shelter.y, access_notes=shelter.access_notes,
                   beds=shelter.beds, condition=shelter.condition.value, status=shelter.status.value,
                   clearance=shelter.clearance)


class ItemOut(BaseModel):
    sku: str
    name: str
    category: str
    unit: str
    unit_weight_kg: Quantity
    shelf_life_days: int | None

    @classmethod
    def of(cls, item: Item) -> ItemOut:
        return cls(sku=item.sku, name=item.name, category=item.category.value, unit=item.unit,
                   unit_weight_kg=item.unit_weight_kg, shelf_life_days=item.shelf_life_days)


class CalendarOut(BaseModel):
    weekdays: list[str] = Field(description="the weekdays usually free to walk runs: mon, tue, ... sun")
    away: list[date] = Field(description="dates away: not free, whatever the weekday")
    available: list[date] = Field(description="dates free outside the usual weekdays")
    summary: str = Field(description="the calendar in words, e.g. 'sat,sun; away 2026-07-01..2026-07-07'")

    @classmethod
    def of(cls, calendar: Calendar) -> CalendarOut:
        return cls(weekdays=[WEEKDAYS[d] for d in sorted(calendar.weekdays)], away=sorted(calendar.away),
                   available=sorted(calendar.available), summary=calendar.describe())


class PersonCalendarOut(BaseModel):
    handle: str
    calendar: CalendarOut
    start: date = Field(description="the first day of the window `free` covers")
    free: list[date] = Field(description="the days of the window the person can walk runs")

    @classmethod
    def of(cls, handle: str, calendar: Calendar, start: date, days: int) -> PersonCalendarOut:
        return cls(handle=handle, calendar=CalendarOut.of(calendar), start=start,
                   free=[start + timedelta(days=d) for d in sorted(calendar.free_days(start, days))])


class PersonOut(BaseModel):
    handle: str
    name: str
    rank: str
    skills: list[str]
    clearance: int
    max_chakra: int
    condition: str
    available: bool
    availability: str = Field(description="available, teaching, leave or on-mission")
    superior: str | None = Field(description="handle of the person an overdue alert escalates to")
    x: float | None = Field(description="last known position, metres east (null: not known)")
    y: float | None = Field(description="last known position, metres north")
    calendar: CalendarOut = Field(description="the days the person can walk resupply runs")

    @classmethod
    def of(cls, person: Person, calendar: Calendar | None = None) -> PersonOut:
        return cls(handle=person.handle, name=person.name, rank=person.rank.value, skills=list(person.skills),
                   clearance=person.clearance, max_chakra=person.max_chakra, condition=person.condition.value,
                   available=person.available, availability=person.availability.value, superior=person.superior,
                   x=person.x, y=person.y, calendar=CalendarOut.of(calendar or Calendar()))


class LotOut(BaseModel):
    expires_on: date | None
    quantity: Quantity
    expired: bool

    @classmethod
    def of(cls, lot: Lot, as_of: date) -> LotOut:
        return cls(expires_on=lot.expires_on, quantity=lot.quantity, expired=lot.expired(as_of))


class StockLineOut(BaseModel):
    sku: str
    name: str
    category: str
    unit: str
    quantity: Quantity = Field(description="on hand, expired lots included")
    usable: Quantity
    expired: Quantity
    min: Quantity | None
    target: Quantity | None
    capacity: Quantity | None
    lots: list[LotOut]

    @classmethod
    def of(cls, line: StockLine, as_of: date) -> StockLineOut:
        par = line.par
        return cls(sku=line.item.sku, name=line.item.name, category=line.item.category.value, unit=line.item.unit,
                   quantity=line.on_hand, usable=line.usable, expired=line.expired,
                   min=par.min if par else None, target=par.target if par else None,
                   capacity=par.capacity if par else None, lots=[LotOut.of(lot, as_of) for lot in line.lots])


class StockOut(BaseModel):
    code: str
    name: str
    as_of: date
    items: list[StockLineOut]

    @classmethod
    def of(cls, stock: ShelterStock) -> StockOut:
        return cls(code=stock.shelter.code, name=stock.shelter.name, as_of=stock.as_of,
                   items=[StockLineOut.of(line, stock.as_of) for line in stock.lines])


class LotLineOut(BaseModel):
    shelter: str
    expires_on: date | None
    quantity: Quantity


class MovementOut(BaseModel):
    id: int | None
    kind: str
    shelter: str
    to_shelter: str | None
    sku: str
    quantity: Quantity = Field(description="signed change at `shelter`")
    occurred_at: datetime
    recorded_at: datetime
    by: str | None
    source: str
    note: str
    key: str | None
    lots: list[LotLineOut]

    @classmethod
    def of(cls, movement: Movement) -> MovementOut:
        return cls(id=movement.id, kind=movement.kind.value, shelter=movement.shelter, to_shelter=movement.to_shelter,
                   sku=movement.sku, quantity=movement.quantity, occurred_at=movement.occurred_at,
                   recorded_at=movement.recorded_at, by=movement.by, source=movement.source, note=movement.note,
                   key=movement.key,
                   lots=[LotLineOut(shelter=l.shelter, expires_on=l.expires_on, quantity=l.quantity) for l in movement.lines])


class RecordedOut(BaseModel):
    replayed: bool = Field(description="true when the key had been used: nothing new was written")
    movement: MovementOut

    @classmethod
    def of(cls, recorded: Recorded) -> RecordedOut:
        return cls(replayed=recorded.replayed, movement=MovementOut.of(recorded.movement))


class ReasonOut(BaseModel):
    level: str
    rule: str
    message: str


class ReadinessOut(BaseModel):
    code: str
    level: Literal["green", "amber", "red"]
    reasons: list[ReasonOut]
    last_visit: datetime | None

    @classmethod
    def of(cls, readiness: Readiness) -> ReadinessOut:
        return cls(code=readiness.shelter, level=readiness.level.value, last_visit=readiness.last_visit,
                   reasons=[ReasonOut(level=r.level.value, rule=r.rule, message=r.message) for r in readiness.reasons])


class DefenceOut(BaseModel):
    shelter: str
    code: str
    kind: str
    name: str
    status: str
    test_interval_days: int
    last_tested: datetime | None
    next_test_due: date
    overdue: bool
    charge_life_days: int | None
    charge_ends: date | None

    @classmethod
    def of(cls, state: DefenceState) -> DefenceOut:
        d = state.defence
        return cls(shelter=d.shelter, code=d.code, kind=d.kind.value, name=d.name, status=state.status.value,
                   test_interval_days=d.test_interval_days, last_tested=state.last_tested,
                   next_test_due=state.next_test_due, overdue=state.overdue, charge_life_days=d.charge_life_days,
                   charge_ends=state.charge_ends)


class MovementIn(BaseModel):
    """A movement to record at the shelter in the path. `quantity` is the counted total for a count."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["restock", "consume", "count", "transfer"]
    sku: str
    quantity: StrictInt | StrictFloat | StrictStr = Field(description="a number with at most three decimals")
    to_shelter: str | None = Field(None, description="required for a transfer")
    expires_on: str | None = Field(None, description="YYYY-MM-DD; restock or count")
    occurred_at: str | None = Field(None, description="ISO date-time; defaults to now; never in the future")
    by: str | None = Field(None, description="handle or name of the person")
    note: str = ""
    source: str = ""
    key: str | None = Field(None, description="idempotency key: a replay returns the original and writes nothing")


class DefenceTestIn(BaseModel):
    """A test of a defence: a pass (re)arms it, a fail leaves it faulty."""

    model_config = ConfigDict(extra="forbid")

    result: Literal["pass", "fail"]
    by: str | None = Field(None, description="handle or name of the person who tested it")
    at: str | None = Field(None, description="ISO date-time of the test; defaults to now; never in the future")
    note: str = ""


class ErrorOut(BaseModel):
    """Every refusal of the API: one sentence for a person, never a traceback."""

    detail: str
