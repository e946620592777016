"""The bundled Land of Fire: the register from the fixed tables, and a year of history generated on it.

The history is a simulation run in the order things happened: every shelter is stocked at the start
of the year; mission teams then use up supplies at the shelters they pass, and volunteers walk
maintenance visits (write off what expired, rotate out what is about to, count, restock to target,
test the defences). Every movement is built by the ledger's own rules against lots kept from the
movements' own lines, so the history is valid by construction. Same seed and end, same scenario.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from refuge.domain.defences import Defence, DefenceTest, TestResult
from refuge.domain.ledger import Lot, Movement, MovementRequest, RequestKind, build_movement, lots_from, write_offs
from refuge.domain.network import Item, Network, ParLevel, Place, Shelter
from refuge.domain.people import Person, Rank, handle_for
from refuge.domain.values import parse_datetime
from refuge.scenarios import land_of_fire_data as data
from refuge.scenarios.desk import desk_missions, with_desk_details
from refuge.scenarios.model import Scenario
from refuge.scenarios.volunteers import volunteer_calendars

YEAR = timedelta(days=365)
MISSIONS = 210
#: How much more often missions stop at a shelter, by how it is looked after: the frontier is busy.
TRAFFIC = {data.KEPT: 1.0, data.PATCHY: 1.0, data.NEGLECTED: 4.0, data.CLOSED: 1.0, data.COMPROMISED: 1.0}
#: Day of the first visit (after the opening stock), days between visits and the last day anyone
#: comes, by care. Patchy shelters are seen in spring and summer, then forgotten for a while.
VISITS = {data.KEPT: ((20, 45), (28, 45), (365, 365)), data.COMPROMISED: ((20, 45), (28, 45), (365, 365)),
          data.PATCHY: ((40, 100), (90, 150), (200, 300)), data.NEGLECTED: ((50, 110), None, (365, 365))}
#: Volunteers take out stock that would expire before they are likely to be back.
ROTATE_DAYS = 60
STOCKTAKE_CHANCE, DISCREPANCY_CHANCE, PASS_CHANCE, REPAIR_CHANCE = 0.35, 0.15, 0.88, 0.6
#: What a mission takes from each category, by weight, and why, for the movement's note.
MISSION_USE = {"food": (4, "meals on the march"), "first-aid": (3, "treated the wounded"),
               "weapons": (2, "lost in a skirmish"), "seals": (2, "used on the approach")}


def land_of_fire(end: datetime, seed: int = 2026) -> Scenario:
    """The Land of Fire with a year of history ending at `end` (UTC); the same seed and end give the same scenario."""
    end = parse_datetime(end, field="end")
    rng = random.Random(seed)
    places = [Place(*row) for row in data.PLACES]
    shelters = [_shelter(row, places) for row in data.SHELTERS]
    items = [_item(row) for row in data.ITEMS]
    pars = _par_levels(rng, shelters, items)
    defences = _defences(rng, shelters, (end - YEAR).date())
    people = _people()
    ledger = _Ledger(items, end)
    year = _Year(rng, ledger, end - YEAR, places, shelters, pars, defences, people)
    year.run()
    care = _care()
    people = with_desk_details(people, end)
    return Scenario(
        network=Network("Land of Fire", data.WIDTH_M, data.HEIGHT_M, "The Hidden Leaf's shelters (bundled demo)"),
        places=places,
        shelters=shelters,
        items=items,
        par_levels=[par for code, levels in pars.items() if care[code] != data.CLOSED for par in levels],
        people=people,
        defences=defences,
        defence_tests=year.tests,
        movements=ledger.in_recorded_order(),
        ends_at=end,
        features=_features(),
        missions=desk_missions(list(year.trips.values()), people, places, end),
        calendars=volunteer_calendars(end.date()),
    )


def _care() -> dict[str, str]:
    return {_code(row[0]): row[7] for row in data.SHELTERS}


def _code(number: int) -> str:
    return f"LF-{number:03d}"


def _features() -> dict[str, object]:
    named = {kind: [{"name": name, "points": list(points)} for name, points in rows]
             for kind, rows in data.FEATURES.items()}
    return {"lake": list(data.LAKE), "island": list(data.ISLAND), "island_shelter": data.ISLAND_SHELTER, **named}


def _shelter(row: tuple, places: list[Place]) -> Shelter:
    number, name, x, y, beds, condition, clearance, care, hint = row
    nearest = min(places, key=lambda place: math.dist((x, y), (place.x, place.y)))
    away = math.dist((x, y), (nearest.x, nearest.y))
    where = f"{away / 1000:.1f} km {_bearing(nearest, x, y)} of {nearest.name}"
    status = care if care in (data.CLOSED, data.COMPROMISED) else "active"
    return Shelter(_code(number), name, x, y, f"{where}. {hint}", beds, condition, status, clearance)


def _apart(a: Shelter | Place, b: Shelter | Place) -> float:
    return math.dist((a.x, a.y), (b.x, b.y))


def _bearing(origin: Place, x: float, y: float) -> str:
    degrees = math.degrees(math.atan2(x - origin.x, y - origin.y)) % 360
    return ["N", "NE", "E", "SE", "S", "SW", "W", "NW"][round(degrees / 45) % 8]


def _item(row: tuple) -> Item:
    sku, name, category, unit, weight, shelf_life, _par, _use = row
    return Item(sku, name, category, unit, Decimal(weight), shelf_life)


def _par_levels(rng: random.Random, shelters: list[Shelter], items: list[Item]) -> dict[str, list[ParLevel]]:
    """Every item at every shelter but a few optional ones, scaled by beds (a two-bed hut is the table's size)."""
    base = {row[0]: row[6] for row in data.ITEMS}
    optional = [item.sku for item in items if item.category.value in data.OPTIONAL_CATEGORIES]
    levels = {}
    for shelter in shelters:
        skipped = set(rng.sample(optional, k=rng.randint(0, 4)))
        scale = (shelter.beds + 2) / 4
        levels[shelter.code] = [
            ParLevel(shelter.code, item.sku, *(Decimal(math.ceil(value * scale)) for value in base[item.sku]))
            for item in items if item.sku not in skipped
        ]
    return levels


def _defences(rng: random.Random, shelters: list[Shelter], start: date) -> list[Defence]:
    kinds = list(data.DEFENCE_KINDS)
    defences = []
    for shelter in shelters:
        counts: dict[str, int] = defaultdict(int)
        offset = rng.randrange(6)  # so that a second trap at a shelter gets another name than the first
        for kind in sorted(rng.choices(kinds, weights=(2, 3, 4, 2), k=rng.randint(1, 4)), key=kinds.index):
            letter, names, interval, charge_life, instructions = data.DEFENCE_KINDS[kind]
            counts[kind] += 1
            name = names[(offset + counts[kind]) % len(names)]
            installed = start - timedelta(days=rng.randint(30, 900))
            defences.append(Defence(shelter.code, f"{letter}{counts[kind]}", kind, name, interval,
                                    installed, charge_life, rng.choice(instructions)))
    return defences


def _people() -> list[Person]:
    people: list[Person] = []
    taken: set[str] = set()
    for name, called, rank, skills, clearance, chakra, condition, available, notes in data.PEOPLE:
        handle = _unique_handle(called or name, name, taken)
        people.append(Person(handle, name, rank, skills, clearance, chakra, condition, available, notes))
    return people


def _unique_handle(called: str, name: str, taken: set[str]) -> str:
    """The usual handle; a second person of the same first name gets their family name added."""
    handle = base = handle_for(called)
    if handle in taken:
        handle = base = f"{base}-{handle_for(name.split()[-1])}"
    number = 2
    while handle in taken:
        handle, number = f"{base}-{number}", number + 1
    taken.add(handle)
    return handle


class _Ledger:
    """The simulation's books: the lots of each item at each shelter, kept from each movement's lines."""

    def __init__(self, items: list[Item], end: datetime) -> None:
        self.items = {item.sku: item for item in items}
        self.end = end
        self.held: dict[tuple[str, str], dict[date | None, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.clock: dict[str, datetime] = {}
        self.movements: list[Movement] = []

    def lots(self, shelter: str, sku: str) -> list[Lot]:
        return lots_from(self.held[(shelter, sku)].items())

    def on_hand(self, shelter: str, sku: str) -> Decimal:
        return sum(self.held[(shelter, sku)].values(), Decimal(0))

    def report_time(self, occurred: datetime, delay: timedelta, *shelters: str) -> datetime:
        """When a report reaches the office: after a delay, but never before an earlier report on the same
        shelters (so each shelter's ledger reads alike in occurred and recorded order) nor after the end."""
        latest = max([occurred + delay, *(self.clock.get(code, occurred) for code in shelters)])
        recorded = min(latest, self.end)
        self.clock.update((code, recorded) for code in shelters)
        return recorded

    def record(self, kind: str, shelter: str, sku: str, quantity: Decimal, occurred: datetime,
               recorded: datetime, **details: Any) -> None:
        request = MovementRequest(RequestKind(kind), shelter, sku, Decimal(quantity), occurred_at=occurred, **details)
        self._keep(build_movement(request, self.items[sku], self.lots(shelter, sku), recorded))

    def write_off(self, shelter: str, sku: str, occurred: datetime, recorded: datetime, by: str) -> None:
        for movement in write_offs(shelter, sku, self.lots(shelter, sku), occurred.date(), occurred, recorded, by):
            self._keep(movement)

    def _keep(self, movement: Movement) -> None:
        for line in movement.lines:
            self.held[(line.shelter, movement.sku)][line.expires_on] += line.quantity
        self.movements.append(movement)

    def in_recorded_order(self) -> list[Movement]:
        """The movements as the office recorded them, keyed `demo-000001` onwards in that order (those of a
        mission's report keep the report's key)."""
        ordered = sorted(enumerate(self.movements), key=lambda pair: (pair[1].recorded_at, pair[0]))
        return [replace(movement, key=movement.key or f"demo-{n:06d}") for n, (_, movement) in enumerate(ordered, start=1)]


@dataclass
class Trip:
    """What a mission of the year did: who went, when they left, the shelters they stopped at and what they used."""

    code: str
    rank: str
    title: str
    area: str
    team: tuple[str, ...]
    left_at: datetime
    stops: list[tuple[str, datetime]] = field(default_factory=list)
    #: (shelter, sku, quantity, when used, when the ledger recorded it)
    used: list[tuple[str, str, Decimal, datetime, datetime]] = field(default_factory=list)


@dataclass(frozen=True)
class _Mission:
    name: str
    rank: str
    team: tuple[str, ...]
    code: str = ""
    title: str = ""
    area: str = ""


class _Year:
    """A year of missions and maintenance, scheduled up front and played in the order it happened."""

    def __init__(self, rng: random.Random, ledger: _Ledger, start: datetime, places: list[Place],
                 shelters: list[Shelter], pars: dict[str, list[ParLevel]], defences: list[Defence],
                 people: list[Person]) -> None:
        self.rng, self.ledger, self.start, self.places, self.pars = rng, ledger, start, places, pars
        self.shelters = {shelter.code: shelter for shelter in shelters}
        self.care = _care()
        self.use = {row[0]: row[7] for row in data.ITEMS}
        self.defences: dict[str, list[Defence]] = defaultdict(list)
        for defence in defences:
            self.defences[defence.shelter].append(defence)
        self.field = [p.handle for p in people if p.rank not in (Rank.KAGE, Rank.CIVILIAN)]
        self.off_day: dict[str, int] = {}
        self.events: list[tuple] = []
        self.tests: list[DefenceTest] = []
        self.trips: dict[str, Trip] = {}

    def run(self) -> None:
        self._schedule()
        for occurred, _order, handler, args in sorted(self.events, key=lambda event: event[:2]):
            handler(occurred, *args)

    def _at(self, moment: datetime, handler: object, *args: object) -> None:
        self.events.append((moment, len(self.events), handler, args))

    def _day(self, day: int) -> datetime:
        """A moment in working hours on the given day of the year (1 to 364)."""
        midnight = datetime.combine(self.start.date() + timedelta(days=day), time(), tzinfo=timezone.utc)
        return midnight + timedelta(minutes=self.rng.randint(7 * 60, 17 * 60))

    def _schedule(self) -> None:
        for code, care in self.care.items():
            self._at(self.start + timedelta(minutes=self.rng.randint(60, 30 * 60)), self._open, code)
            if care in (data.CLOSED, data.COMPROMISED):
                self.off_day[code] = self.rng.randint(110, 200) if care == data.CLOSED else self.rng.randint(250, 320)
            if care == data.CLOSED:
                self._at(self._day(self.off_day[code]), self._close, code)
            for day in self._visit_days(care, self.off_day.get(code, 365)):
                self._at(self._day(day), self._visit, code)
        for number in range(1, MISSIONS + 1):
            self._plan_mission(number)

    def _visit_days(self, care: str, until: int) -> list[int]:
        if care not in VISITS:
            return []
        first, gaps, last = VISITS[care]
        days, day, until = [], self.rng.randint(*first), min(until, self.rng.randint(*last))
        while day < until:
            days.append(day)
            if gaps is None:
                break
            day += self.rng.randint(*gaps)
        return days

    def _open_on(self, code: str, day: int) -> bool:
        return day < self.off_day.get(code, 365)

    def _plan_mission(self, number: int) -> None:
        """A team leaves on some day and passes one or two shelters near each other on the way."""
        day = self.rng.randint(2, 362)
        open_codes = [code for code in self.shelters if self._open_on(code, day)]
        first = self.rng.choices(open_codes, weights=[TRAFFIC[self.care[c]] for c in open_codes])[0]
        stops = [first]
        if self.rng.random() < 0.45:
            here = self.shelters[first]
            near = sorted((c for c in open_codes if c != first), key=lambda c: _apart(here, self.shelters[c]))
            stops.append(self.rng.choice(near[:3]))
        rank = self.rng.choices("DCBAS", weights=(15, 40, 30, 12, 3))[0]
        place = min(self.places, key=lambda p: _apart(p, self.shelters[first]))
        title = f"{self.rng.choice(data.MISSION_OBJECTIVES)} near {place.name}"
        code = f"M-{number:04d}"
        mission = _Mission(f"{code} {rank}-rank: {title}", rank, tuple(self.rng.sample(self.field, k=self.rng.randint(2, 4))),
                           code, title[:1].upper() + title[1:], place.name)
        moment = self._day(day)
        self.trips[code] = Trip(mission.code, mission.rank, mission.title, mission.area, mission.team, moment)
        for code in stops:
            moment += timedelta(minutes=self.rng.randint(3 * 60, 10 * 60))
            self._at(moment, self._stop, mission, code)

    def _volunteer(self, moment: datetime) -> str:
        # Iruka teaches at the Academy; in the summer break he walks most of the runs.
        summer = moment.month in (7, 8)
        weights = [w * (4 if summer and handle == "iruka" else 1) for handle, w in data.VOLUNTEERS.items()]
        return self.rng.choices(list(data.VOLUNTEERS), weights=weights)[0]

    def _hours(self, low: int, high: int) -> timedelta:
        return timedelta(minutes=self.rng.randint(low * 60, high * 60))

    # --- what happens -------------------------------------------------------------------------

    def _open(self, occurred: datetime, code: str) -> None:
        """Opening stock: every shelter filled to target; bought at different times, so expiries vary."""
        by = self._volunteer(occurred)
        recorded = self.ledger.report_time(occurred, self._hours(1, 24), code)
        for par in self.pars[code]:
            shelf_life = self.ledger.items[par.sku].shelf_life_days
            keeps = timedelta(days=self.rng.randint(shelf_life // 3, shelf_life)) if shelf_life else None
            expires_on = occurred.date() + keeps if keeps else None
            self.ledger.record("restock", code, par.sku, par.target, occurred, recorded, by=by, source="maintenance",
                               note="opening stock for the year", expires_on=expires_on)
        self._test_defences(code, occurred + timedelta(hours=1), by)

    def _stop(self, occurred: datetime, mission: _Mission, code: str) -> None:
        """A team passing a shelter takes food, first aid, weapons and seals, as much as the shelf holds."""
        recorded = self.ledger.report_time(occurred, self._hours(4, 96), code)
        # Frontier shelters take in whole wounded teams that stay a day or two.
        heavy = 2 if self.care[code] == data.NEGLECTED else 1
        wanted = self.rng.randint(1, 3) * heavy + (mission.rank in "AS")
        held = [p.sku for p in self.pars[code] if self.use[p.sku] and self.ledger.on_hand(code, p.sku) > 0]
        for sku in self._pick(held, wanted):
            low, high = self.use[sku]
            quantity = min(self.ledger.on_hand(code, sku), Decimal(self.rng.randint(low, high) * heavy))
            why = MISSION_USE[self.ledger.items[sku].category.value][1]
            # Keyed as the mission's report keys its supplies, so the report and the ledger name the same movement.
            key = f"report:{mission.code}:{code}:{sku}"
            self.ledger.record("consume", code, sku, quantity, occurred, recorded, by=self.rng.choice(mission.team),
                               source="mission", note=f"{mission.name}: {why}", key=key)
            self.trips[mission.code].used.append((code, sku, quantity, occurred, recorded))
        self.trips[mission.code].stops.append((code, occurred))

    def _pick(self, skus: list[str], count: int) -> list[str]:
        left, picked = list(skus), []
        while left and len(picked) < count:
            weights = [MISSION_USE[self.ledger.items[sku].category.value][0] for sku in left]
            picked.append(left.pop(self.rng.choices(range(len(left)), weights=weights)[0]))
        return picked

    def _visit(self, occurred: datetime, code: str) -> None:
        """A maintenance visit: write off, rotate, sometimes count, restock to target, test the defences."""
        by = self._volunteer(occurred)
        recorded = self.ledger.report_time(occurred, self._hours(2, 48), code)
        for par in self.pars[code]:
            self.ledger.write_off(code, par.sku, occurred, recorded, by)
            self._rotate(code, par.sku, occurred, recorded, by)
        if self.rng.random() < STOCKTAKE_CHANCE:
            self._stocktake(code, occurred, recorded, by)
        for par in self.pars[code]:
            short = par.target - self.ledger.on_hand(code, par.sku)
            if short > 0:
                self.ledger.record("restock", code, par.sku, short, occurred, recorded, by=by,
                                   source="maintenance", note="restocked to target")
        self._test_defences(code, occurred + timedelta(hours=1), by)

    def _rotate(self, code: str, sku: str, occurred: datetime, recorded: datetime, by: str) -> None:
        horizon = occurred.date() + timedelta(days=ROTATE_DAYS)
        lots = self.ledger.lots(code, sku)
        soon = sum((lot.quantity for lot in lots if lot.expires_on and lot.expires_on <= horizon), Decimal(0))
        if soon > 0:
            # First-expiry-first-out draws exactly the lots that expire soonest.
            self.ledger.record("consume", code, sku, soon, occurred, recorded, by=by, source="maintenance",
                               note=f"rotated out stock expiring by {horizon}; taken back for training")

    def _stocktake(self, code: str, occurred: datetime, recorded: datetime, by: str) -> None:
        for par in self.rng.sample(self.pars[code], k=min(6, len(self.pars[code]))):
            counted, note = self._count(self.ledger.on_hand(code, par.sku))
            self.ledger.record("count", code, par.sku, counted, occurred, recorded, by=by,
                               source="maintenance", note=note)

    def _count(self, held: Decimal) -> tuple[Decimal, str]:
        """What a volunteer counts on the shelf: mostly what the ledger says, now and then less or more."""
        if self.rng.random() >= DISCREPANCY_CHANCE:
            return held, "spot count"
        if held > 0 and self.rng.random() < 0.7:
            return held - min(held, self.rng.randint(1, 3)), "spot count: short; a box lid was gnawed open"
        return held + self.rng.randint(1, 2), "spot count: more than recorded, found behind the bedding"

    def _close(self, occurred: datetime, code: str) -> None:
        """A shelter closed mid-year: expired stock written off, the rest carried to the nearest kept shelter."""
        here = self.shelters[code]
        kept = [c for c, care in self.care.items() if care == data.KEPT]
        to = min(kept, key=lambda c: _apart(here, self.shelters[c]))
        by = self._volunteer(occurred)
        recorded = self.ledger.report_time(occurred, self._hours(2, 48), code, to)
        for par in self.pars[code]:
            self.ledger.write_off(code, par.sku, occurred, recorded, by)
            held = self.ledger.on_hand(code, par.sku)
            if held > 0:
                self.ledger.record("transfer", code, par.sku, held, occurred, recorded, by=by, source="maintenance",
                                   to_shelter=to, note=f"{code} closed; stock carried to {to}")

    def _test_defences(self, code: str, when: datetime, by: str) -> None:
        for defence in self.defences[code]:
            passed = self.rng.random() < PASS_CHANCE
            result, note = (TestResult.PASS, "") if passed else (TestResult.FAIL, f"{defence.kind.value} did not hold")
            self.tests.append(DefenceTest(code, defence.code, when, result, by, note))
            if not passed and self.rng.random() < REPAIR_CHANCE:
                self.tests.append(DefenceTest(code, defence.code, when + timedelta(minutes=40), TestResult.PASS, by,
                                              "repaired and re-tested"))
