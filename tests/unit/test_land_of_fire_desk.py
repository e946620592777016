"""The Land of Fire's mission desk: missions in every state, and reports that agree with the ledger."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest

from refuge.domain.checkins import next_due
from refuge.domain.ledger import MovementKind
from refuge.domain.messages import read_message
from refuge.domain.missions import MissionStatus
from refuge.scenarios.land_of_fire import land_of_fire
from refuge.scenarios.model import Scenario

END = datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return land_of_fire(END)


def test_the_desk_holds_missions_in_every_state(scenario: Scenario) -> None:
    states = Counter(entry.mission.status for entry in scenario.missions)
    assert set(states) == set(MissionStatus)
    assert states[MissionStatus.COMPLETE] > 150 and states[MissionStatus.FAILED] > 5


def test_mission_codes_are_unique_and_teams_are_on_the_roster(scenario: Scenario) -> None:
    codes = [entry.mission.code for entry in scenario.missions]
    handles = {person.handle for person in scenario.people}
    assert len(set(codes)) == len(codes)
    assert all(set(entry.mission.team) <= handles for entry in scenario.missions)
    assert all(c.person in entry.mission.team for entry in scenario.missions for c in entry.checkins)


def test_some_teams_under_way_are_overdue_at_the_end_and_some_are_not(scenario: Scenario) -> None:
    running = [entry for entry in scenario.missions if entry.mission.status is MissionStatus.UNDER_WAY]
    overdue = [entry.mission.code for entry in running if next_due(entry.mission, entry.checkins).overdue(END)]  # type: ignore[union-attr]
    assert 1 <= len(overdue) < len(running)


def test_every_report_line_is_exactly_one_consume_movement_under_the_reports_key(scenario: Scenario) -> None:
    by_key = {m.key: m for m in scenario.movements}
    lines = [(entry.report, line) for entry in scenario.missions if entry.report for line in entry.report.supplies]
    assert len(lines) > 300
    for report, line in lines:
        movement = by_key[report.movement_key(line)]
        assert movement.kind is MovementKind.CONSUME and movement.shelter == line.shelter and movement.sku == line.sku
        assert movement.quantity == -line.quantity and movement.occurred_at == line.used_at


def test_every_mission_consumption_in_the_ledger_belongs_to_a_report(scenario: Scenario) -> None:
    reported = {report.movement_key(line) for entry in scenario.missions if (report := entry.report) for line in report.supplies}
    mission_use = {m.key for m in scenario.movements if m.source == "mission"}
    assert mission_use == reported


def test_completed_missions_close_with_a_last_call_the_desk_understands(scenario: Scenario) -> None:
    complete = [entry for entry in scenario.missions if entry.mission.status is MissionStatus.COMPLETE]
    assert all(entry.checkins[-1].ended_mission and read_message(entry.checkins[-1].message).ends_mission
               for entry in complete)


def test_nothing_at_the_desk_happens_after_the_end(scenario: Scenario) -> None:
    for entry in scenario.missions:
        assert all(c.at <= END for c in entry.checkins)
        assert entry.report is None or entry.report.submitted_at <= END


def test_the_roster_has_superiors_and_reasons_for_absence(scenario: Scenario) -> None:
    people = {person.handle: person for person in scenario.people}
    handles = set(people)
    assert all(p.superior in handles for p in scenario.people if p.superior)
    assert people["iruka"].availability.value == "teaching" and people["sasuke"].availability.value == "leave"
    assert people["tsunade"].superior is None and people["kakashi"].superior == "shikaku"
