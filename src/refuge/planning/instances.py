"""Readers for public benchmark instances: IRP in the Archetti et al. (2007) and DIMACS 2021 formats,
CVRP in VRPLIB format with its `.sol` files, and the tables of best-known values.

Every refusal is an InstanceError naming the file and, where there is one, the line.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from refuge.domain.errors import RefugeError
from refuge.planning.irp_model import IRPInstance, Site


class InstanceError(RefugeError):
    """An instance, solution or table file that is malformed or inconsistent."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.line = line


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    """Non-blank lines as (line number, fields)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InstanceError(path, "not a text file") from None
    except OSError as error:
        raise InstanceError(path, f"cannot read it ({error.strerror})") from None
    return [(number, line.split()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _number(path: Path, line: int, text: str, what: str, *, integer: bool = False,
            minimum: float | None = 0) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InstanceError(path, f"{what} is {text!r}, not a number", line) from None
    if not math.isfinite(value):
        raise InstanceError(path, f"{what} is {text!r}, not a finite number", line)
    if integer and value != int(value):
        raise InstanceError(path, f"{what} is {text!r}, not a whole number", line)
    if minimum is not None and value < minimum:
        raise InstanceError(path, f"{what} is {text!r}, below {minimum:g}", line)
    return value


def _integer(path: Path, line: int, text: str, what: str, minimum: int = 0) -> int:
    return int(_number(path, line, text, what, integer=True, minimum=minimum))


# --- IRP -----------------------------------------------------------------------------------------


def read_irp(path: Path | str) -> IRPInstance:
    """Read an Archetti (`N H C`, supplier id 1) or DIMACS (`N H Q K`, supplier id 0) IRP file."""
    path = Path(path)
    lines = _lines(path)
    if not lines:
        raise InstanceError(path, "the file is empty")
    number, head = lines[0]
    if len(head) == 3:
        style, first_id = "Archetti", 1
        count, days, capacity = (_integer(path, number, text, what, 1)
                                 for text, what in zip(head, ("N (sites)", "H (periods)", "C (capacity)")))
        vehicles = 1
    elif len(head) == 4:
        style, first_id = "DIMACS", 0
        count, days, capacity, vehicles = (
            _integer(path, number, text, what, 1)
            for text, what in zip(head, ("N (sites)", "H (periods)", "Q (capacity)", "K (vehicles)")))
    else:
        raise InstanceError(path, f"the first line has {len(head)} fields; expected `N H C` (Archetti) "
                                  "or `N H Q K` (DIMACS)", number)
    if count < 2:
        raise InstanceError(path, f"N is {count}: an instance needs the supplier and at least one customer",
                            number)
    body = lines[1:]
    sites, points = [], []
    for index, (number, fields) in enumerate(body):
        if index >= count:
            raise InstanceError(path, f"the first line says N = {count} sites (supplier and customers) but "
                                      "more lines follow", number)
        expected_id = first_id + index
        expected = 6 if index == 0 else 8
        role = "the supplier line" if index == 0 else f"customer {expected_id}"
        if len(fields) != expected:
            layout = "id x y B0 r0 h0" if index == 0 else "id x y I0 U L r h"
            raise InstanceError(path, f"{role} has {len(fields)} fields; expected {expected} ({layout}) "
                                      f"in the {style} format", number)
        site_id = _integer(path, number, fields[0], "the id")
        if site_id != expected_id:
            raise InstanceError(path, f"site id {site_id} where id {expected_id} was expected ({style} ids "
                                      f"start at {first_id}, supplier first, in order)", number)
        x = _number(path, number, fields[1], "x", minimum=None)
        y = _number(path, number, fields[2], "y", minimum=None)
        points.append((x, y))
        if index == 0:
            initial = _integer(path, number, fields[3], "the supplier's initial stock B0")
            rate = _integer(path, number, fields[4], "the supplier's production r0")
            holding = _number(path, number, fields[5], "the supplier's holding cost h0")
            sites.append(Site(x, y, initial, rate, holding))
            continue
        initial = _integer(path, number, fields[3], "initial stock I0")
        maximum = _integer(path, number, fields[4], "maximum level U")
        minimum = _integer(path, number, fields[5], "minimum level L")
        rate = _integer(path, number, fields[6], "demand r")
        holding = _number(path, number, fields[7], "holding cost h")
        if minimum > maximum:
            raise InstanceError(path, f"customer {site_id}: minimum level {minimum} is above maximum {maximum}",
                                number)
        if not minimum <= initial <= maximum:
            raise InstanceError(path, f"customer {site_id}: initial stock {initial} is outside its levels "
                                      f"[{minimum}, {maximum}]", number)
        if maximum - minimum < rate:
            raise InstanceError(path, f"customer {site_id}: demand {rate} a day exceeds maximum minus minimum "
                                      f"({maximum} - {minimum}), so no delivery can keep it at its minimum",
                                number)
        sites.append(Site(x, y, initial, rate, holding, maximum, minimum))
    if len(body) != count:
        raise InstanceError(path, f"the first line says N = {count} sites (supplier and customers) but the "
                                  f"file has {len(body)} site lines")
    return IRPInstance(name=path.stem, days=days, vehicles=vehicles, capacity=capacity, sites=tuple(sites),
                       distances=IRPInstance.rounded_distances(points))


@dataclass(frozen=True)
class Reference:
    """A published value for one instance, in the DIMACS convention (days 1..H charged)."""

    value: float
    source: str
    proven_optimal: bool = False


def read_references(path: Path | str, strict: bool = True) -> dict[str, Reference]:
    """Best-known values from the tables shipped with the instances, keyed by resolved file path
    (Archetti table, whose names repeat across folders) or by instance name (DIMACS table). With
    strict=False a CSV file with other columns is ignored rather than refused."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise InstanceError(path, f"cannot read it ({error})") from None
    if not rows:
        raise InstanceError(path, "the table is empty")
    header = rows[0]
    found: dict[str, Reference] = {}

    def column(name: str) -> int:
        return header.index(name)

    if "best_known_without_opening_stock" in header and "file" in header:
        at_file, at_value = column("file"), column("best_known_without_opening_stock")
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                raise InstanceError(path, f"{len(row)} columns where the header has {len(header)}", number)
            value = _number(path, number, row[at_value], "best_known_without_opening_stock")
            found[str((path.parent / row[at_file]).resolve())] = Reference(value, "Archetti et al. best known")
    elif "dimacs_ub" in header and "instance" in header:
        at_name, at_value = column("instance"), column("dimacs_ub")
        at_optimal = header.index("plaisir_claims_optimal") if "plaisir_claims_optimal" in header else None
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                raise InstanceError(path, f"{len(row)} columns where the header has {len(header)}", number)
            value = _number(path, number, row[at_value], "dimacs_ub")
            optimal = at_optimal is not None and row[at_optimal].strip().lower() == "true"
            found[row[at_name]] = Reference(value, "DIMACS 2021 best", optimal)
    elif not strict:
        return {}
    else:
        raise InstanceError(path, "not a table of best-known values (expected the columns file and "
                                  "best_known_without_opening_stock, or instance and dimacs_ub)", 1)
    return found


def reference_for(references: dict[str, Reference], path: Path, instance: IRPInstance) -> Reference | None:
    return references.get(str(path.resolve())) or references.get(instance.name)


# --- CVRP ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CVRPInstance:
    name: str
    capacity: int
    demands: tuple[int, ...]  # index 0 is the depot
    coords: tuple[tuple[float, float], ...]
    distances: tuple[tuple[int, ...], ...]

    @property
    def size(self) -> int:
        return len(self.demands) - 1


@dataclass(frozen=True)
class CVRPSolution:
    routes: tuple[tuple[int, ...], ...]  # customers 1..n, the depot 0 implied at both ends
    cost: float | None = None


def read_vrplib(path: Path | str) -> CVRPInstance:
    """A CVRP in VRPLIB format with EUC_2D distances rounded to the nearest integer."""
    path = Path(path)
    lines = _lines(path)
    spec: dict[str, str] = {}
    sections: dict[str, list[tuple[int, list[str]]]] = {}
    current: str | None = None
    for number, fields in lines:
        text = " ".join(fields)
        if text.upper() == "EOF":
            break
        if text.upper().endswith("_SECTION"):
            current = text.upper()
            sections[current] = []
        elif current is None or ":" in text and not text[0].isdigit() and not text[0] == "-":
            if ":" not in text:
                raise InstanceError(path, f"expected `KEY : value`, found {text!r}", number)
            key, _, value = text.partition(":")
            spec[key.strip().upper()] = value.strip()
            current = None
        else:
            sections[current].append((number, fields))
    for key in ("DIMENSION", "CAPACITY"):
        if key not in spec:
            raise InstanceError(path, f"no {key} line")
    weight = spec.get("EDGE_WEIGHT_TYPE", "")
    if weight != "EUC_2D":
        raise InstanceError(path, f"EDGE_WEIGHT_TYPE is {weight or 'missing'}; only EUC_2D is supported")
    dimension = _integer(path, 0, spec["DIMENSION"], "DIMENSION", 2) if spec["DIMENSION"].isdigit() else None
    if dimension is None:
        raise InstanceError(path, f"DIMENSION is {spec['DIMENSION']!r}, not a whole number")
    capacity = int(spec["CAPACITY"]) if spec["CAPACITY"].isdigit() else 0
    if capacity < 1:
        raise InstanceError(path, f"CAPACITY is {spec['CAPACITY']!r}, not a positive whole number")
    for name in ("NODE_COORD_SECTION", "DEMAND_SECTION"):
        if name not in sections:
            raise InstanceError(path, f"no {name}")
        if len(sections[name]) != dimension:
            raise InstanceError(path, f"{name} has {len(sections[name])} lines but DIMENSION is {dimension}")
    coords, demands = [], []
    for index, ((number, fields), (dnumber, dfields)) in enumerate(
            zip(sections["NODE_COORD_SECTION"], sections["DEMAND_SECTION"]), start=1):
        if len(fields) != 3 or _integer(path, number, fields[0], "node id") != index:
            raise InstanceError(path, f"expected `{index} x y`, found {' '.join(fields)!r}", number)
        coords.append((_number(path, number, fields[1], "x", minimum=None),
                       _number(path, number, fields[2], "y", minimum=None)))
        if len(dfields) != 2 or _integer(path, dnumber, dfields[0], "node id") != index:
            raise InstanceError(path, f"expected `{index} demand`, found {' '.join(dfields)!r}", dnumber)
        demand = _integer(path, dnumber, dfields[1], "demand")
        if demand > capacity:
            raise InstanceError(path, f"node {index} demands {demand}, more than the capacity {capacity}", dnumber)
        demands.append(demand)
    depots = [int(f[0]) for _, f in sections.get("DEPOT_SECTION", []) if f[0].lstrip("-").isdigit()
              and int(f[0]) > 0]
    if depots != [1]:
        raise InstanceError(path, f"the depot must be node 1 alone; DEPOT_SECTION gives {depots or 'none'}")
    if demands[0] != 0:
        raise InstanceError(path, f"the depot has demand {demands[0]}", sections["DEMAND_SECTION"][0][0])
    return CVRPInstance(path.stem, capacity, tuple(demands), tuple(coords), IRPInstance.rounded_distances(coords))


def read_vrplib_solution(path: Path | str, instance: CVRPInstance | None = None) -> CVRPSolution:
    """A `.sol` file: `Route #k: c1 c2 ...` lines (customers numbered from 1) and `Cost X`."""
    path = Path(path)
    routes: list[tuple[int, ...]] = []
    cost = None
    for number, fields in _lines(path):
        if fields[0].lower() == "route":
            if len(fields) < 3 or not fields[1].endswith(":"):
                raise InstanceError(path, f"expected `Route #k: customers`, found {' '.join(fields)!r}", number)
            stops = tuple(_integer(path, number, text, "a customer", 1) for text in fields[2:])
            if instance is not None and max(stops) > instance.size:
                raise InstanceError(path, f"customer {max(stops)} does not exist ({instance.name} has "
                                          f"{instance.size})", number)
            routes.append(stops)
        elif fields[0].lower() == "cost" and len(fields) == 2:
            cost = _number(path, number, fields[1], "Cost")
        else:
            raise InstanceError(path, f"expected `Route #k: ...` or `Cost X`, found {' '.join(fields)!r}", number)
    if cost is None:
        raise InstanceError(path, "no `Cost` line")
    return CVRPSolution(tuple(routes), cost)
