"""Use case: the readiness of every shelter on a day."""

from __future__ import annotations

from datetime import date

from refuge.domain.access import FULL_CLEARANCE
from refuge.domain.readiness import Readiness, ReadinessPolicy, assess
from refuge.domain.values import utc_now
from refuge.services.clock import end_of
from refuge.store import readiness as store
from refuge.store import register as register_store
from refuge.store.database import Database


def readiness(db: Database, as_of: date | None = None, policy: ReadinessPolicy = ReadinessPolicy(),
              clearance: int = FULL_CLEARANCE) -> list[Readiness]:
    """Green, amber or red for every shelter cleared for `clearance` (all, by default) at the end of
    `as_of` (default today), with the reasons."""
    as_of = as_of or utc_now().date()
    with db.reading() as session:
        facts = store.facts(session, as_of, end_of(as_of))
        visible = register_store.visible_codes(session, clearance)
    return [assess(shelter_facts, as_of, policy) for code, shelter_facts in facts.items() if code in visible]
