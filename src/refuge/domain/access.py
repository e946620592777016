"""Who may do what: roles, the permissions each role holds, and the principal a request acts for.

Two independent checks guard everything. The role decides what kind of work a person may do (the
table `PERMISSIONS`, documented in docs/access.md). The clearance, which is the person's own from the
roster, decides what exists for them: a shelter or mission classified above it is never shown, counted
or named, and asking for it by code is answered as for a code that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from refuge.domain.errors import Forbidden, InvalidInput, NotFound
from refuge.domain.network import CLEARANCE_LEVELS

#: The clearance that sees everything: the trusted command line, and the Hokage's office.
FULL_CLEARANCE = max(CLEARANCE_LEVELS)


class Role(StrEnum):
    ADMIN = "admin"
    LOGISTICS = "logistics"
    VOLUNTEER = "volunteer"
    FIELD = "field"
    DESK = "desk"


class Permission(StrEnum):
    """A kind of work; each JSON route needs exactly one of these."""

    #: Shelters, the catalogue, the terrain, stock, history, readiness, defences, forecasts.
    READ_SHELTERS = "read-shelters"
    #: Nearest shelter, routes, the travel-time matrix.
    NAVIGATE = "navigate"
    #: The roster; asking `as` someone else; recording what someone else did.
    READ_PEOPLE = "read-people"
    #: Movements and defence tests at one shelter.
    RECORD_STOCK = "record-stock"
    #: Writing off expired stock across the network.
    MANAGE_LEDGER = "manage-ledger"
    #: Resupply plans, and accepting their runs.
    PLAN = "plan"
    #: Reading accepted runs and recording what a run did at a shelter.
    WALK_RUNS = "walk-runs"
    #: Missions, their check-ins and alerts.
    READ_MISSIONS = "read-missions"
    #: Check-ins and mission reports.
    REPORT = "report"
    #: Creating and moving missions, scanning and acknowledging alerts, emergencies.
    RUN_DESK = "run-desk"


_EVERYONE = {Permission.READ_SHELTERS, Permission.NAVIGATE}

#: What each role may do. The office (admin) may do everything.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.LOGISTICS: frozenset(_EVERYONE | {Permission.READ_PEOPLE, Permission.RECORD_STOCK, Permission.MANAGE_LEDGER,
                                           Permission.PLAN, Permission.WALK_RUNS}),
    Role.VOLUNTEER: frozenset(_EVERYONE | {Permission.RECORD_STOCK, Permission.WALK_RUNS}),
    Role.FIELD: frozenset(_EVERYONE | {Permission.READ_MISSIONS, Permission.REPORT}),
    Role.DESK: frozenset(_EVERYONE | {Permission.READ_PEOPLE, Permission.READ_MISSIONS, Permission.REPORT,
                                      Permission.RUN_DESK}),
}


def parse_role(value: object) -> Role:
    """A role from its name, or an error listing the roles."""
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        raise InvalidInput(f"role {value!r} is not one of: {', '.join(r.value for r in Role)}") from None


@dataclass(frozen=True)
class Principal:
    """The person a request acts for: their handle and name from the roster, their role and clearance."""

    handle: str
    name: str
    role: Role
    clearance: int

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        """Refuse (Forbidden) work the principal's role does not include."""
        if not self.may(permission):
            raise Forbidden(f"{self.handle} signs in as {self.role.value}, which may not {_DOING[permission]}")

    def is_self(self, name: str) -> bool:
        """Whether `name` (a handle or a full name) names the principal."""
        wanted = name.strip().lower()
        return wanted in (self.handle, self.name.lower())

    def asking_as(self, name: str | None) -> str:
        """Whom a question is asked for: the principal, or `name`, which needs the roster permission
        when it is someone else. The principal's clearance still bounds the answer."""
        if name is None or not name.strip() or self.is_self(name):
            return self.handle
        self.require(Permission.READ_PEOPLE)
        return name

    def acting_for(self, name: str | None) -> str | None:
        """Who a record says did the work: anyone named, for a role that keeps the roster; otherwise only
        the principal, who is also the default (a volunteer's count is theirs, a field report theirs)."""
        if self.may(Permission.READ_PEOPLE):
            return name
        if name is None or not name.strip() or self.is_self(name):
            return self.handle
        raise Forbidden(f"{self.handle} signs in as {self.role.value}, which may record only their own work, "
                        f"not {name.strip()!r}'s")


_DOING = {
    Permission.READ_SHELTERS: "read the shelters",
    Permission.NAVIGATE: "ask for routes",
    Permission.READ_PEOPLE: "read the roster, ask on behalf of someone else or record their work",
    Permission.RECORD_STOCK: "record movements or defence tests",
    Permission.MANAGE_LEDGER: "write off expired stock across the network",
    Permission.PLAN: "plan resupply or accept runs",
    Permission.WALK_RUNS: "read or record runs",
    Permission.READ_MISSIONS: "read missions or alerts",
    Permission.REPORT: "check in or file mission reports",
    Permission.RUN_DESK: "run the mission desk",
}


class TokenKind(StrEnum):
    """An API token is for scripts and lasts until revoked; a session is a browser's, and expires."""

    API = "api"
    SESSION = "session"


class UnknownToken(NotFound):
    def __init__(self, token_id: object) -> None:
        super().__init__(f"unknown token {token_id!r} (see `refuge token list`)")
