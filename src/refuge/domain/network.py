"""The network register: the network itself, its places, its shelters, the catalogue and par levels."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from refuge.domain.errors import InvalidInput
from refuge.domain.values import normalise_code

#: Clearance runs from 1 (any shinobi of the village) to 5 (the Hokage's office).
CLEARANCE_LEVELS = range(1, 6)


class ShelterStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    COMPROMISED = "compromised"


class Condition(StrEnum):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


class Category(StrEnum):
    """The seven kinds of supplies a shelter keeps, each in its own labelled boxes."""

    FOOD = "food"
    FIRST_AID = "first-aid"
    WEAPONS = "weapons"
    SEALS = "seals"
    CLOTHING = "clothing"
    TOOLS = "tools"
    COMFORTS = "comforts"


def parse_choice(enum: type[StrEnum], value: object, field: str) -> StrEnum:
    """An enum member from its value, or an error listing the allowed values."""
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise InvalidInput(f"{field} {value!r} is not one of: {allowed}") from None


def check_clearance(value: object, field: str = "clearance") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in CLEARANCE_LEVELS:
        raise InvalidInput(f"{field} must be a whole number from 1 to 5, not {value!r}")
    return value


@dataclass(frozen=True)
class Network:
    """A network of shelters on one map; positions are metres east (x) and north (y) of its origin."""

    name: str
    width_m: float
    height_m: float
    description: str = ""


@dataclass(frozen=True)
class Place:
    """A settlement on the map: the base the runs start from, towns, a town with a hospital."""

    name: str
    kind: str
    x: float
    y: float
    is_base: bool = False
    has_hospital: bool = False


@dataclass(frozen=True)
class Shelter:
    code: str
    name: str
    x: float
    y: float
    access_notes: str = ""
    beds: int = 2
    condition: Condition = Condition.GOOD
    status: ShelterStatus = ShelterStatus.ACTIVE
    clearance: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", normalise_code(self.code))
        if not self.name.strip():
            raise InvalidInput(f"shelter {self.code} needs a name")
        for axis in ("x", "y"):
            value = getattr(self, axis)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise InvalidInput(f"shelter {self.code}: {axis} must be a number of metres, not {value!r}")
        if isinstance(self.beds, bool) or not isinstance(self.beds, int) or self.beds < 0:
            raise InvalidInput(f"shelter {self.code}: beds must be a whole number, 0 or more, not {self.beds!r}")
        object.__setattr__(self, "condition", parse_choice(Condition, self.condition, f"shelter {self.code}: condition"))
        object.__setattr__(self, "status", parse_choice(ShelterStatus, self.status, f"shelter {self.code}: status"))
        check_clearance(self.clearance, f"shelter {self.code}: clearance")


@dataclass(frozen=True)
class Item:
    """A catalogue entry. Quantities of it are counted in `unit`s, each weighing `unit_weight_kg`."""

    sku: str
    name: str
    category: Category
    unit: str
    unit_weight_kg: Decimal
    shelf_life_days: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sku", normalise_code(self.sku, field="sku"))
        object.__setattr__(self, "category", parse_choice(Category, self.category, f"item {self.sku}: category"))
        try:
            weight = Decimal(str(self.unit_weight_kg))
        except InvalidOperation:
            weight = Decimal("NaN")
        if not weight.is_finite() or weight < 0:
            raise InvalidInput(f"item {self.sku}: unit weight must be 0 kg or more, not {self.unit_weight_kg!r}")
        object.__setattr__(self, "unit_weight_kg", weight)
        if self.shelf_life_days is not None and (
            isinstance(self.shelf_life_days, bool) or not isinstance(self.shelf_life_days, int) or self.shelf_life_days <= 0
        ):
            raise InvalidInput(f"item {self.sku}: shelf life must be a positive number of days or none")


@dataclass(frozen=True)
class ParLevel:
    """How much of an item a shelter should hold: never below `min`, restock up to `target`, room for `capacity`."""

    shelter: str
    sku: str
    min: Decimal
    target: Decimal
    capacity: Decimal

    def __post_init__(self) -> None:
        if not (0 <= self.min <= self.target <= self.capacity) or self.capacity <= 0:
            raise InvalidInput(
                f"par level for {self.sku} at {self.shelter} must satisfy 0 <= min <= target <= capacity "
                f"and capacity > 0 (got {self.min}/{self.target}/{self.capacity})"
            )
