"""Use case: play a season under several resupply policies side by side, from the network as it stands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from refuge.domain.errors import InvalidInput
from refuge.domain.values import utc_now
from refuge.services import calendars
from refuge.simulation.engine import DEFAULT_TEAM, POLICIES, Season, Volunteer, simulate
from refuge.simulation.world import World, load_world
from refuge.store.database import Database


@dataclass(frozen=True)
class Comparison:
    start: date
    days: int
    seed: int
    travel: str
    seasons: list[Season]
    volunteers: tuple[str, ...] = ()


def compare(db: Database, policies: list[str], days: int, seed: int, start: date | None = None,
            progress: Callable[[str, int], None] | None = None, volunteers: list[str] | None = None,
            capacity_kg: float = 20.0, hours_a_day: float = 8.0) -> Comparison:
    """Play the same season (the same seed) under each policy. The runs are walked by the named volunteers
    on the days their calendars leave free, or else by four volunteers each free on 70% of days."""
    if days <= 0:
        raise InvalidInput(f"a season must last at least one day, not {days}")
    for name in policies:
        if name not in POLICIES:
            raise InvalidInput(f"unknown policy {name!r}; the policies are: {', '.join(POLICIES)}")
    first = start or utc_now().date()
    team = DEFAULT_TEAM if not volunteers else team_of(db, volunteers, first, days, capacity_kg, hours_a_day)
    world: World = load_world(db, first)
    seasons = [simulate(world, POLICIES[name](), days, seed, team,
                        progress=(lambda day, name=name: progress(name, day)) if progress else None)
               for name in dict.fromkeys(policies)]
    return Comparison(world.start, days, seed, world.travel_source, seasons, tuple(v.name for v in team))


def team_of(db: Database, names: list[str], start: date, days: int, capacity_kg: float = 20.0,
            hours_a_day: float = 8.0) -> tuple[Volunteer, ...]:
    """The named people as the season's volunteers, free on the days their calendars leave free (and only
    then: the calendar is all the office knows) in the `days` days after `start`."""
    if capacity_kg <= 0:
        raise InvalidInput(f"carrying capacity must be more than 0 kg, not {capacity_kg:g}")
    if not 0 < hours_a_day <= 24:
        raise InvalidInput(f"hours a day must be more than 0 and at most 24, not {hours_a_day:g}")
    return tuple(Volunteer(v.person.handle, capacity_kg, hours_a_day, availability=1.0, calendar=v.calendar)
                 for v in calendars.volunteers(db, names, start + timedelta(days=1), days))


def plot(comparison: Comparison, out: Path) -> Path:
    """Shelters with an item out, day by day, one line per policy."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InvalidInput(f"{out}: the plot is written as .png, .svg or .pdf")
    figure, axes = plt.subplots(figsize=(9, 4))
    for season in comparison.seasons:
        axes.plot(range(1, season.days + 1), season.daily_out, label=f"{season.policy} "
                  f"({season.stockout_shelter_days:,} shelter-days)")
    axes.set_xlabel(f"day of the season from {comparison.start}")
    axes.set_ylabel("shelters with an item out")
    axes.set_title(f"Stock-outs over {comparison.days} days (seed {comparison.seed})")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    try:
        figure.savefig(out)
    except OSError as error:
        raise InvalidInput(f"cannot write {out}: {error.strerror or error}") from None
    finally:
        plt.close(figure)
    return out
