"""Mission reports: objectives met, supplies used at shelters, injuries, equipment for the armoury, narrative.

A mission has one report. Each line of supplies becomes one consume movement in that shelter's
ledger, under an idempotency key made from the mission, the shelter and the item, so a report sent
again (say from the field, offline, twice) posts nothing new. The report's fingerprint tells a
resubmission of the same report from a different report for the same mission, which is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from refuge.domain.errors import Conflict, InvalidInput
from refuge.domain.values import normalise_code, parse_quantity


class EquipmentAction(StrEnum):
    SHARPEN = "sharpen"
    REPLACE = "replace"


class ReportConflict(Conflict):
    def __init__(self, mission: str) -> None:
        super().__init__(f"mission {mission} already has a different report; a report is filed once "
                         "(sending the same report again is harmless, changing it is not)")


@dataclass(frozen=True)
class SupplyUsed:
    shelter: str
    sku: str
    quantity: Decimal
    #: When it was used; the report's time if not given.
    used_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "shelter", normalise_code(self.shelter))
        object.__setattr__(self, "sku", normalise_code(self.sku, field="sku"))
        object.__setattr__(self, "quantity", parse_quantity(self.quantity, field=f"quantity of {self.sku}"))


@dataclass(frozen=True)
class Injury:
    person: str
    description: str

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise InvalidInput(f"the injury of {self.person} needs a description")


@dataclass(frozen=True)
class EquipmentRequest:
    """Something to sharpen or replace: a catalogue sku or a description, and how many."""

    what: str
    action: EquipmentAction
    quantity: int = 1

    def __post_init__(self) -> None:
        if not self.what.strip():
            raise InvalidInput("an equipment request needs to say what (a sku or a description)")
        try:
            object.__setattr__(self, "action", EquipmentAction(str(self.action).strip().lower()))
        except ValueError:
            raise InvalidInput(f"equipment action {self.action!r} is not one of: sharpen, replace") from None
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity <= 0:
            raise InvalidInput(f"equipment quantity must be a positive whole number, not {self.quantity!r}")


@dataclass(frozen=True)
class Report:
    mission: str
    by: str
    submitted_at: datetime
    objectives_met: tuple[int, ...] = ()
    supplies: tuple[SupplyUsed, ...] = ()
    injuries: tuple[Injury, ...] = ()
    equipment: tuple[EquipmentRequest, ...] = ()
    narrative: str = ""

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for line in self.supplies:
            if (line.shelter, line.sku) in seen:
                raise InvalidInput(f"{line.sku} at {line.shelter} appears twice in the report; give one line "
                                   "with the total")
            seen.add((line.shelter, line.sku))
            if line.used_at is not None and line.used_at > self.submitted_at:
                raise InvalidInput(f"{line.sku} at {line.shelter} was used after the report was written")
        object.__setattr__(self, "objectives_met", tuple(sorted(set(self.objectives_met))))
        object.__setattr__(self, "supplies", tuple(sorted(self.supplies, key=lambda s: (s.shelter, s.sku))))

    def check_objectives(self, count: int) -> None:
        for number in self.objectives_met:
            if not 1 <= number <= count:
                raise InvalidInput(f"objective {number} does not exist: mission {self.mission} has "
                                   f"{count} objective{'s' if count != 1 else ''}")

    def movement_key(self, line: SupplyUsed) -> str:
        """The idempotency key of the consume movement a line becomes: the same line, the same key."""
        return f"report:{self.mission}:{line.shelter}:{line.sku}"

    def used_at(self, line: SupplyUsed) -> datetime:
        return line.used_at or self.submitted_at

    def fingerprint(self) -> str:
        """A digest of everything the report says, to tell a resubmission from a different report.

        When it was sent is not part of it: the same report sent again later is still the same report.
        """
        content = {
            "mission": self.mission, "by": self.by, "objectives_met": list(self.objectives_met),
            "supplies": [[s.shelter, s.sku, str(s.quantity.normalize()), s.used_at.isoformat() if s.used_at else None]
                         for s in self.supplies],
            "injuries": sorted([i.person, i.description.strip()] for i in self.injuries),
            "equipment": sorted([e.what.strip(), e.action.value, e.quantity] for e in self.equipment),
            "narrative": self.narrative.strip(),
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
