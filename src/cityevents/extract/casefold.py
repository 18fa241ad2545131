"""When a case-insensitive pattern may run as a case-sensitive one on lower-cased text.

That is much the cheaper: the regex engine cannot skip ahead to the first letter of a case-insensitive
alternative, so it tries every one at each position. On lower-cased text a pattern written in lower
case finds what its case-insensitive twin finds in the original, unless the text holds one of the few
characters that case-insensitive matching or lower-casing relates to an ASCII letter.
"""

from __future__ import annotations

import re
from typing import Final

# "ı" and "ſ" match "i" and "s" under re.IGNORECASE but lower() keeps them; "İ" lowers to "i" and a
# combining dot, the Kelvin sign to "k". No other character does either (a test checks every one).
CASE_FOLD_SPECIALS: Final = "\u0130\u0131\u017f\u212a"


def lowers_plainly(text: str) -> bool:
    """Whether a lower-case twin (see :func:`lowercase_twin`) finds in ``text.lower()`` what its
    case-insensitive pattern finds in ``text``. The few characters are looked for one by one: faster
    than a regex scan."""
    return text.isascii() or not any(char in text for char in CASE_FOLD_SPECIALS)


def lowercase_twin(*patterns: re.Pattern[str]) -> re.Pattern[str]:
    """Case-insensitive patterns written in lower case, as one case-sensitive pattern for lower-cased
    text of which :func:`lowers_plainly` holds."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))
