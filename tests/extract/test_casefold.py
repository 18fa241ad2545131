"""Lower-case twins of case-insensitive patterns, and the texts on which they agree."""

import re

from hypothesis import given
from hypothesis import strategies as st

from cityevents.extract.casefold import CASE_FOLD_SPECIALS, lowercase_twin, lowers_plainly

STATUS = re.compile(r"\b(?:cancell?ed|postponed|moved online)\b", re.IGNORECASE)
STATUS_LOWER = lowercase_twin(STATUS)


def test_case_fold_specials_are_every_character_that_folds_to_ascii() -> None:
    any_ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    folding = {
        char
        for char in map(chr, range(0x80, 0x110000))
        if any_ascii_letter.fullmatch(char) or any(c.isascii() and c.isalpha() for c in char.lower())
    }
    assert folding == set(CASE_FOLD_SPECIALS)


def test_texts_holding_a_special_do_not_lower_plainly() -> None:
    assert lowers_plainly("CANCELLED • Łódź") and lowers_plainly("plain ascii")
    assert not lowers_plainly("POſTPONED") and not lowers_plainly("İzmir")


@given(st.lists(st.sampled_from(["Cancelled", "POSTPONED", "moved", "ONLINE", " ", "–", "ſ", "İ", "é", "x", "d"]))
       .map("".join))
def test_the_twin_agrees_with_its_pattern_wherever_the_text_lowers_plainly(text: str) -> None:
    if lowers_plainly(text):
        assert (STATUS_LOWER.search(text.lower()) is None) == (STATUS.search(text) is None)
