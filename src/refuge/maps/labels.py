"""Shelter code labels placed beside their markers without landing on one another."""

from __future__ import annotations

from matplotlib.axes import Axes

from refuge.maps.layers import haloed

#: Where a label may sit relative to its marker, in points, tried in this order (east first, as map
#: makers do), with the text alignment that keeps it clear of the marker.
_SPOTS = [(6, 3, "left", "bottom"), (6, -3, "left", "top"), (-6, 3, "right", "bottom"),
          (-6, -3, "right", "top"), (0, 7, "center", "bottom"), (0, -7, "center", "top")]


def place_labels(ax: Axes, points: list[tuple[float, float, str]], *, fontsize: float, colour: str = "#111111",
                 avoid: list[tuple[float, float]] | None = None) -> None:
    """Write each text next to its point at the first spot where it overlaps no other label or marker.

    The axes' limits and size must be final: boxes are estimated in points and turned into metres.
    """
    per_point = _metres_per_point(ax)
    limits = (*sorted(ax.get_xlim()), *sorted(ax.get_ylim()))
    taken: list[tuple[float, float, float, float]] = [
        _box(x, y, 0, 0, 3, 3, "center", "center", per_point) for x, y in [*[(p[0], p[1]) for p in points], *(avoid or [])]
    ]
    for x, y, text in sorted(points, key=lambda p: (-p[1], p[0])):
        width, height = 0.62 * fontsize * len(text), fontsize
        spots = [(_box(x, y, dx, dy, width, height, ha, va, per_point), (dx, dy, ha, va))
                 for dx, dy, ha, va in _SPOTS]
        inside = [(b, s) for b, s in spots if _within(b, limits)] or spots
        box, (dx, dy, ha, va) = next(((b, s) for b, s in inside if not any(_overlap(b, t) for t in taken)), inside[0])
        taken.append(box)
        haloed(ax, text, (x, y), (dx, dy), ha=ha, va=va, fontsize=fontsize, fontweight="bold", color=colour, zorder=9)


def _metres_per_point(ax: Axes) -> tuple[float, float]:
    box = ax.get_window_extent()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    points_per_pixel = 72 / ax.figure.dpi
    return (x1 - x0) / (box.width * points_per_pixel), (y1 - y0) / (box.height * points_per_pixel)


def _box(x: float, y: float, dx: float, dy: float, width: float, height: float, ha: str, va: str,
         per_point: tuple[float, float]) -> tuple[float, float, float, float]:
    left = dx - {"left": 0, "right": width, "center": width / 2}[ha]
    bottom = dy - {"bottom": 0, "top": height, "center": height / 2}[va]
    mx, my = per_point
    return x + left * mx, y + bottom * my, x + (left + width) * mx, y + (bottom + height) * my


def _within(box: tuple[float, float, float, float], limits: tuple[float, float, float, float]) -> bool:
    x0, x1, y0, y1 = limits
    return x0 <= box[0] and box[2] <= x1 and y0 <= box[1] and box[3] <= y1


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
