"""The database schema. Alembic's migrations build exactly this (a test checks they agree)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from refuge.store.types import Quantity, UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class NetworkRow(Base):
    __tablename__ = "networks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    width_m: Mapped[float] = mapped_column(Float)
    height_m: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text, default="")
    features: Mapped[dict] = mapped_column(JSON, default=dict)


class PlaceRow(Base):
    __tablename__ = "places"
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    is_base: Mapped[bool] = mapped_column(Boolean, default=False)
    has_hospital: Mapped[bool] = mapped_column(Boolean, default=False)


class ShelterRow(Base):
    __tablename__ = "shelters"
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id"))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    access_notes: Mapped[str] = mapped_column(Text, default="")
    beds: Mapped[int] = mapped_column(Integer)
    condition: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    clearance: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint("beds >= 0", name="beds_not_negative"),
        CheckConstraint("clearance BETWEEN 1 AND 5", name="clearance_range"),
    )


class ItemRow(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(20))
    unit_weight_kg: Mapped[Decimal] = mapped_column(Numeric(10, 3, asdecimal=True))
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)


class ParLevelRow(Base):
    __tablename__ = "par_levels"
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelters.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    min: Mapped[Decimal] = mapped_column(Quantity)
    target: Mapped[Decimal] = mapped_column(Quantity)
    capacity: Mapped[Decimal] = mapped_column(Quantity)
    __table_args__ = (
        CheckConstraint("0 <= min AND min <= target AND target <= capacity", name="ordered"),
        # Readiness compares every minimum with the balances: read from the index alone, in key order.
        Index("ix_par_levels_shelter_item_min", "shelter_id", "item_id", "min"),
    )


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    rank: Mapped[str] = mapped_column(String(20))
    skills: Mapped[list] = mapped_column(JSON, default=list)
    clearance: Mapped[int] = mapped_column(Integer)
    max_chakra: Mapped[int] = mapped_column(Integer)
    condition: Mapped[str] = mapped_column(String(16))
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    availability: Mapped[str] = mapped_column(String(16), default="available", server_default="available")
    superior_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: Where the person was last known to be, in metres of the map frame.
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    #: The weekdays the person is usually free to walk runs, Monday first: "1111100" is Monday to Friday.
    weekdays: Mapped[str] = mapped_column(String(7), default="1111111", server_default="1111111")
    superior: Mapped[PersonRow | None] = relationship(remote_side=[id], lazy="joined", join_depth=1)


class PersonDayRow(Base):
    """A date set apart in a person's calendar: away (not free, whatever the weekday) or free outside the
    usual weekdays."""

    __tablename__ = "person_days"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    available: Mapped[bool] = mapped_column(Boolean)


class DefenceRow(Base):
    __tablename__ = "defences"
    id: Mapped[int] = mapped_column(primary_key=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelters.id"))
    code: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    test_interval_days: Mapped[int] = mapped_column(Integer)
    charge_life_days: Mapped[int | None] = mapped_column(Integer)
    installed_on: Mapped[date] = mapped_column(Date)
    arming_instructions: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (UniqueConstraint("shelter_id", "code"),)


class DefenceTestRow(Base):
    """The test log: appended to, never edited; a defence's status is derived from it."""

    __tablename__ = "defence_tests"
    id: Mapped[int] = mapped_column(primary_key=True)
    defence_id: Mapped[int] = mapped_column(ForeignKey("defences.id"), index=True)
    tested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    result: Mapped[str] = mapped_column(String(8))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class MovementRow(Base):
    """The ledger: one row per recorded movement; rows are inserted, never updated or deleted."""

    __tablename__ = "movements"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelters.id"))
    to_shelter_id: Mapped[int | None] = mapped_column(ForeignKey("shelters.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    source: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        Index("ix_movements_shelter_occurred", "shelter_id", "occurred_at"),
        Index("ix_movements_shelter_kind_occurred", "shelter_id", "kind", "occurred_at"),
        Index("ix_movements_to_shelter", "to_shelter_id"),
        # The newest movement tells whether the derived balances answer a question "as of" a moment.
        Index("ix_movements_occurred", "occurred_at"),
    )


class LotLineRow(Base):
    """What a movement did to one lot (shelter, item, expiry). Balances and lots are sums of these."""

    __tablename__ = "lot_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id"), index=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelters.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    expires_on: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    #: Copied from the movement (which never changes) so that "as of" sums need no join.
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (Index("ix_lot_lines_shelter_item", "shelter_id", "item_id", "expires_on"),)


class LotBalanceRow(Base):
    """The current quantity of every lot still holding stock: lot_lines summed by (shelter, item, expiry).

    Derived, never the record: written in the same transaction as every lot line, and rebuilt from
    the ledger by `refuge rebuild-stock`. Lots that come to zero are deleted.
    """

    __tablename__ = "lot_balances"
    id: Mapped[int] = mapped_column(primary_key=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelters.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    expires_on: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    __table_args__ = (
        Index("ix_lot_balances_shelter_item", "shelter_id", "item_id", "expires_on"),
        Index("ix_lot_balances_expires", "expires_on"),
    )


class BalanceRow(Base):
    """The current quantity of every item at every shelter that ever held it or has a par level for it:
    lot_lines summed by (shelter, item). Derived like `lot_balances`, in the same transactions.

    `min` is the pair's par-level minimum (none when the pair has no par level), copied here so that
    the pairs below their minimum are read from a small partial index instead of joining every par level.
    """

    __tablename__ = "balances"
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelters.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    min: Mapped[Decimal | None] = mapped_column(Quantity)
    __table_args__ = (
        Index("ix_balances_short", "shelter_id", "item_id", "quantity", "min",
              sqlite_where=text("quantity < min"), postgresql_where=text("quantity < min")),
        # On SQLite the rows live in the primary key's own tree: one lookup per pair instead of two.
        {"sqlite_with_rowid": False},
    )


class TerrainRow(Base):
    """A network's land-cover raster (compressed), its class table and its travel model."""

    __tablename__ = "terrains"
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"), unique=True)
    x0: Mapped[float] = mapped_column(Float)
    y0: Mapped[float] = mapped_column(Float)
    cell_size: Mapped[float] = mapped_column(Float)
    rows: Mapped[int] = mapped_column(Integer)
    cols: Mapped[int] = mapped_column(Integer)
    classes: Mapped[bytes] = mapped_column(LargeBinary)
    class_table: Mapped[list] = mapped_column(JSON)
    travel_model: Mapped[str] = mapped_column(Text)
    #: Changes whenever the raster, its classes or the travel model change; caches key on it.
    digest: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(200), default="")
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TravelMatrixRow(Base):
    """A cached travel-time matrix between shelters and bases, valid for one terrain digest and place set."""

    __tablename__ = "travel_matrices"
    id: Mapped[int] = mapped_column(primary_key=True)
    terrain_digest: Mapped[str] = mapped_column(String(64))
    profile: Mapped[str] = mapped_column(String(20))
    chakra: Mapped[float] = mapped_column(Float)
    points_digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    built_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (UniqueConstraint("terrain_digest", "profile", "chakra", "points_digest"),)


class MissionRow(Base):
    __tablename__ = "missions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    rank: Mapped[str] = mapped_column(String(1))
    client: Mapped[str] = mapped_column(String(200), default="")
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    area: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    every_hours: Mapped[float | None] = mapped_column(Float)
    grace_minutes: Mapped[int] = mapped_column(Integer)
    classification: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (CheckConstraint("classification BETWEEN 1 AND 5", name="classification_range"),)


class MissionMemberRow(Base):
    __tablename__ = "mission_members"
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class ObjectiveRow(Base):
    __tablename__ = "mission_objectives"
    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    met: Mapped[bool | None] = mapped_column(Boolean)


class CheckpointRow(Base):
    """A named point of a mission's check-in schedule and when the team is due there."""

    __tablename__ = "mission_checkpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CheckinRow(Base):
    """A check-in: appended, never edited."""

    __tablename__ = "checkins"
    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    point: Mapped[str | None] = mapped_column(String(120))
    ended_mission: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (Index("ix_checkins_mission_at", "mission_id", "at"),)


class AlertRow(Base):
    """An overdue alert: one per mission and missed due time."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime)
    point: Mapped[str | None] = mapped_column(String(120))
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (UniqueConstraint("mission_id", "due_at"),)


class AlertNoticeRow(Base):
    """Who an alert told, and when: one row per rung of the ladder reached."""

    __tablename__ = "alert_notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    step: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (UniqueConstraint("alert_id", "step"),)


class ReportRow(Base):
    """A mission's report; its supplies are consume movements in the ledger, keyed from the report."""

    __tablename__ = "mission_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"), unique=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    objectives_met: Mapped[list] = mapped_column(JSON, default=list)
    narrative: Mapped[str] = mapped_column(Text, default="")
    fingerprint: Mapped[str] = mapped_column(String(64))


class ReportSupplyRow(Base):
    __tablename__ = "report_supplies"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("mission_reports.id"), index=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelters.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    used_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The idempotency key of the consume movement this line became.
    movement_key: Mapped[str] = mapped_column(String(200), unique=True)


class InjuryRow(Base):
    __tablename__ = "report_injuries"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("mission_reports.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    description: Mapped[str] = mapped_column(Text)


class ArmouryRequestRow(Base):
    """Equipment a report asks the armoury to sharpen or replace."""

    __tablename__ = "armoury_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("mission_reports.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    description: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RunRow(Base):
    """An accepted run of a resupply plan: who walks it, from which day; done once its outcome is recorded."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The same run accepted again (the same plan file, twice) is the same row.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    days: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class RunStopRow(Base):
    """A shelter on a run, in order: what to carry there, which defences to test, and when its outcome was recorded."""

    __tablename__ = "run_stops"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelters.id"))
    arrive_on: Mapped[date] = mapped_column(Date)
    packing: Mapped[dict] = mapped_column(JSON, default=dict)
    tasks: Mapped[list] = mapped_column(JSON, default=list)
    recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AccountRow(Base):
    """A person's sign-in: their role, and the scrypt hash of their password (none: tokens only)."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TokenRow(Base):
    """An API token or a browser session of an account; only the token's SHA-256 digest is kept."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
