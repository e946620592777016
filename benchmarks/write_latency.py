"""Single-movement write latency: `services.ledger.record`, one request per transaction, beside a bare
single-row INSERT + COMMIT with the driver on the same database."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from decimal import Decimal

import psycopg

from benchmarks import rows, synthetic
from benchmarks.databases import Places, Target
from benchmarks.harness import Options, Result, median, p95, profiled, say, seconds
from refuge.domain.ledger import MovementRequest, RequestKind
from refuge.domain.values import utc_now
from refuge.scenarios.model import Scenario
from refuge.services.ledger import record
from refuge.store import loading

NAME = "write latency"
CALLS, WARM_UP = 500, 20
SHELTERS, ITEMS = 100, 20
#: One row like the ones `record` writes: (kind, shelter_id, item_id, quantity, occurred_at, recorded_at,
#: by_id, source, note, key, fingerprint).
INSERT = ("INSERT INTO movements (kind, shelter_id, item_id, quantity, occurred_at, recorded_at, by_id, source, "
          "note, key, fingerprint) VALUES ({})").format(", ".join(["{}"] * 11))


def run(places: Places, options: Options) -> list[Result]:
    shelters = [synthetic.shelter(n) for n in range(SHELTERS)]
    catalogue = synthetic.items(ITEMS)
    opening = [synthetic.restock(n, s.code, item, Decimal(24), synthetic.START)
               for n, (s, item) in enumerate((s, i) for s in shelters for i in catalogue)]
    scenario = synthetic.network(shelters, catalogue, movements=opening)
    found: list[Result] = []
    for dialect in options.dialects:
        found += _measure(places.fresh(dialect), scenario, options)
    return found


def requests(count: int, scenario: Scenario, tag: str) -> list[MovementRequest]:
    """Restocks of 3 and consumptions of 2 in turn, at random shelters and items, each with its own key."""
    chosen = random.Random(2026)
    codes = [s.code for s in scenario.shelters]
    skus = [i.sku for i in scenario.items]
    return [
        MovementRequest(RequestKind.RESTOCK if n % 2 == 0 else RequestKind.CONSUME, chosen.choice(codes),
                        chosen.choice(skus), Decimal(3 if n % 2 == 0 else 2), by="runner-01", source="bench",
                        key=f"latency-{tag}-{n}")
        for n in range(count)
    ]


def _measure(target: Target, scenario: Scenario, options: Options) -> list[Result]:
    db = target.open()
    with db.writing() as session:
        loading.load(session, scenario)
    asked = requests(WARM_UP + CALLS, scenario, target.dialect)
    for request in asked[:WARM_UP]:
        record(db, request)
    samples = []
    for request in asked[WARM_UP:]:
        started = time.perf_counter()
        record(db, request)
        samples.append(time.perf_counter() - started)
    if options.profile:
        with profiled(True, f"{NAME} [{target.dialect}], 100 more calls"):
            for request in requests(100, scenario, f"{target.dialect}-profile"):
                record(db, request)
    db.dispose()
    floor = _bare_inserts(target)
    label = f"{CALLS} record() calls"
    results = [
        Result(f"{NAME} (median)", target.dialect, label, f"{label}: median {seconds(median(samples))}",
               median(samples),
               "bare single-row INSERT + COMMIT (median)", median(floor), details={"calls": CALLS}),
        Result(f"{NAME} (p95)", target.dialect, label, f"{label}: p95 {seconds(p95(samples))}", p95(samples),
               "bare single-row INSERT + COMMIT (p95)", p95(floor), details={"calls": CALLS}),
    ]
    for result in results:
        say(result)
    return results


def _bare_inserts(target: Target) -> list[float]:
    """Seconds for each of CALLS single-row inserts, each committed on its own, on one open connection."""
    now = utc_now()
    sqlite = target.dialect == "sqlite"
    when = rows.sqlite_time(now) if sqlite else now
    values = lambda n: ("restock", 1, 1, 3000, when, when, 1, "bench", "", f"bare-{n}", "0" * 64)  # noqa: E731
    if sqlite:
        connection = rows.sqlite_connect(target.raw)
        statement = INSERT.format(*["?"] * 11)

        def insert(n: int) -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(statement, values(n))
            connection.execute("COMMIT")
    else:
        connection = psycopg.connect(target.raw)  # type: ignore[assignment]
        statement = INSERT.format(*["%s"] * 11)

        def insert(n: int) -> None:
            connection.execute(statement, values(n))
            connection.commit()
    try:
        return _timed(insert, WARM_UP, CALLS)
    finally:
        connection.close()


def _timed(call: Callable[[int], None], warm_up: int, times: int) -> list[float]:
    for n in range(warm_up):
        call(-1 - n)
    samples = []
    for n in range(times):
        started = time.perf_counter()
        call(n)
        samples.append(time.perf_counter() - started)
    return samples
