"""Defences: barriers, wards, traps and alarms, and what their test log says of them on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from refuge.domain.errors import InvalidInput
from refuge.domain.network import parse_choice


class DefenceKind(StrEnum):
    BARRIER = "barrier"
    WARD = "ward"
    TRAP = "trap"
    ALARM = "alarm"


class TestResult(StrEnum):
    PASS = "pass"
    FAIL = "fail"


# Not a test case, whatever its name says to a test runner.
TestResult.__test__ = False  # type: ignore[attr-defined]


class DefenceStatus(StrEnum):
    ARMED = "armed"
    FAULTY = "faulty"
    SPENT = "spent"
    UNTESTED = "untested"


@dataclass(frozen=True, slots=True)
class Defence:
    """A defence at a shelter. A passing test (re)arms it; its charge, if it has one, lasts `charge_life_days`."""

    shelter: str
    code: str
    kind: DefenceKind
    name: str
    test_interval_days: int
    installed_on: date
    charge_life_days: int | None = None
    arming_instructions: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", parse_choice(DefenceKind, self.kind, f"defence {self.code}: kind"))
        object.__setattr__(self, "code", self.code.strip().upper())
        if self.test_interval_days <= 0:
            raise InvalidInput(f"defence {self.code}: test interval must be a positive number of days")
        if self.charge_life_days is not None and self.charge_life_days <= 0:
            raise InvalidInput(f"defence {self.code}: charge life must be a positive number of days or none")


@dataclass(frozen=True, slots=True)
class DefenceTest:
    shelter: str
    defence: str
    tested_at: datetime
    result: TestResult
    by: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class DefenceState:
    """A defence as its test log leaves it on one day."""

    defence: Defence
    status: DefenceStatus
    last_tested: datetime | None
    next_test_due: date
    overdue: bool
    charge_ends: date | None


def state_of(defence: Defence, tests: list[DefenceTest], as_of: date) -> DefenceState:
    """The status of `defence` on `as_of`, from the tests recorded up to the end of that day.

    A defence is armed after a passing test until its charge runs out; a failing test leaves it faulty
    until the next pass; one never tested is untested. A test is due `test_interval_days` after the last
    one (or after installation) and is overdue from the day after.
    """
    done = sorted((t for t in tests if t.tested_at.date() <= as_of), key=lambda t: t.tested_at)
    last = done[-1] if done else None
    since = last.tested_at.date() if last else defence.installed_on
    due = since + timedelta(days=defence.test_interval_days)
    charge_ends = None
    if last is None:
        status = DefenceStatus.UNTESTED
    elif last.result is TestResult.FAIL:
        status = DefenceStatus.FAULTY
    else:
        status = DefenceStatus.ARMED
        if defence.charge_life_days is not None:
            charge_ends = last.tested_at.date() + timedelta(days=defence.charge_life_days)
            if as_of > charge_ends:
                status = DefenceStatus.SPENT
    return DefenceState(
        defence=defence,
        status=status,
        last_tested=last.tested_at if last else None,
        next_test_due=due,
        overdue=as_of > due,
        charge_ends=charge_ends,
    )


def parse_result(value: object) -> TestResult:
    return parse_choice(TestResult, value, "test result")  # type: ignore[return-value]
