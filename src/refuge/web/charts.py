"""Small server-rendered SVG charts for the shelter page: an item's stock history and its forecast.

Plain SVG strings: no chart library, nothing for the browser to run, and they print as drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from html import escape

from refuge.domain.ledger import Movement
from refuge.services.forecast import ItemForecast

WIDTH, HEIGHT = 560, 230
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 26, 30


@dataclass
class Chart:
    """A step chart over days: one series, level lines (minimum, target) and day markers."""

    title: str
    days: int  # the x axis runs over 0..days
    start: date
    points: list[tuple[float, float]]  # (day, value)
    levels: list[tuple[str, float, str]] = field(default_factory=list)  # (label, value, colour)
    markers: list[tuple[str, float]] = field(default_factory=list)  # (label, day)
    colour: str = "#2f6b3f"
    dashed: bool = False
    kind: str = "history"

    def svg(self) -> str:
        top = max([v for _d, v in self.points] + [v for _l, v, _c in self.levels] + [1.0]) * 1.1
        x = lambda day: LEFT + (WIDTH - LEFT - RIGHT) * day / max(self.days, 1)  # noqa: E731
        y = lambda value: HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * value / top  # noqa: E731
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart-{self.kind}" '
                 f'role="img" aria-label="{escape(self.title)}" data-last="{self.points[-1][1]:g}">',
                 f'<title>{escape(self.title)}</title>',
                 f'<text x="{LEFT}" y="16" font-size="12" font-weight="600" fill="#1d2521">{escape(self.title)}</text>']
        parts += _axes(x, y, top, self.days, self.start)
        for label, value, colour in self.levels:
            parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                         f'stroke="{colour}" stroke-dasharray="5 4" stroke-width="1.2"/>'
                         f'<text x="{WIDTH - RIGHT - 2}" y="{y(value) - 3:.1f}" font-size="10" text-anchor="end" '
                         f'fill="{colour}">{escape(label)}</text>')
        for label, day in self.markers:
            parts.append(f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#d7191c" '
                         f'stroke-width="1"/><text x="{x(day) + 3:.1f}" y="{TOP + 10}" font-size="10" '
                         f'fill="#d7191c">{escape(label)}</text>')
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(d):.1f},{y(v):.1f}" for i, (d, v) in enumerate(self.points))
        dash = ' stroke-dasharray="6 3"' if self.dashed else ""
        parts.append(f'<path d="{path}" fill="none" stroke="{self.colour}" stroke-width="2"{dash} class="series"/>')
        parts.append("</svg>")
        return "".join(parts)


def _axes(x, y, top: float, days: int, start: date) -> list[str]:  # type: ignore[no-untyped-def]
    parts = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>',
             f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>']
    for value in _ticks(top):
        parts.append(f'<text x="{LEFT - 5}" y="{y(value) + 3:.1f}" font-size="10" text-anchor="end" fill="#5d6a63">'
                     f'{value:g}</text><line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     'stroke="#eef1ee"/>')
    step = max(1, days // 5)
    for day in range(0, days + 1, step):
        label = (start + timedelta(days=day)).strftime("%d %b")
        parts.append(f'<text x="{x(day):.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle" '
                     f'fill="#5d6a63">{label}</text>')
    return parts


def _ticks(top: float) -> list[float]:
    raw = top / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.25
    step = next((m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), raw)
    return [i * step for i in range(int(top / step) + 1)]


def history_chart(movements: list[Movement], shelter: str, on_hand: Decimal, today: date, unit: str,
                  levels: list[tuple[str, float, str]], days: int = 365) -> Chart:
    """The balance of one item at one shelter over the last `days` days, walked back from what it holds now."""
    start = today - timedelta(days=days)
    balance = float(on_hand)
    points = [(float(days) + 1, balance)]
    for movement in movements:  # newest first
        day = (movement.occurred_at.date() - start).days + (movement.occurred_at.hour / 24)
        if day < 0:
            break
        points.append((day, balance))
        balance -= float(movement.change_at(shelter))
        points.append((day, balance))
    points.append((0.0, balance))
    points.reverse()
    return Chart(f"Stock over the last year ({unit}) — now {float(on_hand):g}", days + 1, start, points, levels)


def forecast_chart(found: ItemForecast, today: date, by: date, unit: str) -> Chart:
    """The expected usable stock over the coming weeks at the forecast's daily use, with the median days to
    the minimum and to empty."""
    seen = found.outlook
    days = max((by - today).days, 14)
    if seen.days_to_empty is not None:
        days = max(days, min(int(seen.days_to_empty) + 7, 365))
    points = [(float(day), max(0.0, found.on_hand - seen.daily_use * day)) for day in range(days + 1)]
    levels = [(f"min {found.min:g}", found.min, "#f2a900")] if found.min is not None else []
    if found.target is not None:
        levels.append((f"target {found.target:g}", found.target, "#1e9e3a"))
    markers = []
    if seen.days_to_min is not None and 0 < seen.days_to_min <= days:
        markers.append(("below min", seen.days_to_min))
    if seen.days_to_empty is not None and seen.days_to_empty <= days:
        markers.append(("empty", seen.days_to_empty))
    title = (f"Forecast ({unit}): {seen.daily_use:.2f} a day, "
             f"{seen.p_out_by:.0%} chance of running out by {by:%d %b}")
    return Chart(title, days, today, points, levels, markers, colour="#6a3d9a", dashed=True, kind="forecast")
