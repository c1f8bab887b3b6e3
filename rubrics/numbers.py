"""Decimal rounding and display helpers shared by scoring, reports and forms."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# Number text as typed in files: plain decimals, or thousands commas placed right ("5,520.39").
NUMBER_TEXT = re.compile(r"[-+]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?")

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "truncate": ROUND_DOWN}


def round2(value: Decimal, policy: str = "half_up") -> Decimal:
    """Round to 2 places by a rubric's policy: 四舍五入 (half_up) or 截尾 (truncate)."""
    return value.quantize(CENT, rounding=ROUNDING_MODES[policy])


def percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator × 100, half-up to 2 places (rates shown in text)."""
    return round2(numerator / denominator * HUNDRED)


def plain(value: Decimal) -> str:
    """The shortest exact decimal text: 5520.3900 → "5520.39", 100.00 → "100".

    Exact, unlike Decimal.normalize(), which rounds to the context's 28 digits.
    """
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def grouped(value: Decimal, places: int = 2) -> str:
    """Thousands separators and a fixed number of places: 15571.27 → "15,571.27"."""
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def score_text(value: Decimal) -> str:
    """A score as printed: 2 places, trailing zeros kept (98.49, 5.00)."""
    return f"{value.quantize(CENT):f}"


def decimals_of(value: Decimal) -> int:
    """Significant decimal places, exactly: 5520.3900 → 2, 100 → 0."""
    return len(f"{value:f}".partition(".")[2].rstrip("0"))
