"""The mission desk's book for the Land of Fire: the year's missions with their reports, and today's desk.

Every mission of the year (the simulation's teams) is closed, most of them complete with the leader's
last call, a few failed; each has a report whose supplies are exactly the consume movements the team's
stops left in the ledger, under the same keys. Today's desk holds missions in every other state:
drafts, assigned teams, teams under way (two of them silent past their check-in), a rescue on its
way to a teammate in Tanzaku's civilian hospital, and an aborted mission. Same end, same book.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from refuge.domain.checkins import Checkin, CheckinStatus
from refuge.domain.missions import CheckpointDue, Mission, MissionKind, MissionStatus, Objective, Schedule
from refuge.domain.network import Place
from refuge.domain.people import Person
from refuge.domain.reports import Report, SupplyUsed
from refuge.scenarios.model import DeskMission

if TYPE_CHECKING:
    from refuge.scenarios.land_of_fire import Trip

#: Who answers to whom: an overdue alert on a leader's mission goes to their superior after the desk.
SUPERIORS = {
    "shizune": "tsunade", "shikaku": "tsunade", "kakashi": "shikaku", "guy": "shikaku", "kurenai": "shikaku",
    "asuma": "shikaku", "yamato": "kakashi", "sai": "yamato", "ibiki": "shikaku", "anko": "ibiki",
    "genma": "shikaku", "raido": "genma", "ebisu": "shikaku", "iruka": "shikaku", "izumo": "iruka",
    "kotetsu": "iruka", "sakura": "kakashi", "naruto": "kakashi", "sasuke": "kakashi", "hinata": "kurenai",
    "kiba": "kurenai", "shino": "kurenai", "shikamaru": "asuma", "ino": "asuma", "choji": "asuma",
    "neji": "guy", "tenten": "guy", "lee": "guy", "konohamaru": "ebisu",
}
#: Every so many missions of the year failed (a fixed rule, so the year's random draws stay as they were).
FAILED_EVERY = 13
TANZAKU_HOSPITAL = (28_000.0, 30_000.0)


def with_desk_details(people: list[Person], end: datetime) -> list[Person]:
    """The roster with superiors and reasons for absence: Iruka teaches outside the summer break, Sasuke is
    away, Kiba lies in Tanzaku's hospital."""
    details = []
    for person in people:
        changes: dict[str, object] = {"superior": SUPERIORS.get(person.handle)}
        if person.handle == "iruka" and end.month not in (7, 8):
            changes["availability"] = "teaching"
        if person.handle == "sasuke":
            changes["availability"] = "leave"
        if person.handle == "kiba":
            changes["x"], changes["y"] = TANZAKU_HOSPITAL
        details.append(replace(person, **changes))  # type: ignore[arg-type]
    return details


def desk_missions(trips: list[Trip], people: list[Person], places: list[Place], end: datetime) -> list[DeskMission]:
    """The year's missions, closed and reported, then today's desk."""
    year = [_closed(trip, end) for trip in sorted(trips, key=lambda t: t.code)]
    return year + _today(len(year), end)


def _closed(trip: Trip, end: datetime) -> DeskMission:
    last = max([trip.left_at, *(at for _code, at in trip.stops)])
    ended = min(last + timedelta(hours=6), end)
    failed = int(trip.code[2:]) % FAILED_EVERY == 0
    leader = trip.team[0]
    mission = Mission(trip.code, trip.title, trip.rank, leader, trip.team, client="the village",  # type: ignore[arg-type]
                      objectives=(Objective(trip.title, not failed),), start=trip.left_at, area=trip.area,
                      schedule=Schedule(every_hours=12), status=MissionStatus.FAILED if failed else MissionStatus.COMPLETE,
                      started_at=trip.left_at, ended_at=ended,
                      outcome="the team came back without it" if failed else "")
    checkins = [Checkin(trip.code, leader, at, CheckinStatus.SAFE, f"Reached {code}.") for code, at in trip.stops]
    if not failed:
        call = "All safe. Mission complete."
        checkins.append(Checkin(trip.code, leader, ended, CheckinStatus.SAFE, call, ended_mission=True))
        mission = replace(mission, outcome=f"closed by {leader}'s check-in: {call}")
    written = min(max([ended, *(recorded for *_rest, recorded in trip.used)]), end)
    report = Report(trip.code, leader, written, () if failed else (1,),
                    tuple(SupplyUsed(code, sku, quantity, used_at) for code, sku, quantity, used_at, _r in trip.used),
                    narrative="Supplies taken at the shelters on the way." if trip.used else "Nothing taken from the shelters.")
    return DeskMission(mission, checkins, report, trip.left_at)


def _today(taken: int, end: datetime) -> list[DeskMission]:
    def code(offset: int) -> str:
        return f"M-{taken + offset:04d}"

    h = lambda hours: end + timedelta(hours=hours)  # noqa: E731 - a moment so many hours from the end
    every6 = Schedule(every_hours=6)
    missions = [
        DeskMission(Mission(code(1), "Survey the river crossings near Mikawa Crossing", "D", "", (), client="the daimyo's engineers",
                            objectives=(Objective("measure the ford depths"), Objective("mark the safe crossings"))), created_at=h(-26)),
        DeskMission(Mission(code(2), "Escort a merchant caravan to Sakai Port", "C", "", (), client="the Sakai merchants' guild",
                            objectives=(Objective("bring the caravan to Sakai Port"),)), created_at=h(-3)),
        DeskMission(Mission(code(3), "Guard a daimyo's envoy to Kikyo Town", "B", "guy", ("guy", "lee", "tenten"),
                            objectives=(Objective("deliver the envoy"), Objective("return by the deadline")),
                            start=h(20), deadline=h(96), area="the east road to Kikyo Town",
                            schedule=Schedule(every_hours=8), status=MissionStatus.ASSIGNED), created_at=h(-30)),
        DeskMission(Mission(code(4), "Scout an enemy camp beyond Otafuku Town", "A", "kurenai", ("kurenai", "shino", "neji"),
                            objectives=(Objective("locate the camp"), Objective("count them unseen")), start=h(30),
                            area="Otafuku Town and the hills east of it", classification=3, status=MissionStatus.ASSIGNED,
                            schedule=Schedule(points=(CheckpointDue("Otafuku Town", h(40)), CheckpointDue("the east ridge", h(52))),
                                              grace=timedelta(minutes=45))), created_at=h(-8)),
        DeskMission(Mission(code(5), "Hunt the bandits on the Shukuba road", "C", "asuma", ("asuma", "shikamaru", "choji", "ino"),
                            objectives=(Objective("find the bandits' camp"), Objective("bring them in")), start=h(-20),
                            area="the road from the village to Shukuba Town", schedule=every6,
                            status=MissionStatus.UNDER_WAY, started_at=h(-20)),
                    [Checkin(code(5), "asuma", h(-14), CheckinStatus.SAFE, "On the road, no sign yet.", 45_000.0, 60_000.0),
                     Checkin(code(5), "shikamaru", h(-8), CheckinStatus.SAFE, "Tracks heading west.", 36_000.0, 63_000.0),
                     Checkin(code(5), "asuma", h(-2), CheckinStatus.SAFE, "Camp found. All safe.", 28_000.0, 65_000.0)], None, h(-26)),
        DeskMission(Mission(code(6), "Track a missing-nin toward the lake", "A", "kakashi", ("kakashi", "naruto", "sakura"),
                            objectives=(Objective("find the missing-nin"),), start=h(-30), area="the forest west of the lake",
                            schedule=every6, status=MissionStatus.UNDER_WAY, started_at=h(-30)),
                    [Checkin(code(6), "kakashi", h(-24), CheckinStatus.SAFE, "Trail picked up.", 60_000.0, 58_000.0),
                     Checkin(code(6), "sakura", h(-18), CheckinStatus.SAFE, "Following it east.", 70_000.0, 57_000.0),
                     Checkin(code(6), "kakashi", h(-11), CheckinStatus.UNKNOWN, "Trail goes onto the water.", 80_000.0, 57_500.0)],
                    None, h(-32)),
        DeskMission(Mission(code(7), "Deliver a sealed message to Otafuku Town", "B", "anko", ("anko", "ibiki"),
                            objectives=(Objective("deliver the scroll unopened"),), start=h(-16), area="Tanzaku to Otafuku",
                            classification=3, status=MissionStatus.UNDER_WAY, started_at=h(-16),
                            schedule=Schedule(points=(CheckpointDue("Tanzaku Town", h(-10)), CheckpointDue("Otafuku Town", h(-3))))),
                    [Checkin(code(7), "anko", h(-10) + timedelta(minutes=10), CheckinStatus.SAFE, "At Tanzaku.", 28_000.0, 30_000.0,
                             point="Tanzaku Town")], None, h(-20)),
        DeskMission(Mission(code(8), "Rescue Kiba Inuzuka at Tanzaku Town", "A", "shizune", ("shizune",), client="mission desk (emergency)",
                            objectives=(Objective("reach Kiba Inuzuka with medic skills"), Objective("bring Kiba Inuzuka to safety")),
                            start=h(-3), area="Tanzaku Town", schedule=Schedule(every_hours=2), status=MissionStatus.UNDER_WAY,
                            kind=MissionKind.RESCUE, subject="kiba", started_at=h(-3)),
                    [Checkin(code(8), "shizune", h(-1), CheckinStatus.SAFE, "On the road, two hours out.", 40_000.0, 45_000.0)],
                    None, h(-3)),
        DeskMission(Mission(code(9), "Recover a stolen scroll from Shukuba", "B", "genma", ("genma", "raido"),
                            objectives=(Objective("recover the scroll"),), area="Shukuba Town",
                            status=MissionStatus.ABORTED, ended_at=h(-48), outcome="the client withdrew the request"),
                    created_at=h(-72)),
    ]
    return missions

