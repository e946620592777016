"""The season simulation over several seeds on the Land of Fire: planner, fixed-cycle and on-alarm side by side.

`python -m benchmarks.season [--seeds 10] [--days 365] [--team calendars]`: loads the Land of Fire with its
history ending on a fixed day into a fresh SQLite file, plays each seed under each policy from the next
day, and prints the mean and standard deviation over the seeds of stock-out shelter-days, hours walked,
runs and units expired, with each policy's seconds per season (the two simple policies are the
baseline). The runs are walked by four volunteers each free on 70% of days, or (`--team calendars`) by
the scenario's six maintenance volunteers on the days their calendars leave free.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from refuge.services.demo import load_demo
from refuge.scenarios.land_of_fire_data import VOLUNTEERS
from refuge.services.simulation import compare, team_of
from refuge.simulation.engine import DEFAULT_TEAM, POLICIES, simulate
from refuge.simulation.world import load_world
from refuge.store.database import Database

NOW = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)
FIGURES = (("stock-out shelter-days", "stockout_shelter_days"), ("hours walked", "hours_walked"), ("runs", "runs"),
           ("units expired", "expired_units"), ("units short", "short_units"))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.season", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--team", choices=("chance", "calendars"), default="chance")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(str(Path(folder) / "season.db"))
        load_demo(db, now=NOW)
        start = NOW.date() + timedelta(days=1)
        compare(db, ["fixed-cycle"], 1, 1, start)  # refuses bad input the same way the command does
        world = load_world(db, start)
        team = DEFAULT_TEAM if args.team == "chance" else team_of(db, list(VOLUNTEERS), start, args.days)
        db.dispose()
    seasons: dict[str, list] = {name: [] for name in POLICIES}
    took: dict[str, float] = {name: 0.0 for name in POLICIES}
    for seed in range(1, args.seeds + 1):
        for name, policy in POLICIES.items():
            started = time.perf_counter()
            seasons[name].append(simulate(world, policy(), args.days, seed, team))
            took[name] += time.perf_counter() - started
        print(f"seed {seed}: " + ", ".join(f"{n} {s[-1].stockout_shelter_days}" for n, s in seasons.items()), flush=True)
    print(f"\nLand of Fire, {args.days} days from {start}, seeds 1-{args.seeds}; travel: {world.travel_source}; "
          f"team: {', '.join(v.name for v in team)}")
    print("| policy | " + " | ".join(label for label, _ in FIGURES) + " | s per season |")
    print("|---|" + "---|" * (len(FIGURES) + 1))
    for name, found in seasons.items():
        cells = []
        for _label, attribute in FIGURES:
            values = [float(getattr(season, attribute)) for season in found]
            cells.append(f"{statistics.mean(values):,.0f} ± {statistics.stdev(values) if len(values) > 1 else 0:,.0f}")
        print(f"| {name} | " + " | ".join(cells) + f" | {took[name] / len(found):.1f} |")


if __name__ == "__main__":
    main()
