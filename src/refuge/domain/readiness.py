"""Readiness: is a shelter fit to receive a wounded shinobi today? Green, amber or red, with the reasons.

The rules (docs/readiness.md says the same for people):

red    the shelter is closed or compromised; or a category it should stock (an item of it has a
       minimum above zero) has nothing usable left; or it has defences and none of them is armed.
amber  an item is below its minimum; expired lots are still on the shelf; a defence is overdue for
       its test, faulty, spent or never tested; nobody has visited (restocked, counted, written off
       or tested a defence) for `visit_days` days.
green  none of the above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from refuge.domain.defences import DefenceState, DefenceStatus
from refuge.domain.network import ShelterStatus


class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


_SEVERITY = {Level.GREEN: 0, Level.AMBER: 1, Level.RED: 2}


@dataclass(frozen=True, slots=True)
class ReadinessPolicy:
    """The tunable part of the rules."""

    visit_days: int = 120
    #: How many item names a reason lists before it says "and N more".
    list_limit: int = 5


@dataclass(frozen=True, slots=True)
class Shortfall:
    sku: str
    usable: Decimal
    min: Decimal


@dataclass(frozen=True, slots=True)
class ExpiredLot:
    sku: str
    expires_on: date
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class ShelterFacts:
    """What readiness needs to know of one shelter on one day. `shortfalls` lists only the par-levelled
    items below their minimum; `empty_categories` the stocked categories with nothing usable."""

    code: str
    status: ShelterStatus
    shortfalls: list[Shortfall] = field(default_factory=list)
    empty_categories: list[str] = field(default_factory=list)
    expired_lots: list[ExpiredLot] = field(default_factory=list)
    defences: list[DefenceState] = field(default_factory=list)
    last_visit: datetime | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    level: Level
    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class Readiness:
    shelter: str
    level: Level
    reasons: tuple[Reason, ...]
    last_visit: datetime | None


def assess(facts: ShelterFacts, as_of: date, policy: ReadinessPolicy = ReadinessPolicy()) -> Readiness:
    """Apply the readiness rules to one shelter's facts on `as_of`."""
    reasons = [*_status(facts), *_stock(facts, policy), *_defences(facts), *_visits(facts, as_of, policy)]
    level = max((reason.level for reason in reasons), key=_SEVERITY.__getitem__, default=Level.GREEN)
    return Readiness(facts.code, level, tuple(sorted(reasons, key=lambda r: -_SEVERITY[r.level])), facts.last_visit)


def _listed(names: list[str], limit: int) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _status(facts: ShelterFacts) -> list[Reason]:
    if facts.status is ShelterStatus.ACTIVE:
        return []
    return [Reason(Level.RED, f"status-{facts.status.value}", f"shelter is {facts.status.value}")]


def _stock(facts: ShelterFacts, policy: ReadinessPolicy) -> list[Reason]:
    reasons = [
        Reason(Level.RED, "category-empty", f"no usable {category} left")
        for category in sorted(facts.empty_categories)
    ]
    if facts.shortfalls:
        names = [f"{s.sku} ({s.usable:f}/{s.min:f})" for s in sorted(facts.shortfalls, key=lambda s: s.sku)]
        reasons.append(
            Reason(Level.AMBER, "below-min", f"{len(names)} item(s) below minimum: {_listed(names, policy.list_limit)}")
        )
    if facts.expired_lots:
        names = [f"{lot.sku} (expired {lot.expires_on})" for lot in sorted(facts.expired_lots, key=lambda e: (e.expires_on, e.sku))]
        reasons.append(
            Reason(Level.AMBER, "expired-lots", f"{len(names)} expired lot(s) on the shelf: {_listed(names, policy.list_limit)}")
        )
    return reasons


def _defences(facts: ShelterFacts) -> list[Reason]:
    reasons = []
    if facts.defences and all(state.status is not DefenceStatus.ARMED for state in facts.defences):
        reasons.append(Reason(Level.RED, "defences-down", "no defence is armed"))
    for state in sorted(facts.defences, key=lambda s: s.defence.code):
        label = f"{state.defence.kind.value} {state.defence.code} ({state.defence.name})"
        if state.status is not DefenceStatus.ARMED:
            reasons.append(Reason(Level.AMBER, "defence-not-armed", f"{label} is {state.status.value}"))
        if state.overdue:
            reasons.append(
                Reason(Level.AMBER, "defence-overdue", f"{label} was due for a test on {state.next_test_due}")
            )
    return reasons


def _visits(facts: ShelterFacts, as_of: date, policy: ReadinessPolicy) -> list[Reason]:
    if facts.last_visit is None:
        return [Reason(Level.AMBER, "no-visit", "no maintenance visit on record")]
    days = (as_of - facts.last_visit.date()).days
    if days > policy.visit_days:
        return [Reason(Level.AMBER, "no-visit", f"no visit for {days} days (last {facts.last_visit.date()})")]
    return []
