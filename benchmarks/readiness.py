"""Readiness of a 10,000-shelter x 100-item network (target under 1 s), beside the bare driver reading
just the balances (`SELECT shelter_id, item_id, SUM(quantity) FROM lot_lines GROUP BY ...`)."""

from __future__ import annotations

import gc
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import psycopg

from benchmarks import readiness_network, rows
from benchmarks.databases import Places, Target
from benchmarks.harness import Options, Result, console, median, profiled, repeat, say, seconds
from refuge.domain.readiness import Level
from refuge.scenarios.model import Scenario
from refuge.services.readiness import readiness
from refuge.store import balances, loading
from refuge.store.database import Database
from refuge.store.ledger import id_maps

NAME = "readiness"
ITEMS = 100
FULL, QUICK = 10_000, 1_000
TARGET_SECONDS = 1.0
RUNS = 3
BALANCES = "SELECT shelter_id, item_id, SUM(quantity) FROM lot_lines GROUP BY shelter_id, item_id"


def run(places: Places, options: Options) -> list[Result]:
    shelters = QUICK if options.quick else FULL
    console.print(f"{NAME}: building {shelters:,} shelters x {ITEMS} items (not timed)")
    started = time.perf_counter()
    scenario, expected = readiness_network.build(shelters, ITEMS)
    designed = Counter(expected.values())
    console.print(f"  built in {time.perf_counter() - started:.1f} s: {len(scenario.movements):,} movements, "
                  f"{len(scenario.par_levels):,} par levels, {len(scenario.defences):,} defences; designed to be "
                  + ", ".join(f"{designed[level]:,} {level.value}" for level in Level))
    filled = []
    for dialect in options.dialects:
        started = time.perf_counter()
        target = places.fresh(dialect)
        filled.append((target, fill(target, scenario)))
        console.print(f"  \\[{dialect}] filled in {time.perf_counter() - started:.0f} s (not timed)")
    # Millions of objects held while measuring would make every garbage collection pass slower.
    del scenario
    gc.collect()
    return [_measure(target, db, expected, options) for target, db in filled]


def _measure(target: Target, db: Database, expected: dict[str, Level], options: Options) -> Result:
    dialect = target.dialect
    as_of = readiness_network.AS_OF
    _check(readiness(db, as_of), expected)  # doubles as the warm-up
    samples = repeat(lambda: readiness(db, as_of), RUNS, warm_up=0)
    with profiled(options.profile, f"{NAME} [{dialect}]"):
        if options.profile:
            readiness(db, as_of)
    floor = median(_balances(target))
    db.dispose()
    size = f"{len(expected):,} shelters x {ITEMS} items"
    result = Result(NAME, dialect, size, f"{size} in {seconds(median(samples))} (median of {RUNS}; runs "
                    f"{', '.join(seconds(s) for s in samples)})", median(samples),
                    "plain GROUP BY of the balances, fetched with the driver", floor,
                    None if options.quick else TARGET_SECONDS,  # the target is for the full-size network
                    details={"shelters": len(expected), "samples": samples, "quick": options.quick})
    say(result)
    return result


def fill(target: Target, scenario: Scenario) -> Database:
    """Migrate, load the register through Refuge, then write the bulk (par levels, ledger) with the driver.

    `loading.load` would take minutes for 1,500,000 movements (see the bulk-load figures); the driver's
    rows are the same rows, which the readiness check on the result confirms.
    """
    db = target.open()
    with db.writing() as session:
        loading.load(session, replace(scenario, par_levels=scenario.par_levels[:1], movements=[]))
        ids = id_maps(session)
    batches = [rows.par_levels(scenario.par_levels[1:], ids),
               *rows.ledger(*rows.ledger_rows(scenario.movements, ids, target.dialect))]
    if target.dialect == "sqlite":
        rows.insert_sqlite(target.raw, batches)
    else:
        rows.copy_postgres(target.raw, batches)
    with db.writing() as session:
        balances.rebuild(session)  # the driver wrote only the ledger; derive its balances as Refuge would
    if target.dialect != "sqlite":
        with psycopg.connect(target.raw, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")  # what autovacuum would soon do after such a load
    return db


def _check(found: list, expected: dict[str, Level]) -> None:
    """Say whether every shelter came out at the level the network was built to give it."""
    wrong = [r.shelter for r in found if expected.get(r.shelter) is not r.level]
    levels = Counter(r.level for r in found)
    summary = ", ".join(f"{levels[level]:,} {level.value}" for level in Level)
    if wrong or len(found) != len(expected):
        console.print(f"  [red]warning: {len(wrong):,} shelters not at their designed level[/red] "
                      f"(e.g. {', '.join(wrong[:5])}); got {summary}")
    else:
        console.print(f"  checked: every shelter at its designed level ({summary})")


def _balances(target: Target) -> list[float]:
    """Seconds for the bare driver to run the balances query and fetch every row, on one open connection."""
    connection: sqlite3.Connection | psycopg.Connection
    connection = rows.sqlite_connect(target.raw) if target.dialect == "sqlite" else psycopg.connect(target.raw)
    try:
        query: Callable[[], list] = lambda: connection.execute(BALANCES).fetchall()  # noqa: E731
        return repeat(query, RUNS)
    finally:
        connection.close()
