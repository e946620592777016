"""Bulk load: a million movements through `loading.load_movements` in one transaction, beside the
same rows written with the bare driver's executemany (no SQLAlchemy) into an identical empty schema."""

from __future__ import annotations

import time

from sqlalchemy import text

from benchmarks import rows, synthetic
from benchmarks.databases import Places, Target
from benchmarks.harness import Options, Result, console, count, peak_memory, profiled, say
from refuge.domain.ledger import Movement
from refuge.scenarios.model import Scenario
from refuge.store import loading
from refuge.store.database import Database
from refuge.store.ledger import IdMaps, id_maps

NAME = "bulk load"
ITEMS = 100
#: Movements per shelter and item: a million movements make 1,000 shelters x 100 items.
PER_PAIR = 10
FULL, QUICK = 1_000_000, 100_000
#: What the two loads are compared on after the fact: the same ledger must read the same.
DIGEST = text("SELECT count(*), sum(quantity), count(DISTINCT expires_on), count(DISTINCT movement_id) FROM lot_lines")


def run(places: Places, options: Options) -> list[Result]:
    total = options.movements or (QUICK if options.quick else FULL)
    shelters = [synthetic.shelter(n) for n in range(max(1, total // (ITEMS * PER_PAIR)))]
    scenario = synthetic.network(shelters, synthetic.items(ITEMS))
    console.print(f"{NAME}: building {total:,} movements for {len(shelters):,} shelters x {ITEMS} items (not timed)")
    started = time.perf_counter()
    with peak_memory() as held:
        movements = synthetic.bulk_history(shelters, scenario.items, total)
    lines = sum(len(m.lines) for m in movements)
    console.print(f"  built in {time.perf_counter() - started:.1f} s: {lines:,} lot lines; "
                  f"holding them takes {held['growth_mb']:,.0f} MB")
    return [_measure(places, dialect, scenario, movements, options) for dialect in options.dialects]


def _measure(places: Places, dialect: str, scenario: Scenario, movements: list[Movement], options: Options) -> Result:
    target = places.fresh(dialect)
    db = _with_register(target, scenario)
    with peak_memory() as memory, profiled(options.profile, f"{NAME} [{dialect}]"):
        started = time.perf_counter()
        with db.writing() as session:
            written = loading.load_movements(session, movements, id_maps(session))
        elapsed = time.perf_counter() - started
    product_digest = _digest(db)
    db.dispose()
    floor, floor_digest = _floor(places, dialect, scenario, movements)
    copied = _floor(places, dialect, scenario, movements, copy=True)[0] if dialect != "sqlite" else None
    size = f"{count(written)} movements"
    result = Result(
        NAME, dialect, size, f"{size} in {elapsed:.1f} s ({count(written / elapsed)}/s)", elapsed,
        f"raw executemany of the same rows ({dialect} driver, no ORM)", floor,
        details={"movements": written, "peak_mb": memory["peak_mb"], "growth_mb": memory["growth_mb"],
                 "copy_seconds": copied, "quick": options.quick},
    )
    say(result, f", peak memory {memory['peak_mb']:,.0f} MB (+{memory['growth_mb']:,.0f} MB during the load)")
    if copied is not None:
        console.print(f"  for reference, the same rows with COPY: {copied:.1f} s (ratio {elapsed / copied:.1f}x)")
    if product_digest != floor_digest:
        console.print(f"  [red]warning: the two loads differ[/red]: {product_digest} vs {floor_digest}")
    return result


def _with_register(target: Target, scenario: Scenario) -> Database:
    """The target migrated and holding the network's shelters, items, par levels and people (not timed)."""
    db = target.open()
    with db.writing() as session:
        loading.load(session, scenario)
    return db


def _floor(places: Places, dialect: str, scenario: Scenario, movements: list[Movement],
           copy: bool = False) -> tuple[float, tuple]:
    """Seconds for the bare driver to write the same rows (converted beforehand, not timed), and the digest;
    with `copy`, PostgreSQL's COPY instead of executemany."""
    target = places.fresh(dialect)
    db = _with_register(target, scenario)
    with db.reading() as session:
        ids: IdMaps = id_maps(session)
    batches = rows.ledger(*rows.ledger_rows(movements, ids, dialect))
    insert = rows.insert_sqlite if dialect == "sqlite" else rows.copy_postgres if copy else rows.insert_postgres
    started = time.perf_counter()
    insert(target.raw, batches)
    elapsed = time.perf_counter() - started
    digest = _digest(db)
    db.dispose()
    return elapsed, digest


def _digest(db: Database) -> tuple:
    with db.reading() as session:
        return tuple(session.execute(DIGEST).one())
