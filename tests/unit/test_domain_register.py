"""The register's own rules: shelters, items, par levels, people and defences refuse what cannot be."""

from datetime import date
from decimal import Decimal

import pytest

from refuge.domain import defences
from refuge.domain.defences import Defence, DefenceKind, parse_result
from refuge.domain.errors import InvalidInput
from refuge.domain.network import Category, Condition, Item, ParLevel, Shelter, ShelterStatus, parse_choice
from refuge.domain.people import Person, PersonCondition, Rank, handle_for


def shelter(**changes):
    fields = {"code": "lf-017", "name": "Hollow Cedar", "x": 1200.0, "y": 340}
    return Shelter(**{**fields, **changes})


def item(**changes):
    fields = {"sku": "rice-1kg", "name": "Rice", "category": "food", "unit": "bag", "unit_weight_kg": "1.0"}
    return Item(**{**fields, **changes})


def person(**changes):
    fields = {"handle": "kakashi", "name": "Kakashi Hatake", "rank": "jonin"}
    return Person(**{**fields, **changes})


def defence(**changes):
    fields = {
        "shelter": "LF-017",
        "code": "w-1",
        "kind": "ward",
        "name": "Entrance ward",
        "test_interval_days": 30,
        "installed_on": date(2026, 1, 1),
    }
    return Defence(**{**fields, **changes})


# --- shelters ---------------------------------------------------------------------------------


def test_a_shelter_code_is_normalised_and_defaults_are_an_active_good_two_bed_shelter():
    made = shelter()
    assert (made.code, made.beds, made.condition, made.status, made.clearance) == (
        "LF-017",
        2,
        Condition.GOOD,
        ShelterStatus.ACTIVE,
        1,
    )


def test_a_shelter_status_given_as_text_in_any_case_becomes_the_enum_member():
    assert shelter(status=" Compromised ").status is ShelterStatus.COMPROMISED


def test_a_bad_shelter_status_is_refused_listing_the_allowed_values():
    with pytest.raises(InvalidInput) as refused:
        shelter(status="burnt")
    assert str(refused.value) == "shelter LF-017: status 'burnt' is not one of: active, closed, compromised"


def test_a_bad_shelter_condition_is_refused_listing_the_allowed_values():
    with pytest.raises(InvalidInput, match="condition 'ruined' is not one of: good, fair, poor"):
        shelter(condition="ruined")


def test_a_shelter_with_an_invalid_code_is_refused():
    with pytest.raises(InvalidInput, match="shelter code 'LF 017' is not valid"):
        shelter(code="LF 017")


def test_a_shelter_without_a_name_is_refused():
    with pytest.raises(InvalidInput, match="shelter LF-017 needs a name"):
        shelter(name="   ")


@pytest.mark.parametrize("beds", [-1, 1.5, True, "2"])
def test_a_shelter_with_beds_that_are_not_a_whole_number_of_zero_or_more_is_refused(beds):
    with pytest.raises(InvalidInput, match=f"shelter LF-017: beds must be a whole number, 0 or more, not {beds!r}"):
        shelter(beds=beds)


def test_a_shelter_with_no_beds_is_allowed():
    assert shelter(beds=0).beds == 0


@pytest.mark.parametrize("clearance", [0, 6, -1, 2.0, True, "3"])
def test_a_shelter_with_a_clearance_outside_one_to_five_is_refused(clearance):
    with pytest.raises(InvalidInput, match="shelter LF-017: clearance must be a whole number from 1 to 5"):
        shelter(clearance=clearance)


@pytest.mark.parametrize("clearance", [1, 5])
def test_clearances_one_and_five_are_the_bounds_allowed(clearance):
    assert shelter(clearance=clearance).clearance == clearance


@pytest.mark.parametrize(("axis", "value"), [("x", float("nan")), ("y", "north"), ("x", None), ("y", False)])
def test_a_shelter_position_that_is_not_a_number_of_metres_is_refused(axis, value):
    with pytest.raises(InvalidInput, match=f"shelter LF-017: {axis} must be a number of metres"):
        shelter(**{axis: value})


# --- items ------------------------------------------------------------------------------------


def test_an_item_normalises_its_sku_category_and_weight():
    made = item(category="First-Aid", unit_weight_kg=0.25)
    assert (made.sku, made.category, made.unit_weight_kg) == ("RICE-1KG", Category.FIRST_AID, Decimal("0.25"))


def test_an_unknown_category_is_refused_with_a_message_listing_all_seven_categories():
    with pytest.raises(InvalidInput) as refused:
        item(category="snacks")
    assert str(refused.value) == (
        "item RICE-1KG: category 'snacks' is not one of: "
        "food, first-aid, weapons, seals, clothing, tools, comforts"
    )


@pytest.mark.parametrize("weight", [-0.1, "nan", "heavy", True])
def test_an_item_weight_that_is_negative_or_not_a_number_is_refused(weight):
    with pytest.raises(InvalidInput, match="item RICE-1KG: unit weight must be 0 kg or more"):
        item(unit_weight_kg=weight)


def test_an_item_may_weigh_nothing():
    assert item(unit_weight_kg=0).unit_weight_kg == Decimal(0)


@pytest.mark.parametrize("days", [0, -5, 1.5, True])
def test_an_item_shelf_life_that_is_not_a_positive_whole_number_of_days_is_refused(days):
    with pytest.raises(InvalidInput, match="item RICE-1KG: shelf life must be a positive number of days or none"):
        item(shelf_life_days=days)


def test_an_item_may_have_no_shelf_life_or_a_positive_one():
    assert (item().shelf_life_days, item(shelf_life_days=365).shelf_life_days) == (None, 365)


def test_an_item_with_an_invalid_sku_is_refused_naming_the_sku_field():
    with pytest.raises(InvalidInput, match="^sku 'rice 1kg' is not valid"):
        item(sku="rice 1kg")


# --- par levels -------------------------------------------------------------------------------


def par(min_, target, capacity):
    return ParLevel("LF-017", "RICE-1KG", Decimal(min_), Decimal(target), Decimal(capacity))


def test_a_par_level_with_min_target_and_capacity_in_order_is_accepted():
    made = par("2", "5", "8")
    assert (made.min, made.target, made.capacity) == (Decimal(2), Decimal(5), Decimal(8))


def test_a_par_level_may_have_min_equal_to_target_equal_to_capacity():
    assert par("4", "4", "4").target == Decimal(4)


def test_a_par_level_with_min_above_target_is_refused_showing_the_three_values():
    with pytest.raises(InvalidInput) as refused:
        par("6", "5", "8")
    assert str(refused.value) == (
        "par level for RICE-1KG at LF-017 must satisfy 0 <= min <= target <= capacity "
        "and capacity > 0 (got 6/5/8)"
    )


@pytest.mark.parametrize(("min_", "target", "capacity"), [("1", "9", "8"), ("-1", "2", "3"), ("0", "0", "0")])
def test_a_par_level_out_of_order_negative_or_without_capacity_is_refused(min_, target, capacity):
    with pytest.raises(InvalidInput, match="must satisfy 0 <= min <= target <= capacity"):
        par(min_, target, capacity)


# --- people -----------------------------------------------------------------------------------


def test_a_person_normalises_rank_condition_and_skills():
    made = person(rank="Special-Jonin", condition="TIRED", skills=(" Medical ", "sealing", "medical"))
    assert (made.rank, made.condition, made.skills) == (
        Rank.SPECIAL_JONIN,
        PersonCondition.TIRED,
        ("medical", "sealing"),
    )


@pytest.mark.parametrize("handle", ["Kakashi", "9tails", "kakashi hatake", "", "-kakashi"])
def test_a_person_handle_that_is_not_lower_case_letters_digits_and_hyphens_is_refused(handle):
    with pytest.raises(InvalidInput, match="must be lower-case letters, digits and hyphens"):
        person(handle=handle)


def test_an_unknown_rank_is_refused_listing_the_ranks():
    with pytest.raises(InvalidInput) as refused:
        person(rank="sannin")
    assert str(refused.value) == (
        "person kakashi: rank 'sannin' is not one of: civilian, genin, chunin, special-jonin, jonin, anbu, kage"
    )


def test_an_unknown_person_condition_is_refused_listing_the_conditions():
    expected = "person kakashi: condition 'asleep' is not one of: fit, tired, injured, critical, chakra-low"
    with pytest.raises(InvalidInput, match=f"^{expected}$"):
        person(condition="asleep")


@pytest.mark.parametrize("clearance", [0, 6])
def test_a_person_clearance_outside_one_to_five_is_refused(clearance):
    expected = f"person kakashi: clearance must be a whole number from 1 to 5, not {clearance}"
    with pytest.raises(InvalidInput, match=f"^{expected}$"):
        person(clearance=clearance)


def test_a_negative_maximum_chakra_is_refused():
    with pytest.raises(InvalidInput, match="person kakashi: maximum chakra must be 0 or more"):
        person(max_chakra=-1)


def test_people_differing_only_in_notes_are_equal():
    assert person(notes="prefers the night shift") == person(notes="")


@pytest.mark.parametrize(
    ("name", "handle"), [("Kakashi Hatake", "kakashi"), ("  Might Guy ", "might"), ("O'Hara Ren", "ohara"), ("  ", "")]
)
def test_a_handle_is_the_first_word_of_the_name_in_lower_case(name, handle):
    assert handle_for(name) == handle


# --- defences ---------------------------------------------------------------------------------


def test_a_defence_code_is_upper_cased_and_its_kind_parsed():
    made = defence(kind="Trap", code=" t-2 ")
    assert (made.code, made.kind) == ("T-2", DefenceKind.TRAP)


def test_an_unknown_defence_kind_is_refused_listing_the_kinds():
    with pytest.raises(InvalidInput, match="kind 'moat' is not one of: barrier, ward, trap, alarm"):
        defence(kind="moat")


@pytest.mark.parametrize("days", [0, -7])
def test_a_defence_test_interval_must_be_positive(days):
    with pytest.raises(InvalidInput, match="defence W-1: test interval must be a positive number of days"):
        defence(test_interval_days=days)


@pytest.mark.parametrize("days", [0, -1])
def test_a_defence_charge_life_must_be_positive_or_none(days):
    with pytest.raises(InvalidInput, match="defence W-1: charge life must be a positive number of days or none"):
        defence(charge_life_days=days)


def test_a_test_result_is_parsed_from_text():
    assert (parse_result(" PASS "), parse_result("fail")) == (defences.TestResult.PASS, defences.TestResult.FAIL)


def test_an_unknown_test_result_is_refused_listing_pass_and_fail():
    with pytest.raises(InvalidInput, match="test result 'maybe' is not one of: pass, fail"):
        parse_result("maybe")


def test_parse_choice_accepts_an_enum_member_itself():
    assert parse_choice(ShelterStatus, ShelterStatus.CLOSED, "status") is ShelterStatus.CLOSED
