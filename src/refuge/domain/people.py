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

    def __post_init__(self) -> None:
        if not _HANDLE.match(self.handle):
            raise InvalidInput(f"person handle {self.handle!r} must be lower-case letters, digits and hyphens")
        object.__setattr__(self, "rank", parse_choice(Rank, self.rank, f"person {self.handle}: rank"))
        object.__setattr__(
            self, "condition", parse_choice(PersonCondition, self.condition, f"person {self.handle}: condition")
        )
        object.__setattr__(self, "skills", tuple(sorted({skill.strip().lower() for skill in self.skills})))
        check_clearance(self.clearance, f"person {self.handle}: clearance")
        if self.max_chakra < 0:
            raise InvalidInput(f"person {self.handle}: maximum chakra must be 0 or more")
