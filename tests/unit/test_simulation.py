"""The season simulation on a small hand-made world: the ledger's rules, the policies, the seed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from refuge.domain.calendar import Calendar, parse_weekdays
from refuge.simulation.engine import FixedCycle, OnAlarm, Run, State, Volunteer, routes, simulate
from refuge.simulation.world import SimItem, SimShelter, World

START = date(2026, 6, 1)
HOUR = 3600.0


def world(stops: float = 0.5, lots: dict | None = None, life: int | None = 30) -> World:
    codes = ["A", "B", "C"]
    seconds = {("base", c): HOUR * (i + 1) for i, c in enumerate(codes)}
    seconds |= {(c, "base"): t for (_b, c), t in seconds.items()}
    seconds |= {(a, b): HOUR for a in codes for b in codes if a != b}
    return World(
        START, "base", [SimShelter(c, stops, ({"RICE": 1.0},)) for c in codes],
        {"RICE": SimItem("RICE", 0.5, life)},
        {(c, "RICE"): (2.0, 6.0, 8.0) for c in codes},
        lots if lots is not None else {(c, "RICE"): [(None, 6.0)] for c in codes},
        seconds, "test",
    )


def test_the_same_seed_replays_the_same_season_and_another_differs() -> None:
    first = simulate(world(), FixedCycle(weeks=2), 120, seed=3)
    assert simulate(world(), FixedCycle(weeks=2), 120, seed=3) == first
    assert simulate(world(), FixedCycle(weeks=2), 120, seed=4).daily_out != first.daily_out


def test_with_no_demand_nothing_runs_out_and_stock_expires_on_its_day() -> None:
    lots = {(c, "RICE"): [(date(2026, 6, 11), 6.0)] for c in "ABC"}
    season = simulate(world(stops=0.0, lots=lots), OnAlarm(), 20, seed=1)
    assert season.expired_units == 18 and season.short_units == 0 and season.runs == 0
    assert season.daily_out[:9] == [0] * 9 and season.daily_out[10:] == [3] * 10  # gone at the end of day 10


def test_on_alarm_waits_for_a_report_and_fixed_cycle_visits_every_shelter() -> None:
    quiet = simulate(world(stops=0.0), OnAlarm(), 60, seed=1)
    assert quiet.runs == 0 and quiet.hours_walked == 0
    busy = simulate(world(stops=0.0), FixedCycle(weeks=4), 60, seed=1, team=(Volunteer("v", availability=1.0),))
    assert busy.runs >= 2  # day 1, then again four weeks later
    # one run base-A-B-C-base: 1 h + 1 h + 1 h + 3 h of walking and three stops of 20 min
    assert busy.hours_walked == pytest.approx(busy.runs * (6 + 1))


def test_a_run_carries_no_more_than_the_volunteer_can_and_shelves_no_more_than_fit() -> None:
    w = world(lots={})  # every shelter empty: 6 units of rice (3 kg) wanted at each
    state = State(w, day=1)
    weak = Volunteer("weak", capacity_kg=4.0, availability=1.0)
    [run] = routes(w, state, ["A", "B", "C"], [weak])
    assert sum(units * 0.5 for _code, load in run.stops for units in load.values()) <= 4.0
    assert [code for code, _load in run.stops] == ["A"]
    season = simulate(w, FixedCycle(weeks=52), 3, seed=1, team=(Volunteer("v", capacity_kg=100.0, availability=1.0),))
    assert season.delivered_units == 18  # 6 to each, within the capacity of 8


def test_runs_longer_than_a_day_keep_the_volunteer_away() -> None:
    far = Run(1, Volunteer("v", hours_a_day=4.0), [("C", {})], hours=10.0)
    assert far.days == 3


def test_the_planner_policy_replays_under_a_seed_and_visits_before_shelters_run_out() -> None:
    from refuge.simulation.planner import PlannerPolicy

    team = (Volunteer("v", capacity_kg=10.0, availability=1.0),)
    first = simulate(world(stops=0.8), PlannerPolicy(horizon=10), 60, seed=5, team=team)
    assert simulate(world(stops=0.8), PlannerPolicy(horizon=10), 60, seed=5, team=team) == first
    idle = simulate(world(stops=0.8), OnAlarm(), 60, seed=5, team=(Volunteer("v", availability=0.0),))
    assert first.runs > 0 and first.delivered_units > 0
    assert first.stockout_shelter_days < idle.stockout_shelter_days


def test_the_planner_policy_loads_no_more_than_fills_to_target_within_the_volunteers_load() -> None:
    from refuge.simulation.planner import PlannerPolicy

    w = world(lots={(c, "RICE"): [(None, 1.0)] for c in "ABC"})
    state = State(w, day=1)
    for c in "ABC":
        state.lots[(c, "RICE")] = [[None, 1.0]]
    runs = PlannerPolicy(horizon=7).runs(state, [Volunteer("weak", capacity_kg=4.0, availability=1.0)])
    assert runs
    for run in runs:
        assert sum(units * 0.5 for _code, load in run.stops for units in load.values()) <= 4.0
        assert all(units <= 6.0 - 1.0 for _code, load in run.stops for units in load.values())


class Recording:
    """A policy that keeps the runs another sends, to look at them after the season."""

    def __init__(self, policy) -> None:  # type: ignore[no-untyped-def]
        self.policy, self.name, self.sent = policy, policy.name, []

    def runs(self, state: State, free: list[Volunteer]) -> list[Run]:
        found = self.policy.runs(state, free)
        self.sent.extend(found)
        return found


def days_walked(runs: list[Run]) -> set[date]:
    return {START + timedelta(days=r.day + k) for r in runs for k in range(r.days)}


def planner_policy():  # type: ignore[no-untyped-def]
    from refuge.simulation.planner import PlannerPolicy

    return PlannerPolicy(horizon=10)


@pytest.mark.parametrize("policy", [lambda: FixedCycle(weeks=1), OnAlarm, planner_policy],
                         ids=["fixed-cycle", "on-alarm", "planner"])
def test_volunteers_walk_only_on_the_days_their_calendars_leave_free(policy) -> None:  # type: ignore[no-untyped-def]
    away = frozenset(START + timedelta(days=d) for d in range(12, 15))
    # free on single days and on Friday with Saturday; a run round every shelter takes two days of 4 h
    volunteer = Volunteer("w", capacity_kg=20.0, hours_a_day=4.0, availability=1.0,
                          calendar=Calendar(parse_weekdays("mon,wed,fri,sat"), away=away))
    recorded = Recording(policy())
    season = simulate(world(stops=0.8), recorded, 60, seed=2, team=(volunteer,))
    assert season.runs == len(recorded.sent) > 0
    walked = days_walked(recorded.sent)
    assert all(day.weekday() in (0, 2, 4, 5) and day not in away for day in walked)
    assert any(r.days == 2 for r in recorded.sent) and any(r.days == 1 for r in recorded.sent)
