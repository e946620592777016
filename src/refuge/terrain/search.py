"""Fastest routes on the land-cover grid within a chakra budget: an exact resource-constrained search.

The model
---------
A traveller stands in a cell (row, col) of the raster (row 0 north, col 0 west; see `model.py`) and
moves to one of its 8 neighbours at a time. An orthogonal move is `cell_size` metres long, a diagonal
one `cell_size * sqrt(2)`. A cell is impassable when its walking, running and water-walking seconds
per metre are all infinite; no move enters or leaves an impassable cell, and a diagonal move whose two
orthogonal neighbours are both impassable is refused (no cutting a corner between two cliffs).

Each move is made in one mode, walk or run. The move spends half its length in each of its two cells,
at that cell's per-metre values for the mode: walking costs `walk_s_per_m` seconds and no chakra,
running `run_s_per_m` seconds and `run_chakra_per_m` chakra. A water cell (finite `water_s_per_m`)
can only be water-walked, so in either mode its half of the move is at `water_s_per_m` and
`water_chakra_per_m`. A move is not allowed in a mode when either cell's seconds for that mode are
infinite. So a move a→b of length L in mode m takes

    microseconds = round(1e6 * L/2 * (s_m(a) + s_m(b)))
    units        = ceil(UNITS_PER_CHAKRA * L/2 * (c_m(a) + c_m(b)) - 1e-9)

Chakra is counted in whole tenths of a chakra point (`UNITS_PER_CHAKRA` units per point), each move's
chakra rounded UP to a whole tenth, so a route never spends less than the model says: a route offered
never needs more chakra than the person has (the 1e-9 only absorbs float noise: an exact 0.3 point is
3 units, not 4). This is a deliberate, conservative coarsening: a 100 m run over grassland (0.25
point) is counted as 0.3, so the model may walk a move or two that the person could just have run.
It keeps every cell's useful (time, chakra) states at most budget × 10 + 1 many, and it makes many
routes cost exactly the same. A budget of B points allows floor(B * 10 + 1e-9) units. Time is counted
in whole microseconds, each move's rounded to the nearest (at most half a microsecond per move), so
that times add up exactly.

A route's time is the least total over all paths and per-move mode choices whose units fit the
budget: a resource-constrained shortest path, solved exactly on the grid. The definition is a
Dijkstra over the product space of states (cell, units used); the search (`search_dense.py`) is an
equivalent best-first search over that space that keeps one row of times per cell and expands a
cell's changed states together, in order of time plus a lower bound on the time still needed with
the chakra left (`search_bounds.py`). A state is dropped only when it provably cannot matter: a
state of the same cell spent less and was as fast, or even the least chakra from its cell to any
target exceeds what is left. The bounds are computed once per `Searcher` (per set of targets) and
reused by every query, whichever of the targets it asks for; their prices are the rates at which
the map's own moves trade chakra for time (`exchange_prices`). For the commonest prices each cell
also keeps its few nearest target cells, so that once the nearest are reached (or were not asked
for) the bound aims at the nearest target still wanted; its few nearest by the routes that spend
little in water, which bound a search whose budget cannot pay for wading across wide water; and each
target's own least time with chakra free and least chakra, so that where different targets are the
nearest at different prices the bound is the least over targets of each one's own, not the envelope
of the least costs.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from refuge.domain.errors import InvalidInput
from refuge.terrain import search_bounds, search_kernel
from refuge.terrain.bounds_cache import BoundsCache, bounds_key, source_text
from refuge.terrain.search_bounds import least_priced, least_units, nearest_sources, residue_priced, shallow_sources
from refuge.terrain.search_kernel import NO_CHAKRA
from refuge.terrain.search_dense import dense_search, new_pages, path_units

UNITS_PER_CHAKRA = 10
MICROSECONDS = 1e6  # the search's time unit, per second (as `search_kernel.MICROSECONDS`)
FORBIDDING_PRICE = 1e15  # microseconds per unit: a price no route pays, for the chakra-free bound
#: A rate at which at least this share of the map's moves trade chakra for time becomes a price of
#: the bounds (at most MAX_PRICES of the commonest); each price is one Dijkstra when a Searcher is built.
PRICE_SHARE = 0.001
#: Eight: on the Land of Fire, sixteen made the bounds no tighter where it mattered and every row's
#: bound slower to fill (five shelters, running with 5-20 chakra, 60 queries: p50 88 vs 102 ms); four
#: made them too loose (130 ms).
MAX_PRICES = 8
#: For the commonest LISTED_PRICES prices (0 first), each cell keeps its NEAREST_LISTED nearest target
#: cells: once the nearest are reached (or not asked for), the bound aims at the nearest still wanted.
#: Six: on the Land of Fire, with four a far shelter's route over hills, whose moves trade at a price
#: not listed, was bounded by the nearest shelter of all at that price (five shelters, running, 120
#: queries: p95 187 -> 122 ms, 346 -> 454 MB of bounds); nine gained no more. Seven nearest: a listing
#: of five needs five open shelters listed near the start once four are found (with four listed, twice
#: the work), and a shelter not asked for (closed, not cleared, not holding what is needed) takes a
#: place in the lists: with the server's searcher over all 40 shelters asked for the 37 open ones,
#: five listed gave p95 223 ms (150 queries, 0-60 chakra), six 136, seven 129 (597 MB), eight 123.
LISTED_PRICES = 6
NEAREST_LISTED = 7
#: Where nobody runs (the injured, the walking), chakra buys time only by crossing water: that many
#: prices then.
#: Seven: on the Land of Fire, injured, five shelters, 60 queries a band: the states expanded halved
#: (mean 31 -> 26 ms with 0-20 chakra, 86 -> 64 ms with 20-400), 186 -> 540 MB of bounds.
CROSSING_PRICES = 7
#: Residues of the units spent are kept for prices whose commonest move spends 2 to this many units,
#: among the commonest RESIDUE_PRICES prices (0 first) that are listed (residues at every listed price
#: made each row's bound slower to fill than they saved).
MAX_MODULUS = 8
RESIDUE_PRICES = 4
#: A search whose budget is below what walking across this many cells of the cheapest water costs is
#: bounded by the routes spending less than that in water (see `search_bounds.shallow_sources`): they
#: cannot cross water that wide, only go round it. Three: the Land of Fire's rivers are three cells
#: wide, so below a ford's price the bound knows the bridges are the way over (running with 0-5 chakra,
#: five shelters, 200 queries: p95 162 -> 42-46 ms; 455 MB more bounds, built in about 50 s more).
WADE_CELLS = 3
MODE_NAMES = ("walk", "run")
Cell = tuple[int, int]


class MoveCosts(Protocol):
    """Per-cell costs of moving, as `refuge.terrain.travel` computes them for a travel profile."""

    walk_s_per_m: np.ndarray
    run_s_per_m: np.ndarray
    run_chakra_per_m: np.ndarray
    water_s_per_m: np.ndarray
    water_chakra_per_m: np.ndarray
    cell_size: float


@dataclass(frozen=True)
class Reach:
    """A target reached: arrival time, chakra spent, the cells passed and the mode of each move."""

    key: Hashable
    time_s: float
    chakra: float
    path: list[Cell]
    distance_m: float
    modes: list[str] = field(default_factory=list)  # "walk" or "run", one per move


def passable(costs: MoveCosts, cell: Cell) -> bool:
    """Whether the cell can be stood in at all: some mode of travel crosses it."""
    row, col = cell
    return any(math.isfinite(float(grid[row, col])) for grid in _mode_grids(costs))


def _mode_grids(costs: MoveCosts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return costs.walk_s_per_m, costs.run_s_per_m, costs.water_s_per_m


def mode_tables(costs: MoveCosts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat tables seconds[cell, mode] and chakra[cell, mode] per metre (mode 0 walk, 1 run; water cells
    hold their water-walking values in both), and passable[cell]."""
    water = np.isfinite(costs.water_s_per_m).ravel()
    seconds = np.stack([costs.walk_s_per_m.ravel(), costs.run_s_per_m.ravel()], axis=1).astype(np.float64)
    chakra = np.stack([np.zeros(water.size), costs.run_chakra_per_m.ravel()], axis=1).astype(np.float64)
    seconds[water, :] = costs.water_s_per_m.ravel()[water, None]
    chakra[water, :] = costs.water_chakra_per_m.ravel()[water, None]
    chakra[~np.isfinite(seconds)] = 0.0  # never read for a refused move; keeps the tables finite
    if not ((seconds >= 0).all() and (chakra >= 0).all() and np.isfinite(chakra).all()):
        raise InvalidInput("travel costs must be non-negative numbers (inf for impassable)")
    return seconds, chakra, np.isfinite(seconds).any(axis=1)


def exchange_prices(seconds: np.ndarray, chakra: np.ndarray, shape: tuple[int, int], cell_size: float
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Prices of a chakra unit in microseconds for the Lagrangian bounds, for each the least priced
    time per metre of any move on the map, the prices' positions from the commonest (0 first), and for
    each the units of the commonest move trading at that rate (1 for price 0).

    The prices are 0 and the rates at which the map's moves trade chakra for time, as the model counts
    them (any prices give valid bounds; the rates of the moves a route is made of make them tight: a
    route running a mix of moves at one rate is then bounded exactly, up to whole moves: see
    `search_bounds.residue_priced`)."""
    moves = list(_moves(seconds, chakra, shape, cell_size))
    with np.errstate(invalid="ignore", divide="ignore"):
        saved = np.concatenate([time[:, 0] - time[:, 1] for _, time, _ in moves])
        spent = np.concatenate([units[:, 1] - units[:, 0] for _, _, units in moves])
        trading = np.isfinite(saved) & (saved > 0) & (spent > 0)
        rate_of_move = saved[trading] / spent[trading]
        rates, counts = np.unique(rate_of_move, return_counts=True)
    crossing = _crossing_prices(seconds, chakra) if rates.size == 0 else np.zeros(0)
    if crossing.size:  # nobody runs: chakra buys time only by crossing water instead of walking round it
        prices, ranked = np.concatenate([[0.0], crossing]), np.arange(crossing.size + 1)
    elif rates.size == 0:
        prices, ranked = np.array([0.0, 1.0]), np.array([0, 1])
    else:
        common = np.argsort(-counts, kind="stable")[:MAX_PRICES]
        common = common[counts[common] >= PRICE_SHARE * counts.sum()]
        prices = np.unique(np.concatenate([[0.0], rates[common]]))
        ranked = np.unique(np.searchsorted(prices, np.concatenate([[0.0], rates[common]])), return_index=True)
        ranked = ranked[0][np.argsort(ranked[1])]  # 0 first, then the commonest rates first
    paces = np.full(prices.size, np.inf)
    for length, time, units in moves:
        for j, price in enumerate(prices):
            with np.errstate(invalid="ignore"):
                priced = np.where(np.isfinite(time), time + price * units, np.inf).min(axis=1)
            paces[j] = min(paces[j], float(priced.min(initial=np.inf)) / length)
    paces = np.where(np.isfinite(paces), paces * (1 - 1e-9), 0.0)  # a hair under: a bound stays a bound
    moduli = np.ones(prices.size, dtype=np.int64)
    for j, price in enumerate(prices):
        units = spent[trading][rate_of_move == price] if rates.size and price > 0 else np.zeros(0)
        if units.size:
            moduli[j] = int(np.argmax(np.bincount(units.astype(np.int64))))
    return prices, paces, ranked, moduli


def _crossing_prices(seconds: np.ndarray, chakra: np.ndarray) -> np.ndarray:
    """Prices for a map where no move trades chakra for time (nobody runs), but water can be crossed for
    chakra: a crossing saves the walk round it, so a unit of chakra is worth from one to a hundred metres
    of walking per metre of water it pays for (the typical land and water cells' costs), CROSSING_PRICES
    prices spread evenly on a log scale. Empty without both land to walk and water to cross."""
    walkable = np.isfinite(seconds[:, 0]) & (chakra[:, 0] == 0)
    water = np.isfinite(seconds[:, 0]) & (chakra[:, 0] > 0)
    if not (walkable.any() and water.any()):
        return np.zeros(0)
    walk_us_per_m = MICROSECONDS * float(np.median(seconds[walkable, 0]))
    water_units_per_m = UNITS_PER_CHAKRA * float(np.median(chakra[water, 0]))
    return np.geomspace(1.0, 100.0, CROSSING_PRICES) * walk_us_per_m / water_units_per_m


def _moves(seconds: np.ndarray, chakra: np.ndarray, shape: tuple[int, int], cell_size: float):  # type: ignore[no-untyped-def]
    """Per direction (E, S, SE, SW), the length and the microseconds and units of walking (column 0)
    and running (column 1) every move between two passable cells, as the model counts them."""
    rows, cols = shape
    index = np.arange(rows * cols).reshape(shape)
    for down, right in ((0, 1), (1, 0), (1, 1), (1, -1)):
        length = cell_size * (math.sqrt(2.0) if down and right else 1.0)
        a = index[: rows - down, max(0, -right): cols - max(0, right)].ravel()
        b = a + down * cols + right
        with np.errstate(invalid="ignore"):
            time = np.round(MICROSECONDS * (0.5 * length * (seconds[a] + seconds[b])))
            units = np.ceil(UNITS_PER_CHAKRA * (0.5 * length * (chakra[a] + chakra[b])) - 1e-9)
        yield length, time, units


def _excess(cost: np.ndarray, nearest: np.ndarray) -> np.ndarray:
    """A target's least cost beyond the nearest target's, in single precision rounded down (a bound stays a bound;
    0 where it is the nearest, so that its bound is exact there; inf where it is out of reach)."""
    with np.errstate(invalid="ignore"):
        excess = np.where(np.isfinite(cost), np.maximum(cost - nearest, 0.0), np.inf)
    single = excess.astype(np.float32)
    over = single.astype(np.float64) > excess
    single[over] = np.nextafter(single[over], np.float32(0.0))
    return single


def _distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a float array and, for each row, the index of its copy among them."""
    bits = np.ascontiguousarray(rows).view(np.uint64)
    mixed = np.zeros(bits.shape[0], dtype=np.uint64)
    for column in range(bits.shape[1]):
        mixed = (mixed ^ bits[:, column]) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(column + 1)
        mixed ^= mixed >> np.uint64(29)
    _, first, inverse = np.unique(mixed, return_index=True, return_inverse=True)
    if np.array_equal(bits[first][inverse], bits):
        return rows[first], inverse.ravel()
    whole = np.ascontiguousarray(rows).view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    _, first, inverse = np.unique(whole, return_index=True, return_inverse=True)  # two rows hashed alike
    return rows[first], inverse.ravel()


def shallow_limit(chakra: np.ndarray, cell_size: float) -> int:
    """The water units below which the shallow routes' bound applies: walking straight across WADE_CELLS
    cells of the cheapest water; 0 (none) where water costs nothing or there is none."""
    wet = chakra[:, 0][chakra[:, 0] > 0]  # walking costs chakra only in water
    if wet.size == 0:
        return 0
    limit = WADE_CELLS * math.ceil(UNITS_PER_CHAKRA * cell_size * float(wet.min()) - 1e-9)
    return limit if limit > 1 else 0


def least_move_units(chakra: np.ndarray, cell_size: float) -> int:
    """No move costing chakra costs fewer units than this (so with fewer left, only free moves remain)."""
    positive = chakra[chakra > 0]
    if positive.size == 0:
        return int(NO_CHAKRA)
    return max(1, math.ceil(UNITS_PER_CHAKRA * cell_size / 2 * float(positive.min()) - 1e-9))


def budget_units(budget: float) -> int:
    """The whole chakra units a budget in points allows (never more than the budget)."""
    if not 0 <= budget < math.inf:
        raise InvalidInput(f"a chakra budget must be a finite number from 0 up, not {budget}")
    return int(min(math.floor(budget * UNITS_PER_CHAKRA + 1e-9), NO_CHAKRA // 2))


#: Where a search gives up rather than hold a question for minutes: entries of about 17.4 bytes each (held
#: in pages of 64 consecutive units of a cell, 17 bytes an entry and 24 a page; a cell's slot for a page counts
#: as one), about 560 MB in all.
MAX_ENTRIES = 32_000_000
#: A search's pages (64 entries, 1,112 bytes) are kept for the next search up to this many: 73 MB a searcher.
KEPT_PAGES = 65_536
#: From this budget (units) on, a search first tries the fastest routes with chakra free: when they fit
#: the budget, they are the answer, found at the cost of a plain shortest-path search. 60 chakra: running
#: with 30-60, the five fastest shelters' fastest routes fit 1.5% of the time, and trying cost the others
#: about 10 ms (200 queries, five shelters: p95 81 -> 69 ms with 600 instead of 300); the injured, whose
#: fastest routes spend chakra only crossing water, were no slower either way (p95 100 -> 95 ms).
FASTEST_FIRST = 600
#: Microseconds: a cell's changed entries whose estimates are within this of the least go out together
#: (expanding a cell again costs more than a few entries expanded early; exactness does not depend on it).
#: 100 s: with the search compiled without reference counts, five shelters, 200 queries a band, p95 running
#: with 5-20 chakra 51 -> 40 ms, with 20-60 53 -> 46, with 60-400 15 -> 10 (1,000 s before; 30-50 s were
#: slower with 5-20 and the injured: each expansion scans the cell's whole row).
SLACK = 1e8


class Searcher:
    """Searches from any start to a fixed set of targets; holds the bounds computed once per set.

    Build one per (terrain, travel profile, target set) and query it many times (thread-safe)."""

    def __init__(self, costs: MoveCosts, targets: Mapping[Hashable, Cell], max_entries: int = MAX_ENTRIES,
                 fastest_first: int = FASTEST_FIRST, listed: bool = True, cache: BoundsCache | None = None,
                 on_build: Callable[[], None] | None = None) -> None:
        """`listed`: keep each cell's nearest few targets (worth its build time when questions ask for a few
        of many targets; a searcher asked for all its targets at once can do without). `cache`: read the
        bounds from it when it holds them for this grid, these targets and this program; else store them.
        `on_build` is called before the bounds are built (not when they are read)."""
        self.max_entries, self.fastest_first, self.listed = max_entries, fastest_first, listed
        self.last_complete = True
        #: What the last search did: rows made, cells expanded, entries expanded, entries improved, pages made.
        self.last_work = np.zeros(5, dtype=np.int64)
        self.shape = tuple(costs.walk_s_per_m.shape)
        self.cell_size = float(costs.cell_size)
        self.seconds, self.chakra, self.passable = mode_tables(costs)
        self.keys = list(targets)
        self.target_cells = np.array([self._index(targets[key]) for key in self.keys], dtype=np.int64)
        self.target_head, self.target_next = self._link_targets()
        self.grid = (self.seconds, self.chakra, self.passable, *self.shape, self.cell_size, float(UNITS_PER_CHAKRA))
        self.source_cells = np.unique(self.target_cells[self.passable[self.target_cells]])
        if self.source_cells.size > np.iinfo(np.int16).max:
            raise InvalidInput(f"at most {np.iinfo(np.int16).max} distinct target cells, not {self.source_cells.size}")
        self.target_source = np.searchsorted(self.source_cells, self.target_cells).astype(np.int64)
        self.target_source[~self.passable[self.target_cells]] = -1

        def build() -> tuple:
            if on_build is not None:
                on_build()
            return self._bounds(self.source_cells)

        self.bounds = build() if cache is None else cache.bounds(self._bounds_key(), build, self.passable.size)
        self.source_units = self.bounds[-1]  # (cell, target cell): the least units from the one to the other
        # The same search with chakra free (every move at its fastest), bounded by the price-0 lines alone.
        self.free_chakra_grid = (self.seconds, np.zeros_like(self.chakra), *self.grid[2:])
        self._cell_slot = np.full(self.passable.size, -1, dtype=np.int64)  # scratch, reset by each search
        self._pages = new_pages()  # the searches' pages, kept for the next (see `_keep`)
        self._lock = threading.Lock()

    @cached_property
    def fastest_bounds(self) -> tuple:
        """The bounds of the search with chakra free: the price-0 lines and lists alone (made when first asked
        for, since bounds read from the cache are mapped from disk and this reads whole columns)."""
        priced, prices, walk_only, _, _, paces, list_costs, list_sources, listed = self.bounds[:9]
        first = slice(0, 1 if listed.size and listed[0] == 0 else 0)
        none = slice(0, 0)  # with chakra free, no residues
        residue_prices, moduli, residue_paces, residue_lists, residue_columns, index, table = self.bounds[9:16]
        shallow_prices, shallow_costs, shallow_found = self.bounds[17:20]
        return (np.ascontiguousarray(priced[:, :1]), prices[:1], walk_only, 0,
                np.zeros(self.passable.size, dtype=np.int64), paces[:1],
                np.ascontiguousarray(list_costs[:, first]), np.ascontiguousarray(list_sources[:, first]),
                listed[first], residue_prices[none], moduli[none], residue_paces[none],
                residue_lists[none], residue_columns[none], np.ascontiguousarray(index[:, none]),
                table[none], 0,  # with chakra free, no shallow limit
                shallow_prices[none], np.ascontiguousarray(shallow_costs[:, none]),
                np.ascontiguousarray(shallow_found[:, none]),
                np.zeros(self.passable.size, dtype=np.bool_), self.bounds[21],
                np.zeros((self.passable.size, 0), dtype=np.uint16))  # with chakra free, no units

    def _index(self, cell: Cell) -> int:
        row, col = int(cell[0]), int(cell[1])
        if not (0 <= row < self.shape[0] and 0 <= col < self.shape[1]):
            raise InvalidInput(f"cell {cell} is off the {self.shape[0]}×{self.shape[1]} grid")
        return row * self.shape[1] + col

    def _link_targets(self) -> tuple[np.ndarray, np.ndarray]:
        """Chain the targets sharing a cell: head[cell] is the first, next[target] the one after."""
        head = np.full(self.passable.size, -1, dtype=np.int64)
        after = np.full(len(self.keys), -1, dtype=np.int64)
        for target in range(len(self.keys) - 1, -1, -1):
            cell = self.target_cells[target]
            after[target], head[cell] = head[cell], target
        return head, after

    def _bounds_key(self) -> str:
        """What the bounds depend on: the code, its settings, the grid's costs, the target cells."""
        return bounds_key([source_text(sys.modules[__name__], search_bounds, search_kernel), self.listed,
                           (UNITS_PER_CHAKRA, PRICE_SHARE, MAX_PRICES, LISTED_PRICES, NEAREST_LISTED, FORBIDDING_PRICE,
                            MAX_MODULUS, RESIDUE_PRICES, CROSSING_PRICES, WADE_CELLS),
                           self.shape, self.cell_size, self.seconds, self.chakra, self.source_cells])

    def _bounds(self, sources: np.ndarray) -> tuple:
        """Per-cell lower bounds on what is left to any target (see `search_bounds`), in parallel; and for
        the commonest prices, each cell's nearest few target cells, for bounds once some are done with."""
        prices, paces, ranked, moduli = exchange_prices(self.seconds, self.chakra, self.shape, self.cell_size)
        # with a single target cell there is no nearest other to aim at: no lists
        listed = np.sort(ranked[:LISTED_PRICES] if sources.size > 1 and self.listed else ranked[:0]).astype(np.int64)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            done = list(pool.map(lambda price: least_priced(*self.grid, price, sources),
                                 [*prices, FORBIDDING_PRICE]))
            lists = list(pool.map(lambda price: nearest_sources(*self.grid, price, sources, NEAREST_LISTED),
                                  prices[listed]))
            units = least_units(*self.grid, sources)
            walk_only = done.pop()
            walk_only[walk_only >= FORBIDDING_PRICE] = np.inf
            priced = np.ascontiguousarray(np.stack(done, axis=1))
            cells = self.passable.size
            # (cell, list, k): a cell's lists side by side in memory, read together
            list_costs = np.ascontiguousarray(np.stack([costs for costs, _ in lists], axis=1)) if lists else \
                np.zeros((cells, 0, NEAREST_LISTED))
            list_sources = np.ascontiguousarray(np.stack([found for _, found in lists], axis=1)) if lists else \
                np.zeros((cells, 0, NEAREST_LISTED), dtype=np.int16)
            residues = self._residue_bounds(pool, sources, prices, paces, ranked, moduli, priced, listed, list_costs,
                                            list_sources)
            # the shallow routes at the commonest prices, to each cell's nearest few targets (the nearest of all
            # for a searcher asked for all its targets at once)
            limit = shallow_limit(self.chakra, self.cell_size)
            shallow = np.sort(ranked[:LISTED_PRICES] if limit else ranked[:0]).astype(np.int64)
            depth = NEAREST_LISTED if listed.size else 1
            found = list(pool.map(lambda price: shallow_sources(*self.grid, price, sources, depth, limit),
                                  prices[shallow]))
            shallow_costs = np.ascontiguousarray(np.stack([costs for costs, _ in found], axis=1)) if found else \
                np.zeros((cells, 0, 1))
            shallow_found = np.ascontiguousarray(np.stack([near for _, near in found], axis=1)) if found else \
                np.zeros((cells, 0, 1), dtype=np.int16)
            apart = self._shallow_apart(shallow, shallow_costs, shallow_found, priced, listed, list_costs, list_sources)
            # each target's least chakra, to leave out those out of reach: for a searcher asked for a few of many
            # (one target alone is ruled out by `units` already; asked for all at once, the search finds the
            # reachable ones anyway, and a Dijkstra per target would double an emergency's build)
            apart_targets = self.listed and sources.size > 1
            each = list(pool.map(lambda at: least_units(*self.grid, sources[at:at + 1]), range(sources.size))) \
                if apart_targets else []
            # and each one's least time with chakra free, as its excess over the nearest's (see `_target_lines`)
            free = list(pool.map(lambda at: _excess(least_priced(*self.grid, 0.0, sources[at:at + 1]), priced[:, 0]),
                                 range(sources.size))) if apart_targets else []
        ceiling = np.iinfo(np.uint16).max
        cells = self.passable.size
        source_units = np.stack([np.minimum(found, ceiling) for found in each], axis=1).astype(np.uint16) if each \
            else np.zeros((cells, 0), dtype=np.uint16)
        source_free = np.stack(free, axis=1) if free else np.zeros((cells, 0), dtype=np.float32)
        return (priced, prices, walk_only, least_move_units(self.chakra, self.cell_size), units, paces,
                list_costs, list_sources, listed, *residues, limit, shallow, shallow_costs, shallow_found, apart,
                source_free, source_units)

    @staticmethod
    def _shallow_apart(shallow: np.ndarray, shallow_costs: np.ndarray, shallow_found: np.ndarray, priced: np.ndarray,
                       listed: np.ndarray, list_costs: np.ndarray, list_sources: np.ndarray) -> np.ndarray:
        """Cells whose shallow lists can raise a line: those whose lists differ from the plain ones (or, with
        no plain lists, whose nearest target by a shallow route is further than by any route)."""
        apart = np.zeros(priced.shape[0], dtype=np.bool_)
        for i, column in enumerate(shallow.tolist()):
            at = np.flatnonzero(listed == column)
            if at.size:
                differs = (shallow_costs[:, i] != list_costs[:, at[0]]) | \
                    (shallow_found[:, i] != list_sources[:, at[0]])
                apart |= differs.any(axis=1)
            else:
                apart |= (shallow_costs[:, i] != priced[:, column, None]).any(axis=1)
        return apart

    def _residue_bounds(self, pool: ThreadPoolExecutor, sources: np.ndarray, prices: np.ndarray, paces: np.ndarray,
                        ranked: np.ndarray, moduli: np.ndarray, priced: np.ndarray, listed: np.ndarray,
                        list_costs: np.ndarray, list_sources: np.ndarray) -> tuple:
        """For the commonest prices whose moves spend a few units each, the least priced cost per residue of
        the units spent (see `search_bounds.residue_priced`), as each cost's excess over the plain one: for
        the listed prices, to each of a cell's listed targets; otherwise to the nearest target of all.
        Excesses repeat from cell to cell, so each price keeps a table of the distinct ones and an index."""
        chosen = [j for j in ranked[:RESIDUE_PRICES] if (j in listed or not listed.size)
                  and prices[j] > 0 and 2 <= moduli[j] <= MAX_MODULUS]
        cells, depth = self.passable.size, list_costs.shape[2] if listed.size else 1
        tables, indexes, lists = [], [], []
        for j in chosen:
            modulus, price = int(moduli[j]), float(prices[j])
            excess = np.zeros((cells, depth, modulus))
            if listed.size:
                at = int(np.flatnonzero(listed == j)[0])
                costs, found = list_costs[:, at], list_sources[:, at]
                exits = np.where(found[:, -1] >= 0, costs[:, -1], np.inf)

                def one(source: int) -> None:
                    listing = found == source
                    best = residue_priced(*self.grid, price, modulus, sources[source:source + 1],
                                          listing.any(axis=1), exits)
                    where, slot = np.nonzero(listing)
                    excess[where, slot] = np.maximum(best[where] - costs[where, slot, None], 0.0)

                list(pool.map(one, range(sources.size)))
            else:
                at = -1
                best = residue_priced(*self.grid, price, modulus, sources, self.passable,
                                      np.full(cells, np.inf))
                base = priced[:, j]
                with np.errstate(invalid="ignore"):
                    excess[:, 0] = np.where(np.isfinite(base)[:, None], np.maximum(best - base[:, None], 0.0), 0.0)
            table, index = _distinct_rows(excess.reshape(-1, modulus))
            tables.append(table)
            indexes.append(index.reshape(cells, depth))
            lists.append(at)
        width = max((table.shape[1] for table in tables), default=1)
        rows = max((table.shape[0] for table in tables), default=1)
        padded = np.zeros((len(tables), rows, width))
        for k, table in enumerate(tables):
            padded[k, :table.shape[0], :table.shape[1]] = table
        kind = np.uint16 if rows <= np.iinfo(np.uint16).max + 1 else np.uint32
        index = np.stack(indexes, axis=1).astype(kind) if indexes else np.zeros((cells, 0, depth), dtype=kind)
        return (prices[chosen].astype(np.float64), moduli[chosen].astype(np.int64), paces[chosen].astype(np.float64),
                np.array(lists, dtype=np.int64), np.array(chosen, dtype=np.int64), np.ascontiguousarray(index), padded)

    def search(
        self, start: Cell, budget: float, limit: int | None = None, among: Iterable[Hashable] | None = None
    ) -> list[Reach]:
        """The targets reachable from `start` within `budget` chakra, fastest first (the `limit` fastest).

        If the search would hold more than `max_entries` entries, it stops: what it found is exact, and
        `last_complete` is False (a slower target within the budget may have been left unfound).
        `among` restricts the answer to some of the targets (say, those a person is cleared for)."""
        cap = len(self.keys) if limit is None else max(0, limit)
        allowed, begin = budget_units(budget), self._index(start)
        targets = (self.target_head, self.target_next, self._wanted(among) & self._within_reach(begin, allowed),
                   self.target_cells, self.target_source, self.source_cells.size)
        with self._lock:
            self.last_work = np.zeros(5, dtype=np.int64)
            found = self._fastest_if_it_fits(targets, begin, allowed, cap) if allowed >= self.fastest_first else None
            if found is None:
                found = self._keep(dense_search(self.grid, self.bounds, targets, begin, allowed, cap,
                                                self._cell_slot, self.max_entries, SLACK, self.last_work, self._pages))
        order, times, units, cells, modes, offsets, complete = found
        self.last_complete = bool(complete)
        return [self._reach(target, times[i], units[i], _path(cells, modes, offsets, i))
                for i, target in enumerate(order.tolist())]

    def _fastest_if_it_fits(self, targets: tuple, begin: int, allowed: int, cap: int) -> tuple | None:
        """The fastest routes with chakra to burn, when every one fits the budget (no target can be reached
        sooner within a budget than without one); None when one does not."""
        order, times, _, cells, modes, offsets, complete = self._keep(dense_search(
            self.free_chakra_grid, self.fastest_bounds, targets, begin, 0, cap, self._cell_slot, self.max_entries,
            SLACK, self.last_work, self._pages))
        units = np.array([path_units(self.chakra, *_path(cells, modes, offsets, i), self.shape[1], self.cell_size,
                                     float(UNITS_PER_CHAKRA)) for i in range(len(order))], dtype=np.int64)
        if not (complete and (units <= allowed).all()):
            return None
        return order, times, units, cells, modes, offsets, complete

    def _keep(self, found: tuple) -> tuple:
        """A search's answer, its pages kept for the next search while they hold at most KEPT_PAGES (fresh memory
        is zeroed at its first touch: making the arrays of 5,700 rows of 400 entries afresh took 58 ms, more than
        a median search with 20-60 chakra running)."""
        *answer, pages = found
        if pages[0].shape[0] <= KEPT_PAGES:
            self._pages = pages
        elif self._pages[0].shape[0] < KEPT_PAGES:
            self._pages = new_pages(KEPT_PAGES)
        return tuple(answer)

    def route(self, start: Cell, key: Hashable, budget: float) -> Reach | None:
        """The fastest route to one target within the budget, or None when there is none."""
        found = self.search(start, budget, limit=1, among=[key])
        return found[0] if found else None

    def _within_reach(self, begin: int, allowed: int) -> np.ndarray:
        """Which targets the budget can reach from the start at all (by each one's least chakra from there):
        a target out of reach is not searched for, instead of being proven out of reach by the search."""
        source = self.target_source
        if not self.source_units.shape[1]:  # not kept for this searcher (or no target cell is passable)
            return np.ones(source.size, dtype=np.bool_)
        least = self.source_units[begin, np.maximum(source, 0)].astype(np.int64)
        ceiling = np.iinfo(np.uint16).max  # stored as "this or more"
        return (source < 0) | (least <= allowed) | ((least == ceiling) & (allowed >= ceiling))

    def _wanted(self, among: Iterable[Hashable] | None) -> np.ndarray:
        if among is None:
            return np.ones(len(self.keys), dtype=np.bool_)
        chosen = set(among)
        return np.array([key in chosen for key in self.keys], dtype=np.bool_)

    def _reach(self, target: int, seconds: float, units: int, traced: tuple[np.ndarray, np.ndarray]) -> Reach:
        cells, modes = traced
        rows, cols = np.divmod(cells, self.shape[1])
        diagonal = (np.diff(rows) != 0) & (np.diff(cols) != 0)
        distance = self.cell_size * float(np.count_nonzero(~diagonal) + math.sqrt(2.0) * np.count_nonzero(diagonal))
        return Reach(
            key=self.keys[target],
            time_s=float(seconds) / MICROSECONDS,
            chakra=int(units) / UNITS_PER_CHAKRA,
            path=list(zip(rows.tolist(), cols.tolist(), strict=True)),
            distance_m=distance,
            modes=[MODE_NAMES[mode] for mode in modes.tolist()],
        )


def _path(cells: np.ndarray, modes: np.ndarray, offsets: np.ndarray, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Path i's cells and modes out of a search's concatenated paths (one mode fewer than cells each)."""
    return cells[offsets[i]:offsets[i + 1]], modes[offsets[i] - i:offsets[i + 1] - i - 1]


def search(
    costs: MoveCosts, start: Cell, budget: float, targets: Mapping[Hashable, Cell], limit: int | None = None
) -> list[Reach]:
    """The targets reachable from `start` spending at most `budget` chakra, fastest first (`limit` of them)."""
    return Searcher(costs, targets).search(start, budget, limit)


def route(costs: MoveCosts, start: Cell, goal: Cell, budget: float) -> Reach | None:
    """The fastest route from `start` to `goal` within the chakra budget, or None when there is none."""
    found = search(costs, start, budget, {goal: goal}, limit=1)
    return found[0] if found else None


def bearing_deg(from_xy: tuple[float, float], to_xy: tuple[float, float]) -> float:
    """Compass bearing in degrees from one map point to another: 0 north, 90 east, clockwise."""
    east, north = to_xy[0] - from_xy[0], to_xy[1] - from_xy[1]
    return math.degrees(math.atan2(east, north)) % 360.0


def turning_points(path: list[Cell]) -> list[Cell]:
    """The path with straight runs collapsed: its ends and the cells where the heading changes."""
    if len(path) <= 2:
        return list(path)
    kept = [path[0]]
    for before, here, after in zip(path, path[1:], path[2:]):
        if (here[0] - before[0], here[1] - before[1]) != (after[0] - here[0], after[1] - here[1]):
            kept.append(here)
    kept.append(path[-1])
    return kept
