"""Missions in pure Python: the status machine, schedules, check-ins due and the escalation ladder."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from refuge.domain.alerts import DESK, OFFICE, AlreadyAcknowledged, Alert, Step, ladder, notices_due
from refuge.domain.checkins import Checkin, next_due
from refuge.domain.errors import InvalidInput
from refuge.domain.missions import (
    IllegalTransition,
    Mission,
    MissionStatus,
    Objective,
    Schedule,
    TRANSITIONS,
    parse_schedule,
)
from refuge.domain.people import Availability, Person, PersonCondition

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
S = MissionStatus


def mission(**changes: object) -> Mission:
    values: dict[str, object] = dict(code="M-0001", title="Escort the envoy", rank="c", leader="kakashi",
                                     team=("iruka",), objectives=(Objective("reach Tanzaku"),),
                                     schedule=Schedule(every_hours=6))
    values.update(changes)
    return Mission(**values)  # type: ignore[arg-type]


def under_way(**changes: object) -> Mission:
    return mission(**changes).moved_to(S.ASSIGNED, T0).moved_to(S.UNDER_WAY, T0)


def test_a_mission_normalises_rank_and_puts_its_leader_on_the_team() -> None:
    made = mission()
    assert made.rank.value == "C" and made.team == ("kakashi", "iruka") and made.status is S.DRAFT


def test_a_mission_walks_draft_assigned_under_way_complete() -> None:
    done = under_way().moved_to(S.COMPLETE, T0 + timedelta(hours=3), "envoy delivered")
    assert done.status is S.COMPLETE and done.started_at == T0 and done.ended_at == T0 + timedelta(hours=3)
    assert done.outcome == "envoy delivered" and done.finished


ALLOWED = [(start, end) for start, ends in TRANSITIONS.items() for end in ends]
REFUSED = [(start, end) for start in S for end in S if (start, end) not in ALLOWED]


@pytest.mark.parametrize(("start", "end"), REFUSED)
def test_every_transition_outside_the_machine_is_refused_naming_both_states(start: S, end: S) -> None:
    with pytest.raises(IllegalTransition) as refused:
        mission(status=start).moved_to(end, T0)
    assert start.value in str(refused.value) and end.value in str(refused.value)


def test_a_finished_mission_says_it_may_become_nothing() -> None:
    with pytest.raises(IllegalTransition, match="finished"):
        under_way().moved_to(S.FAILED, T0).moved_to(S.UNDER_WAY, T0)


def test_assigning_a_draft_sets_leader_and_team() -> None:
    draft = mission(leader="", team=())
    assigned = draft.assigned("guy", ("lee", "guy"), T0)
    assert assigned.status is S.ASSIGNED and assigned.leader == "guy" and assigned.team == ("guy", "lee")


def test_a_mission_without_a_leader_cannot_be_assigned() -> None:
    with pytest.raises(InvalidInput, match="leader"):
        mission(leader="", team=()).moved_to(S.ASSIGNED, T0)


@pytest.mark.parametrize("bad", [dict(rank="E"), dict(classification=6), dict(title=" "), dict(code="X-1"),
                                 dict(start=T0, deadline=T0)])
def test_a_malformed_mission_is_refused(bad: dict) -> None:
    with pytest.raises(InvalidInput):
        mission(**bad)


def test_schedules_parse_hours_and_named_points() -> None:
    assert parse_schedule("every 6h").every_hours == 6
    assert parse_schedule("4").every_hours == 4
    points = parse_schedule("Mikawa Crossing@2026-06-02T09:00; Tanzaku Town@2026-06-01T14:00", 30)
    assert [p.name for p in points.points] == ["Tanzaku Town", "Mikawa Crossing"]
    assert points.grace == timedelta(minutes=30)


@pytest.mark.parametrize("text", ["every 0h", "Tanzaku Town", "A@not-a-time", "A@2026-06-01T10:00; a@2026-06-01T11:00"])
def test_a_malformed_schedule_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_schedule(text)


def test_the_next_check_in_is_due_every_n_hours_after_the_last_one() -> None:
    running = under_way()
    assert next_due(running, []).due_at == T0 + timedelta(hours=6)  # type: ignore[union-attr]
    checkin = Checkin("M-0001", "iruka", T0 + timedelta(hours=5))
    due = next_due(running, [checkin])
    assert due is not None and due.due_at == T0 + timedelta(hours=11)
    assert due.overdue_from == T0 + timedelta(hours=12)
    assert not due.overdue(T0 + timedelta(hours=12)) and due.overdue(T0 + timedelta(hours=12, seconds=1))


def test_named_points_are_due_in_order_until_each_has_been_reported() -> None:
    running = under_way(schedule=parse_schedule("A@2026-06-01T12:00; B@2026-06-01T18:00", 15))
    assert next_due(running, []).point == "A"  # type: ignore[union-attr]
    after_a = next_due(running, [Checkin("M-0001", "iruka", T0, point="A")])
    assert after_a is not None and after_a.point == "B" and after_a.overdue_from == T0 + timedelta(hours=10, minutes=15)
    assert next_due(running, [Checkin("M-0001", "iruka", T0, point="A"), Checkin("M-0001", "iruka", T0, point="B")]) is None


@pytest.mark.parametrize("status", [S.DRAFT, S.ASSIGNED, S.COMPLETE])
def test_only_a_mission_under_way_owes_check_ins(status: S) -> None:
    assert next_due(mission(status=status), []) is None


def test_the_ladder_goes_desk_then_superior_then_office_one_step_apart() -> None:
    rungs = ladder(T0, "shikaku", timedelta(minutes=30))
    assert [(n.step, n.recipient, n.at) for n in rungs] == [
        (Step.DESK, DESK, T0), (Step.SUPERIOR, "shikaku", T0 + timedelta(minutes=30)),
        (Step.OFFICE, OFFICE, T0 + timedelta(minutes=60))]


def test_without_a_superior_the_second_rung_is_the_office() -> None:
    assert [(n.step, n.at) for n in ladder(T0, None)] == [(Step.DESK, T0), (Step.OFFICE, T0 + timedelta(hours=1))]


def test_notices_are_sent_as_the_clock_passes_each_rung() -> None:
    steps = [[n.step for n in notices_due(T0, "shikaku", T0 + timedelta(minutes=m))] for m in (0, 59, 60, 120, 600)]
    assert steps == [[Step.DESK], [Step.DESK], [Step.DESK, Step.SUPERIOR], [Step.DESK, Step.SUPERIOR, Step.OFFICE],
                     [Step.DESK, Step.SUPERIOR, Step.OFFICE]]


def test_an_acknowledgement_stops_the_ladder_for_good() -> None:
    acked = T0 + timedelta(minutes=30)
    later = notices_due(T0, "shikaku", T0 + timedelta(days=1), stopped_at=acked)
    assert [n.step for n in later] == [Step.DESK]
    on_the_dot = notices_due(T0, "shikaku", T0 + timedelta(days=1), stopped_at=T0 + timedelta(hours=1))
    assert [n.step for n in on_the_dot] == [Step.DESK]


def test_the_first_acknowledgement_wins() -> None:
    alert = Alert(7, "M-0001", T0, T0).acknowledge("shizune", T0 + timedelta(minutes=5))
    with pytest.raises(AlreadyAcknowledged, match="shizune"):
        alert.acknowledge("tsunade", T0 + timedelta(minutes=6))
    assert alert.acknowledged_by == "shizune" and not alert.open


def test_a_person_reads_wounded_as_injured_and_keeps_availability_consistent() -> None:
    person = Person("kiba", "Kiba Inuzuka", "chunin", condition="wounded", availability="teaching",
                    superior="kurenai", x=1.0, y=2.0)
    assert person.condition is PersonCondition.INJURED and person.availability is Availability.TEACHING
    assert not person.available and not person.free and person.position == (1.0, 2.0)
    assert Person("naruto", "Naruto", "genin", condition="chakra low").condition is PersonCondition.CHAKRA_LOW


@pytest.mark.parametrize("bad", [dict(superior="kiba"), dict(x=1.0), dict(availability="asleep")])
def test_a_person_with_a_bad_superior_position_or_availability_is_refused(bad: dict) -> None:
    with pytest.raises(InvalidInput):
        Person("kiba", "Kiba Inuzuka", "chunin", **bad)
