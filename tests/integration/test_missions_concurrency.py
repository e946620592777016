"""Two people at once: one acknowledgement wins, and a report sent twice at once posts once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest

from refuge.domain.alerts import AlreadyAcknowledged
from refuge.domain.missions import parse_schedule
from refuge.domain.reports import Report, SupplyUsed
from refuge.services import ledger, missions
from refuge.store.database import Database
from tests.desk_factory import load_desk_network
from tests.factories import NOW

START = NOW - timedelta(hours=12)


@pytest.fixture
def desk(empty_db: Database) -> Database:
    load_desk_network(empty_db)
    code = missions.create(empty_db, "Patrol", "c", leader="iruka", team=["sakura"],
                           schedule=parse_schedule("every 4h", 30), now=START).code
    missions.start(empty_db, code, at=START, now=START)
    return empty_db


def test_of_two_acknowledgements_at_once_exactly_one_wins(desk: Database) -> None:
    alert = missions.detect_overdue(desk, at=START + timedelta(hours=5), now=NOW).raised[0]

    def ack(person: str) -> str:
        try:
            return missions.acknowledge(desk, alert.id, person, now=NOW).acknowledged_by or ""  # type: ignore[arg-type]
        except AlreadyAcknowledged:
            return "refused"

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(ack, ["shizune", "tsunade"]))
    winner = missions.alerts(desk)[0].acknowledged_by
    assert results.count("refused") == 1 and winner in results


def test_a_report_sent_twice_at_once_posts_its_supplies_once(desk: Database) -> None:
    report = Report("M-0001", "sakura", NOW, supplies=(SupplyUsed("LF-001", "FOOD-RICE", Decimal(2)),
                                                       SupplyUsed("LF-002", "FOOD-WATER", Decimal(1))))
    with ThreadPoolExecutor(2) as pool:
        filed = list(pool.map(lambda _: missions.file_report(desk, report, now=NOW), range(2)))
    assert sorted(f.replayed for f in filed) == [False, True]
    keys = [m.key for m in ledger.history(desk) if m.key and m.key.startswith("report:")]
    assert sorted(keys) == ["report:M-0001:LF-001:FOOD-RICE", "report:M-0001:LF-002:FOOD-WATER"]
