"""The resupply planner as a season-simulation policy: every morning, plan again from the stock as it stands.

Each day the planner (planning/resupply.py) looks `horizon` days ahead from the shelves as they are,
with the same pooled demand the world draws from, and sends today's free volunteers on the runs it
would start today. It looks ahead with the calendars of the volunteers who have one. Shelters a run already on its way will reach are left to it. A load is what the plan
packs, cut to what fills each item to its target as the stock stands at departure.
"""

from __future__ import annotations

from dataclasses import dataclass

from refuge.planning.resupply import Network, Options, Site, runs_today
from refuge.planning.resupply import Volunteer as PlanVolunteer
from refuge.simulation.engine import Run, State, Volunteer


@dataclass
class PlannerPolicy:
    horizon: int = 14
    draws: int = 100
    #: PyVRP stops after this many iterations without improvement; no time limit, so a season replays exactly
    patience: int = 200
    name: str = "planner"

    def runs(self, state: State, free: list[Volunteer]) -> list[Run]:
        if not free:
            return []
        world = state.world
        network = Network(world.base, [Site(s.code, s.stops_per_day, s.baskets) for s in world.shelters],
                          {sku: (item.kg, item.shelf_life_days) for sku, item in world.items.items()}, world.pars,
                          {pair: [(None if e is None else e - state.day, q) for e, q in lots]
                           for pair, lots in state.lots.items()}, world.leg)
        team = {v.name: v for v in free}
        options = Options(self.horizon, draws=self.draws, seed=state.day, time_limit=3600.0, patience=self.patience)
        on_the_way = frozenset(code for code, day in state.last_visit.items() if day > state.day)
        # Whoever has a calendar is planned for on the days it leaves free; the others only when free today
        # (their days are a matter of chance), and then as if free every day.
        ahead = [self._planned(state, v, v.name in team, options) for v in state.team or free
                 if v.calendar is not None or v.name in team]
        planned = runs_today(network, [v for v in ahead if v.name in team], ahead, options, on_the_way)
        runs = []
        for run in planned:
            stops = [(stop.shelter, self._load(state, stop.shelter, stop.load)) for stop in run.stops]
            runs.append(Run(state.day, team[run.volunteer.name], [(code, load) for code, load in stops if load]))
        return [run for run in runs if run.stops]

    @staticmethod
    def _planned(state: State, volunteer: Volunteer, today: bool, options: Options) -> PlanVolunteer:
        """The volunteer as the planner sees them: the days of the look-ahead they can walk."""
        if volunteer.calendar is None:
            return PlanVolunteer(volunteer.name, volunteer.capacity_kg, volunteer.hours_a_day)
        back = state.busy_until.get(volunteer.name, 0) - state.day
        days = frozenset(d for d in range(options.days + options.max_run_days)
                         if (d > 0 or today) and d >= back and volunteer.on_calendar(state.date(state.day + d)))
        return PlanVolunteer(volunteer.name, volunteer.capacity_kg, volunteer.hours_a_day, days)

    @staticmethod
    def _load(state: State, code: str, packed: dict[str, int]) -> dict[str, float]:
        load = {}
        for sku, units in packed.items():
            _low, target, _cap = state.world.pars[(code, sku)]
            wanted = min(float(units), target - state.on_hand(code, sku))
            if wanted > 0:
                load[sku] = wanted
        return load
