"""Reading check-in messages: the last call closes a mission; nothing ambiguous ever does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refuge.domain.checkins import CheckinStatus
from refuge.domain.messages import read_message

CLOSING = [
    "He's here and safe. End mission.",
    "He\u2019s here and safe. End mission.",
    "he is here and safe. end mission",
    "She's back and safe! End the mission.",
    "We're home and safe. Mission complete. Over and out.",
    "Kiba is safe. Close the mission.",
    "All safe. Mission accomplished.",
    "Everyone is safe and sound. End mission now.",
]
NEAR_MISSES = [
    "He's not safe. End mission.",
    "He's here and not safe. End mission.",
    "He is here, safe? End mission.",
    "He's here and safe. End mission?",
    "Is he safe? End mission.",
    "If he's safe, end mission.",
    "When he's safe, end mission.",
    "Once he's here and safe, end mission.",
    "Kiba said he's here and safe. End mission.",
    "Shino reports he's safe. End mission.",
    "I think he's safe. End mission.",
    "He's probably safe. End mission.",
    "He's here and safe. Can't end mission.",
    "He's here and safe. Don't end mission.",
    "He's here and safe. Do not end mission yet.",
    "He's here and safe. End mission later.",
    "He's here and safe but wounded. End mission.",
    "He's here and safe. We need a medic. End mission.",
    "He's here and unsafe. End mission.",
    "End mission.",
    "He's here and safe.",
    "He's here. End mission.",
    "He might be safe. End mission.",
    "He isn't safe. End mission.",
    "He's safe, isn't he? End mission.",
    "",
]


@pytest.mark.parametrize("text", CLOSING)
def test_a_plain_last_call_confirms_safe_and_ends_the_mission(text: str) -> None:
    reading = read_message(text)
    assert reading.ends_mission and reading.status is CheckinStatus.SAFE


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_near_miss_never_ends_the_mission(text: str) -> None:
    assert not read_message(text).ends_mission


def test_a_near_miss_says_why_it_did_not_close() -> None:
    assert any("said" in doubt for doubt in read_message("Kiba said he's safe. End mission.").doubts)


@pytest.mark.parametrize(("text", "status"), [
    ("We need help at the river.", CheckinStatus.NEEDS_HELP),
    ("Ambushed on the road, send backup!", CheckinStatus.NEEDS_HELP),
    ("Lee is wounded.", CheckinStatus.WOUNDED),
    ("All safe.", CheckinStatus.SAFE),
    ("Not safe.", CheckinStatus.UNKNOWN),
    ("No help needed.", CheckinStatus.UNKNOWN),
    ("Nobody is hurt.", CheckinStatus.UNKNOWN),
    ("Reached the crossing.", CheckinStatus.UNKNOWN),
])
def test_a_message_is_read_for_the_state_it_states_plainly(text: str, status: CheckinStatus) -> None:
    assert read_message(text).status is status


HEDGES = ["not", "never", "if", "unless", "maybe", "perhaps", "probably", "might", "should", "would",
          "kiba said", "they say", "i think", "apparently", "can't", "don't", "won't", "when", "once"]
SAFE_SENTENCES = ["he's here and safe", "she is safe", "we are back and safe", "all safe"]
END_SENTENCES = ["end mission", "end the mission", "mission complete", "close the mission"]
marks = st.sampled_from([".", "!", ". ", "! ", "\n"])


@given(st.sampled_from(SAFE_SENTENCES), st.sampled_from(END_SENTENCES), st.sampled_from(HEDGES),
       st.booleans(), marks, st.booleans())
def test_a_hedge_anywhere_in_a_last_call_stops_it_closing(safe: str, end: str, hedge: str, in_safe: bool,
                                                          mark: str, upper: bool) -> None:
    if in_safe:
        safe = f"{hedge} {safe}"
    else:
        end = f"{hedge} {end}"
    text = f"{safe}{mark} {end}."
    assert not read_message(text.upper() if upper else text).ends_mission


@given(st.sampled_from(SAFE_SENTENCES), st.sampled_from(END_SENTENCES), marks, st.booleans())
def test_a_question_mark_anywhere_stops_a_last_call_closing(safe: str, end: str, mark: str, first: bool) -> None:
    text = f"{safe}?{mark} {end}." if first else f"{safe}{mark} {end}?"
    assert not read_message(text).ends_mission


@given(st.sampled_from(SAFE_SENTENCES), st.sampled_from(END_SENTENCES), marks, st.booleans(), st.booleans())
def test_every_plain_combination_closes_whatever_the_case_and_order(safe: str, end: str, mark: str, upper: bool,
                                                                    end_first: bool) -> None:
    text = f"{end}{mark} {safe}." if end_first else f"{safe}{mark} {end}."
    assert read_message(text.upper() if upper else text).ends_mission


@given(st.text(max_size=60))
def test_any_text_without_a_plain_end_call_never_closes(text: str) -> None:
    reading = read_message(text)
    if reading.ends_mission:
        lowered = text.lower()
        assert ("mission" in lowered) and ("safe" in lowered) and "?" not in text
