"""Run sheets: one A4 page per planned run, to print and carry.

Each sheet has the route drawn over the points it visits (the base and the shelters, in order), the
stops with the day of arrival, the packing list (new stock from the base, with the expiry the lot will
carry), the defence tests to make, and boxes to tick on the way: delivered, counted, tested.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from refuge.maps.render import checked_output

A4 = (8.27, 11.69)
BOX = "\u2610"


def print_run_sheets(plan, positions: dict[str, tuple[float, float]], out_path: str | Path) -> int:  # type: ignore[no-untyped-def]
    """Write one sheet per run of `plan` (the API's PlanOut shape) to a PDF; answer the number of pages.
    `positions` are the metres east and north of the base and the shelters."""
    out_path = checked_output(out_path, (".pdf",))
    figures = [_sheet(plan, positions, run, n + 1, len(plan.runs)) for n, run in enumerate(plan.runs)] or [_empty(plan)]
    partial = out_path.with_name(f".{out_path.name}.{secrets.token_hex(6)}.part")
    try:
        with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(partial, metadata={"Title": "Run sheets",
                                                                                      "Creator": "Refuge"}) as pdf:
            for figure in figures:
                pdf.savefig(figure)
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    return len(figures)


def _sheet(plan, positions, run, number: int, total: int) -> Figure:  # type: ignore[no-untyped-def]
    figure = Figure(figsize=A4)
    figure.text(0.06, 0.965, f"Run {number} of {total}: {run.volunteer}, from {run.day}", fontsize=14, weight="bold")
    figure.text(0.06, 0.945, f"{len(run.stops)} stop(s), {run.hours:.1f} h walking over {run.days} day(s), "
                             f"{run.kg:.1f} kg from {plan.base}", fontsize=9)
    _route(figure.add_axes((0.1, 0.64, 0.84, 0.29)), plan, positions, run)
    lines = []
    for n, stop in enumerate(run.stops, 1):
        lines.append(f"{BOX} {n}. {stop.shelter} {stop.name} - arrive {stop.arrive} (after {stop.hours_from_start:.1f} h)")
        for packed in stop.packing:
            expiry = f", expires {packed.expires_on}" if packed.expires_on else ""
            lines.append(f"      {BOX} {packed.units} {packed.unit} {packed.name} ({packed.sku}, {packed.kg:g} kg{expiry})"
                         f"   left: ____")
        for task in stop.tasks:
            lines.append(f"      {BOX} test {task.defence} {task.name} (due {task.due})   pass / fail")
        lines.append(f"      {BOX} stock counted   note: ______________________")
    lines.append("")
    lines.append("Fill each item up to its target; bring back what is not needed.")
    lines.append("New stock from the base: a lot expires on the day it is shelved plus its shelf life.")
    figure.text(0.06, 0.61, "\n".join(lines[:60]), fontsize=7.5, va="top", family="monospace")
    figure.text(0.06, 0.02, f"Refuge run sheet - plan from {plan.start}, {plan.days} day(s)", fontsize=7, color="0.4")
    return figure


def _route(axes, plan, positions, run) -> None:  # type: ignore[no-untyped-def]
    points = [positions[plan.base], *(positions[stop.shelter] for stop in run.stops), positions[plan.base]]
    xs, ys = [p[0] / 1000 for p in points], [p[1] / 1000 for p in points]
    axes.plot(xs, ys, "-", color="#444444", lw=1.2)
    axes.plot(xs[:1], ys[:1], "s", color="#b00000", ms=8)
    axes.plot(xs[1:-1], ys[1:-1], "x", color="black", ms=9, mew=2)
    axes.annotate(plan.base, (xs[0], ys[0]), textcoords="offset points", xytext=(6, 6), fontsize=8)
    for n, stop in enumerate(run.stops, 1):
        axes.annotate(f"{n}. {stop.shelter}", (xs[n], ys[n]), textcoords="offset points", xytext=(6, 6), fontsize=8)
    axes.set_aspect("equal", adjustable="datalim")
    axes.set_xlabel("km east")
    axes.set_ylabel("km north")
    axes.grid(alpha=0.3)


def _empty(plan) -> Figure:  # type: ignore[no-untyped-def]
    figure = Figure(figsize=A4)
    figure.text(0.06, 0.95, f"No runs in the plan from {plan.start} ({plan.days} day(s))", fontsize=14)
    text = "\n".join(f"{u.shelter}: {u.reason}" for u in plan.uncovered[:60])
    figure.text(0.06, 0.9, text, fontsize=8, va="top")
    return figure
