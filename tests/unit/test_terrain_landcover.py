"""The Land of Fire's land cover: a deterministic map that keeps its promises about shelters, lake and roads."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from refuge.scenarios.land_of_fire import land_of_fire
from refuge.scenarios.model import Scenario
from refuge.terrain.landcover import CLASS_ID, LAND_OF_FIRE_CLASSES, land_of_fire_terrain, save_preview
from refuge.terrain.model import Terrain

END = datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc)
EIGHT_WAYS = np.ones((3, 3), dtype=bool)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return land_of_fire(END)


@pytest.fixture(scope="module")
def terrain(scenario: Scenario) -> Terrain:
    return land_of_fire_terrain(scenario.features, scenario.places, scenario.shelters)


def is_any(terrain: Terrain, *names: str) -> np.ndarray:
    return np.isin(terrain.classes, [CLASS_ID[name] for name in names])


def class_at(terrain: Terrain, point) -> str:  # type: ignore[no-untyped-def]
    return terrain.land_class(int(terrain.classes[terrain.cell_of(point.x, point.y)])).name


def village(scenario: Scenario):  # type: ignore[no-untyped-def]
    return next(place for place in scenario.places if place.is_base)


def island_shelter(scenario: Scenario):  # type: ignore[no-untyped-def]
    return next(shelter for shelter in scenario.shelters if shelter.code == scenario.features["island_shelter"])


# --- the class table --------------------------------------------------------------------------


def test_class_table_numbers_its_classes_from_zero_without_gaps() -> None:
    assert [land.id for land in LAND_OF_FIRE_CLASSES] == list(range(len(LAND_OF_FIRE_CLASSES)))


def test_class_table_has_unique_names_and_map_colours() -> None:
    assert len({land.name for land in LAND_OF_FIRE_CLASSES}) == len(LAND_OF_FIRE_CLASSES)
    assert len({land.color for land in LAND_OF_FIRE_CLASSES}) == len(LAND_OF_FIRE_CLASSES)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", land.color) for land in LAND_OF_FIRE_CLASSES)


def test_only_the_river_and_the_lake_are_water() -> None:
    assert {land.name for land in LAND_OF_FIRE_CLASSES if land.water} == {"river", "lake"}


# --- the drawing ------------------------------------------------------------------------------


def test_draws_900_rows_by_1200_columns_of_100_metre_cells_from_the_south_west_corner(terrain: Terrain) -> None:
    assert terrain.classes.shape == (900, 1200) and terrain.classes.dtype == np.uint8
    assert (terrain.x0, terrain.y0, terrain.cell_size) == (0.0, 0.0, 100.0)
    assert terrain.table == LAND_OF_FIRE_CLASSES


def test_draws_the_same_map_every_time(scenario: Scenario, terrain: Terrain) -> None:
    again = land_of_fire_terrain(scenario.features, scenario.places, scenario.shelters)
    assert np.array_equal(again.classes, terrain.classes)


def test_draws_the_same_map_from_the_features_as_the_database_gives_them_back(scenario: Scenario,
                                                                                 terrain: Terrain) -> None:
    from_json = json.loads(json.dumps(scenario.features))  # tuples come back as lists
    again = land_of_fire_terrain(from_json, scenario.places, scenario.shelters)
    assert np.array_equal(again.classes, terrain.classes)


def test_draws_at_a_coarser_cell_size_on_request(scenario: Scenario) -> None:
    coarse = land_of_fire_terrain(scenario.features, scenario.places, scenario.shelters, cell_size=200.0)
    assert coarse.classes.shape == (450, 600) and coarse.cell_size == 200.0


def test_uses_every_class_of_its_table(terrain: Terrain) -> None:
    counts = np.bincount(terrain.classes.ravel(), minlength=len(LAND_OF_FIRE_CLASSES))
    assert all(counts > 0), dict(zip([land.name for land in LAND_OF_FIRE_CLASSES], counts.tolist()))


def test_is_mostly_open_country_and_forest(terrain: Terrain) -> None:
    share = np.bincount(terrain.classes.ravel(), minlength=len(LAND_OF_FIRE_CLASSES)) / terrain.classes.size
    assert 0.4 < share[CLASS_ID["grassland"]] < 0.8
    assert 0.1 < share[CLASS_ID["forest"]] < 0.4
    assert share[CLASS_ID["cliff"]] < 0.01


# --- the promises about shelters, places, the lake and the roads -------------------------------


def test_puts_every_shelter_on_passable_land(scenario: Scenario, terrain: Terrain) -> None:
    on = {shelter.code: class_at(terrain, shelter) for shelter in scenario.shelters}
    assert not {code: name for code, name in on.items() if name in ("river", "lake", "cliff")}


def test_puts_the_island_shelter_on_the_island(scenario: Scenario, terrain: Terrain) -> None:
    assert class_at(terrain, island_shelter(scenario)) in ("grassland", "forest")


def test_surrounds_the_island_with_lake_water_so_no_land_path_leaves_it(scenario: Scenario,
                                                                          terrain: Terrain) -> None:
    land, _ = ndimage.label(~is_any(terrain, "river", "lake"), structure=EIGHT_WAYS)
    island = land == land[terrain.cell_of(island_shelter(scenario).x, island_shelter(scenario).y)]
    others = [point for point in [*scenario.shelters, *scenario.places] if point is not island_shelter(scenario)]
    assert not any(island[terrain.cell_of(point.x, point.y)] for point in others)
    shore = ndimage.binary_dilation(island, EIGHT_WAYS) & ~island
    assert np.all(terrain.classes[shore] == CLASS_ID["lake"])


def test_reaches_every_other_shelter_and_every_place_on_foot_from_the_village(scenario: Scenario,
                                                                               terrain: Terrain) -> None:
    passable, _ = ndimage.label(~is_any(terrain, "river", "lake", "cliff"))
    home = passable[terrain.cell_of(village(scenario).x, village(scenario).y)]
    points = [point for point in [*scenario.shelters, *scenario.places] if point is not island_shelter(scenario)]
    cut_off = [point.name for point in points if passable[terrain.cell_of(point.x, point.y)] != home]
    assert not cut_off


def test_links_the_village_to_every_town_along_roads_and_streets(scenario: Scenario, terrain: Terrain) -> None:
    network, _ = ndimage.label(is_any(terrain, "road", "settlement"))  # four-connected
    home = network[terrain.cell_of(village(scenario).x, village(scenario).y)]
    assert home > 0
    unlinked = [place.name for place in scenario.places if network[terrain.cell_of(place.x, place.y)] != home]
    assert not unlinked


def test_bridges_the_rivers_where_the_roads_cross_them(terrain: Terrain) -> None:
    river = terrain.classes == CLASS_ID["river"]
    road = terrain.classes == CLASS_ID["road"]
    between_banks = (np.roll(river, 1, axis=1) & np.roll(river, -1, axis=1)) | \
        (np.roll(river, 1, axis=0) & np.roll(river, -1, axis=0))
    _, count = ndimage.label(road & between_banks, structure=EIGHT_WAYS)
    assert count >= 4


def test_never_lays_a_road_on_the_lake(scenario: Scenario, terrain: Terrain) -> None:
    lake = land_of_fire_terrain({"lake": scenario.features["lake"]}, [], []).classes == CLASS_ID["lake"]
    assert not np.any(lake & (terrain.classes == CLASS_ID["road"]))


def test_cuts_a_pass_through_the_northern_range_at_the_snow_pass_hut(scenario: Scenario, terrain: Terrain) -> None:
    hut = next(shelter for shelter in scenario.shelters if shelter.name == "Snow Pass Hut")
    assert class_at(terrain, hut) == "pass"


def test_keeps_mountains_inside_the_large_ranges_only(scenario: Scenario, terrain: Terrain) -> None:
    hokage_rock = next(hill for hill in scenario.features["hills"] if hill["name"] == "Hokage Rock")
    alone = land_of_fire_terrain({"hills": [hokage_rock]}, [], [])
    assert not np.any(is_any(alone, "mountain", "cliff"))
    assert np.any(alone.classes == CLASS_ID["hills"])


def test_builds_settlements_on_both_banks_of_a_river_but_not_in_it(scenario: Scenario, terrain: Terrain) -> None:
    crossing = next(place for place in scenario.places if place.name == "Mikawa Crossing")
    row, col = terrain.cell_of(crossing.x, crossing.y)
    around = terrain.classes[row - 8:row + 9, col - 8:col + 9]
    assert np.any(around == CLASS_ID["settlement"]) and np.any(around == CLASS_ID["river"])
    assert class_at(terrain, crossing) in ("road", "settlement")


def test_saves_a_preview_in_the_class_colours(terrain: Terrain, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = save_preview(terrain, tmp_path / "land.png")
    pixels = np.array(Image.open(path))
    assert pixels.shape == (900, 1200, 3)
    row, col = np.argwhere(terrain.classes == CLASS_ID["lake"])[0]
    assert "#{:02x}{:02x}{:02x}".format(*pixels[row, col]) == terrain.land_class(CLASS_ID["lake"]).color
