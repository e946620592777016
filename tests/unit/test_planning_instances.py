"""The instance readers: the public formats read field by field, malformed files refused by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from refuge.planning.checker import check_cvrp
from refuge.planning.instances import (InstanceError, read_irp, read_references, read_vrplib,
                                       read_vrplib_solution)

DATA = Path(__file__).resolve().parents[1] / "data" / "bench"
LOW = DATA / "irp" / "archetti2007_single_vehicle" / "Instances_lowcost_H3" / "abs1n5.dat"
DIMACS = DATA / "irp" / "dimacs2021_small" / "SmallL3" / "S_abs1n5_2_L3.dat"


def test_archetti_and_dimacs_files_read_alike() -> None:
    archetti, dimacs = read_irp(LOW), read_irp(DIMACS)
    assert (archetti.size, archetti.days, archetti.vehicles, archetti.capacity) == (5, 3, 1, 289)
    assert (dimacs.size, dimacs.days, dimacs.vehicles, dimacs.capacity) == (5, 3, 2, 144)
    assert archetti.sites == dimacs.sites  # the DIMACS set derives from Archetti's, field by field
    supplier, first = archetti.sites[0], archetti.sites[1]
    assert (supplier.initial, supplier.rate, supplier.holding) == (510, 193, 0.03)
    assert (first.initial, first.maximum, first.minimum, first.rate, first.holding) == (130, 195, 0, 65, 0.02)
    assert archetti.distances[0][1] == 85  # floor(sqrt(18² + 83²) + 0.5) = floor(84.93 + 0.5)
    assert archetti.opening_stock_cost == pytest.approx(22.92)


def test_best_known_tables_are_keyed_by_file_or_name() -> None:
    archetti = read_references(DATA / "irp" / "archetti2007_single_vehicle_best_known.csv")
    assert archetti[str(LOW.resolve())].value == 1213.0
    dimacs = read_references(DATA / "irp" / "dimacs2021_small_H3_bounds.csv")
    assert dimacs["S_abs1n5_2_L3"].value == 1373.41 and dimacs["S_abs1n5_2_L3"].proven_optimal


def write(tmp_path: Path, text: str, name: str = "bad.dat") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = LOW.read_text().replace("\r", "")
LINES = GOOD.strip().splitlines()
BAD_IRP = {
    "first line": ("6 3\n" + "\n".join(LINES[1:]), "line 1: the first line has 2 fields"),
    "not a number": (GOOD.replace("289", "2x9", 1), "line 1: C (capacity) is '2x9', not a number"),
    "too few sites": ("\n".join(LINES[:-1]), "N = 6 sites (supplier and customers) but the file has 5 site lines"),
    "too many sites": (GOOD + "7 1 1 1 2 0 1 .02\n", "line 8: the first line says N = 6 sites (supplier and customers) but more lines follow"),
    "missing field": (GOOD.replace("   3     267.0      87.0   70  105    0   35       .03",
                                   "   3     267.0      87.0   70  105    0   35"),
                      "line 4: customer 3 has 7 fields; expected 8 (id x y I0 U L r h)"),
    "ids out of order": (GOOD.replace("   3     267.0", "   9     267.0"), "line 4: site id 9 where id 3 was expected"),
    "minimum above maximum": (GOOD.replace("70  105    0   35", "70  105  106   35"),
                              "line 4: customer 3: minimum level 106 is above maximum 105"),
    "initial above maximum": (GOOD.replace("70  105    0   35", "170  105    0   35"),
                              "line 4: customer 3: initial stock 170 is outside its levels [0, 105]"),
    "negative demand": (GOOD.replace("70  105    0   35", "70  105    0  -35"), "line 4: demand r is '-35', below 0"),
    "fractional stock": (GOOD.replace("70  105    0   35", "70.5  105    0   35"),
                         "line 4: initial stock I0 is '70.5', not a whole number"),
}


@pytest.mark.parametrize("case", sorted(BAD_IRP))
def test_malformed_irp_files_are_refused_with_file_and_line(tmp_path: Path, case: str) -> None:
    text, message = BAD_IRP[case]
    path = write(tmp_path, text)
    with pytest.raises(InstanceError) as refused:
        read_irp(path)
    assert str(path) in refused.value.message
    assert message in refused.value.message


def test_empty_and_binary_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InstanceError, match="the file is empty"):
        read_irp(write(tmp_path, "\n\n"))
    binary = tmp_path / "b.dat"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InstanceError, match="not a text file"):
        read_irp(binary)


def test_a_table_with_a_bad_value_is_refused_by_line(tmp_path: Path) -> None:
    table = DATA / "irp" / "dimacs2021_small_H3_bounds.csv"
    path = write(tmp_path, table.read_text().replace("1373.41,1373.41", "n/a,1373.41"), "t.csv")
    with pytest.raises(InstanceError, match=r"t.csv, line 2: dimacs_ub is 'n/a', not a number"):
        read_references(path)
    assert read_references(write(tmp_path, "a,b\n1,2\n", "other.csv"), strict=False) == {}


def test_vrplib_instance_and_solution_agree_with_the_published_cost() -> None:
    instance = read_vrplib(DATA / "cvrp" / "X-n101-k25.vrp")
    solution = read_vrplib_solution(DATA / "cvrp" / "X-n101-k25.sol", instance)
    assert (instance.size, instance.capacity) == (100, 206)
    verdict = check_cvrp(instance, solution)
    assert verdict.feasible, verdict.violations
    assert verdict.routing == solution.cost == 27591


def test_malformed_vrplib_files_are_refused(tmp_path: Path) -> None:
    good = (DATA / "cvrp" / "X-n101-k25.vrp").read_text()
    cases = {
        "DIMENSION : \t101": ("DIMENSION : \t102", "NODE_COORD_SECTION has 101 lines but DIMENSION is 102"),
        "EUC_2D": ("GEO", "EDGE_WEIGHT_TYPE is GEO; only EUC_2D is supported"),
        "CAPACITY : \t206": ("CAPACITY : \t0", "CAPACITY is '0'"),
        "\n3\t792\t5": ("\n3\t792", "expected `3 x y`, found '3 792'"),
    }
    for old, (new, message) in cases.items():
        assert old in good
        path = write(tmp_path, good.replace(old, new, 1), "bad.vrp")
        with pytest.raises(InstanceError) as refused:
            read_vrplib(path)
        assert message in refused.value.message, refused.value.message
    with pytest.raises(InstanceError, match=r"bad.sol, line 2: expected `Route #k: ...` or `Cost X`"):
        read_vrplib_solution(write(tmp_path, "Route #1: 1 2\nDistance 5\n", "bad.sol"))
    with pytest.raises(InstanceError, match="no `Cost` line"):
        read_vrplib_solution(write(tmp_path, "Route #1: 1 2\n", "bad.sol"))
