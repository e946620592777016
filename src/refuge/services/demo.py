"""Use case: load a bundled scenario (the Land of Fire) into a database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from refuge.domain.access import Role
from refuge.domain.errors import Conflict
from refuge.domain.values import utc_now
from refuge.scenarios.land_of_fire import land_of_fire
from refuge.services.access import set_account
from refuge.services.missions import detect_overdue
from refuge.store import loading
from refuge.store import missions as mission_store
from refuge.store import register as register_store
from refuge.store import terrain as terrain_store
from refuge.terrain.landcover import land_of_fire_terrain
from refuge.terrain.travel import default_travel_model_text
from refuge.store.database import Database


@dataclass(frozen=True)
class DemoSignIn:
    handle: str
    role: Role
    password: str
    clearance: int = 0


#: One sign-in per role, with passwords anyone may read: for trying the demo, never for real shelters.
#: Naruto (clearance 1) is the field user: every shelter classified 2 or above does not exist for him.
DEMO_SIGN_INS = [
    DemoSignIn("tsunade", Role.ADMIN, "tsunade-demo"),
    DemoSignIn("shizune", Role.LOGISTICS, "shizune-demo"),
    DemoSignIn("iruka", Role.VOLUNTEER, "iruka-demo"),
    DemoSignIn("naruto", Role.FIELD, "naruto-demo"),
    DemoSignIn("shikaku", Role.DESK, "shikaku-demo"),
]


@dataclass(frozen=True)
class Loaded:
    shelters: int
    items: int
    people: int
    movements: int
    missions: int = 0
    sign_ins: int = 0


def load_demo(db: Database, replace: bool = False, seed: int = 2026, now: datetime | None = None,
              progress: Callable[[str, int], None] | None = None) -> Loaded:
    """Create the schema if needed and load the Land of Fire (its map and a year of history ending now).

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
        register_store.update_people(session, scenario.people)
        mission_store.load_missions(session, scenario.missions, scenario.ends_at)
        if progress:
            progress("missions", len(scenario.missions))
        terrain = land_of_fire_terrain(scenario.features, scenario.places, scenario.shelters)
        terrain_store.save_terrain(session, register_store.network_id(session), terrain,  # type: ignore[arg-type]
                                   default_travel_model_text(), "Land of Fire (bundled)", now or utc_now())
        if progress:
            progress("terrain", terrain.rows * terrain.cols)
    # The desk's first look at the book: the silent teams' check-ins are overdue, and their alerts go out.
    detect_overdue(db, at=scenario.ends_at, now=scenario.ends_at)
    for sign_in in DEMO_SIGN_INS:
        set_account(db, sign_in.handle, sign_in.role.value, sign_in.password)
    return Loaded(len(scenario.shelters), len(scenario.items), len(scenario.people), len(scenario.movements),
                  len(scenario.missions), len(DEMO_SIGN_INS))


def demo_sign_ins(db: Database) -> list[DemoSignIn]:
    """The demo's sign-ins that still work on this database (with the role and password the demo gave
    them), with each person's clearance: none on a database that is not the demo."""
    from refuge.domain.credentials import verify_password
    from refuge.store import access as access_store

    found = []
    with db.reading() as session:
        for sign_in in DEMO_SIGN_INS:
            person = register_store.find_person(session, sign_in.handle)
            account = access_store.account_row(session, person.id) if person is not None else None
            if (person is not None and account is not None and account.role == sign_in.role.value
                    and verify_password(sign_in.password, account.password_hash)):
                found.append(DemoSignIn(sign_in.handle, sign_in.role, sign_in.password, person.clearance))
    return found
