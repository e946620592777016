"""Importing a network's own land-cover raster from the command line, and describing the terrain."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner, Result

from refuge.cli.main import app
from refuge.store import terrain as terrain_store
from refuge.store.database import Database
from tests.terrain_factory import add_terrain

runner = CliRunner()
CELL = 250.0
TRAVEL = """
[classes.meadow]
walk_kmh = 4.0
run_kmh = 15.0
run_chakra_per_km = 2.0

[classes.pond]
water_walk_kmh = 6.0
water_chakra_per_km = 5.0

[classes.crag]
impassable = true

[profiles.walking]
can_run = false

[profiles.running]

[profiles.injured]
speed_factor = 0.5
can_run = false
"""


def refuge(db: Database, *args: str) -> Result:
    return runner.invoke(app, ["--db", str(db.engine.url.database), *args])


def write_map(folder: Path, world: str | None = None) -> tuple[Path, Path, Path]:
    """A 60 × 50 km meadow with a pond in the north-east and a crag; ids 3, 5 and 9."""
    rows, cols = int(50_000 / CELL), int(60_000 / CELL)
    classes = np.full((rows, cols), 3, dtype=np.uint8)
    classes[:40, 180:] = 5
    classes[150:, :8] = 9
    Image.fromarray(classes).save(folder / "valley.png")
    (folder / "valley.pgw").write_text(world or f"{CELL}\n0\n0\n-{CELL}\n{CELL / 2}\n{50_000 - CELL / 2}\n")
    (folder / "classes.csv").write_text("id,name,color,water\n3,meadow,#b5d48a,no\n5,pond,#6fa8dc,yes\n"
                                        "9,crag,#555555,no\n")
    (folder / "travel.toml").write_text(TRAVEL)
    return folder / "valley.png", folder / "classes.csv", folder / "travel.toml"


def digest(db: Database) -> str | None:
    with db.reading() as session:
        return terrain_store.terrain_digest(session)


def test_a_png_with_its_world_file_classes_and_travel_model_becomes_the_terrain(sqlite_db: Database,
                                                                                 tmp_path: Path) -> None:
    add_terrain(sqlite_db)
    assert refuge(sqlite_db, "matrix").exit_code == 0
    raster, classes, travel = write_map(tmp_path)
    result = refuge(sqlite_db, "terrain", "import", str(raster), "--classes", str(classes), "--travel", str(travel))
    assert result.exit_code == 0, result.output
    assert "240 × 200 cells of 250 m" in result.stdout and "meadow" in result.stdout
    shown = json.loads(refuge(sqlite_db, "terrain", "show", "--json").stdout)
    assert shown["source"] == "valley.png" and (shown["rows"], shown["cols"], shown["cell_size"]) == (200, 240, 250)
    assert {c["name"]: c["cells"] for c in shown["classes"]} == {"meadow": 200 * 240 - 40 * 60 - 50 * 8,
                                                                 "pond": 40 * 60, "crag": 50 * 8}
    assert shown["misplaced"] == []
    matrix = json.loads(refuge(sqlite_db, "matrix", "--json").stdout)
    assert matrix["cached"] is False  # the old terrain's matrices went with it
    leg = matrix["time_s"][0][1]  # Leaf (20 km, 20 km) to LF-001 (10 km, 20 km): 10 km of meadow at 4 km/h
    assert leg == pytest.approx(10_000 * 3.6 / 4.0, rel=1e-6)


def test_without_a_travel_model_for_its_classes_the_import_is_refused(sqlite_db: Database, tmp_path: Path) -> None:
    add_terrain(sqlite_db)
    before = digest(sqlite_db)
    raster, classes, _travel = write_map(tmp_path)
    result = refuge(sqlite_db, "terrain", "import", str(raster), "--classes", str(classes))
    assert result.exit_code == 2 and "--travel" in result.stderr and "meadow" in result.stderr
    assert digest(sqlite_db) == before


@pytest.mark.parametrize(("world", "message"), [
    ("250\n0\n0\n-250\n125\n", "has 5 lines"),
    ("250\n0\n0\n-250\n125\nnorth\n", "line 6"),
    ("250\n0.5\n0\n-250\n125\n49875\n", "rotation"),
])
def test_a_broken_world_file_is_named_and_nothing_changes(sqlite_db: Database, tmp_path: Path, world: str,
                                                          message: str) -> None:
    add_terrain(sqlite_db)
    before = digest(sqlite_db)
    raster, classes, travel = write_map(tmp_path, world)
    result = refuge(sqlite_db, "terrain", "import", str(raster), "--classes", str(classes), "--travel", str(travel))
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and message in result.stderr
    assert "valley.pgw" in result.stderr and digest(sqlite_db) == before


def test_an_unknown_class_in_the_raster_is_named(sqlite_db: Database, tmp_path: Path) -> None:
    raster, classes, travel = write_map(tmp_path)
    classes.write_text("id,name,color,water\n3,meadow,#b5d48a,no\n5,pond,#6fa8dc,yes\n")
    (tmp_path / "travel.toml").write_text(TRAVEL.replace("[classes.crag]\nimpassable = true\n", ""))
    result = refuge(sqlite_db, "terrain", "import", str(raster), "--classes", str(classes), "--travel", str(travel))
    assert result.exit_code == 2 and "9" in result.stderr and digest(sqlite_db) is None


def test_shelters_off_the_new_map_are_warned_about(sqlite_db: Database, tmp_path: Path) -> None:
    raster, classes, travel = write_map(tmp_path)
    (tmp_path / "valley.pgw").write_text(f"{CELL}\n0\n0\n-{CELL}\n{CELL / 2 + 15_000}\n{50_000 - CELL / 2}\n")
    result = refuge(sqlite_db, "terrain", "import", str(raster), "--classes", str(classes), "--travel", str(travel))
    assert result.exit_code == 0, result.output
    assert "warning: LF-001 is outside the map" in result.stdout
    assert "LF-002" not in result.stdout


def test_show_without_a_terrain_says_how_to_get_one(sqlite_db: Database) -> None:
    result = refuge(sqlite_db, "terrain", "show")
    assert result.exit_code == 2 and "no terrain" in result.stderr
