"""What a viewer may know of: the services' answers cut down to the viewer's clearance.

A shelter or mission the viewer is not cleared for does not exist for them: it is absent from lists,
maps and counts, and asking for it by code answers as for a code that does not exist (404, not 403).
"""

from __future__ import annotations

from datetime import date

from refuge.config import Settings
from refuge.domain.alerts import Alert
from refuge.domain.errors import UnknownShelter
from refuge.domain.network import Shelter
from refuge.domain.readiness import Readiness, ReadinessPolicy
from refuge.services import missions as desk
from refuge.services import readiness as readiness_service
from refuge.services import register
from refuge.store.database import Database
from refuge.web.viewer import Viewer


def shelters(db: Database, viewer: Viewer) -> list[Shelter]:
    """The shelters the viewer is cleared for, by code."""
    return [s for s in register.shelters(db) if s.clearance <= viewer.clearance]


def shelter(db: Database, code: str, viewer: Viewer) -> Shelter:
    """One shelter, refused as unknown when the viewer is not cleared for it."""
    found = register.shelter(db, code)
    if found.clearance > viewer.clearance:
        raise UnknownShelter(code)
    return found


def readiness(db: Database, viewer: Viewer, settings: Settings, as_of: date | None = None) -> dict[str, Readiness]:
    """Readiness of the shelters the viewer is cleared for, by code."""
    codes = {s.code for s in shelters(db, viewer)}
    policy = ReadinessPolicy(visit_days=settings.visit_days)
    return {r.shelter: r for r in readiness_service.readiness(db, as_of, policy) if r.shelter in codes}


def alerts(db: Database, viewer: Viewer, open_only: bool = False) -> list[Alert]:
    """Overdue alerts of the missions the viewer is cleared for."""
    codes = {view.mission.code for view in desk.missions(db, as_person=viewer.handle)}
    return [alert for alert in desk.alerts(db, open_only) if alert.mission in codes]
