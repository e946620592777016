"""A network's own land-cover raster: GeoTIFF, or PNG with a world file, and a class table; broken ones refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import tifffile
from PIL import Image

from refuge.domain.errors import InvalidInput
from refuge.terrain.rasters import read_class_table, read_land_cover, read_world_file

DATA = Path(__file__).parents[1] / "data" / "terrain"
VALLEY = np.array([
    [1, 1, 0, 2, 0, 0, 1, 1],
    [1, 0, 0, 2, 0, 0, 0, 1],
    [0, 0, 0, 2, 2, 0, 0, 0],
    [3, 3, 3, 3, 3, 3, 3, 3],
    [0, 0, 0, 0, 2, 0, 1, 1],
    [0, 0, 0, 0, 2, 0, 1, 1],
], dtype=np.uint8)
CSV = DATA / "classes.csv"
SCALE, TIEPOINT, GEOKEYS, TRANSFORM = 33550, 33922, 34735, 34264


def geotiff(path: Path, data: np.ndarray = VALLEY, scale: tuple | None = (25.0, 25.0, 0.0),
            tiepoints: tuple | None = (0, 0, 0, 500_000.0, 4_200_000.0, 0), raster_type: int | None = None,
            transform: tuple | None = None) -> Path:
    """A GeoTIFF of `data` with the georeferencing tags asked for (None leaves a tag out)."""
    tags = []
    if scale is not None:
        tags.append((SCALE, "d", 3, scale, True))
    if tiepoints is not None:
        tags.append((TIEPOINT, "d", len(tiepoints), tiepoints, True))
    if raster_type is not None:
        tags.append((GEOKEYS, "H", 8, (1, 1, 0, 1, 1025, 0, 1, raster_type), True))
    if transform is not None:
        tags.append((TRANSFORM, "d", 16, transform, True))
    tifffile.imwrite(path, data, extratags=tags)
    return path


def png_with_world_file(tmp_path: Path, lines: str, name: str = "map") -> Path:
    raster = tmp_path / f"{name}.png"
    shutil.copy(DATA / "valley.png", raster)
    (tmp_path / f"{name}.pgw").write_text(lines)
    return raster


def refusal(*args: object) -> str:
    with pytest.raises(InvalidInput) as error:
        read_land_cover(*args)  # type: ignore[arg-type]
    return str(error.value)


def table_refusal(tmp_path: Path, text: str, suffix: str = ".csv") -> str:
    path = tmp_path / f"classes{suffix}"
    path.write_text(text)
    with pytest.raises(InvalidInput) as error:
        read_class_table(path)
    return str(error.value).replace(str(path), "T")


# --- reading ----------------------------------------------------------------------------------


def test_reads_a_geotiff_with_its_origin_and_cell_size() -> None:
    terrain = read_land_cover(DATA / "valley.tif", CSV)
    assert np.array_equal(terrain.classes, VALLEY)
    assert (terrain.x0, terrain.y0, terrain.cell_size) == (500_000.0, 4_200_000.0 - 6 * 25.0, 25.0)


def test_reads_a_png_with_the_world_file_beside_it() -> None:
    terrain = read_land_cover(DATA / "valley.png", CSV)
    assert np.array_equal(terrain.classes, VALLEY)
    assert (terrain.x0, terrain.y0, terrain.cell_size) == (500_000.0, 4_200_000.0 - 6 * 25.0, 25.0)


def test_reads_a_png_with_a_world_file_named_on_request(tmp_path: Path) -> None:
    shutil.copy(DATA / "valley.pgw", tmp_path / "frame.wld")
    terrain = read_land_cover(DATA / "valley.png", CSV, tmp_path / "frame.wld")
    assert terrain.x0 == 500_000.0


def test_reads_a_greyscale_png(tmp_path: Path) -> None:
    Image.fromarray(VALLEY).save(tmp_path / "grey.png")
    shutil.copy(DATA / "valley.pgw", tmp_path / "grey.pgw")
    assert np.array_equal(read_land_cover(tmp_path / "grey.png", CSV).classes, VALLEY)


def test_places_a_cell_where_the_map_frame_says(tmp_path: Path) -> None:
    terrain = read_land_cover(DATA / "valley.tif", CSV)
    assert terrain.cell_of(500_000.0 + 3 * 25 + 1, 4_200_000.0 - 1) == (0, 3)
    assert terrain.land_class(int(terrain.classes[0, 3])).name == "river"


def test_shifts_a_pixel_is_point_tie_point_by_half_a_cell(tmp_path: Path) -> None:
    terrain = read_land_cover(geotiff(tmp_path / "point.tif", raster_type=2), CSV)
    assert (terrain.x0, terrain.y0 + 6 * 25.0) == (500_000.0 - 12.5, 4_200_000.0 + 12.5)


def test_reads_a_north_up_model_transformation(tmp_path: Path) -> None:
    transform = (25.0, 0, 0, 500_000.0, 0, -25.0, 0, 4_200_000.0, 0, 0, 0, 0, 0, 0, 0, 1)
    path = geotiff(tmp_path / "matrix.tif", scale=None, tiepoints=None, transform=transform)
    terrain = read_land_cover(path, CSV)
    assert (terrain.x0, terrain.cell_size) == (500_000.0, 25.0)


def test_reads_the_class_table_from_csv_or_toml_alike() -> None:
    assert read_class_table(CSV) == read_class_table(DATA / "classes.toml")
    assert [(land.name, land.water) for land in read_class_table(CSV)] == [
        ("grassland", False), ("forest", False), ("river", True), ("road", False)]


def test_reads_the_world_file_as_the_outer_corner_of_the_top_left_cell() -> None:
    assert read_world_file(DATA / "valley.pgw") == (500_000.0, 4_200_000.0, 25.0)


# --- refusals: the raster ---------------------------------------------------------------------


def test_refuses_class_ids_missing_from_the_class_table_and_lists_them(tmp_path: Path) -> None:
    data = VALLEY.copy()
    data[0, 0], data[5, 7] = 9, 7
    message = refusal(geotiff(tmp_path / "odd.tif", data), CSV)
    assert message == f"{tmp_path / 'odd.tif'} holds class ids that are not in the class table {CSV}: 7, 9"


def test_refuses_a_rotated_geotiff(tmp_path: Path) -> None:
    transform = (25.0, 3.0, 0, 500_000.0, 3.0, -25.0, 0, 4_200_000.0, 0, 0, 0, 0, 0, 0, 0, 1)
    path = geotiff(tmp_path / "turned.tif", scale=None, tiepoints=None, transform=transform)
    assert refusal(path, CSV) == f"{path}: the raster is rotated or sheared; only north-up rasters are supported"


def test_refuses_a_geotiff_with_oblong_cells(tmp_path: Path) -> None:
    path = geotiff(tmp_path / "oblong.tif", scale=(25.0, 30.0, 0.0))
    assert refusal(path, CSV) == f"{path}: cells are 25 wide but 30 high; only square cells are supported"


def test_refuses_a_geotiff_warped_by_several_tie_points(tmp_path: Path) -> None:
    path = geotiff(tmp_path / "warped.tif", tiepoints=(0, 0, 0, 5.0, 6.0, 0, 8, 6, 0, 205.0, 6.0, 0))
    assert refusal(path, CSV).startswith(f"{path} has 2 tie points; only one")


def test_refuses_a_tiff_without_georeferencing(tmp_path: Path) -> None:
    path = geotiff(tmp_path / "plain.tif", scale=None, tiepoints=None)
    assert refusal(path, CSV).startswith(f"{path} has no georeferencing")


def test_refuses_a_raster_of_several_bands(tmp_path: Path) -> None:
    path = geotiff(tmp_path / "rgb.tif", np.zeros((6, 8, 3), dtype=np.uint8))
    assert refusal(path, CSV) == f"{path} has 3 bands; a land-cover raster has one band of class ids"


def test_refuses_fractional_class_ids(tmp_path: Path) -> None:
    path = geotiff(tmp_path / "float.tif", VALLEY.astype(np.float32) + 0.5)
    assert refusal(path, CSV) == f"{path} holds values that are not whole numbers; class ids are whole numbers"


def test_refuses_a_colour_png(tmp_path: Path) -> None:
    raster = tmp_path / "photo.png"
    Image.fromarray(np.zeros((6, 8, 3), dtype=np.uint8)).save(raster)
    shutil.copy(DATA / "valley.pgw", tmp_path / "photo.pgw")
    assert refusal(raster, CSV).startswith(f"{raster} is an image of mode RGB; a land-cover PNG holds class ids")


def test_refuses_a_png_without_a_world_file(tmp_path: Path) -> None:
    raster = tmp_path / "lost.png"
    shutil.copy(DATA / "valley.png", raster)
    assert refusal(raster, CSV).startswith(f"{raster} needs a world file (lost.pgw, lost.pngw, lost.wld)")


def test_refuses_a_file_that_is_not_a_raster(tmp_path: Path) -> None:
    path = tmp_path / "notes.tif"
    path.write_text("not an image")
    assert refusal(path, CSV).startswith(f"{path} is not a readable GeoTIFF")


@pytest.mark.parametrize("content", [b"II*\x00garbage", b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00",
                                     b"II*\x00\x08\x00\x00\x00\xff\xff" + b"\x00" * 40])
def test_refuses_a_damaged_tiff_in_one_sentence(tmp_path: Path, content: bytes,
                                                caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "damaged.tif"
    path.write_bytes(content)
    assert refusal(path, CSV).startswith(f"{path} is not a readable GeoTIFF: ")
    assert not caplog.records  # the reader's own complaints are held back


def test_refuses_a_raster_with_more_cells_than_the_search_can_hold(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("refuge.terrain.rasters.MAX_CELLS", 40)  # the valley has 6 × 8 = 48
    tiff = geotiff(tmp_path / "valley.tif")
    assert refusal(tiff, CSV) == (f"{tiff} has 6 × 8 cells (48); a land-cover raster may have at most 40: resample "
                                  "it to larger cells (e.g. gdalwarp -tr 100 100) or cut it to the network's area")
    png = png_with_world_file(tmp_path, "25\n0\n0\n-25\n500012.5\n4199987.5\n")
    assert refusal(png, CSV).startswith(f"{png} has 6 × 8 cells (48); a land-cover raster may have at most 40")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)  # the image library will not open it at all
    assert refusal(png, CSV).startswith(f"{png} is too large for a land-cover raster (over 20 cells); it may have "
                                        "at most 40: resample it")


def test_refuses_a_raster_format_it_does_not_read(tmp_path: Path) -> None:
    assert refusal(tmp_path / "map.jpg", CSV).endswith("must be a GeoTIFF (.tif) or a PNG with a world file")


# --- refusals: the world file -----------------------------------------------------------------


@pytest.mark.parametrize(("lines", "problem"), [
    ("25\n0\n0\n-25\n500012.5\n", "has 5 lines; it needs six (A, D, B, E, C, F)"),
    ("25\n0\n0\n-25\n500012.5\n4199987.5\n1\n", "has 7 lines; it needs six (A, D, B, E, C, F)"),
    ("25\n0\n0\n-25\neast\n4199987.5\n", "line 5: 'east' is not a number"),
    ("25\n0\n\n-25\n500012.5\n4199987.5\n", "line 3: '' is not a number"),
    ("25\n0.5\n0\n-25\n500012.5\n4199987.5\n", "line 2: rotation term 0.5 is not 0; rotated or sheared"),
    ("25\n0\n-1\n-25\n500012.5\n4199987.5\n", "line 3: rotation term -1 is not 0; rotated or sheared"),
    ("25\n0\n0\n-30\n500012.5\n4199987.5\n", "line 4: cells are 25 wide but 30 high; only square cells"),
    ("25\n0\n0\n25\n500012.5\n4199987.5\n", "line 4: the cell height must be negative (north up), not 25"),
    ("-25\n0\n0\n-25\n500012.5\n4199987.5\n", "line 1: the cell width must be positive, not -25"),
    ("25\n0\n0\n-25\nnan\n4199987.5\n", "line 5: 'nan' is not a finite number"),
])
def test_refuses_a_broken_world_file_naming_the_line(tmp_path: Path, lines: str, problem: str) -> None:
    raster = png_with_world_file(tmp_path, lines)
    assert refusal(raster, CSV).startswith(f"world file {tmp_path / 'map.pgw'} {problem}")


def test_accepts_a_world_file_with_trailing_blank_lines_and_spaces(tmp_path: Path) -> None:
    raster = png_with_world_file(tmp_path, " 25 \n0\n0\n-25\n500012.5\n4199987.5\n\n\n")
    assert read_land_cover(raster, CSV).x0 == 500_000.0


# --- refusals: the class table ----------------------------------------------------------------


def test_refuses_a_class_table_with_a_duplicate_id(tmp_path: Path) -> None:
    message = table_refusal(tmp_path, "id,name,color,water\n0,grass,#00ff00,false\n0,wood,#008800,false\n")
    assert message == "class table T: each class needs its own id; more than one class has id 0"


def test_refuses_a_class_table_with_a_duplicate_name(tmp_path: Path) -> None:
    message = table_refusal(tmp_path, "id,name,color,water\n0,grass,#00ff00,false\n1,grass,#008800,false\n")
    assert message == "class table T: each class needs its own name; more than one class has name grass"


@pytest.mark.parametrize(("row", "problem"), [
    ("x,grass,#00ff00,false", "line 2: id 'x' is not a whole number"),
    ("300,grass,#00ff00,false", "line 2: id 300 must be from 0 to 255"),
    ("0,,#00ff00,false", "line 2: class 0 needs a name"),
    ("0,grass,green,false", "line 2: color 'green' must be written #rrggbb"),
    ("0,grass,#00ff00,maybe", "line 2: water must be true or false, not 'maybe'"),
])
def test_refuses_a_bad_row_of_a_csv_class_table_naming_its_line(tmp_path: Path, row: str, problem: str) -> None:
    assert table_refusal(tmp_path, f"id,name,color,water\n{row}\n") == f"class table T {problem}"


def test_refuses_a_csv_class_table_without_its_columns(tmp_path: Path) -> None:
    message = table_refusal(tmp_path, "id,label\n0,grass\n")
    assert message.endswith("the header needs the columns id, name, color (and water); name, color missing")


def test_refuses_an_empty_class_table(tmp_path: Path) -> None:
    assert table_refusal(tmp_path, "id,name,color,water\n") == "class table T lists no classes"


def test_refuses_a_toml_class_table_of_the_wrong_shape(tmp_path: Path) -> None:
    message = table_refusal(tmp_path, "[classes]\ngrass = 0\n", suffix=".toml")
    assert message == "class table T: give each class as a [[classes]] table with id, name, color, water"


def test_refuses_a_class_table_in_another_format(tmp_path: Path) -> None:
    assert table_refusal(tmp_path, "{}", suffix=".json") == "class table T: must be a .csv or a .toml file"
