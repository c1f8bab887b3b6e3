"""rubrics.numbers, the rounding and display helpers, on exact values (RUBRIC.md §4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rubrics.numbers import CENT, HUNDRED, decimals_of, grouped, percent, plain, round2, score_text

D = Decimal


@pytest.mark.parametrize(("value", "half_up", "truncate"), [
    ("0.975", "0.98", "0.97"),      # x.xx5: the one digit where the two policies part
    ("0.9749999", "0.97", "0.97"),
    ("4.9995", "5.00", "4.99"),
    ("0.985", "0.99", "0.98"),      # half-even would give 0.98 here: the policy is half-up
    ("2.00", "2.00", "2.00"),
    ("-0.975", "-0.98", "-0.97"),
])
def test_round2_rounds_half_up_or_truncates_to_exactly_two_places(
    value: str, half_up: str, truncate: str
) -> None:
    assert str(round2(D(value))) == half_up
    assert str(round2(D(value), "half_up")) == half_up
    assert str(round2(D(value), "truncate")) == truncate


def test_round2_refuses_an_unknown_policy() -> None:
    with pytest.raises(KeyError):
        round2(D("1"), "half_even")


def test_the_constants_are_one_cent_and_one_hundred() -> None:
    assert (CENT, HUNDRED) == (D("0.01"), D(100))
    assert str(CENT) == "0.01"


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    ("1", "3", "33.33"),
    ("2", "3", "66.67"),
    ("195.6793", "25937.41", "0.75"),
    ("16429.71", "16521.24", "99.45"),
    ("1", "8", "12.50"),            # 12.5 exactly, still printed with two places
    ("1", "800", "0.13"),           # 0.125 rounds half-up
])
def test_percent_is_the_ratio_times_100_half_up_to_two_places(
    numerator: str, denominator: str, expected: str
) -> None:
    assert str(percent(D(numerator), D(denominator))) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("5520.3900", "5520.39"),
    ("100.00", "100"),
    ("1E+3", "1000"),
    ("0.0500", "0.05"),
    ("-0.00", "0"),
    ("0E-7", "0"),
    ("-1.50", "-1.5"),
])
def test_plain_prints_the_shortest_exact_decimal(value: str, expected: str) -> None:
    assert plain(D(value)) == expected


@pytest.mark.parametrize(("value", "places", "expected"), [
    ("15571.27", 2, "15,571.27"),
    ("1234567.125", 2, "1,234,567.13"),
    ("999.995", 2, "1,000.00"),
    ("1234.5", 4, "1,234.5000"),
    ("25937.41", 0, "25,937"),
    ("0", 2, "0.00"),
])
def test_grouped_prints_thousands_separators_and_fixed_places(
    value: str, places: int, expected: str
) -> None:
    assert grouped(D(value), places) == expected


def test_grouped_defaults_to_two_places() -> None:
    assert grouped(D("1234.5")) == "1,234.50"


@pytest.mark.parametrize(("value", "expected"), [
    ("98.49", "98.49"), ("5", "5.00"), ("0", "0.00"), ("3.4", "3.40"), ("0.015", "0.02"),
])
def test_score_text_keeps_two_places_and_trailing_zeros(value: str, expected: str) -> None:
    assert score_text(D(value)) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("1.50", 1), ("0.125", 3), ("0.001", 3), ("1.10", 1), ("100", 0), ("1E+2", 0), ("0", 0),
    ("NaN", 0),
])
def test_decimals_of_counts_the_significant_decimal_places(value: str, expected: int) -> None:
    assert decimals_of(D(value)) == expected
