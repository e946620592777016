"""The travel model as data: paces and chakra per land class, profiles, and the per-cell costs they give."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from refuge.domain.errors import InvalidInput
from refuge.terrain.landcover import CLASS_ID, LAND_OF_FIRE_CLASSES
from refuge.terrain.model import LandClass, Terrain
from refuge.terrain.rasters import read_class_table
from refuge.terrain.travel import (
    MoveCosts,
    default_travel_model,
    default_travel_model_text,
    load_travel_model,
    move_costs,
    parse_travel_model,
)

DATA = Path(__file__).parents[1] / "data" / "terrain"
TABLE = (LandClass(0, "road", "#8b5a2b"), LandClass(1, "marsh", "#86ae9c"), LandClass(2, "lake", "#2e6db4", water=True),
         LandClass(3, "cliff", "#4a3f36"))
SMALL = """
[classes.road]
walk_kmh = 5
run_kmh = 20
run_chakra_per_km = 2

[classes.marsh]
walk_kmh = 1.5

[classes.lake]
water_walk_kmh = 8
water_chakra_per_km = 6

[classes.cliff]
impassable = true

[profiles.walking]
can_run = false

[profiles.running]
can_run = true
"""


def small(**changes: str) -> str:
    """SMALL with whole lines replaced: small(**{"walk_kmh = 5": "walk_kmh = 0"})."""
    text = SMALL
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def refusal(text: str, table: tuple[LandClass, ...] = TABLE) -> str:
    with pytest.raises(InvalidInput) as error:
        parse_travel_model(text, table, "net.toml")
    return str(error.value)


@pytest.fixture(scope="module")
def strip() -> Terrain:
    """One row of the Land of Fire's classes: road, grassland, forest, mountain, marsh, river, lake, cliff."""
    names = ["road", "grassland", "forest", "mountain", "marsh", "river", "lake", "cliff"]
    return Terrain(np.array([[CLASS_ID[name] for name in names]], dtype=np.uint8), 0.0, 0.0, 100.0,
                   LAND_OF_FIRE_CLASSES)


def costs_of(strip: Terrain, profile: str) -> MoveCosts:
    return move_costs(strip, default_travel_model(), profile)


# --- the bundled model ------------------------------------------------------------------------


def test_bundled_model_covers_every_land_of_fire_class() -> None:
    model = default_travel_model()
    assert [travel.name for travel in model.classes] == [land.name for land in LAND_OF_FIRE_CLASSES]


def test_bundled_model_offers_walking_running_and_injured_profiles() -> None:
    assert default_travel_model().profile_names == ("walking", "running", "injured")


def test_bundled_model_reads_the_same_from_its_text_and_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "travel.toml"
    path.write_text(default_travel_model_text())
    from_file, from_text = load_travel_model(path), load_travel_model(default_travel_model_text())
    assert from_file.classes == from_text.classes == default_travel_model().classes
    assert from_file.source == str(path)


# --- move costs -------------------------------------------------------------------------------


def test_walking_a_road_at_5_kmh_takes_0_72_seconds_a_metre(strip: Terrain) -> None:
    assert costs_of(strip, "walking").walk_s_per_m[0, 0] == pytest.approx(0.72)


def test_walking_never_runs(strip: Terrain) -> None:
    costs = costs_of(strip, "walking")
    assert np.all(np.isinf(costs.run_s_per_m)) and np.all(np.isinf(costs.run_chakra_per_m))


def test_running_a_road_at_20_kmh_takes_0_18_seconds_and_2_chakra_a_km(strip: Terrain) -> None:
    costs = costs_of(strip, "running")
    assert costs.run_s_per_m[0, 0] == pytest.approx(0.18)
    assert costs.run_chakra_per_m[0, 0] == pytest.approx(0.002)


def test_running_is_slower_and_dearer_in_the_mountains_than_on_the_road(strip: Terrain) -> None:
    costs = costs_of(strip, "running")
    assert costs.run_s_per_m[0, 3] > costs.run_s_per_m[0, 2] > costs.run_s_per_m[0, 0]
    assert costs.run_chakra_per_m[0, 3] > costs.run_chakra_per_m[0, 0]


def test_nobody_runs_through_a_marsh_but_anyone_may_walk_it(strip: Terrain) -> None:
    costs = costs_of(strip, "running")
    assert math.isinf(costs.run_s_per_m[0, 4]) and math.isinf(costs.run_chakra_per_m[0, 4])
    assert costs.walk_s_per_m[0, 4] == pytest.approx(3.6 / 1.5)


def test_water_is_crossed_only_by_water_walking_at_a_cost_in_chakra(strip: Terrain) -> None:
    costs = costs_of(strip, "walking")
    water = slice(5, 7)
    assert np.all(np.isinf(costs.walk_s_per_m[0, water])) and np.all(np.isinf(costs.run_s_per_m[0, water]))
    assert costs.water_s_per_m[0, water] == pytest.approx([0.45, 0.45])
    assert costs.water_chakra_per_m[0, water] == pytest.approx([0.006, 0.006])


def test_water_walking_costs_are_infinite_on_land(strip: Terrain) -> None:
    costs = costs_of(strip, "running")
    assert np.all(np.isinf(costs.water_s_per_m[0, :5])) and np.all(np.isinf(costs.water_chakra_per_m[0, :5]))


def test_nobody_crosses_a_cliff(strip: Terrain) -> None:
    costs = costs_of(strip, "running")
    cliff = [getattr(costs, name)[0, 7] for name in
             ("walk_s_per_m", "run_s_per_m", "run_chakra_per_m", "water_s_per_m", "water_chakra_per_m")]
    assert all(math.isinf(value) for value in cliff)
    assert costs.passable.tolist() == [[True] * 7 + [False]]


def test_the_injured_walk_at_half_pace_and_never_run(strip: Terrain) -> None:
    injured, fit = costs_of(strip, "injured"), costs_of(strip, "walking")
    assert injured.walk_s_per_m[0, :5] == pytest.approx(2 * fit.walk_s_per_m[0, :5])
    assert np.all(np.isinf(injured.run_s_per_m))


def test_the_injured_water_walk_slower_and_at_a_higher_chakra_cost(strip: Terrain) -> None:
    injured, fit = costs_of(strip, "injured"), costs_of(strip, "walking")
    assert injured.water_s_per_m[0, 6] == pytest.approx(2 * fit.water_s_per_m[0, 6])
    assert injured.water_chakra_per_m[0, 6] > fit.water_chakra_per_m[0, 6]


def test_move_costs_are_read_only_float64_arrays_shaped_like_the_raster(strip: Terrain) -> None:
    costs = costs_of(strip, "running")
    for name in ("walk_s_per_m", "run_s_per_m", "run_chakra_per_m", "water_s_per_m", "water_chakra_per_m"):
        array = getattr(costs, name)
        assert array.shape == strip.classes.shape and array.dtype == np.float64 and not array.flags.writeable
    assert costs.cell_size == 100.0


def test_an_unknown_profile_is_refused_with_the_list_of_profiles(strip: Terrain) -> None:
    listed = "unknown travel profile 'sprinting'; the profiles are: walking, running, injured"
    with pytest.raises(InvalidInput, match=listed):
        costs_of(strip, "sprinting")


def test_move_costs_refuse_a_terrain_with_classes_the_model_does_not_know() -> None:
    other = Terrain(np.zeros((2, 2), dtype=np.uint8), 0.0, 0.0, 10.0, (LandClass(0, "tundra", "#ffffff"),))
    with pytest.raises(InvalidInput, match="no travel values for the land classes tundra"):
        move_costs(other, default_travel_model(), "walking")


def test_a_network_model_fits_its_own_class_table() -> None:
    table = read_class_table(DATA / "classes.csv")
    model = load_travel_model(DATA / "valley_travel.toml", table)
    assert model.profile_names == ("walking",) and model.for_class("river").water_walk_kmh == 8.0


# --- validation -------------------------------------------------------------------------------


def test_the_small_model_is_valid() -> None:
    model = parse_travel_model(SMALL, TABLE)
    assert model.for_class("marsh").run_kmh == 0.0 and model.for_class("cliff").impassable


def test_refuses_a_class_the_table_does_not_have() -> None:
    message = refusal(SMALL + "\n[classes.swamp]\nwalk_kmh = 1\n")
    assert message == "net.toml: unknown land classes swamp; the classes are: road, marsh, lake, cliff"


def test_refuses_a_model_missing_a_class_of_the_table() -> None:
    message = refusal(small(**{"[classes.cliff]\nimpassable = true": ""}))
    assert message == "net.toml: no travel values for the land classes cliff"


@pytest.mark.parametrize("value", ["0", "-5"])
def test_refuses_a_walking_pace_of_zero_or_less(value: str) -> None:
    message = refusal(small(**{"walk_kmh = 5": f"walk_kmh = {value}"}))
    assert message == f"net.toml: class 'road': walk_kmh must be a number greater than 0, not {value}"


def test_refuses_a_negative_running_pace() -> None:
    message = refusal(small(**{"run_kmh = 20": "run_kmh = -20"}))
    assert message == "net.toml: class 'road': run_kmh must be a number 0 or more, not -20"


def test_refuses_a_pace_that_is_not_a_number() -> None:
    message = refusal(small(**{"walk_kmh = 5": 'walk_kmh = "brisk"'}))
    assert message == "net.toml: class 'road': walk_kmh must be a number greater than 0, not 'brisk'"


def test_refuses_true_as_a_pace() -> None:
    assert "walk_kmh must be a number greater than 0, not True" in refusal(small(**{"walk_kmh = 5": "walk_kmh = true"}))


def test_refuses_running_without_its_chakra_cost() -> None:
    message = refusal(small(**{"run_chakra_per_km = 2": ""}))
    assert message == "net.toml: class 'road' needs run_chakra_per_km"


def test_refuses_a_land_class_without_a_walking_pace() -> None:
    assert refusal(small(**{"walk_kmh = 1.5": ""})) == "net.toml: class 'marsh' needs walk_kmh"


def test_refuses_a_water_class_without_water_walking_values() -> None:
    message = refusal(small(**{"water_walk_kmh = 8\nwater_chakra_per_km = 6": "water_walk_kmh = 8"}))
    assert message == "net.toml: class 'lake' needs water_chakra_per_km"


def test_refuses_a_walking_pace_on_water() -> None:
    message = refusal(small(**{"water_walk_kmh = 8": "water_walk_kmh = 8\nwalk_kmh = 4"}))
    assert message == "net.toml: class 'lake' is water: it is crossed only by water-walking, so it takes no walk_kmh"


def test_refuses_water_walking_values_on_land() -> None:
    message = refusal(small(**{"walk_kmh = 1.5": "walk_kmh = 1.5\nwater_walk_kmh = 3"}))
    assert message == "net.toml: class 'marsh' is not water, so it takes no water_walk_kmh"


def test_refuses_paces_on_an_impassable_class() -> None:
    message = refusal(small(**{"impassable = true": "impassable = true\nwalk_kmh = 1"}))
    assert message == "net.toml: class 'cliff' is impassable and so takes no paces or chakra"


def test_refuses_an_unknown_field_so_that_a_typo_is_not_silently_ignored() -> None:
    message = refusal(small(**{"walk_kmh = 5": "walk_kmh = 5\nwalk_kph = 5"}))
    assert message.startswith("net.toml: class 'road': unknown field walk_kph (known: ")


def test_refuses_a_profile_with_a_speed_factor_of_zero() -> None:
    message = refusal(small(**{"[profiles.walking]": "[profiles.walking]\nspeed_factor = 0"}))
    assert message == "net.toml: profile 'walking': speed_factor must be a number greater than 0, not 0"


def test_refuses_a_profile_whose_can_run_is_not_true_or_false() -> None:
    message = refusal(small(**{"can_run = true": 'can_run = "yes"'}))
    assert message == "net.toml: profile 'running': can_run must be true or false, not 'yes'"


def test_refuses_a_model_without_profiles() -> None:
    message = refusal(SMALL.split("[profiles.walking]")[0])
    assert message == "net.toml needs a [profiles.NAME] table for each of its profiles"


def test_refuses_an_unknown_section() -> None:
    assert refusal(SMALL + "\n[speeds]\nroad = 5\n").startswith("net.toml: unknown section speeds")


def test_refuses_text_that_is_not_toml() -> None:
    assert refusal("[classes.road\nwalk_kmh = 5").startswith("net.toml is not valid TOML: ")


def test_names_the_file_it_could_not_read(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"cannot read the travel model .*missing\.toml: No such file"):
        load_travel_model(tmp_path / "missing.toml")


def test_names_the_file_when_a_loaded_model_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "net.toml"
    path.write_text(small(**{"walk_kmh = 5": "walk_kmh = -1"}))
    with pytest.raises(InvalidInput, match=rf"^{path}: class 'road': walk_kmh must be"):
        load_travel_model(path, TABLE)
