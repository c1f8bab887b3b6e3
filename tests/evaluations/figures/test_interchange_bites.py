"""The interchange reader on the edges: floats, every bound exactly, and each refusal's exact message.

SUBMISSION_FORMAT.md: plain YAML numbers are read through their text, never through float; every
error names its path and says what is wrong in Chinese. Each test here pins one value on or just
past a bound, so that moving the bound or swapping the message is seen.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from evaluations.figures.interchange import (
    UnreadableFile,
    figures_to_document,
    parse_submission_data,
    parse_submission_text,
    read_submission_file,
)
from rubrics.figures import Expenditure, Figures, Lines
from rubrics.rules import Issue

D = Decimal
HEAD = "format: jixiao.submission/1\nrubric: jiangmen-2023\nyear: 2023\ndepartment:\n  name: 测试部门\n"
EXPENDITURE_KEYS = "budget_total、budget、actual、carried_forward、total_income、quarterly_rate"


def minimal(**extra: Any) -> dict[str, Any]:
    return {"format": "jixiao.submission/1", "rubric": "jiangmen-2023", "year": 2023,
            "department": {"name": "测试部门"}, "expenditure": {}, **extra}


def income_of_yaml(plain: str) -> tuple[Any, tuple[Issue, ...]]:
    """total_income written unquoted in a YAML file, and what the reader made of it."""
    parsed = parse_submission_text(f"{HEAD}expenditure:\n  total_income: {plain}\n")
    return parsed.figures.expenditure.total_income, parsed.errors


def read(section: str, key: str, value: Any) -> tuple[Any, tuple[Issue, ...]]:
    parsed = parse_submission_data(minimal(**{section: {key: value}}))
    return getattr(getattr(parsed.figures, section), key), parsed.errors


def income(value: Any) -> tuple[Any, tuple[Issue, ...]]:
    return read("expenditure", "total_income", value)


# --- floats never pass through float -----------------------------------------------------------


@pytest.mark.parametrize(("plain", "expected"), [
    ("0.1", "0.1"), ("195.6793", "195.6793"), ("1.50000", "1.5"), ("+1.5", "1.5"),
    ("1_000.5", "1000.5"), ("1.5e+3", "1500"), ("1.", "1"),
])
def test_an_unquoted_yaml_fraction_is_read_exactly_through_its_text(plain: str,
                                                                    expected: str) -> None:
    value, errors = income_of_yaml(plain)
    assert errors == ()
    assert isinstance(value, Decimal) and value == D(expected)


def test_an_unquoted_yaml_fraction_keeps_digits_a_float_would_lose() -> None:
    value, _errors = income_of_yaml("0.3000")
    assert value == D("0.3") and value != D(0.1 + 0.2)
    assert income_of_yaml("12345678901.0001")[0] == D("12345678901.0001")


def test_a_python_float_handed_to_the_parser_is_refused_not_converted() -> None:
    assert income(1.5) == (0, (Issue("expenditure.total_income", "应为数值"),))


@pytest.mark.parametrize("value", [True, False, [1], {"a": 1}, dt.date(2024, 1, 1)])
def test_a_value_that_is_no_number_at_all_is_refused_as_such(value: Any) -> None:
    assert income(value) == (0, (Issue("expenditure.total_income", "应为数值"),))


@pytest.mark.parametrize("plain", ["1.5e3", "1e12", "0x1p3"])
def test_a_yaml_exponent_without_a_dot_and_sign_is_text_and_refused(plain: str) -> None:
    assert income_of_yaml(plain) == (0, (Issue("expenditure.total_income",
                                               f"不是有效的数值：{plain}"),))


@pytest.mark.parametrize("plain", [".inf", "-.inf", ".nan", ".NaN"])
def test_an_infinite_or_nan_yaml_float_makes_the_file_unreadable(plain: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        income_of_yaml(plain)
    assert str(caught.value) == "无法读取文件：含有无法识别的数值（如 .inf、.nan）"


def test_a_json_fraction_is_read_through_its_text() -> None:
    def total_income(number: str) -> tuple[Any, tuple[Issue, ...]]:
        text = json.dumps(minimal()).replace('"expenditure": {}',
                                             f'"expenditure": {{"total_income": {number}}}')
        parsed = parse_submission_text(text)
        return parsed.figures.expenditure.total_income, parsed.errors

    # A float would be refused as "应为数值": being accepted shows it came as a Decimal.
    assert total_income("1234567.1230") == (D("1234567.123"), ())
    # 0.1 + 0.2 printed by a program is refused for its places, never silently rounded.
    assert total_income("0.30000000000000004") == (
        0, (Issue("expenditure.total_income", "最多 4 位小数"),))


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "nan", "1e3", "1,00.5", "1.",
                                  ".5", "1.2.3", "12,3456", "一百", ""])
def test_number_text_outside_plain_decimal_notation_is_refused_with_the_text(text: str) -> None:
    assert income(text) == (0, (Issue("expenditure.total_income", f"不是有效的数值：{text}"),))


def test_a_decimal_nan_is_refused_even_when_it_did_not_come_from_text() -> None:
    assert income(D("NaN")) == (0, (Issue("expenditure.total_income", "不是有效的数值：NaN"),))
    assert income(D("-Infinity"))[1] == (Issue("expenditure.total_income",
                                               "不是有效的数值：-Infinity"),)


@pytest.mark.parametrize(("text", "expected"), [
    ("1,234,567.5", "1234567.5"), (" 12 ", "12"), ("-3,000", "-3000"), ("+7", "7"), ("007", "7"),
])
def test_number_text_with_commas_signs_and_spaces_is_read_exactly(text: str, expected: str) -> None:
    assert income(text) == (D(expected), ())


# --- decimal places: exactly on the bound and one past it --------------------------------------


@pytest.mark.parametrize(("section", "key", "value", "places"), [
    ("expenditure", "total_income", "0.0001", 4),
    ("expenditure", "total_income", "1.12340000", 4),
    ("operating_costs", "sangong_actual", "0.01", 2),
    ("operating_costs", "sangong_actual", "229366.1300", 2),
    ("assets", "utilisation_rate", "99.9999", 4),
])
def test_a_figure_with_exactly_its_places_is_accepted(section: str, key: str, value: str,
                                                      places: int) -> None:
    assert read(section, key, value) == (D(value), ())


@pytest.mark.parametrize(("section", "key", "value", "places"), [
    ("expenditure", "total_income", "0.00001", 4),
    ("expenditure", "total_income", D("1.00001"), 4),
    ("operating_costs", "sangong_actual", "0.001", 2),
    ("assets", "utilisation_rate", "99.99999", 4),
])
def test_a_figure_one_place_past_its_bound_is_refused_and_zeroed(section: str, key: str,
                                                                 value: Any, places: int) -> None:
    assert read(section, key, value) == (0, (Issue(f"{section}.{key}", f"最多 {places} 位小数"),))


def test_claim_scores_have_no_place_limit_in_the_file_the_scoring_checks_them() -> None:
    data = minimal(claims=[{"indicator": "1.1.1", "score": "1.23456", "reason": "原因"}])
    parsed = parse_submission_data(data)
    assert parsed.errors == ()
    assert parsed.figures.claims[0].score == D("1.23456")


def test_a_percentage_is_not_bounded_by_the_file_format_only_its_places() -> None:
    assert read("assets", "utilisation_rate", "1000") == (D(1000), ())
    assert read("assets", "utilisation_rate", "1000.0001") == (D("1000.0001"), ())


# --- integer digits: twelve at most ------------------------------------------------------------


@pytest.mark.parametrize("value", ["999999999999.9999", "-999999999999", D("9.99E+11"), D("0E+20"),
                                   D("-0.0"), "0"])
def test_eleven_integer_digits_or_a_zero_of_any_exponent_is_accepted(value: Any) -> None:
    assert income(value) == (D(value), ())


@pytest.mark.parametrize("value", ["1000000000000", "-1000000000000", D("1E+12"), D("-1.0E+12"),
                                   "1,000,000,000,000"])
def test_a_thirteenth_integer_digit_is_too_large(value: Any) -> None:
    assert income(value) == (0, (Issue("expenditure.total_income", "数值过大"),))


def test_a_yaml_float_of_thirteen_digits_is_too_large() -> None:
    assert income_of_yaml("1.0e+12") == (0, (Issue("expenditure.total_income", "数值过大"),))


# --- counts, years, flags, texts, dates --------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (0, 0), ("3", 3), (D("3.0"), 3), ("3.000", 3), (D("1E+2"), 100), ("1,000", 1000),
])
def test_a_whole_non_negative_count_is_accepted_in_any_exact_form(value: Any, expected: int) -> None:
    count, errors = read("procurement", "violations", value)
    assert (count, errors) == (expected, ())
    assert type(count) is int


@pytest.mark.parametrize("value", [-1, "-1", D("3.5"), "0.1", 1.0, True, False, [], "一"])
def test_a_negative_fractional_or_non_numeric_count_is_refused(value: Any) -> None:
    count, errors = read("procurement", "violations", value)
    expected = "不是有效的数值：一" if value == "一" else "应为非负整数"
    assert (count, errors) == (0, (Issue("procurement.violations", expected),))


@pytest.mark.parametrize("year", [2000, 2023, 2100])
def test_a_year_from_2000_to_2100_inclusive_is_accepted(year: int) -> None:
    parsed = parse_submission_data({**minimal(), "year": year})
    assert (parsed.figures.year, parsed.errors) == (year, ())


@pytest.mark.parametrize("year", [1999, 2101, "2023", D("2023"), True, 2023.0])
def test_a_year_outside_the_range_or_not_an_integer_is_refused(year: Any) -> None:
    parsed = parse_submission_data({**minimal(), "year": year})
    assert parsed.figures.year == 0
    assert parsed.errors == (Issue("year", "应为 2000 至 2100 之间的整数年份"),)


@pytest.mark.parametrize("value", ["true", "是", 1, 0, None])
def test_a_flag_accepts_only_yaml_booleans(value: Any) -> None:
    flag, errors = read("disclosure", "budget", value)
    assert flag is False
    assert errors == (() if value is None else (Issue("disclosure.budget", "应为 true 或 false"),))


def test_a_true_flag_is_read_true() -> None:
    assert read("disclosure", "budget", True) == (True, ())


@pytest.mark.parametrize(("raw", "expected"), [
    (12, "12"), (D("6.90"), "6.90"), (D("1E+2"), "100"), ("  达成  ", "达成"), (0, "0"),
])
def test_a_target_value_is_kept_as_written(raw: Any, expected: str) -> None:
    data = minimal(targets=[{"kind": "output", "category": "数量", "name": "人数", "target": raw}])
    parsed = parse_submission_data(data)
    assert (parsed.figures.targets[0].target, parsed.errors) == (expected, ())


@pytest.mark.parametrize("raw", [True, False, [1], {"a": 1}, 1.5])
def test_a_boolean_list_or_float_where_text_is_expected_is_refused(raw: Any) -> None:
    data = minimal(targets=[{"kind": "output", "category": "数量", "name": "人数", "target": raw}])
    parsed = parse_submission_data(data)
    assert parsed.figures.targets[0].target == ""
    assert parsed.errors == (Issue("targets[0].target",
                                   "应为文本（true、false、yes、no 等作文本时请加引号）"),)


def test_a_required_text_left_blank_is_missing() -> None:
    parsed = parse_submission_data({**minimal(), "department": {"name": "   "}})
    assert parsed.errors == (Issue("department.name", "缺少必填项"),)
    assert parsed.figures.department == ""


def test_an_optional_text_left_blank_is_no_error() -> None:
    parsed = parse_submission_data(minimal(narrative={"functions": "  ", "annual_work": ""}))
    assert parsed.errors == ()
    assert (parsed.figures.narrative.functions, parsed.figures.narrative.annual_work) == ("", "")


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-03-01", dt.date(2024, 3, 1)), (" 2024-03-01 ", dt.date(2024, 3, 1)),
    (dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
])
def test_a_report_date_is_read_from_iso_text_or_a_date(raw: Any, expected: dt.date) -> None:
    parsed = parse_submission_data(minimal(report_date=raw))
    assert (parsed.figures.report_date, parsed.errors) == (expected, ())


@pytest.mark.parametrize("raw", ["2023-02-29", "2024-3-1", "2024/03/01", "20240301",
                                 dt.datetime(2024, 3, 1, 8, 0), 20240301])
def test_a_report_date_that_is_not_a_real_iso_day_is_refused(raw: Any) -> None:
    parsed = parse_submission_data(minimal(report_date=raw))
    assert parsed.figures.report_date is None
    assert parsed.errors == (Issue("report_date", "日期格式应为 YYYY-MM-DD"),)


def test_an_unquoted_yaml_date_is_read_as_that_day() -> None:
    parsed = parse_submission_text(f"{HEAD}expenditure: {{}}\nreport_date: 2024-03-01\n")
    assert (parsed.figures.report_date, parsed.errors) == (dt.date(2024, 3, 1), ())


# --- shapes and their messages -----------------------------------------------------------------


def test_a_section_given_as_a_scalar_is_refused_and_left_at_its_defaults() -> None:
    parsed = parse_submission_data(minimal(expenditure=5))
    assert parsed.errors == (Issue("expenditure", "应为映射（键: 值）"),)
    assert parsed.figures.expenditure == Expenditure()


def test_an_unknown_key_names_every_key_allowed_there() -> None:
    parsed = parse_submission_data(minimal(expenditure={"income": "1"}))
    assert parsed.errors == (Issue("expenditure.income",
                                   f"未知的字段（此处可用：{EXPENDITURE_KEYS}）"),)


def test_a_list_given_as_a_mapping_is_refused() -> None:
    parsed = parse_submission_data(minimal(transfers={"name": "x"}))
    assert (parsed.figures.transfers, parsed.errors) == ((), (Issue("transfers", "应为列表"),))


def test_analysis_given_as_a_list_is_refused() -> None:
    parsed = parse_submission_data(minimal(analysis=["说明"]))
    assert (parsed.figures.analysis, parsed.errors) == (
        (), (Issue("analysis", "应为映射（指标代码: 文本）"),))


def test_an_empty_required_section_is_missing_but_an_empty_optional_one_is_nothing() -> None:
    parsed = parse_submission_data({**minimal(), "expenditure": None, "transfers": None})
    assert parsed.errors == (Issue("expenditure", "缺少必填项"),)
    assert parsed.figures.transfers == ()


def test_a_list_item_missing_a_required_column_is_missing_there() -> None:
    parsed = parse_submission_data(minimal(transfers=[{"amount": "1", "spent": "1"}]))
    assert parsed.errors == (Issue("transfers[0].name", "缺少必填项"),)


def test_a_target_kind_outside_output_and_outcome_is_dropped_with_its_message() -> None:
    data = minimal(targets=[{"kind": "impact", "category": "数量", "name": "x"}])
    parsed = parse_submission_data(data)
    assert parsed.errors == (Issue("targets[0].kind", "应为 output（产出）或 outcome（效益）"),)
    assert (parsed.figures.targets[0].kind, parsed.figures.targets[0].category) == ("", "数量")


def test_a_category_of_the_other_kind_names_the_kinds_categories() -> None:
    data = minimal(targets=[{"kind": "output", "category": "满意度", "name": "x"}])
    parsed = parse_submission_data(data)
    assert parsed.errors == (Issue("targets[0].category", "类别应为以下之一：数量、质量、时效、成本"),)
    assert (parsed.figures.targets[0].kind, parsed.figures.targets[0].category) == ("output", "")


def test_a_category_without_a_kind_is_not_checked_against_a_kind() -> None:
    data = minimal(targets=[{"kind": "", "category": "满意度", "name": "x"}])
    parsed = parse_submission_data(data)
    assert parsed.errors == (Issue("targets[0].kind", "缺少必填项"),)
    assert parsed.figures.targets[0].category == "满意度"


# --- unreadable files, each with its message ---------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("", "无法读取文件：文件为空"),
    ("- 1\n- 2\n", "无法读取文件：顶层应为映射（键: 值），而不是列表"),
    ("42\n", "无法读取文件：顶层应为映射（键: 值），而不是单个值"),
    ("a: 1\nb: [\n", "无法读取文件：第 3 行 YAML 语法错误"),
    ('{"a": 1,\n\n "b": }', "无法读取文件：第 3 行 JSON 语法错误"),
])
def test_an_unreadable_text_says_why(text: str, message: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_submission_text(text)
    assert str(caught.value) == message


def test_yaml_the_reader_refuses_is_unreadable_without_a_line() -> None:
    # A control character is refused by PyYAML's reader, whose error carries no position.
    with pytest.raises(UnreadableFile) as caught:
        parse_submission_text("a: \x07\n")
    assert str(caught.value) == "无法读取文件：YAML 语法错误"


def test_json_after_leading_blank_lines_is_still_read_as_json() -> None:
    with pytest.raises(UnreadableFile) as caught:
        parse_submission_text('\n\n  {"a": 1,\n "b": }')
    assert str(caught.value) == "无法读取文件：第 4 行 JSON 语法错误"


@pytest.mark.parametrize(("problem", "reason"), [
    (FileNotFoundError(2, "No such file or directory"), "文件不存在"),
    (PermissionError(13, "Permission denied"), "没有读取权限"),
    (OSError(5, "Input/output error"), "Input/output error"),
    (OSError("disk on fire"), "disk on fire"),
])
def test_a_file_that_cannot_be_read_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             problem: OSError, reason: str) -> None:
    def refuse(self: Path) -> bytes:
        raise problem

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(UnreadableFile) as caught:
        read_submission_file(tmp_path / "submission.yaml")
    assert str(caught.value) == f"无法读取文件 {tmp_path / 'submission.yaml'}：{reason}"


def test_a_directory_is_unreadable_and_said_to_be_one(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_submission_file(tmp_path)
    assert str(caught.value) == f"无法读取文件 {tmp_path}：这是一个目录"


def test_a_json_file_is_read_as_json_by_its_suffix_and_a_bom_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "submission.json"
    # JSON by suffix even with a leading newline; YAML would read 0.10 the same, JSON must too.
    text = "\n" + json.dumps(minimal()).replace('"expenditure": {}',
                                                '"expenditure": {"total_income": 0.10}')
    path.write_bytes("\ufeff".encode() + text.encode())
    parsed = read_submission_file(path)
    assert (parsed.figures.expenditure.total_income, parsed.errors) == (D("0.10"), ())


def test_a_broken_json_file_is_refused_as_json_not_as_yaml(tmp_path: Path) -> None:
    path = tmp_path / "submission.json"
    path.write_text("format: jixiao.submission/1\n", encoding="utf-8")
    with pytest.raises(UnreadableFile) as caught:
        read_submission_file(path)
    assert str(caught.value) == "无法读取文件：第 1 行 JSON 语法错误"


# --- writing back --------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "written"), [
    (D("5520.3900"), "5520.39"), (D("100.0000"), "100"), (D("-0.00"), "0"), (D("0E+3"), "0"),
    (D("1E+2"), "100"), (D("0.0001"), "0.0001"), (D("-12.50"), "-12.5"), (D("120"), "120"),
])
def test_an_amount_is_written_as_its_shortest_exact_text(value: Decimal, written: str) -> None:
    figures = Figures(rubric="jiangmen-2023", year=2023, department="测试部门",
                      expenditure=Expenditure(total_income=value, actual=Lines(project=value)))
    document = figures_to_document(figures)
    assert document["expenditure"]["total_income"] == written
    assert document["expenditure"]["actual"]["project"] == written
    assert parse_submission_data(document).figures.expenditure.total_income == value
