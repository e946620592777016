"""Readiness rules, one by one, and what a defence's test log says of it on a given day."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from refuge.domain import defences
from refuge.domain.defences import Defence, DefenceStatus, DefenceTest, state_of
from refuge.domain.network import ShelterStatus
from refuge.domain.readiness import (
    ExpiredLot,
    Level,
    Readiness,
    ReadinessPolicy,
    Reason,
    ShelterFacts,
    Shortfall,
    assess,
)

D = Decimal
UTC = timezone.utc
PASS, FAIL = defences.TestResult.PASS, defences.TestResult.FAIL
TODAY = date(2026, 6, 1)
RECENT_VISIT = datetime(2026, 5, 20, 10, 0, tzinfo=UTC)


def ward(code="W-1", name="Entrance ward", interval=30, charge=None, kind="ward"):
    return Defence("LF-017", code, kind, name, interval, date(2026, 1, 1), charge_life_days=charge)


def logged(on, result=PASS, hour=12, defence="W-1"):
    return DefenceTest("LF-017", defence, datetime(on.year, on.month, on.day, hour, tzinfo=UTC), result)


def armed(code="W-1", name="Entrance ward"):
    return state_of(ward(code, name), [logged(TODAY - timedelta(days=1), defence=code)], TODAY)


def facts(**changes):
    fields = {"code": "LF-017", "status": ShelterStatus.ACTIVE, "defences": [armed()], "last_visit": RECENT_VISIT}
    return ShelterFacts(**{**fields, **changes})


def rules(readiness):
    return [reason.rule for reason in readiness.reasons]


# --- green ------------------------------------------------------------------------------------


def test_a_shelter_with_clean_facts_is_green_with_no_reasons():
    assert assess(facts(), TODAY) == Readiness("LF-017", Level.GREEN, (), RECENT_VISIT)


def test_a_shelter_without_defences_is_not_marked_down_for_them():
    readiness = assess(facts(defences=[]), TODAY)
    assert (readiness.level, readiness.reasons) == (Level.GREEN, ())


# --- red --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ShelterStatus.CLOSED, ShelterStatus.COMPROMISED])
def test_a_closed_or_compromised_shelter_is_red(status):
    readiness = assess(facts(status=status), TODAY)
    assert readiness.level is Level.RED
    assert readiness.reasons == (Reason(Level.RED, f"status-{status.value}", f"shelter is {status.value}"),)


def test_an_empty_category_is_red_and_each_is_named_in_order():
    readiness = assess(facts(empty_categories=["seals", "first-aid"]), TODAY)
    assert readiness.level is Level.RED
    assert readiness.reasons == (
        Reason(Level.RED, "category-empty", "no usable first-aid left"),
        Reason(Level.RED, "category-empty", "no usable seals left"),
    )


def test_a_shelter_whose_defences_are_all_not_armed_is_red():
    down = [
        state_of(ward("W-1"), [logged(date(2026, 5, 30), FAIL)], TODAY),
        state_of(ward("T-1", "Tripwire", kind="trap"), [], TODAY),
    ]
    readiness = assess(facts(defences=down), TODAY)
    assert readiness.level is Level.RED
    assert readiness.reasons[0] == Reason(Level.RED, "defences-down", "no defence is armed")


def test_one_armed_defence_among_faulty_ones_keeps_the_shelter_out_of_red():
    faulty = state_of(ward("W-2", "Back ward"), [logged(date(2026, 5, 30), FAIL, defence="W-2")], TODAY)
    readiness = assess(facts(defences=[armed(), faulty]), TODAY)
    assert readiness.level is Level.AMBER
    assert rules(readiness) == ["defence-not-armed"]


# --- amber ------------------------------------------------------------------------------------


def test_items_below_their_minimum_are_amber_listed_by_sku_with_usable_over_minimum():
    shortfalls = [Shortfall("RICE-1KG", D("1.5"), D(4)), Shortfall("BANDAGE", D(0), D(10))]
    readiness = assess(facts(shortfalls=shortfalls), TODAY)
    assert readiness.level is Level.AMBER
    assert readiness.reasons == (
        Reason(Level.AMBER, "below-min", "2 item(s) below minimum: BANDAGE (0/10), RICE-1KG (1.5/4)"),
    )


def test_expired_lots_on_the_shelf_are_amber_listed_by_expiry_then_sku():
    expired = [
        ExpiredLot("RICE-1KG", date(2026, 5, 1), D(2)),
        ExpiredLot("BANDAGE", date(2026, 5, 1), D(1)),
        ExpiredLot("PILLS", date(2026, 4, 1), D(3)),
    ]
    readiness = assess(facts(expired_lots=expired), TODAY)
    assert readiness.level is Level.AMBER
    assert readiness.reasons == (
        Reason(
            Level.AMBER,
            "expired-lots",
            "3 expired lot(s) on the shelf: PILLS (expired 2026-04-01), BANDAGE (expired 2026-05-01), "
            "RICE-1KG (expired 2026-05-01)",
        ),
    )


def test_a_defence_overdue_for_its_test_is_amber_with_the_due_date():
    overdue = state_of(ward(interval=10), [logged(date(2026, 5, 20))], TODAY)
    readiness = assess(facts(defences=[overdue]), TODAY)
    assert readiness.level is Level.AMBER
    assert readiness.reasons == (
        Reason(Level.AMBER, "defence-overdue", "ward W-1 (Entrance ward) was due for a test on 2026-05-30"),
    )


@pytest.mark.parametrize(
    ("tests", "charge", "status"),
    [
        ([logged(date(2026, 5, 30), FAIL)], None, "faulty"),
        ([logged(date(2026, 5, 20))], 5, "spent"),
        ([], None, "untested"),
    ],
)
def test_a_faulty_spent_or_untested_defence_is_amber_by_name(tests, charge, status):
    # Installed recently so an untested defence is not also overdue.
    defence = Defence("LF-017", "W-2", "ward", "Back ward", 30, date(2026, 5, 15), charge_life_days=charge)
    state = state_of(defence, [DefenceTest("LF-017", "W-2", t.tested_at, t.result) for t in tests], TODAY)
    readiness = assess(facts(defences=[armed(), state]), TODAY)
    assert readiness.level is Level.AMBER
    assert readiness.reasons == (Reason(Level.AMBER, "defence-not-armed", f"ward W-2 (Back ward) is {status}"),)


def test_defence_reasons_are_listed_by_defence_code():
    broken = [state_of(ward(code), [], TODAY) for code in ("W-3", "A-1", "T-2")]
    readiness = assess(facts(defences=[armed("Z-9"), *broken]), TODAY)
    not_armed = [reason.message.split(" ")[1] for reason in readiness.reasons if reason.rule == "defence-not-armed"]
    assert not_armed == ["A-1", "T-2", "W-3"]


def test_a_shelter_never_visited_is_amber():
    readiness = assess(facts(last_visit=None), TODAY)
    assert (readiness.level, readiness.reasons) == (
        Level.AMBER,
        (Reason(Level.AMBER, "no-visit", "no maintenance visit on record"),),
    )


def test_no_visit_for_more_than_visit_days_is_amber():
    last = datetime(2026, 5, 1, 23, 0, tzinfo=UTC)
    readiness = assess(facts(last_visit=last), TODAY, ReadinessPolicy(visit_days=30))
    assert readiness.level is Level.AMBER
    assert readiness.reasons == (Reason(Level.AMBER, "no-visit", "no visit for 31 days (last 2026-05-01)"),)


def test_a_visit_exactly_visit_days_ago_is_still_fine():
    last = datetime(2026, 5, 2, 0, 0, tzinfo=UTC)
    readiness = assess(facts(last_visit=last), TODAY, ReadinessPolicy(visit_days=30))
    assert (readiness.level, readiness.reasons) == (Level.GREEN, ())


def test_the_default_policy_allows_one_hundred_and_twenty_days_without_a_visit():
    on_the_day = assess(facts(last_visit=datetime(2026, 2, 1, tzinfo=UTC)), TODAY)
    a_day_later = assess(facts(last_visit=datetime(2026, 1, 31, tzinfo=UTC)), TODAY)
    assert (on_the_day.level, a_day_later.level) == (Level.GREEN, Level.AMBER)


# --- ordering and listing ---------------------------------------------------------------------


def test_reasons_are_sorted_red_first_and_the_level_is_the_worst_of_them():
    readiness = assess(
        facts(
            status=ShelterStatus.CLOSED,
            shortfalls=[Shortfall("RICE-1KG", D(1), D(2))],
            empty_categories=["food"],
            last_visit=None,
        ),
        TODAY,
    )
    assert readiness.level is Level.RED
    assert [(reason.level, reason.rule) for reason in readiness.reasons] == [
        (Level.RED, "status-closed"),
        (Level.RED, "category-empty"),
        (Level.AMBER, "below-min"),
        (Level.AMBER, "no-visit"),
    ]


def test_a_red_found_after_ambers_still_comes_first():
    down = state_of(ward(), [logged(date(2026, 5, 30), FAIL)], TODAY)
    readiness = assess(facts(shortfalls=[Shortfall("RICE-1KG", D(1), D(2))], defences=[down]), TODAY)
    assert rules(readiness) == ["defences-down", "below-min", "defence-not-armed"]


def test_a_long_list_stops_at_the_list_limit_and_says_how_many_more():
    shortfalls = [Shortfall(f"ITEM-{n}", D(0), D(1)) for n in range(1, 8)]
    readiness = assess(facts(shortfalls=shortfalls), TODAY, ReadinessPolicy(list_limit=3))
    assert readiness.reasons[0].message == (
        "7 item(s) below minimum: ITEM-1 (0/1), ITEM-2 (0/1), ITEM-3 (0/1) and 4 more"
    )


def test_a_list_as_long_as_the_limit_has_no_and_more():
    expired = [ExpiredLot(f"ITEM-{n}", date(2026, 5, n), D(1)) for n in range(1, 6)]
    message = assess(facts(expired_lots=expired), TODAY).reasons[0].message
    assert message.endswith("ITEM-5 (expired 2026-05-05)")
    assert "more" not in message


# --- defences.state_of ------------------------------------------------------------------------


def test_a_defence_never_tested_is_untested_and_due_an_interval_after_installation():
    state = state_of(ward(interval=30), [], date(2026, 1, 15))
    assert (state.status, state.last_tested, state.next_test_due, state.overdue, state.charge_ends) == (
        DefenceStatus.UNTESTED,
        None,
        date(2026, 1, 31),
        False,
        None,
    )


def test_a_passing_test_arms_a_defence_and_sets_the_next_due_date():
    test = logged(date(2026, 5, 10))
    state = state_of(ward(interval=30), [test], TODAY)
    assert (state.status, state.last_tested, state.next_test_due, state.overdue) == (
        DefenceStatus.ARMED,
        test.tested_at,
        date(2026, 6, 9),
        False,
    )


def test_a_charged_defence_is_armed_through_the_last_day_of_its_charge_and_spent_after():
    log = [logged(date(2026, 5, 1))]
    last_day = state_of(ward(charge=10), log, date(2026, 5, 11))
    day_after = state_of(ward(charge=10), log, date(2026, 5, 12))
    assert (last_day.status, last_day.charge_ends) == (DefenceStatus.ARMED, date(2026, 5, 11))
    assert (day_after.status, day_after.charge_ends) == (DefenceStatus.SPENT, date(2026, 5, 11))


def test_a_failing_test_leaves_a_defence_faulty_even_after_an_earlier_pass():
    state = state_of(ward(charge=10), [logged(date(2026, 5, 1)), logged(date(2026, 5, 3), FAIL)], date(2026, 5, 4))
    assert (state.status, state.charge_ends) == (DefenceStatus.FAULTY, None)


def test_a_pass_after_a_failure_rearms_the_defence():
    log = [logged(date(2026, 5, 3)), logged(date(2026, 5, 1), FAIL)]
    assert state_of(ward(), log, date(2026, 5, 4)).status is DefenceStatus.ARMED


def test_the_later_test_of_the_same_day_decides():
    log = [logged(date(2026, 5, 3), PASS, hour=18), logged(date(2026, 5, 3), FAIL, hour=9)]
    assert state_of(ward(), log, date(2026, 5, 3)).status is DefenceStatus.ARMED


def test_tests_after_the_day_asked_about_are_ignored():
    log = [logged(date(2026, 5, 1), FAIL), logged(date(2026, 5, 2))]
    state = state_of(ward(), log, date(2026, 5, 1))
    assert (state.status, state.last_tested) == (DefenceStatus.FAULTY, log[0].tested_at)
    assert state_of(ward(), [logged(date(2026, 5, 2))], date(2026, 5, 1)).status is DefenceStatus.UNTESTED


def test_a_test_late_on_the_day_asked_about_counts():
    state = state_of(ward(), [logged(date(2026, 5, 1), hour=23)], date(2026, 5, 1))
    assert state.status is DefenceStatus.ARMED


def test_a_test_is_overdue_from_the_day_after_it_is_due_not_on_the_day():
    log = [logged(date(2026, 5, 1))]
    on_due_day = state_of(ward(interval=7), log, date(2026, 5, 8))
    day_after = state_of(ward(interval=7), log, date(2026, 5, 9))
    assert (on_due_day.next_test_due, on_due_day.overdue) == (date(2026, 5, 8), False)
    assert (day_after.next_test_due, day_after.overdue) == (date(2026, 5, 8), True)


def test_an_untested_defence_becomes_overdue_the_day_after_installation_plus_interval():
    assert state_of(ward(interval=30), [], date(2026, 1, 31)).overdue is False
    assert state_of(ward(interval=30), [], date(2026, 2, 1)).overdue is True
