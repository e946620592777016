"""Routes of an IRP day: their length, and tidying one by 2-opt and or-opt."""

from __future__ import annotations


def route_length(d: list[list[int]], route: list[int]) -> int:
    if not route:
        return 0
    total = d[0][route[0]] + d[route[-1]][0]
    for a, b in zip(route, route[1:]):
        total += d[a][b]
    return total


def tidy(d: list[list[int]], route: list[int]) -> list[int]:
    """2-opt and or-opt (moving strings of one to three stops) until neither shortens the route."""
    path = [0, *route, 0]
    improved = True
    while improved:
        improved = False
        for a in range(len(path) - 3):
            for b in range(a + 2, len(path) - 1):
                if d[path[a]][path[b]] + d[path[a + 1]][path[b + 1]] < d[path[a]][path[a + 1]] + d[path[b]][path[b + 1]]:
                    path[a + 1:b + 1] = reversed(path[a + 1:b + 1])
                    improved = True
        for size in (1, 2, 3):
            for a in range(1, len(path) - size):
                segment = path[a:a + size]
                rest = path[:a] + path[a + size:]
                saved = d[path[a - 1]][path[a]] + d[path[a + size - 1]][path[a + size]] - d[path[a - 1]][path[a + size]]
                best, where, flip = 0, None, False
                for p in range(len(rest) - 1):
                    if p == a - 1:
                        continue
                    u, v = rest[p], rest[p + 1]
                    for reverse in (False, True):
                        first, last = (segment[-1], segment[0]) if reverse else (segment[0], segment[-1])
                        gain = saved - (d[u][first] + d[last][v] - d[u][v])
                        if gain > best:
                            best, where, flip = gain, p, reverse
                if where is not None:
                    moved = segment[::-1] if flip else segment
                    path = rest[:where + 1] + moved + rest[where + 1:]
                    improved = True
                    break
            if improved:
                break
    return path[1:-1]
