"""Applying a read workbook: whose it is, what it replaces, and where the scoring's errors are shown.

Pure: `ExcelFigures` are built by hand, so each test names exactly the rows the messages point to.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from evaluations.excel.apply import locate, merged, owner_errors, with_value
from evaluations.excel.read import ExcelFigures
from evaluations.figures.interchange import read_submission_file
from rubrics.figures import Figures, Transfer
from rubrics.rules import Issue
from tests.evaluations.conftest import REFERENCE_FILE

D = Decimal


@cache
def current() -> Figures:
    return read_submission_file(REFERENCE_FILE).figures


def workbook(department: str | None = None, year: str | None = None, **extra: Any) -> ExcelFigures:
    values: dict[str, Any] = {"scalars": {}, "lists": {}, "scalar_rows": {}, "list_rows": {},
                              "department": department, "year": year}
    return ExcelFigures(**{**values, **extra})


# --- whose workbook ------------------------------------------------------------------------


def test_a_workbook_of_this_department_and_year_or_of_nobody_is_this_ones() -> None:
    assert owner_errors(current(), workbook("江门市人力资源和社会保障局", "2023")) == []
    assert owner_errors(current(), workbook()) == []


def test_a_workbook_of_another_department_is_refused_naming_both() -> None:
    assert owner_errors(current(), workbook("江门市示范局", "2022")) == [
        "该文件属于“江门市示范局”，不能导入到“江门市人力资源和社会保障局”的自评中。"]


def test_a_workbook_of_another_year_is_refused_naming_both() -> None:
    assert owner_errors(current(), workbook(None, "2022")) == [
        "该文件是 2022 年度的数据，不能导入到 2023 年度的自评中。"]
    assert owner_errors(current(), workbook("江门市人力资源和社会保障局", "2023年")) == [
        "该文件是 2023年 年度的数据，不能导入到 2023 年度的自评中。"]


# --- what it replaces ------------------------------------------------------------------------


def test_merging_replaces_exactly_the_figures_and_lists_the_workbook_holds() -> None:
    transfers = (Transfer(name="新", amount=D("2"), spent=D("1")),)
    parsed = workbook(scalars={"expenditure.actual.project": D("1.5"),
                               "procurement.violations": 4},
                      lists={"transfers": transfers, "budget_preparation.new_projects": ()})
    figures = merged(current(), parsed)
    before = current()
    assert figures == dataclasses.replace(
        before, transfers=transfers,
        expenditure=dataclasses.replace(before.expenditure, actual=dataclasses.replace(
            before.expenditure.actual, project=D("1.5"))),
        procurement=dataclasses.replace(before.procurement, violations=4),
        budget_preparation=dataclasses.replace(before.budget_preparation, new_projects=()),
    )


def test_a_value_is_replaced_at_any_depth_of_its_dotted_path() -> None:
    figures = with_value(current(), "expenditure.quarterly_rate.q3", D("77"))
    assert figures.expenditure.quarterly_rate.q3 == D("77")
    assert figures.expenditure.quarterly_rate.q2 == current().expenditure.quarterly_rate.q2
    assert with_value(current(), "year", 2024).year == 2024


# --- where the scoring's errors are shown ----------------------------------------------------


def test_an_error_on_a_scalar_is_shown_at_its_row_of_values() -> None:
    parsed = workbook(scalar_rows={"assets.utilisation_rate": 31})
    assert locate(parsed, Issue("assets.utilisation_rate", "应在 0 至 100 之间")) == (
        "工作表“数值”第 31 行 D 列（固定资产利用率）：应在 0 至 100 之间")


def test_an_error_on_a_list_field_is_shown_at_the_items_own_row_and_column() -> None:
    parsed = workbook(list_rows={"transfers": (2, 5, 9)})
    assert locate(parsed, Issue("transfers[2].spent", "支出金额大于下达金额")) == (
        "工作表“转移支付”第 9 行 C 列（已支出（万元））：支出金额大于下达金额")
    nested = workbook(list_rows={"budget_execution.inspection_findings": (4,)})
    assert locate(nested, Issue("budget_execution.inspection_findings[0].rectified", "须整改")) == (
        "工作表“检查发现问题”第 4 行 C 列（是否已整改）：须整改")


def test_an_error_on_a_whole_item_is_shown_at_its_first_column() -> None:
    parsed = workbook(list_rows={"special_funds": (3, 4)})
    assert locate(parsed, Issue("special_funds[1]", "重复")) == (
        "工作表“专项资金”第 4 行 A 列（名称）：重复")


def test_an_error_on_an_unknown_field_of_an_item_falls_back_to_the_first_column() -> None:
    parsed = workbook(list_rows={"transfers": (2,)})
    assert locate(parsed, Issue("transfers[0].other", "错")) == (
        "工作表“转移支付”第 2 行 A 列（名称）：错")


@pytest.mark.parametrize(("path", "expected"), [
    ("deductions[1].points", "扣分事项第 2 项（请在网页中修改）：不对"),
    ("claims[0]", "申请调整第 1 项（请在网页中修改）：不对"),
    ("analysis", "评分分析（请在网页中修改）：不对"),
    ("remedies[10].text", "整改措施第 11 项（请在网页中修改）：不对"),
    ("narrative.functions", "narrative.functions：不对"),
    ("assets.utilisation_rate", "assets.utilisation_rate：不对"),
    ("1.1.3", "1.1.3：不对"),
])
def test_an_error_in_a_part_excel_does_not_hold_is_named_in_words(path: str,
                                                                   expected: str) -> None:
    assert locate(workbook(), Issue(path, "不对")) == expected
