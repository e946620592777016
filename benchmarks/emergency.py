"""Emergency proposals on the Land of Fire's terrain: `services.emergencies.propose` ranks every fit,
free, cleared medic by travel time to Tanzaku Town, beside one route search between two points
(the village and the town) with the same navigator: what answering for all responders costs over
answering for one."""

from __future__ import annotations

from datetime import datetime, timezone

from benchmarks.databases import Places
from benchmarks.harness import Options, Result, median, repeat, say, seconds
from refuge.services.demo import load_demo
from refuge.services.emergencies import propose
from refuge.services.navigation import Navigator
from refuge.store.database import Database

NAME = "emergency"
RUNS, QUICK_RUNS = 3, 1
NOW = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)
PLACE, SUBJECT = "Tanzaku Town", "sasuke"


def run(places: Places, options: Options) -> list[Result]:
    runs = QUICK_RUNS if options.quick else RUNS
    db = Database(places.fresh("sqlite").url)
    load_demo(db, replace=True, now=NOW)
    navigator = Navigator(db)
    proposal = propose(db, "medic", PLACE, SUBJECT, limit=None, navigator=navigator, now=NOW)
    one_route = median(repeat(lambda: navigator.route("Hidden Leaf Village", PLACE, chakra=150, profile="running"),
                              runs))
    samples = repeat(lambda: propose(db, "medic", PLACE, SUBJECT, limit=None, navigator=navigator, now=NOW), runs)
    size = f"{len(proposal.responders)} responders ranked, {len(proposal.excluded)} left out"
    result = Result(NAME, "sqlite", size, f"{size} in {seconds(median(samples))} (median of {runs})", median(samples),
                    "one route, village to town (median)", one_route, None,
                    details={"runs": samples, "responders": [r.person.handle for r in proposal.responders]})
    say(result)
    db.dispose()
    return [result]
