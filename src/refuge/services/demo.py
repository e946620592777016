"""Use case: load a bundled scenario (the Land of Fire) into a database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from refuge.domain.errors import Conflict
from refuge.domain.values import utc_now
from refuge.scenarios.land_of_fire import land_of_fire
from refuge.store import loading
from refuge.store.database import Database


@dataclass(frozen=True)
class Loaded:
    shelters: int
    items: int
    people: int
    movements: int


def load_demo(db: Database, replace: bool = False, seed: int = 2026, now: datetime | None = None,
              progress: Callable[[str, int], None] | None = None) -> Loaded:
    """Create the schema if needed and load the Land of Fire with a year of history ending now.

    A database that already holds shelters is left alone unless `replace` is set, which first
    deletes everything in it.
    """
    db.upgrade()
    scenario = land_of_fire(end=now or utc_now(), seed=seed)
    with db.writing() as session:
        if not loading.is_empty(session):
            if not replace:
                raise Conflict(f"the database at {db.location} already holds a network; "
                               "use `refuge demo --replace` to delete it and load the demo")
            loading.clear(session)
        loading.load(session, scenario, progress)
    return Loaded(len(scenario.shelters), len(scenario.items), len(scenario.people), len(scenario.movements))
