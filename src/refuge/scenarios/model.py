"""What a bundled scenario is: a whole network with its history, ready to load into a database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from refuge.domain.calendar import Calendar
from refuge.domain.defences import Defence, DefenceTest
from refuge.domain.checkins import Checkin
from refuge.domain.ledger import Movement
from refuge.domain.missions import Mission
from refuge.domain.network import Item, Network, ParLevel, Place, Shelter
from refuge.domain.people import Person
from refuge.domain.reports import Report


@dataclass(frozen=True)
class Scenario:
    network: Network
    places: list[Place]
    shelters: list[Shelter]
    items: list[Item]
    par_levels: list[ParLevel]
    people: list[Person]
    defences: list[Defence]
    defence_tests: list[DefenceTest]
    #: In the order they were recorded; every one was built by the ledger's own rules.
    movements: list[Movement]
    #: The moment the history ends: nothing in it happened later.
    ends_at: datetime
    #: Map features kept as data for drawing terrain around the shelters (lake outline, roads, rivers).
    features: dict[str, object] = field(default_factory=dict)
    #: The mission desk's book: missions in every state, with their check-ins and reports.
    missions: list[DeskMission] = field(default_factory=list)
    #: The days people can walk runs, by handle (a person not named is free every day).
    calendars: dict[str, Calendar] = field(default_factory=dict)


@dataclass(frozen=True)
class DeskMission:
    """A mission as the desk holds it, with its check-ins, and its report if one was filed."""

    mission: Mission
    checkins: list[Checkin] = field(default_factory=list)
    report: Report | None = None
    #: When the desk first heard of it.
    created_at: datetime | None = None
