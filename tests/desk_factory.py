"""The small test network with a mission desk's roster: medics near and far, superiors, someone on leave."""

from __future__ import annotations

from dataclasses import replace

from refuge.domain.people import Person
from refuge.store import loading
from refuge.store import register as register_store
from refuge.store.database import Database
from tests.factories import PEOPLE, small_network

DESK_PEOPLE = [
    replace(PEOPLE[0], superior="kakashi"),  # iruka
    replace(PEOPLE[1], superior="tsunade"),  # kakashi
    PEOPLE[2],  # tsunade, a medic, at the village (no recorded position)
    Person("shizune", "Shizune", "jonin", ("medic",), clearance=4, superior="tsunade", x=21_000.0, y=20_000.0),
    Person("sakura", "Sakura Haruno", "chunin", ("medic",), clearance=2, superior="kakashi", x=12_000.0, y=21_000.0),
    Person("ino", "Ino Yamanaka", "chunin", ("medic",), clearance=2, condition="injured", x=11_000.0, y=20_000.0),
    Person("hinata", "Hinata Hyuga", "chunin", ("medic",), clearance=2, availability="leave", x=10_500.0, y=20_000.0),
    Person("kabuto", "Kabuto Yakushi", "genin", ("medic",), clearance=1, x=55_000.0, y=5_000.0),
    Person("kiba", "Kiba Inuzuka", "chunin", ("tracking",), clearance=2, superior="kakashi"),
]


def load_desk_network(db: Database) -> None:
    scenario = replace(small_network(), people=list(DESK_PEOPLE))
    with db.writing() as session:
        loading.load(session, scenario)
        register_store.update_people(session, scenario.people)
