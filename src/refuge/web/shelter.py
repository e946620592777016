"""The shelter page: stock by category with lots and expiry, the charts, defences, and the ledger forms.

The forms record a consumption, a restock or a stocktake count. A refused form comes back with the error
beside its field and what was typed kept, and nothing is written; a recorded one updates the stock
table and the charts in place (HTMX), or the whole page without JavaScript.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse

from refuge.api.routes import Db
from refuge.domain.access import Permission
from refuge.domain.errors import InsufficientStock, InvalidInput, RefugeError, UnknownItem
from refuge.domain.values import parse_date, parse_quantity, utc_now
from refuge.services import forecast as forecast_service
from refuge.services import ledger, register
from refuge.services.requests import movement_request
from refuge.store.database import Database
from refuge.web.charts import forecast_chart, history_chart
from refuge.web.network import Config, Look, readiness_of
from refuge.web.pages import PageRoute
from refuge.web.templating import page
from refuge.web.viewer import Viewer, page_allowed

router = APIRouter(route_class=PageRoute)
StockKeeper = Annotated[Viewer, Depends(page_allowed(Permission.RECORD_STOCK))]
#: The forms of the page: kind -> (title, button).
KINDS = {"consume": ("Record consumption", "Record consumption"), "restock": ("Restock", "Record restock"),
         "count": ("Stocktake", "Record count")}


@dataclass
class MovementForm:
    """One ledger form as shown: what was typed, the error beside each field, and a fresh idempotency key."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    done: str = ""
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def title(self) -> str:
        return KINDS[self.kind][0]

    @property
    def button(self) -> str:
        return KINDS[self.kind][1]


@router.get("/shelters/{code}", response_class=HTMLResponse, include_in_schema=False)
def shelter_page(request: Request, code: str, db: Db, viewer: Look, config: Config) -> HTMLResponse:
    """Everything about one shelter the viewer is cleared for; an unknown or uncleared code is a 404."""
    return _full_page(request, db, viewer, config, code, {kind: MovementForm(kind) for kind in KINDS})


@router.get("/shelters/{code}/charts", response_class=HTMLResponse, include_in_schema=False)
def charts(request: Request, code: str, db: Db, viewer: Look,
           sku: Annotated[str, Query()] = "") -> HTMLResponse:
    """The history and forecast charts of one item at the shelter (a fragment)."""
    shelter = register.shelter(db, code, viewer.clearance)
    return page(request, "_charts.html", **chart_context(db, shelter.code, sku, viewer.clearance))


@router.post("/shelters/{code}/movements", response_class=HTMLResponse, include_in_schema=False)
def record_movement(request: Request, code: str, db: Db, viewer: StockKeeper, config: Config,
                    kind: Annotated[str, Form()], sku: Annotated[str, Form()] = "",
                    quantity: Annotated[str, Form()] = "", expires: Annotated[str, Form()] = "",
                    note: Annotated[str, Form()] = "", key: Annotated[str, Form()] = "") -> HTMLResponse:
    """Record what a form says; refused, the form comes back (422) with its errors and nothing is written."""
    shelter = register.shelter(db, code, viewer.clearance)
    if kind not in KINDS:
        raise InvalidInput(f"movement kind must be one of {', '.join(KINDS)}, not {kind!r}")
    form = MovementForm(kind, {"sku": sku, "quantity": quantity, "expires": expires, "note": note}, key=key or uuid.uuid4().hex)
    form.errors = _checked(form, {item.sku for item in register.items(db)})
    if not form.errors:
        form.errors = _recorded(db, shelter.code, form, viewer)
    forms = {k: MovementForm(k) for k in KINDS}
    if form.errors:
        forms[kind] = form
    else:
        forms[kind].done = f"{form.title}: {quantity.strip()} of {sku} recorded."
        forms[kind].values = {"sku": sku}
    status = 422 if form.errors else 200
    if not request.headers.get("HX-Request"):
        return _full_page(request, db, viewer, config, shelter.code, forms, status)
    stock = ledger.stock(db, shelter.code, clearance=viewer.clearance)
    return page(request, "_movement_result.html", status, shelter=shelter, forms=forms,
                items=register.items(db), stock=_grouped(stock), updated=not form.errors,
                chart_sku=sku.strip().upper())


def _checked(form: MovementForm, skus: set[str]) -> dict[str, str]:
    """Each field checked on its own, so every error stands beside its field."""
    errors = {}
    values = form.values
    if values["sku"].strip().upper() not in skus:
        errors["sku"] = "choose an item from the catalogue"
    try:
        parse_quantity(values["quantity"], allow_zero=form.kind == "count")
    except InvalidInput as error:
        errors["quantity"] = error.message
    if form.kind == "restock" and values["expires"].strip():
        try:
            parse_date(values["expires"], field="expiry date")
        except InvalidInput as error:
            errors["expires"] = error.message
    return errors


def _recorded(db: Database, code: str, form: MovementForm, viewer: Viewer) -> dict[str, str]:
    values = form.values
    try:
        ledger.record(db, movement_request(form.kind, code, values["sku"], values["quantity"],
                                           expires=values["expires"].strip() or None, by=viewer.handle,
                                           note=values["note"], source="web", key=f"web-{form.key}"),
                      clearance=viewer.clearance)
    except InsufficientStock as error:
        return {"quantity": error.message}
    except UnknownItem as error:
        return {"sku": error.message}
    except RefugeError as error:
        return {"form": error.message}
    return {}


def _full_page(request: Request, db: Database, viewer: Viewer, config, code: str,  # type: ignore[no-untyped-def]
               forms: dict[str, MovementForm], status: int = 200) -> HTMLResponse:
    shelter = register.shelter(db, code, viewer.clearance)
    stock = ledger.stock(db, shelter.code, clearance=viewer.clearance)
    readiness = readiness_of(db, viewer, config).get(shelter.code)
    defences = register.defences(db, shelter.code, clearance=viewer.clearance)
    return page(request, "shelter.html", status, shelter=shelter, stock=_grouped(stock), readiness=readiness,
                defences=defences, forms=forms, items=register.items(db), chart_sku=_chart_sku(stock))


def _grouped(stock: ledger.ShelterStock) -> list[tuple[str, list[ledger.StockLine]]]:
    groups: dict[str, list[ledger.StockLine]] = {}
    for line in stock.lines:
        groups.setdefault(line.item.category.value, []).append(line)
    return list(groups.items())


def _chart_sku(stock: ledger.ShelterStock) -> str:
    """The item the charts open on: the first one below its minimum, else the first one held."""
    below = [line for line in stock.lines if line.par and line.usable < line.par.min]
    chosen = below or stock.lines
    return chosen[0].item.sku if chosen else ""


def chart_context(db: Database, code: str, sku: str, clearance: int) -> dict[str, object]:
    """The two charts of one item (the shelter's first item when none is named), at a shelter cleared for
    `clearance`."""
    stock = ledger.stock(db, code, clearance=clearance)
    lines = {line.item.sku: line for line in stock.lines}
    wanted = sku.strip().upper() or _chart_sku(stock)
    if wanted not in lines:
        return {"code": code, "lines": stock.lines, "sku": wanted, "history": None, "forecast": None}
    line = lines[wanted]
    today = utc_now().date()
    levels = [(f"min {line.par.min:f}", float(line.par.min), "#f2a900"),
              (f"target {line.par.target:f}", float(line.par.target), "#1e9e3a")] if line.par else []
    history = history_chart(ledger.history(db, code, wanted, clearance=clearance), code, line.on_hand, today, line.item.unit, levels)
    by = today + timedelta(days=forecast_service.DEFAULT_AHEAD_DAYS)
    found = forecast_service.forecast(db, code, by=by, draws=500, clearance=clearance).shelters
    item = next((f for f in found[0].items if f.sku == wanted), None) if found else None
    ahead = forecast_chart(item, today, by, line.item.unit) if item else None
    return {"code": code, "lines": stock.lines, "sku": wanted, "line": line,
            "history": history.svg(), "forecast": ahead.svg() if ahead else None}
