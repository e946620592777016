"""The roster: who can be sent, what they can do, what they may know."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from refuge.domain.errors import InvalidInput
from refuge.domain.network import check_clearance, parse_choice


class Rank(StrEnum):
    CIVILIAN = "civilian"
    GENIN = "genin"
    CHUNIN = "chunin"
    SPECIAL_JONIN = "special-jonin"
    JONIN = "jonin"
    ANBU = "anbu"
    KAGE = "kage"


class PersonCondition(StrEnum):
    FIT = "fit"
    TIRED = "tired"
    INJURED = "injured"
    CRITICAL = "critical"
    CHAKRA_LOW = "chakra-low"


#: Words the field uses for a condition, read as the condition they mean.
CONDITION_WORDS = {"wounded": "injured", "chakra low": "chakra-low", "low chakra": "chakra-low"}


class Availability(StrEnum):
    """Why someone can or cannot be sent: free, teaching a term at the Academy, on leave, on a mission."""

    AVAILABLE = "available"
    TEACHING = "teaching"
    LEAVE = "leave"
    ON_MISSION = "on-mission"


_HANDLE = re.compile(r"^[a-z][a-z0-9-]*$")


def handle_for(name: str) -> str:
    """The short lower-case handle a person is named by in commands: 'Kakashi Hatake' -> 'kakashi'."""
    return re.sub(r"[^a-z0-9-]", "", name.strip().split()[0].lower()) if name.strip() else ""


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    rank: Rank
    skills: tuple[str, ...] = ()
    clearance: int = 1
    max_chakra: int = 100
    condition: PersonCondition = PersonCondition.FIT
    available: bool = True
    notes: str = field(default="", compare=False)
    availability: Availability = Availability.AVAILABLE
    #: Handle of the person this one answers to: an overdue alert on their mission escalates to them.
    superior: str | None = None
    #: Where the person was last known to be (metres east, north), if anyone knows.
    x: float | None = None
    y: float | None = None

    def __post_init__(self) -> None:
        if not _HANDLE.match(self.handle):
            raise InvalidInput(f"person handle {self.handle!r} must be lower-case letters, digits and hyphens")
        object.__setattr__(self, "rank", parse_choice(Rank, self.rank, f"person {self.handle}: rank"))
        condition = CONDITION_WORDS.get(str(self.condition).strip().lower(), self.condition)
        object.__setattr__(
            self, "condition", parse_choice(PersonCondition, condition, f"person {self.handle}: condition")
        )
        object.__setattr__(self, "availability", parse_choice(
            Availability, self.availability, f"person {self.handle}: availability"))
        if self.availability is not Availability.AVAILABLE:
            # A reason not to be sent is also "not available", so older readers of `available` agree.
            object.__setattr__(self, "available", False)
        if self.superior is not None and self.superior == self.handle:
            raise InvalidInput(f"person {self.handle} cannot be their own superior")
        if (self.x is None) != (self.y is None):
            raise InvalidInput(f"person {self.handle}: a position needs both x and y")
        object.__setattr__(self, "skills", tuple(sorted({skill.strip().lower() for skill in self.skills})))
        check_clearance(self.clearance, f"person {self.handle}: clearance")
        if self.max_chakra < 0:
            raise InvalidInput(f"person {self.handle}: maximum chakra must be 0 or more")

    @property
    def free(self) -> bool:
        """Free to be sent: marked available, with no term, leave or mission holding them."""
        return self.available and self.availability is Availability.AVAILABLE

    @property
    def fit(self) -> bool:
        return self.condition is PersonCondition.FIT

    @property
    def position(self) -> tuple[float, float] | None:
        return (self.x, self.y) if self.x is not None and self.y is not None else None
