"""Demo load time (target under 10 s): `services.demo.load_demo(db, replace=True)` into a fresh
database, migrations included, beside generating the Land of Fire alone, without writing it."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from benchmarks.databases import Places
from benchmarks.harness import Options, Result, median, profiled, repeat, say, seconds
from refuge.scenarios.land_of_fire import land_of_fire
from refuge.services.demo import Loaded, load_demo
from refuge.store.database import Database

NAME = "demo load"
TARGET_SECONDS = 10.0
RUNS, QUICK_RUNS = 3, 1
#: A fixed "now", so every run loads the same year of history.
NOW = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)


def run(places: Places, options: Options) -> list[Result]:
    runs = QUICK_RUNS if options.quick else RUNS
    generation = median(repeat(lambda: land_of_fire(end=NOW), runs))
    results = []
    for dialect in options.dialects:
        samples, loaded = _loads(places, dialect, runs)
        if options.profile:
            with profiled(True, f"{NAME} [{dialect}]"):
                _loads(places, dialect, 1)
        size = f"{loaded.shelters} shelters, {loaded.movements:,} movements"
        figure = f"{size} in {seconds(median(samples))} (median of {runs}, migrations included)"
        result = Result(NAME, dialect, size, figure, median(samples), "generating the scenario alone (median)",
                        generation, TARGET_SECONDS, details={"runs": samples, "movements": loaded.movements})
        say(result)
        results.append(result)
    return results


def _loads(places: Places, dialect: str, runs: int) -> tuple[list[float], Loaded]:
    """Seconds for each of `runs` demo loads, each into a fresh database, and what the last one loaded."""
    samples = []
    for _ in range(runs):
        db = Database(places.fresh(dialect).url)
        started = time.perf_counter()
        loaded = load_demo(db, replace=True, now=NOW)
        samples.append(time.perf_counter() - started)
        db.dispose()
    return samples, loaded
