"""Each kind of cell read on its own, through kinds built now as well as the ones built at import.

`CELL_KINDS` and the text columns are built once, when the module is imported; a change inside
`amount()` or `text()` then only shows in kinds built afterwards. So every check here also builds
the kind again (`number_kind`, `text_kind`) and asks the same of it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from evaluations.excel.cells import (
    CELL_KINDS,
    CellError,
    decimal_of,
    is_blank,
    number_kind,
    number_text,
    read_category,
    read_count,
    read_flag,
    read_kind,
    text_kind,
)
from evaluations.excel.cells import flag_text as written_flag
from rubrics import catalogue
from rubrics.numbers import decimals_of as places_of
from rubrics.numbers import plain

D = Decimal
FORMATS = {catalogue.AMOUNT: "#,##0.00##", catalogue.YUAN: "#,##0.00", catalogue.PERCENT: "0.00"}


def outcome(read: Callable[[Any, str], Any], raw: Any, number_format: str = "General") -> Any:
    """The value read, or the refusal's message."""
    try:
        return read(raw, number_format)
    except CellError as problem:
        return f"refused: {problem}"


def both(kind: catalogue.Kind, raw: Any, number_format: str = "General") -> Any:
    """What the kind built at import and the same kind built now make of a cell; they agree."""
    at_import = outcome(CELL_KINDS[kind].read, raw, number_format)
    assert outcome(number_kind(kind, FORMATS[kind]).read, raw, number_format) == at_import
    return at_import


@pytest.mark.parametrize(("raw", "number_format", "expected"), [
    (0, "General", D(0)), (0.0001, "General", D("0.0001")), ("1,234.5", "General", D("1234.5")),
    (999999999999.9999, "General", D("999999999999.9999")), (0.5, "0.00%", D("0.5")),
    (0.00001, "General", "refused: 最多 4 位小数"), (-0.0001, "General", "refused: 不能为负数"),
    (1e12, "General", "refused: 数值过大"), ("-1e12", "General", "refused: 不是有效的数值"),
    (float("inf"), "General", "refused: 不是有效的数值"), (None, "General", "refused: 不是有效的数值"),
])
def test_an_amount_cell(raw: Any, number_format: str, expected: Any) -> None:
    assert both(catalogue.AMOUNT, raw, number_format) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (0.01, D("0.01")), ("229,366.13", D("229366.13")), (0.001, "refused: 最多 2 位小数"),
    (-0.01, "refused: 不能为负数"),
])
def test_a_yuan_cell(raw: Any, expected: Any) -> None:
    assert both(catalogue.YUAN, raw) == expected


@pytest.mark.parametrize(("raw", "number_format", "expected"), [
    (1000, "General", D(1000)), (99.99, "General", D("99.99")), (10, "0%", D(1000)),
    (0.9944, "0.00%", D("99.44")), ("95", "0%", D(95)), (0, "0%", D(0)),
    (1000.01, "General", "refused: 百分比应在 0 至 1000 之间"),
    (10.0001, "0.00%", "refused: 百分比应在 0 至 1000 之间"),
    (99.999, "General", "refused: 最多 2 位小数"), (-1, "0%", "refused: 不能为负数"),
    (1e10, "0%", "refused: 数值过大"), (99999999999, "General", "refused: 百分比应在 0 至 1000 之间"),
])
def test_a_percentage_cell(raw: Any, number_format: str, expected: Any) -> None:
    assert both(catalogue.PERCENT, raw, number_format) == expected


def test_a_number_kind_without_input_places_takes_whole_numbers_only() -> None:
    whole = number_kind(catalogue.Kind("whole", "个"), "0")
    assert outcome(whole.read, 12) == D(12)
    assert outcome(whole.read, 1.5) == "refused: 最多 0 位小数"


def test_a_number_kind_carries_its_unit_and_format() -> None:
    kind = number_kind(catalogue.PERCENT, "0.00")
    assert (kind.unit, kind.number_format, kind.choices) == ("%", "0.00", ())


# --- text columns --------------------------------------------------------------------------


def texts(max_length: int, raw: Any, number_format: str = "General") -> Any:
    return outcome(text_kind(max_length).read, raw, number_format)


@pytest.mark.parametrize(("raw", "number_format", "expected"), [
    ("  指标  ", "General", "指标"), ("名" * 5, "General", "名" * 5),
    ("名" * 6, "General", "refused: 最多 5 个字"), (95, "General", "95"), (0.95, "0%", "95%"),
    (95.5, "General", "95.5"), (12345, "General", "12345"), (123456, "General", "refused: 最多 5 个字"),
    (True, "General", "refused: 应为文本"), (None, "General", "refused: 应为文本"),
    ("'=A1", "General", "=A1"), ("'普通", "General", "'普通"),
])
def test_a_text_cell_of_at_most_five_characters(raw: Any, number_format: str, expected: Any) -> None:
    assert texts(5, raw, number_format) == expected


def test_a_text_kind_is_written_as_text() -> None:
    assert text_kind(5).number_format == "@"


def test_a_number_typed_as_text_keeps_its_percent_sign_only_when_shown_so() -> None:
    assert (number_text(0.5, "0.0%"), number_text(0.5, "General"), number_text(7, "0")) == (
        "50%", "0.5", "7")


# --- counts, flags, kinds and categories ------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    (0, 0), (1_000_000, 1_000_000), (3.0, 3), ("1,000", 1000), (1_000_001, "refused: 应为非负整数"),
    (-1, "refused: 应为非负整数"), (0.5, "refused: 应为非负整数"), ("三", "refused: 应为非负整数"),
])
def test_a_count_cell(raw: Any, expected: Any) -> None:
    assert outcome(read_count, raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("是", True), (" 否", False), (True, True), (False, False), ("Y", "refused: 应填写“是”或“否”"),
    (1, "refused: 应填写“是”或“否”"),
])
def test_a_flag_cell(raw: Any, expected: Any) -> None:
    assert outcome(read_flag, raw) == expected


def test_a_flag_is_written_as_yes_or_no_and_reads_back() -> None:
    assert (written_flag(True), written_flag(False)) == ("是", "否")
    assert CELL_KINDS[catalogue.FLAG].write(False) == "否"
    assert read_flag(written_flag(False), "General") is False


@pytest.mark.parametrize(("raw", "expected"), [
    ("产出", "output"), (" 产出指标 ", "output"), ("效益", "outcome"), ("效益指标", "outcome"),
    ("output", "refused: 应填写“产出”或“效益”"), (1, "refused: 应填写“产出”或“效益”"),
])
def test_a_target_kind_cell(raw: Any, expected: Any) -> None:
    assert outcome(read_kind, raw) == expected


def test_a_target_category_cell() -> None:
    assert outcome(read_category, " 满意度 ") == "满意度"
    assert outcome(read_category, "满意") == ("refused: 应为以下之一：数量、质量、时效、成本、经济效益、"
                                             "社会效益、生态效益、可持续影响、满意度")
    assert outcome(read_category, 3).startswith("refused: 应为以下之一")


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    (0.1 + 0.2, "0.30000000000000004"), (-0.0, "0.0"), (5, "5"), ("5，520.39", "5520.39"),
    (" 1 000 ", "1000"), ("+2", "2"),
])
def test_a_number_is_read_exactly(raw: Any, expected: str) -> None:
    value = decimal_of(raw)
    assert value == D(expected) and str(value) == expected


@pytest.mark.parametrize("raw", [True, None, float("nan"), float("-inf"), "1,00", "1e3", "", D(1)])
def test_anything_else_is_not_a_number(raw: Any) -> None:
    assert outcome(lambda value, _format: decimal_of(value), raw) == "refused: 不是有效的数值"


@pytest.mark.parametrize(("value", "places", "text"), [
    (D("1.2300"), 2, "1.23"), (D("100"), 0, "100"), (D("1E+2"), 0, "100"), (D("0.000"), 0, "0"),
    (D("-0.50"), 1, "-0.5"), (D("10.0"), 0, "10"),
])
def test_places_and_plain_text_ignore_trailing_zeros(value: Decimal, places: int,
                                                     text: str) -> None:
    assert (places_of(value), plain(value)) == (places, text)


@pytest.mark.parametrize(("raw", "blank"), [(None, True), ("", True), (" \t", True), (0, False),
                                            ("x", False), (False, False)])
def test_only_none_and_whitespace_are_blank(raw: Any, blank: bool) -> None:
    assert is_blank(raw) is blank
