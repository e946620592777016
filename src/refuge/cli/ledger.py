"""Stock commands: what a shelter holds, recording movements, writing off expired lots, the history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import typer
from rich.table import Table

from refuge.api.schemas import MovementOut, RecordedOut, StockOut
from refuge.cli.context import ready
from refuge.cli.options import (
    AsOf, At, By, Counted, Expires, FromShelter, Json, Key, Limit, Note, OnlyShelter, OnlySku, Quantity, Shelter, Sku,
    ToShelter, day,
)
from refuge.cli.output import plain, print_json, quantity, say, show, table
from refuge.domain.ledger import Movement, MovementKind
from refuge.services import ledger
from refuge.services.ledger import Recorded, ShelterStock, StockLine
from refuge.services.requests import movement_request


def stock(ctx: typer.Context, shelter: Shelter, as_of: AsOf = None, as_json: Json = False) -> None:
    """What a shelter holds, item by item and lot by lot, beside its par levels."""
    held = ledger.stock(ready(ctx), shelter, day(as_of))
    if as_json:
        return print_json(StockOut.of(held))
    show(_stock_table(held))


def restock(ctx: typer.Context, shelter: Shelter, sku: Sku, qty: Quantity, expires: Expires = None,
            by: By = None, at: At = None, key: Key = None, note: Note = None, as_json: Json = False) -> None:
    """Put stock on a shelter's shelves (one lot; its expiry defaults to the item's shelf life)."""
    _record(ctx, as_json, "restock", shelter, sku, qty, expires=expires, by=by, at=at, key=key, note=note)


def consume(ctx: typer.Context, shelter: Shelter, sku: Sku, qty: Quantity,
            by: By = None, at: At = None, key: Key = None, note: Note = None, as_json: Json = False) -> None:
    """Take stock off a shelter's shelves, earliest-expiring lot first."""
    _record(ctx, as_json, "consume", shelter, sku, qty, by=by, at=at, key=key, note=note)


def count(ctx: typer.Context, shelter: Shelter, sku: Sku, qty: Counted, expires: Expires = None,
          by: By = None, at: At = None, key: Key = None, note: Note = None, as_json: Json = False) -> None:
    """Record a stocktake: the ledger posts the difference between the count and its balance."""
    _record(ctx, as_json, "count", shelter, sku, qty, expires=expires, by=by, at=at, key=key, note=note)


def transfer(ctx: typer.Context, from_shelter: FromShelter, to_shelter: ToShelter, sku: Sku, qty: Quantity,
             by: By = None, at: At = None, key: Key = None, note: Note = None, as_json: Json = False) -> None:
    """Move stock between two shelters; its lots keep their expiry dates."""
    _record(ctx, as_json, "transfer", from_shelter, sku, qty, to_shelter=to_shelter, by=by, at=at, key=key, note=note)


def _record(ctx: typer.Context, as_json: bool, kind: str, shelter: str, sku: str, qty: str, **fields: str | None) -> None:
    db = ready(ctx)
    recorded = ledger.record(db, movement_request(kind, shelter, sku, qty, **fields))
    if as_json:
        return print_json(RecordedOut.of(recorded))
    say(describe(recorded, qty))


def describe(recorded: Recorded, asked: str) -> str:
    """One line saying what was written, or that a replay wrote nothing."""
    movement = recorded.movement
    if recorded.replayed:
        return f"already recorded as movement {movement.id} (key {movement.key}); nothing written"
    amount = f"{quantity(abs(movement.quantity))} {movement.sku}"
    if movement.kind is MovementKind.RESTOCK:
        done = f"restocked {amount} at {movement.shelter} ({_lots(movement)})"
    elif movement.kind is MovementKind.CONSUME:
        done = f"consumed {amount} at {movement.shelter} (from {_lots(movement)})"
    elif movement.kind is MovementKind.TRANSFER:
        done = f"transferred {amount} from {movement.shelter} to {movement.to_shelter} (from {_lots(movement)})"
    else:
        done = f"counted {asked.strip()} {movement.sku} at {movement.shelter}: {_adjustment(movement.quantity)}"
    return f"{done} — movement {movement.id}"


def _lots(movement: Movement) -> str:
    """The lots a movement touched at its shelter, e.g. "lots expiring 2027-01-01, 2027-03-01 and without expiry"."""
    touched = {line.expires_on for line in movement.lines if line.shelter == movement.shelter}
    parts = [f"expiring {', '.join(str(d) for d in sorted(d for d in touched if d))}"] if touched - {None} else []
    parts += ["without expiry"] if None in touched else []
    return ("lot " if len(touched) == 1 else "lots ") + " and ".join(parts) if parts else "no lot"


def _adjustment(difference: Decimal) -> str:
    if difference == 0:
        return "the ledger already agreed, no adjustment"
    return f"ledger adjusted by {'+' if difference > 0 else '-'}{quantity(abs(difference))}"


def expire(ctx: typer.Context, as_of: AsOf = None, by: By = None, as_json: Json = False) -> None:
    """Write off every lot that expired before the day (default today), in one transaction."""
    written = ledger.expire(ready(ctx), day(as_of), by)
    if as_json:
        return print_json([MovementOut.of(movement) for movement in written])
    for movement in written:
        say(f"wrote off {quantity(-movement.quantity)} {movement.sku} at {movement.shelter} "
            f"({_lots(movement)}) — movement {movement.id}")
    if not written:
        say(f"nothing had expired by {as_of or 'today'}; nothing written")


def rebuild_stock(ctx: typer.Context, as_json: Json = False) -> None:
    """Rebuild the derived stock balances from the ledger (they are kept up to date; this repairs them)."""
    rebuilt = ledger.rebuild_stock(ready(ctx))
    if as_json:
        return print_json({"lots": rebuilt.lots, "balances": rebuilt.balances})
    say(f"rebuilt the stock balances from the ledger: {rebuilt.lots} lots, {rebuilt.balances} shelter-item balances")


def history(ctx: typer.Context, shelter: OnlyShelter = None, sku: OnlySku = None, limit: Limit = 50,
            as_json: Json = False) -> None:
    """Movements, newest first (a shelter's include both ends of its transfers)."""
    movements = ledger.history(ready(ctx), shelter, sku, limit)
    if as_json:
        return print_json([MovementOut.of(movement) for movement in movements])
    show(table(None, ["#", "occurred", "kind", "shelter", "sku", "quantity", "by", "note"],
               [_history_row(m) for m in movements]))
    if len(movements) == limit:
        say(f"(the newest {limit}; use --limit for more)")


def _history_row(m: Movement) -> list[object]:
    where = f"{m.shelter} → {m.to_shelter}" if m.to_shelter else m.shelter
    note = "\n".join(part for part in (m.note, f"key {m.key}" if m.key else "") if part)
    return [m.id, m.occurred_at, m.kind.value, where, m.sku, _signed(m.quantity), m.by, note]


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + quantity(value)


def _stock_table(held: ShelterStock) -> Table:
    title = f"{held.shelter.code} {held.shelter.name} — stock at the end of {held.as_of}"
    rows = [[line.item.sku, line.item.name, line.on_hand, line.usable, _par(line), _lot_lines(line, held.as_of)]
            for line in held.lines]
    return table(title, ["sku", "item", "on hand", "usable", "par levels", "lots"], rows,
                 [_stock_style(line) for line in held.lines])


def _par(line: StockLine) -> str | None:
    par = line.par
    return f"min {quantity(par.min)}\ntarget {quantity(par.target)}\ncapacity {quantity(par.capacity)}" if par else None


def _lot_lines(line: StockLine, as_of: date) -> str:
    described = []
    for lot in line.lots:
        when = "no expiry" if lot.expires_on is None else (
            f"expired {lot.expires_on}" if lot.expired(as_of) else f"to {lot.expires_on}")
        described.append(f"{quantity(lot.quantity)} {when}")
    return "\n".join(described) or plain(None)


def _stock_style(line: StockLine) -> str | None:
    if line.par and line.par.min > 0 and line.usable <= 0:
        return "bold red"
    if (line.par and line.usable < line.par.min) or line.expired > 0:
        return "yellow"
    return None
