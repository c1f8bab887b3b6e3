"""The interchange format jixiao.submission/1: parsing, errors by path, and the round trip."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from evaluations.figures.interchange import (
    ParsedSubmission,
    UnreadableFile,
    dump_submission,
    figures_to_document,
    parse_submission_data,
    parse_submission_text,
    read_submission_file,
)
from rubrics.figures import Claim, Expenditure, Figures, Lines
from rubrics.rules import Issue
from rubrics.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "evaluations" / "data" / "jiangmen-hrss-2023.yaml"
D = Decimal
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@cache
def _reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def reference_data() -> dict[str, Any]:
    """A fresh copy of the reference document, free to be spoiled by a test."""
    return copy.deepcopy(load_yaml(_reference_text()))


def reference() -> ParsedSubmission:
    return read_submission_file(REFERENCE)


def only_error(data: dict[str, Any]) -> Issue:
    parsed = parse_submission_data(data)
    assert len(parsed.errors) == 1, parsed.errors
    issue = parsed.errors[0]
    assert CHINESE.search(issue.message), issue.message
    return issue


def minimal(**extra: Any) -> dict[str, Any]:
    return {"format": "jixiao.submission/1", "rubric": "jiangmen-2023", "year": 2023,
            "department": {"name": "测试部门"}, "expenditure": {}, **extra}


# --- the reference file --------------------------------------------------------------------


def test_reference_file_parses_without_errors() -> None:
    assert reference().errors == ()


def test_reference_amounts_are_read_exactly() -> None:
    figures = reference().figures
    assert figures.expenditure.actual.project == D("9107.52")
    assert figures.expenditure.budget_total == D("12031.01")
    assert figures.budget_execution.adjustment_amount == D("195.6793")
    assert figures.operating_costs.sangong_actual == D("229366.13")
    assert figures.expenditure.quarterly_rate.q4 == D("90.99")


def test_reference_lists_and_dates_are_read() -> None:
    figures = reference().figures
    assert (figures.rubric, figures.year) == ("jiangmen-2023", 2023)
    assert figures.department == "江门市人力资源和社会保障局"
    assert len(figures.budget_units) == 9
    assert len(figures.targets) == 19
    assert sum(1 for t in figures.targets if t.kind == "output") == 14
    assert len(figures.transfers) == 3
    assert figures.claims[0] == Claim("1.1.3", D("5"), figures.claims[0].reason)
    assert figures.report_date == dt.date(2024, 10, 31)
    assert [code for code, _text in figures.analysis] == ["2.4", "2.6"]
    assert figures.procurement.filing_warnings == 1


def test_block_text_is_stripped_of_its_trailing_newline() -> None:
    narrative = reference().figures.narrative
    assert narrative.functions.startswith("市人力资源社会保障局")
    assert not narrative.functions.endswith("\n")
    assert narrative.other_matters == "无"


# --- writing and the round trip ------------------------------------------------------------


def test_export_then_import_gives_equal_figures() -> None:
    original = reference().figures
    again = parse_submission_text(dump_submission(original))
    assert again.errors == ()
    assert again.figures == original


def test_document_round_trips_without_yaml() -> None:
    original = reference().figures
    assert parse_submission_data(figures_to_document(original)).figures == original


def test_dump_is_stable_after_a_second_round_trip() -> None:
    first = dump_submission(reference().figures)
    second = dump_submission(parse_submission_text(first).figures)
    assert second == first


def test_document_keeps_the_reference_key_order_with_format_first() -> None:
    document = figures_to_document(reference().figures)
    assert list(document) == list(reference_data())


def test_decimals_are_written_in_their_shortest_exact_form() -> None:
    figures = Figures(rubric="r", year=2023, department="d", expenditure=Expenditure(
        actual=Lines(personnel=D("5520.3900"), project=D("100.0000"), public=D("0.0000"))))
    actual = figures_to_document(figures)["expenditure"]["actual"]
    assert actual == {"personnel": "5520.39", "public": "0", "project": "100"}
    assert '"5520.39"' in dump_submission(figures)


def test_absent_budget_total_and_report_date_are_omitted() -> None:
    document = figures_to_document(Figures(rubric="r", year=2023, department="d"))
    assert "report_date" not in document
    assert "budget_total" not in document["expenditure"]
    assert parse_submission_data(document).figures == Figures(
        rubric="r", year=2023, department="d")


# --- input forms ---------------------------------------------------------------------------


def test_json_input_gives_the_same_figures(tmp_path: Path) -> None:
    original = reference().figures
    text = json.dumps(figures_to_document(original), ensure_ascii=False)
    assert parse_submission_text(text).figures == original
    path = tmp_path / "submission.json"
    path.write_text(text, encoding="utf-8")
    assert read_submission_file(path).figures == original


def test_json_numbers_are_read_exactly_never_through_float() -> None:
    text = json.dumps(minimal()).replace(
        '"expenditure": {}', '"expenditure": {"total_income": 0.1}')
    assert parse_submission_text(text).figures.expenditure.total_income == D("0.1")


def test_plain_yaml_numbers_and_thousands_commas_are_accepted() -> None:
    data = minimal(expenditure={"total_income": D("195.6793"), "carried_forward": 12,
                                "actual": {"personnel": "5,520.39"}})
    parsed = parse_submission_data(data)
    assert parsed.errors == ()
    assert parsed.figures.expenditure.total_income == D("195.6793")
    assert parsed.figures.expenditure.carried_forward == D(12)
    assert parsed.figures.expenditure.actual.personnel == D("5520.39")


def test_numbers_are_accepted_as_text_and_codes() -> None:
    data = minimal(
        targets=[{"kind": "output", "category": "数量", "name": "人数", "target": 12,
                  "actual": D("6.90")}],
        claims=[{"indicator": D("1.1"), "score": 5, "reason": "原因"}],
        analysis={D("2.10"): "说明"},
    )
    figures = parse_submission_data(data).figures
    assert (figures.targets[0].target, figures.targets[0].actual) == ("12", "6.90")
    assert figures.claims[0].indicator == "1.1"
    assert figures.analysis == (("2.10", "说明"),)


def test_missing_optional_sections_give_the_defaults() -> None:
    parsed = parse_submission_data(minimal(deductions=None))
    assert parsed.errors == ()
    assert parsed.figures == Figures(rubric="jiangmen-2023", year=2023, department="测试部门")


def test_negative_amounts_are_left_to_the_scoring_checks() -> None:
    parsed = parse_submission_data(minimal(expenditure={"carried_forward": "-3.5"}))
    assert parsed.errors == ()
    assert parsed.figures.expenditure.carried_forward == D("-3.5")


# --- errors, each at its path --------------------------------------------------------------


def test_unknown_top_level_key_is_an_error_with_its_path() -> None:
    data = reference_data()
    data["remedy"] = []
    assert only_error(data).path == "remedy"


def test_unknown_nested_key_is_an_error_with_its_path() -> None:
    data = reference_data()
    data["expenditure"]["actual"]["projekt"] = data["expenditure"]["actual"].pop("project")
    assert only_error(data).path == "expenditure.actual.projekt"


def test_unknown_key_in_a_list_item_is_an_error_with_its_position() -> None:
    data = reference_data()
    data["targets"][3]["nmae"] = "x"
    assert only_error(data).path == "targets[3].nmae"


def test_missing_department_name_is_an_error() -> None:
    data = reference_data()
    del data["department"]["name"]
    issue = only_error(data)
    assert (issue.path, issue.message) == ("department.name", "缺少必填项")


def test_missing_required_sections_are_errors() -> None:
    parsed = parse_submission_data({"format": "jixiao.submission/1"})
    assert [e.path for e in parsed.errors] == ["rubric", "year", "department", "expenditure"]


def test_wrong_format_is_an_error() -> None:
    data = reference_data()
    data["format"] = "jixiao.submission/2"
    assert only_error(data).path == "format"


def test_year_out_of_range_is_an_error() -> None:
    data = reference_data()
    data["year"] = 1999
    assert only_error(data).path == "year"


def test_text_in_an_amount_is_an_error_and_the_amount_becomes_zero() -> None:
    data = reference_data()
    data["expenditure"]["actual"]["project"] = "九千"
    parsed = parse_submission_data(data)
    assert only_error(data) == Issue("expenditure.actual.project", "不是有效的数值：九千")
    assert parsed.figures.expenditure.actual.project == 0
    assert parsed.figures.expenditure.actual.personnel == D("5520.39")


def test_boolean_in_an_amount_is_an_error() -> None:
    data = reference_data()
    data["transfers"][1]["spent"] = True
    assert only_error(data).path == "transfers[1].spent"


def test_too_many_decimals_in_yuan_is_an_error() -> None:
    data = reference_data()
    data["operating_costs"]["sangong_actual"] = "229366.134"
    issue = only_error(data)
    assert (issue.path, issue.message) == ("operating_costs.sangong_actual", "最多 2 位小数")


def test_trailing_zeros_do_not_count_as_decimals() -> None:
    data = reference_data()
    data["operating_costs"]["sangong_actual"] = "229366.1300"
    assert parse_submission_data(data).errors == ()


def test_absurdly_large_amount_is_an_error() -> None:
    data = reference_data()
    data["expenditure"]["total_income"] = "1234567890123"
    assert only_error(data) == Issue("expenditure.total_income", "数值过大")


def test_bad_boolean_is_an_error() -> None:
    data = reference_data()
    data["disclosure"]["targets"] = "是"
    parsed = parse_submission_data(data)
    assert only_error(data).path == "disclosure.targets"
    assert parsed.figures.disclosure.targets is False


def test_bad_date_is_an_error() -> None:
    data = reference_data()
    data["report_date"] = "2024/10/31"
    issue = only_error(data)
    assert (issue.path, issue.message) == ("report_date", "日期格式应为 YYYY-MM-DD")


def test_impossible_date_is_an_error() -> None:
    data = reference_data()
    data["report_date"] = "2024-02-30"
    assert only_error(data).path == "report_date"


def test_bad_target_category_is_an_error() -> None:
    data = reference_data()
    data["targets"][15]["category"] = "数量"  # an output category on an outcome target
    parsed = parse_submission_data(data)
    assert only_error(data).path == "targets[15].category"
    assert parsed.figures.targets[15].category == ""


def test_bad_target_kind_is_an_error() -> None:
    data = reference_data()
    data["targets"][0]["kind"] = "input"
    assert only_error(data).path == "targets[0].kind"


def test_fractional_count_is_an_error() -> None:
    data = reference_data()
    data["procurement"]["violations"] = "1.5"
    issue = only_error(data)
    assert (issue.path, issue.message) == ("procurement.violations", "应为非负整数")


def test_integer_valued_text_is_accepted_as_a_count() -> None:
    data = reference_data()
    data["procurement"]["violations"] = "2"
    assert parse_submission_data(data).figures.procurement.violations == 2


def test_section_that_is_not_a_list_is_an_error() -> None:
    data = reference_data()
    data["claims"] = {"indicator": "1.1.3"}
    parsed = parse_submission_data(data)
    assert only_error(data).path == "claims"
    assert parsed.figures.claims == ()


def test_bad_list_item_keeps_the_positions_of_the_others() -> None:
    data = reference_data()
    data["transfers"][0] = "养老保险"
    parsed = parse_submission_data(data)
    assert only_error(data).path == "transfers[0]"
    assert parsed.figures.transfers[1].name == "应届高校毕业生住房和生活补贴"


def test_reason_given_as_a_list_is_an_error() -> None:
    data = reference_data()
    data["claims"][0]["reason"] = ["原因"]
    assert only_error(data).path == "claims[0].reason"


def test_bad_analysis_text_is_an_error_at_its_code() -> None:
    data = reference_data()
    data["analysis"]["2.4"] = {"text": "说明"}
    assert only_error(data).path == "analysis.2.4"


# --- files that cannot be read -------------------------------------------------------------


def test_invalid_yaml_is_unreadable_with_its_line() -> None:
    with pytest.raises(UnreadableFile, match="第 3 行 YAML 语法错误"):
        parse_submission_text("format: jixiao.submission/1\nyear: 2023\nrubric: a: b\n")


def test_invalid_json_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="JSON 语法错误"):
        parse_submission_text('{"format": "jixiao.submission/1",}')


def test_top_level_list_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="顶层应为映射"):
        parse_submission_text("- format: jixiao.submission/1\n")


def test_empty_file_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="文件为空"):
        parse_submission_text("")


def test_missing_file_is_unreadable_and_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(UnreadableFile, match="nowhere.yaml") as caught:
        read_submission_file(path)
    assert "文件不存在" in str(caught.value)


def test_non_utf8_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("rubric: 江门".encode("gbk"))
    with pytest.raises(UnreadableFile, match="UTF-8"):
        read_submission_file(path)
