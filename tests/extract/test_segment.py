"""Segmentation helpers whose fast paths must agree with their plain definitions."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cityevents.extract.segment import OTHER_DIGIT_LEADS, _lines_that_may_hold_a_date, _may_hold_date, split_lines

# Digits alone and in runs, other scripts' digits (Arabic-Indic, Devanagari, mathematical), a superscript,
# bullets, dashes, letters, line and paragraph breaks, a lone surrogate.
PIECES = ["1", "12", "123", "2024", "0", "\u0663", "\u06634", "\u0969", "\u00b2", "\U0001d7d9", "•", "–", "é", "May",
          " ", "\n", "\n\n", ".", "-", "\t", "\u2028", "\ud800"]


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_byte_shape_test_agrees_with_the_line_by_line_one(text: str) -> None:
    lines = split_lines(text)
    assert _lines_that_may_hold_a_date(text, lines) == [_may_hold_date(line.raw) for line in lines]


def test_lines_with_a_day_number_may_hold_a_date_and_others_not() -> None:
    text = (
        "Smart City Expo 2024\n• Lyon (France), 3 May 2024\nnearly 20.000 visitors\n"
        "\u0663 \u0645\u0627\u064a\u0648"  # "3 May" in Arabic-Indic digits and Arabic
    )
    assert _lines_that_may_hold_a_date(text, split_lines(text)) == [False, True, True, True]


def test_other_digit_leads_are_the_first_bytes_of_every_digit_outside_ascii() -> None:
    digits = (chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code < 0xE000)
    assert {char.encode()[0] for char in digits if char.isdecimal()} == OTHER_DIGIT_LEADS
