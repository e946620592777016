"""The travel model as data: how fast one moves over each land class, and what it costs in chakra.

A network's travel model is a TOML file (see terrain/data/land_of_fire_travel.toml): per land class
a walking pace, a running pace with its chakra per km (or none: nobody runs through a marsh), or for
water the water-walking pace and chakra per km (water is crossed only by water-walking), or
`impassable = true`. Profiles (walking, running, injured …) scale the paces and say whether one may
run. `move_costs` turns a model and a profile into per-cell arrays for the route search.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from refuge.domain.errors import InvalidInput
from refuge.terrain.landcover import LAND_OF_FIRE_CLASSES
from refuge.terrain.model import LandClass, Terrain

LAND_KEYS = {"walk_kmh", "run_kmh", "run_chakra_per_km"}
WATER_KEYS = {"water_walk_kmh", "water_chakra_per_km"}
PROFILE_KEYS = {"speed_factor", "can_run", "chakra_factor", "can_water_walk"}
SECONDS_PER_HOUR_PER_KM = 3.6  # 3600 s / 1000 m: seconds per metre = 3.6 / km per hour


@dataclass(frozen=True)
class ClassTravel:
    """Paces (km/h) and chakra (per km) on one land class; a pace of 0 means that way is closed."""

    name: str
    walk_kmh: float = 0.0
    run_kmh: float = 0.0
    run_chakra_per_km: float = 0.0
    water_walk_kmh: float = 0.0
    water_chakra_per_km: float = 0.0
    impassable: bool = False


@dataclass(frozen=True)
class TravelProfile:
    """How a kind of traveller moves: every pace times `speed_factor`, chakra spent times `chakra_factor`."""

    name: str
    speed_factor: float = 1.0
    can_run: bool = False
    chakra_factor: float = 1.0
    can_water_walk: bool = True


@dataclass(frozen=True)
class TravelModel:
    classes: tuple[ClassTravel, ...]
    profiles: tuple[TravelProfile, ...]
    source: str = "travel model"

    def profile(self, name: str) -> TravelProfile:
        """The named profile, or an error listing the profiles there are."""
        for profile in self.profiles:
            if profile.name == name:
                return profile
        raise InvalidInput(f"unknown travel profile {name!r}; the profiles are: {', '.join(self.profile_names)}")

    @property
    def profile_names(self) -> tuple[str, ...]:
        return tuple(profile.name for profile in self.profiles)

    def for_class(self, name: str) -> ClassTravel | None:
        return next((travel for travel in self.classes if travel.name == name), None)


@dataclass(frozen=True, eq=False)
class MoveCosts:
    """Per-cell costs of moving, for one profile: float64 arrays shaped like the raster.

    Each mode's arrays are finite exactly where that mode is possible: walking and running on
    passable land (running only where the class and the profile allow it), water-walking on water.
    """

    walk_s_per_m: np.ndarray
    run_s_per_m: np.ndarray
    run_chakra_per_m: np.ndarray
    water_s_per_m: np.ndarray
    water_chakra_per_m: np.ndarray
    cell_size: float

    @property
    def passable(self) -> np.ndarray:
        """Cells one can be in at all: walkable land or walkable water."""
        return np.isfinite(self.walk_s_per_m) | np.isfinite(self.water_s_per_m)


def default_travel_model_text() -> str:
    """The bundled Land of Fire travel model, as TOML text."""
    return resources.files("refuge.terrain").joinpath("data/land_of_fire_travel.toml").read_text(encoding="utf-8")


def default_travel_model() -> TravelModel:
    """The bundled Land of Fire travel model, checked against the Land of Fire's classes."""
    return parse_travel_model(default_travel_model_text(), LAND_OF_FIRE_CLASSES, "land_of_fire_travel.toml")


def load_travel_model(text_or_path: str | Path, table: Sequence[LandClass] = LAND_OF_FIRE_CLASSES) -> TravelModel:
    """A travel model from a TOML file's path, or from its text (anything holding '=' or a new line)."""
    if isinstance(text_or_path, str) and ("=" in text_or_path or "\n" in text_or_path):
        return parse_travel_model(text_or_path, table)
    path = Path(text_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise InvalidInput(f"cannot read the travel model {path}: {reason}") from None
    return parse_travel_model(text, table, str(path))


def parse_travel_model(text: str, table: Sequence[LandClass], source: str = "travel model") -> TravelModel:
    """Read and check a travel model against a class table; every mistake is an InvalidInput naming `source`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{source} is not valid TOML: {error}") from None
    _refuse_unknown(source, "section", data, {"classes", "profiles"})
    classes = _section(source, data, "classes")
    profiles = _section(source, data, "profiles")
    _check_class_names(source, classes, table)
    water = {land.name: land.water for land in table}
    return TravelModel(
        classes=tuple(_class_travel(source, land.name, classes[land.name], water[land.name]) for land in table),
        profiles=tuple(_profile(source, name, values) for name, values in profiles.items()),
        source=source,
    )


def move_costs(terrain: Terrain, model: TravelModel, profile: str) -> MoveCosts:
    """Seconds and chakra per metre in every cell of the terrain, for the named profile."""
    chosen = model.profile(profile)
    missing = [land.name for land in terrain.table if model.for_class(land.name) is None]
    if missing:
        raise InvalidInput(f"{model.source} has no travel values for the land classes {', '.join(missing)}")
    lookups = np.full((5, 256), math.inf)
    for land in terrain.table:
        lookups[:, land.id] = _cell_costs(model.for_class(land.name), land.water, chosen)
    arrays = [lookup[terrain.classes] for lookup in lookups]
    for array in arrays:
        array.flags.writeable = False
    return MoveCosts(*arrays, cell_size=terrain.cell_size)


def _cell_costs(travel: ClassTravel, water: bool, profile: TravelProfile) -> list[float]:
    """walk s/m, run s/m, run chakra/m, water s/m, water chakra/m on one class for one profile."""
    costs = [math.inf] * 5
    if travel.impassable:
        return costs
    if water:
        if profile.can_water_walk:
            costs[3] = SECONDS_PER_HOUR_PER_KM / (travel.water_walk_kmh * profile.speed_factor)
            costs[4] = travel.water_chakra_per_km / 1000.0 * profile.chakra_factor
        return costs
    costs[0] = SECONDS_PER_HOUR_PER_KM / (travel.walk_kmh * profile.speed_factor)
    if profile.can_run and travel.run_kmh > 0:
        costs[1] = SECONDS_PER_HOUR_PER_KM / (travel.run_kmh * profile.speed_factor)
        costs[2] = travel.run_chakra_per_km / 1000.0 * profile.chakra_factor
    return costs


def _section(source: str, data: dict, name: str) -> dict:
    section = data.get(name)
    if not isinstance(section, dict) or not section:
        raise InvalidInput(f"{source} needs a [{name}.NAME] table for each of its {name}")
    for key, values in section.items():
        if not isinstance(values, dict):
            raise InvalidInput(f"{source}: {name}.{key} must be a table ([{name}.{key}]), not a single value")
    return section


def _check_class_names(source: str, classes: dict, table: Sequence[LandClass]) -> None:
    known = [land.name for land in table]
    unknown = sorted(set(classes) - set(known))
    if unknown:
        raise InvalidInput(f"{source}: unknown land classes {', '.join(unknown)}; the classes are: {', '.join(known)}")
    missing = [name for name in known if name not in classes]
    if missing:
        raise InvalidInput(f"{source}: no travel values for the land classes {', '.join(missing)}")


def _class_travel(source: str, name: str, values: dict, water: bool) -> ClassTravel:
    where = f"{source}: class {name!r}"
    _refuse_unknown(where, "field", values, LAND_KEYS | WATER_KEYS | {"impassable"})
    if _flag(where, values, "impassable", False):
        if len(values) > 1:
            raise InvalidInput(f"{where} is impassable and so takes no paces or chakra")
        return ClassTravel(name, impassable=True)
    wrong = sorted(set(values) & (LAND_KEYS if water else WATER_KEYS))
    if wrong:
        kind = "water: it is crossed only by water-walking" if water else "not water"
        raise InvalidInput(f"{where} is {kind}, so it takes no {', '.join(wrong)}")
    if water:
        return ClassTravel(name, water_walk_kmh=_number(where, values, "water_walk_kmh", positive=True),
                           water_chakra_per_km=_number(where, values, "water_chakra_per_km"))
    run_kmh = _number(where, values, "run_kmh", default=0.0)
    run_chakra = _number(where, values, "run_chakra_per_km", default=None if run_kmh > 0 else 0.0)
    return ClassTravel(name, walk_kmh=_number(where, values, "walk_kmh", positive=True),
                       run_kmh=run_kmh, run_chakra_per_km=run_chakra)


def _profile(source: str, name: str, values: dict) -> TravelProfile:
    where = f"{source}: profile {name!r}"
    _refuse_unknown(where, "field", values, PROFILE_KEYS)
    return TravelProfile(
        name,
        speed_factor=_number(where, values, "speed_factor", default=1.0, positive=True),
        can_run=_flag(where, values, "can_run", False),
        chakra_factor=_number(where, values, "chakra_factor", default=1.0, positive=True),
        can_water_walk=_flag(where, values, "can_water_walk", True),
    )


def _number(where: str, values: dict, key: str, default: float | None = None, positive: bool = False) -> float:
    """A finite number, at least 0 (above 0 if `positive`); required unless a default is given."""
    if key not in values:
        if default is None:
            raise InvalidInput(f"{where} needs {key}")
        return default
    value = values[key]
    bound = "greater than 0" if positive else "0 or more"
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (positive and value == 0):
        raise InvalidInput(f"{where}: {key} must be a number {bound}, not {value!r}")
    return float(value)


def _flag(where: str, values: dict, key: str, default: bool) -> bool:
    value = values.get(key, default)
    if not isinstance(value, bool):
        raise InvalidInput(f"{where}: {key} must be true or false, not {value!r}")
    return value


def _refuse_unknown(where: str, what: str, values: dict, allowed: set[str]) -> None:
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise InvalidInput(f"{where}: unknown {what} {', '.join(unknown)} (known: {', '.join(sorted(allowed))})")
