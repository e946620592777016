"""The mission desk's use cases on SQLite and PostgreSQL: lifecycle, check-ins, overdue alerts, reports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from refuge.domain.alerts import AlreadyAcknowledged, Step
from refuge.domain.errors import IdempotencyConflict, InsufficientStock, InvalidInput, UnknownPerson, UnknownShelter
from refuge.domain.missions import IllegalTransition, MissionStatus, NotOnMission, UnknownMission, parse_schedule
from refuge.domain.reports import EquipmentAction, EquipmentRequest, Injury, Report, ReportConflict, SupplyUsed
from refuge.services import ledger, missions, register
from refuge.store.database import Database
from refuge.store.tables import AlertNoticeRow, AlertRow, CheckinRow, MissionRow, MovementRow, ReportRow
from tests.desk_factory import load_desk_network
from tests.factories import NOW

S = MissionStatus
START = NOW - timedelta(hours=12)


@pytest.fixture
def desk(empty_db: Database) -> Database:
    load_desk_network(empty_db)
    return empty_db


def rows(db: Database, table: type) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def running(db: Database, every: str = "every 4h", grace: int = 30, leader: str = "iruka") -> str:
    made = missions.create(db, "Patrol the border", "c", objectives=["walk the line", "report bandits"],
                           leader=leader, team=["sakura"], schedule=parse_schedule(every, grace), now=START)
    missions.start(db, made.code, at=START, now=START)
    return made.code


def test_a_mission_goes_from_draft_to_complete(desk: Database) -> None:
    draft = missions.create(desk, "Escort the envoy", "b", objectives=["reach Tanzaku"], now=START)
    assert draft.status is S.DRAFT and draft.code == "M-0001"
    assigned = missions.assign(desk, draft.code, "Kakashi Hatake", ["iruka"], now=START)
    assert assigned.status is S.ASSIGNED and assigned.team == ("kakashi", "iruka")
    missions.start(desk, draft.code, at=START, now=NOW)
    done = missions.end(desk, draft.code, "complete", "envoy delivered", now=NOW)
    view = missions.show(desk, draft.code)
    assert done.status is S.COMPLETE and view.mission.outcome == "envoy delivered" and view.mission.started_at == START


def test_an_illegal_transition_is_refused_and_changes_nothing(desk: Database) -> None:
    code = running(desk)
    missions.end(desk, code, "failed", now=NOW)
    with pytest.raises(IllegalTransition, match="failed and cannot become under-way"):
        missions.start(desk, code, now=NOW)
    with pytest.raises(IllegalTransition):
        missions.assign(desk, code, "kakashi", now=NOW)
    assert missions.show(desk, code).mission.status is S.FAILED


@pytest.mark.parametrize(("call", "error"), [
    (lambda db: missions.show(db, "M-0099"), UnknownMission),
    (lambda db: missions.start(db, "not-a-code"), UnknownMission),
    (lambda db: missions.create(db, "x", "c", leader="orochimaru"), UnknownPerson),
    (lambda db: missions.create(db, "x", "E"), InvalidInput),
    (lambda db: missions.end(db, "M-0001", "won"), InvalidInput),
])
def test_unknown_missions_people_and_bad_values_are_refused_writing_nothing(desk: Database, call, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        call(desk)
    assert rows(desk, MissionRow) == 0


def test_a_check_in_from_someone_not_on_the_mission_is_refused(desk: Database) -> None:
    code = running(desk)
    with pytest.raises(NotOnMission, match="kiba is not on mission"):
        missions.check_in(desk, code, "kiba", message="all safe", now=NOW)
    with pytest.raises(InvalidInput, match="in the future"):
        missions.check_in(desk, code, "iruka", at=NOW + timedelta(minutes=5), now=NOW)
    with pytest.raises(InvalidInput, match="no check-in point"):
        missions.check_in(desk, code, "iruka", point="the moon", now=NOW)
    assert rows(desk, CheckinRow) == 0


def test_the_last_call_closes_the_mission_and_a_near_miss_does_not(desk: Database) -> None:
    code = running(desk)
    near = missions.check_in(desk, code, "sakura", message="He's not safe. End mission.", now=NOW)
    assert near.mission.status is S.UNDER_WAY and not near.checkin.ended_mission
    closed = missions.check_in(desk, code, "sakura", message="He's here and safe. End mission.", now=NOW)
    assert closed.mission.status is S.COMPLETE and closed.checkin.status.value == "safe"
    assert missions.show(desk, code).mission.status is S.COMPLETE


def test_a_last_call_with_a_contrary_status_does_not_close(desk: Database) -> None:
    code = running(desk)
    found = missions.check_in(desk, code, "sakura", status="wounded", message="He's here and safe. End mission.", now=NOW)
    assert found.mission.status is S.UNDER_WAY


def notices(db: Database) -> list[tuple[str, str]]:
    with db.reading() as session:
        return [(row.step, row.recipient) for row in session.scalars(select(AlertNoticeRow).order_by(AlertNoticeRow.at))]


def test_an_overdue_check_in_raises_an_alert_that_climbs_the_ladder_with_the_clock(desk: Database) -> None:
    code = running(desk)  # due at START + 4 h, overdue after 4 h 30 min; the leader iruka answers to kakashi
    on_time = missions.detect_overdue(desk, at=START + timedelta(hours=4, minutes=30), now=NOW)
    assert on_time.overdue == [] and rows(desk, AlertRow) == 0
    late = missions.detect_overdue(desk, at=START + timedelta(hours=4, minutes=31), now=NOW)
    assert [m.code for m, _due, _alert in late.overdue] == [code] and len(late.raised) == 1
    assert late.raised[0].raised_at == START + timedelta(hours=4, minutes=30)
    assert notices(desk) == [("desk", "mission desk")]
    missions.detect_overdue(desk, at=START + timedelta(hours=5, minutes=30), now=NOW)
    assert notices(desk)[-1] == ("superior", "kakashi")
    missions.detect_overdue(desk, at=START + timedelta(hours=6, minutes=30), now=NOW)
    again = missions.detect_overdue(desk, at=START + timedelta(hours=6, minutes=30), now=NOW)
    assert notices(desk)[-1] == ("office", "Hokage's office") and again.sent == [] and rows(desk, AlertRow) == 1


def test_the_first_acknowledgement_stops_the_ladder_and_a_second_is_refused(desk: Database) -> None:
    running(desk)
    scan = missions.detect_overdue(desk, at=START + timedelta(hours=5), now=NOW)
    alert = scan.raised[0]
    acked = missions.acknowledge(desk, alert.id, "shizune", at=START + timedelta(hours=5), now=NOW)  # type: ignore[arg-type]
    assert acked.acknowledged_by == "shizune"
    with pytest.raises(AlreadyAcknowledged, match="shizune"):
        missions.acknowledge(desk, alert.id, "tsunade", at=START + timedelta(hours=6), now=NOW)  # type: ignore[arg-type]
    missions.detect_overdue(desk, at=NOW, now=NOW)
    assert [step for step, _ in notices(desk)] == [Step.DESK.value]
    assert missions.alerts(desk)[0].acknowledged_by == "shizune"


def test_a_check_in_stops_the_ladder_and_moves_the_next_due_time(desk: Database) -> None:
    code = running(desk)
    missions.detect_overdue(desk, at=START + timedelta(hours=5), now=NOW)
    missions.check_in(desk, code, "iruka", at=START + timedelta(hours=5, minutes=10), message="Reached the crossing.",
                      x=11_000, y=20_500, now=NOW)
    view = missions.show(desk, code)
    assert view.due is not None and view.due.due_at == START + timedelta(hours=9, minutes=10)
    assert missions.alerts(desk, open_only=True) == []
    missions.detect_overdue(desk, at=START + timedelta(hours=9, minutes=30), now=NOW)
    assert [step for step, _ in notices(desk)] == ["desk"]


def test_named_points_raise_an_alert_for_the_point_missed(desk: Database) -> None:
    due = START + timedelta(hours=2)
    code = running(desk, f"Falls@{due.isoformat()}; Lake@{(due + timedelta(hours=3)).isoformat()}", 15)
    missions.check_in(desk, code, "iruka", at=due, point="falls", now=NOW)
    scan = missions.detect_overdue(desk, at=due + timedelta(hours=3, minutes=16), now=NOW)
    assert scan.raised[0].point == "Lake"


def report(code: str, *supplies: SupplyUsed, **extra: object) -> Report:
    return Report(code, "sakura", NOW - timedelta(hours=1), objectives_met=(1,), supplies=supplies,
                  injuries=(Injury("iruka", "sprained ankle"),),
                  equipment=(EquipmentRequest("WPN-KUNAI", EquipmentAction.SHARPEN, 4),), narrative="quiet night",
                  **extra)  # type: ignore[arg-type]


def consumed(db: Database, code: str = "LF-001") -> list[tuple[str, Decimal]]:
    return sorted((m.sku, m.quantity) for m in ledger.history(db, code) if m.kind.value == "consume")


def test_a_report_posts_each_supply_line_once_however_often_it_is_sent(desk: Database) -> None:
    code = running(desk)
    lines = (SupplyUsed("LF-001", "FOOD-RICE", Decimal(2)), SupplyUsed("LF-001", "AID-BANDAGE", Decimal("1.5")))
    first = missions.file_report(desk, report(code, *lines), now=NOW)
    assert not first.replayed and sorted(m.key for m in first.movements) == [
        f"report:{code}:LF-001:AID-BANDAGE", f"report:{code}:LF-001:FOOD-RICE"]
    before = rows(desk, MovementRow)
    again = missions.file_report(desk, report(code, *reversed(lines)), now=NOW + timedelta(hours=1))
    assert again.replayed and rows(desk, MovementRow) == before
    assert consumed(desk) == [("AID-BANDAGE", Decimal("-1.5")), ("FOOD-RICE", Decimal(-2))]
    view = missions.show(desk, code)
    assert [o.met for o in view.mission.objectives] == [True, False]
    assert view.report is not None and view.report.armoury[0][1:4] == ("WPN-KUNAI", "sharpen", 4)
    assert next(p for p in register.people(desk) if p.handle == "iruka").condition.value == "injured"


def test_a_different_report_for_the_same_mission_is_a_conflict_and_writes_nothing(desk: Database) -> None:
    code = running(desk)
    missions.file_report(desk, report(code, SupplyUsed("LF-001", "FOOD-RICE", Decimal(2))), now=NOW)
    before = rows(desk, MovementRow)
    with pytest.raises(ReportConflict, match="different report"):
        missions.file_report(desk, report(code, SupplyUsed("LF-001", "FOOD-RICE", Decimal(3))), now=NOW)
    assert rows(desk, MovementRow) == before and consumed(desk) == [("FOOD-RICE", Decimal(-2))]


def test_a_report_that_uses_more_than_a_shelter_holds_posts_nothing_at_all(desk: Database) -> None:
    code = running(desk)
    before = rows(desk, MovementRow)
    with pytest.raises(InsufficientStock, match="LF-002 has only 1 of AID-BANDAGE"):
        missions.file_report(desk, report(code, SupplyUsed("LF-001", "FOOD-RICE", Decimal(2)),
                                          SupplyUsed("LF-002", "AID-BANDAGE", Decimal(5))), now=NOW)
    assert rows(desk, MovementRow) == before and rows(desk, ReportRow) == 0
    assert register.people(desk)[0].condition.value == "fit"


@pytest.mark.parametrize(("line", "error"), [
    (SupplyUsed("LF-404", "FOOD-RICE", Decimal(1)), UnknownShelter),
    (SupplyUsed("LF-001", "FOOD-RICE", Decimal(1), NOW + timedelta(hours=1)), InvalidInput),
])
def test_a_report_naming_an_unknown_shelter_or_a_time_in_the_future_writes_nothing(desk: Database, line, error) -> None:  # type: ignore[no-untyped-def]
    code = running(desk)
    with pytest.raises(error):
        missions.file_report(desk, report(code, line), now=NOW)
    assert rows(desk, ReportRow) == 0 and consumed(desk) == []


def test_a_report_line_whose_key_the_ledger_holds_for_other_stock_is_refused(desk: Database) -> None:
    code = running(desk)
    ledger.record(desk, __import__("tests.factories", fromlist=["request"]).request(
        "consume", "LF-001", "FOOD-RICE", "1", 1, key=f"report:{code}:LF-001:FOOD-RICE"), now=NOW)
    with pytest.raises(IdempotencyConflict):
        missions.file_report(desk, report(code, SupplyUsed("LF-001", "FOOD-RICE", Decimal(2))), now=NOW)
    assert rows(desk, ReportRow) == 0


def test_a_report_from_outside_the_team_or_for_a_draft_is_refused(desk: Database) -> None:
    code = running(desk)
    with pytest.raises(NotOnMission):
        missions.file_report(desk, Report(code, "kiba", NOW), now=NOW)
    draft = missions.create(desk, "Later", "d", leader="sakura", now=NOW)
    with pytest.raises(Exception, match="assigned"):
        missions.file_report(desk, Report(draft.code, "sakura", NOW), now=NOW)
    with pytest.raises(InvalidInput, match="objective 3 does not exist"):
        missions.file_report(desk, Report(code, "sakura", NOW, objectives_met=(3,)), now=NOW)
    assert rows(desk, ReportRow) == 0


def test_a_mission_above_the_viewers_clearance_is_not_shown_to_them(desk: Database) -> None:
    secret = missions.create(desk, "Watch the border", "s", leader="kakashi", classification=4, now=NOW)
    assert [v.mission.code for v in missions.missions(desk, as_person="iruka")] == []
    with pytest.raises(UnknownMission):
        missions.show(desk, secret.code, as_person="iruka")
    assert missions.show(desk, secret.code, as_person="kakashi").mission.code == secret.code
