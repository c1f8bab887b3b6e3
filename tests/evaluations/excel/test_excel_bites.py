"""The workbook reader on the edges: formula, float and text cells, every bound exactly, each message.

No database: the template is built from the reference figures, spoiled one cell at a time and read
back with `read_workbook`. Every refusal is asserted as the whole located message (sheet, row,
column, header), so that moving a bound, a column or a word is seen.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from functools import cache
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from evaluations.excel.read import ExcelFigures, ExcelRefused, read_workbook
from evaluations.excel.write import build_workbook
from evaluations.figures.interchange import read_submission_file
from rubrics.figures import Figures, Transfer
from tests.evaluations.conftest import REFERENCE_FILE

D = Decimal
NOT_XLSX = ("文件不是有效的 Excel 工作簿（.xlsx）；如为 .xls 等旧格式，请在 Excel 中另存为 .xlsx 后再"
            "导入。")
MACRO = "不能导入启用宏的文件（.xlsm）：请在 Excel 中另存为“Excel 工作簿（*.xlsx）”后再导入。"
BROKEN = "无法读取该 Excel 文件，文件可能已损坏。"


@cache
def reference_figures() -> Figures:
    return read_submission_file(REFERENCE_FILE).figures


@cache
def template_bytes() -> bytes:
    return build_workbook(reference_figures(), version=3)


def template() -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_bytes()))


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(workbook: Workbook | bytes, name: str = "自评数据.xlsx",
         content_type: str = "") -> ExcelFigures:
    content = workbook if isinstance(workbook, bytes) else saved(workbook)
    return read_workbook(content, name=name, content_type=content_type)


def refused(workbook: Workbook | bytes, **upload: Any) -> list[str]:
    with pytest.raises(ExcelRefused) as caught:
        read(workbook, **upload)
    return caught.value.messages


def row_of(workbook: Workbook, code: str) -> int:
    sheet = workbook["数值"]
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == code)


def with_value(code: str, value: Any, number_format: str | None = None) -> Workbook:
    workbook = template()
    cell = workbook["数值"].cell(row_of(workbook, code), 4)
    cell.value = value
    if number_format is not None:
        cell.number_format = number_format
    return workbook


def scalar(code: str, value: Any, number_format: str | None = None) -> Any:
    return read(with_value(code, value, number_format)).scalars[code]


def scalar_refusal(code: str, value: Any, number_format: str | None = None) -> list[str]:
    return refused(with_value(code, value, number_format))


def at_value(row: int, label: str, message: str) -> list[str]:
    return [f"工作表“数值”第 {row} 行 D 列（{label}）：{message}"]


# --- the template reads back as the figures ------------------------------------------------


def test_the_unchanged_template_reads_back_every_figure_and_its_row() -> None:
    parsed = read(template_bytes())
    figures = reference_figures()
    assert parsed.scalars["expenditure.actual.personnel"] == D("5520.39")
    assert parsed.scalar_rows["expenditure.budget_total"] == 2
    assert parsed.scalar_rows["operating_costs.sangong_actual"] == 34
    assert parsed.lists["transfers"] == figures.transfers
    assert parsed.lists["targets"] == figures.targets
    assert parsed.list_rows["transfers"] == (2, 3, 4)
    assert (parsed.department, parsed.year) == ("江门市人力资源和社会保障局", "2023")


def test_a_refusal_reads_as_its_messages_joined() -> None:
    refusal = ExcelRefused(["第一处", "第二处"])
    assert (str(refusal), refusal.messages) == ("第一处; 第二处", ["第一处", "第二处"])


# --- formula cells -------------------------------------------------------------------------


def rewritten(content: bytes, part: str, old: str, new: str) -> bytes:
    """The package with one text replaced in one of its parts (exactly once)."""
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target, "w") as after:
        for entry in before.infolist():
            data = before.read(entry.filename)
            if entry.filename == part:
                assert data.decode().count(old) == 1, old
                data = data.decode().replace(old, new).encode()
            after.writestr(entry, data)
    return target.getvalue()


def with_cached(content: bytes, formula: str, cached: str, cell_type: str = "") -> bytes:
    """The workbook as Excel saves it: the formula's last computed value stored beside it."""
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for entry in old.infolist():
            data = old.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/"):
                text = data.decode()
                text = re.sub(rf'(<c r="[A-Z]+\d+"[^>]*?)(>)<f>{re.escape(formula)}</f><v ?/>',
                              rf'\1{cell_type}\2<f>{formula}</f><v>{cached}</v>', text)
                data = text.encode()
            new.writestr(entry, data)
    return target.getvalue()


def test_a_formula_without_a_stored_result_is_a_blank_cell_and_required() -> None:
    workbook = with_value("expenditure.budget.project", "=1+2")
    workbook["转移支付"]["C3"] = "=B3/2"
    assert refused(workbook) == [
        "工作表“数值”第 5 行 D 列（项目支出预算）：必须填写",
        "工作表“转移支付”第 3 行 C 列（已支出（万元））：必须填写",
    ]


def test_a_formula_is_read_as_the_result_excel_stored_for_it() -> None:
    content = with_cached(saved(with_value("expenditure.budget.project", "=1+2")), "1+2", "3")
    assert read(content).scalars["expenditure.budget.project"] == D(3)


def test_a_formulas_float_result_is_read_through_its_shortest_text_then_checked() -> None:
    workbook = with_value("expenditure.budget.project", "=0.1+0.2")
    content = with_cached(saved(workbook), "0.1+0.2", "0.30000000000000004")
    assert refused(content) == at_value(5, "项目支出预算", "最多 4 位小数")


def test_a_formula_that_failed_in_excel_is_not_a_number() -> None:
    workbook = with_value("expenditure.budget.project", "=1/0")
    content = with_cached(saved(workbook), "1/0", "#DIV/0!", ' t="e"')
    assert refused(content) == at_value(5, "项目支出预算", "不是有效的数值")


def test_an_optional_figure_left_as_an_uncomputed_formula_is_read_as_not_given() -> None:
    assert scalar("expenditure.budget_total", "=1+2") is None


# --- float, integer and text cells of amounts ---------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (5520.39, "5520.39"), (0.0001, "0.0001"), ("0.0001", "0.0001"), (12, "12"), (0, "0"),
    (-0.0, "0"), ("9,207.5201", "9207.5201"), ("9，207.52", "9207.52"), (" 9 207.52 ", "9207.52"),
    ("1,234,567", "1234567"), ("+5", "5"), (999999999999.99, "999999999999.99"),
    ("999999999999.9999", "999999999999.9999"),
])
def test_an_amount_cell_is_read_exactly(value: Any, expected: str) -> None:
    read_value = scalar("expenditure.budget.project", value)
    assert read_value == D(expected) and isinstance(read_value, Decimal)


@pytest.mark.parametrize(("value", "message"), [
    (0.00001, "最多 4 位小数"), ("1.23456", "最多 4 位小数"),
    (-0.0001, "不能为负数"), ("-1", "不能为负数"), ("1,23", "不是有效的数值"),
    ("12,3456", "不是有效的数值"), ("1e3", "不是有效的数值"), ("一百", "不是有效的数值"),
    (True, "不是有效的数值"), (1e12, "数值过大"), ("1000000000000", "数值过大"),
    ("1,000,000,000,000.5", "数值过大"),
])
def test_an_amount_cell_out_of_bounds_is_refused_at_its_cell(value: Any, message: str) -> None:
    assert scalar_refusal("expenditure.budget.project", value) == at_value(5, "项目支出预算",
                                                                           message)


def test_a_float_excel_stored_with_all_its_digits_is_refused_for_its_places() -> None:
    # openpyxl writes 0.1 + 0.2 as "0.3"; Excel stores the 17 digits, as set here.
    content = saved(with_value("expenditure.budget.project", 0.25))
    content = rewritten(content, "xl/worksheets/sheet2.xml", '<c r="D5" s="7" t="n"><v>0.25</v>',
                        '<c r="D5" s="7" t="n"><v>0.30000000000000004</v>')
    assert refused(content) == at_value(5, "项目支出预算", "最多 4 位小数")


def test_a_yuan_cell_allows_exactly_two_places() -> None:
    assert scalar("operating_costs.sangong_actual", 0.01) == D("0.01")
    assert scalar_refusal("operating_costs.sangong_actual", 0.001) == at_value(
        34, "“三公”经费支出", "最多 2 位小数")


# --- percentages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "number_format", "expected"), [
    (99.99, None, "99.99"), (1000, None, "1000"), (0, None, "0"), (0.9944, "0.00%", "99.44"),
    (10, "0.00%", "1000"), (1, "0%", "100"), ("90", "0.00%", "90"), ("1,000", None, "1000"),
])
def test_a_percentage_up_to_1000_with_two_places_is_accepted(value: Any, number_format: str | None,
                                                             expected: str) -> None:
    assert scalar("assets.utilisation_rate", value, number_format) == D(expected)


@pytest.mark.parametrize(("value", "number_format", "message"), [
    (1000.01, None, "百分比应在 0 至 1000 之间"), ("1001", None, "百分比应在 0 至 1000 之间"),
    (10.0001, "0.00%", "百分比应在 0 至 1000 之间"), (99.999, None, "最多 2 位小数"),
    (0.999999, "0.00%", "最多 2 位小数"), (-0.01, None, "不能为负数"),
])
def test_a_percentage_past_1000_or_two_places_is_refused(value: Any, number_format: str | None,
                                                         message: str) -> None:
    assert scalar_refusal("assets.utilisation_rate", value, number_format) == at_value(
        31, "固定资产利用率", message)


def test_an_amount_in_a_percent_formatted_cell_is_not_multiplied() -> None:
    assert scalar("expenditure.budget.project", 0.5, "0.00%") == D("0.5")


# --- counts and flags ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (1_000_000, 1_000_000), (2.0, 2),
                                                 ("1,000", 1000), ("3", 3)])
def test_a_count_from_zero_to_a_million_is_accepted(value: Any, expected: int) -> None:
    count = scalar("procurement.contracts_total", value)
    assert count == expected and type(count) is int


@pytest.mark.parametrize("value", [1_000_001, -1, 2.5, "三", "1e2", True])
def test_a_count_past_a_million_negative_fractional_or_text_is_refused(value: Any) -> None:
    assert scalar_refusal("procurement.contracts_total", value) == at_value(
        28, "采购合同数", "应为非负整数")


@pytest.mark.parametrize(("value", "expected"), [("是", True), (" 否 ", False), (True, True),
                                                 (False, False)])
def test_a_flag_is_yes_or_no_or_an_excel_boolean(value: Any, expected: bool) -> None:
    assert scalar("disclosure.budget", value) is expected


@pytest.mark.parametrize("value", ["Y", "yes", 1, 0, "是的"])
def test_any_other_flag_is_refused(value: Any) -> None:
    assert scalar_refusal("disclosure.budget", value) == at_value(20, "已公开部门预算",
                                                                  "应填写“是”或“否”")


def test_a_blank_required_value_must_be_filled_and_a_blank_optional_one_is_not_given() -> None:
    assert scalar_refusal("expenditure.total_income", "  ") == at_value(10, "总收入", "必须填写")
    assert scalar("expenditure.budget_total", None) is None


# --- the rows of 数值 ---------------------------------------------------------------------------


def test_a_duplicated_blank_or_unknown_code_is_refused_at_its_row() -> None:
    workbook = template()
    sheet = workbook["数值"]
    sheet.append(["procurement.violations", "重复", "次", 1])
    sheet.append(["", "空代码", "", 1])
    sheet.append(["procurement.bonus", "奖金", "", 1])
    assert refused(workbook) == [
        "工作表“数值”第 35 行 A 列（代码）：代码 procurement.violations 重复",
        "工作表“数值”第 36 行 A 列（代码）：未知的代码：（空）",
        "工作表“数值”第 37 行 A 列（代码）：未知的代码：procurement.bonus",
    ]


def test_a_deleted_row_of_values_is_named_by_its_code_and_label() -> None:
    workbook = template()
    workbook["数值"].delete_rows(10)
    assert refused(workbook) == [
        "工作表“数值”缺少代码为 expenditure.total_income（总收入）的行；请勿删除行。"]


def test_a_renamed_header_of_values_is_refused_at_its_column() -> None:
    workbook = template()
    workbook["数值"]["D1"] = "金额"
    workbook["数值"]["A1"] = None
    assert refused(workbook) == [
        "工作表“数值”第 1 行 A 列（代码）：表头应为“代码”，请勿修改表头",
        "工作表“数值”第 1 行 D 列（数值）：表头应为“数值”，请勿修改表头",
    ]


# --- list sheets ---------------------------------------------------------------------------------


def test_a_target_row_reads_kind_names_and_numbers_typed_as_text() -> None:
    workbook = template()
    sheet = workbook["绩效目标"]
    sheet.append(["效益指标", "满意度", " 群众满意度 ", "%", 0.95, 95.5, "是"])
    sheet.cell(sheet.max_row, 5).number_format = "0%"
    last = read(workbook).lists["targets"][-1]
    assert (last.kind, last.category, last.name, last.unit, last.target, last.actual,
            last.completed) == ("outcome", "满意度", "群众满意度", "%", "95%", "95.5", True)


def test_optional_target_texts_left_blank_are_empty() -> None:
    workbook = template()
    workbook["绩效目标"].append(["产出", "数量", "人数", None, None, "  ", "否"])
    last = read(workbook).lists["targets"][-1]
    assert (last.unit, last.target, last.actual, last.completed) == ("", "", "", False)


def test_a_target_row_with_bad_kind_category_and_length_lists_each_cell() -> None:
    workbook = template()
    workbook["绩效目标"].append(["影响", "满意", "名" * 201, "单" * 21, "目" * 60, True, None])
    assert refused(workbook) == [
        "工作表“绩效目标”第 21 行 A 列（指标类型）：应填写“产出”或“效益”",
        "工作表“绩效目标”第 21 行 B 列（指标类别）：应为以下之一：数量、质量、时效、成本、经济效益、"
        "社会效益、生态效益、可持续影响、满意度",
        "工作表“绩效目标”第 21 行 C 列（指标名称）：最多 200 个字",
        "工作表“绩效目标”第 21 行 D 列（计量单位）：最多 20 个字",
        "工作表“绩效目标”第 21 行 F 列（实际完成值）：应为文本",
        "工作表“绩效目标”第 21 行 G 列（是否完成）：必须填写",
    ]


def test_a_text_of_exactly_its_maximum_length_is_accepted() -> None:
    workbook = template()
    workbook["绩效目标"].append(["产出", "数量", "名" * 200, "单" * 20, "目" * 60, "实" * 60, "否"])
    last = read(workbook).lists["targets"][-1]
    assert (len(last.name), len(last.unit), len(last.target), len(last.actual)) == (200, 20, 60, 60)


def test_an_outcome_category_given_to_an_output_target_names_the_output_categories() -> None:
    workbook = template()
    workbook["绩效目标"].append(["产出", "满意度", "x", None, None, None, "否"])
    assert refused(workbook) == [
        "工作表“绩效目标”第 21 行 B 列（指标类别）：产出指标的类别应为以下之一：数量、质量、时效、成本"]


def test_blank_rows_are_skipped_and_each_item_keeps_its_excel_row() -> None:
    workbook = template()
    sheet = workbook["转移支付"]
    sheet.insert_rows(3)
    sheet["A7"] = "新增转移支付"
    sheet["B7"], sheet["C7"] = "1,000.5", 0.5
    parsed = read(workbook)
    assert parsed.list_rows["transfers"] == (2, 4, 5, 7)
    assert parsed.lists["transfers"][-1] == Transfer(name="新增转移支付", amount=D("1000.5"),
                                                     spent=D("0.5"))


def test_a_list_sheet_holds_exactly_200_rows_and_refuses_the_201st_at_its_row() -> None:
    workbook = template()
    sheet = workbook["新增预算项目"]
    for i in range(200 - (sheet.max_row - 1)):
        sheet.append([f"项目{i}", "否"])
    assert len(read(workbook).lists["budget_preparation.new_projects"]) == 200
    sheet.append(["第 201 项", "是"])
    assert refused(workbook) == [
        "工作表“新增预算项目”第 202 行：超过上限，每个工作表最多 200 行数据。"]


def test_a_sheet_of_exactly_1000_rows_is_read_and_one_more_is_refused_unread() -> None:
    workbook = template()
    sheet = workbook["专项资金"]
    sheet.cell(1000, 1).value = " "  # a blank-looking cell makes the sheet 1000 rows long
    assert len(read(workbook).lists["special_funds"]) == 1
    sheet.cell(1001, 1).value = " "
    assert refused(workbook) == [
        "工作表“专项资金”有 1,001 行，超过上限（最多 200 行数据）；请删除多余的行，"
        "包括看似空白但带格式的行。"]


def test_the_sheets_together_may_hold_2000_rows_and_not_one_more() -> None:
    workbook = template()
    used = sum(workbook[t].max_row for t in ["数值", "绩效目标", "专项资金", "转移支付"])
    workbook["新增预算项目"].cell(1000, 1).value = " "
    workbook["检查发现问题"].cell(2000 - used - 1000, 1).value = " "
    read(workbook)
    workbook["检查发现问题"].cell(2000 - used - 1000 + 1, 1).value = " "
    assert refused(workbook) == ["文件共有 2,001 行，超过上限 2,000 行。"]


def test_a_missing_sheet_and_a_renamed_list_header_are_named() -> None:
    workbook = template()
    del workbook["专项资金"]
    del workbook["检查发现问题"]
    assert refused(workbook) == ["缺少工作表“专项资金”；请勿删除或重命名工作表。",
                                 "缺少工作表“检查发现问题”；请勿删除或重命名工作表。"]
    workbook = template()
    workbook["转移支付"]["B1"] = "金额"
    assert refused(workbook) == [
        "工作表“转移支付”第 1 行 B 列（下达金额（万元））：表头应为“下达金额（万元）”，请勿修改表头"]


# --- the guide sheet: whose workbook it is ----------------------------------------------------


@pytest.mark.parametrize(("year", "expected"), [(2023, "2023"), (2023.0, "2023"), (" 2023 ", "2023"),
                                                ("2023年", "2023年")])
def test_the_guide_sheet_names_the_department_and_year(year: Any, expected: str) -> None:
    workbook = template()
    workbook["说明"]["B3"] = year
    workbook["说明"]["A2"] = " 部门 "
    assert (read(workbook).department, read(workbook).year) == ("江门市人力资源和社会保障局",
                                                                expected)


def test_a_year_excel_stored_as_a_float_is_read_as_its_plain_number() -> None:
    workbook = template()
    workbook["说明"]["B3"] = 2022.5  # openpyxl writes 2023.0 as "2023"; Excel may store "2023.0"
    content = rewritten(saved(workbook), "xl/worksheets/sheet1.xml", "<v>2022.5</v>",
                        "<v>2023.0</v>")
    assert read(content).year == "2023"


def test_a_guide_row_without_label_or_without_value_names_nobody() -> None:
    workbook = template()
    guide = workbook["说明"]
    guide["B2"] = None
    guide["A3"] = None  # the year 2023 stays in B3, now without its label
    parsed = read(workbook)
    assert (parsed.department, parsed.year) == (None, None)


def test_the_owner_is_read_from_the_first_six_rows_of_the_guide_only() -> None:
    workbook = template()
    guide = workbook["说明"]
    guide["A2"], guide["A3"] = "备注", "备注"
    guide["A6"], guide["B6"] = "部门", "第六行的部门"
    guide["A7"], guide["B7"] = "年度", 2022
    parsed = read(workbook)
    assert (parsed.department, parsed.year) == ("第六行的部门", None)


def test_a_header_with_spaces_around_it_is_still_the_header() -> None:
    workbook = template()
    workbook["数值"]["A1"] = " 代码 "
    workbook["转移支付"]["C1"] = "已支出（万元）  "
    assert read(workbook).scalars["expenditure.actual.personnel"] == D("5520.39")


def test_a_workbook_without_its_guide_sheet_names_no_owner() -> None:
    workbook = template()
    del workbook["说明"]
    parsed = read(workbook)
    assert (parsed.department, parsed.year) == (None, None)


# --- the file itself ---------------------------------------------------------------------------


def test_a_file_of_exactly_five_megabytes_is_opened_and_one_byte_more_is_not() -> None:
    assert refused(b"\0" * (5 * 1024 * 1024)) == [NOT_XLSX]
    assert refused(b"\0" * (5 * 1024 * 1024 + 1)) == ["文件超过 5 MB，不能导入。"]


def package(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_package_unpacking_to_exactly_25_megabytes_is_opened_and_one_byte_more_is_not() -> None:
    head = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    filler = 25 * 1024 * 1024 - sum(len(v) for v in head.values())
    assert refused(package({**head, "xl/filler.bin": b"\0" * filler})) == [BROKEN]
    assert refused(package({**head, "xl/filler.bin": b"\0" * (filler + 1)})) == [
        "文件解压后过大，不能导入。"]


@pytest.mark.parametrize(("name", "content_type"), [
    ("自评数据.xlsm", ""), ("自评数据.XLTM", ""), ("宏.xlam", ""),
    ("自评数据.xlsx", "application/vnd.ms-excel.sheet.MacroEnabled.12"),
])
def test_a_macro_name_or_type_is_refused_before_reading(name: str, content_type: str) -> None:
    assert refused(b"not even a zip", name=name, content_type=content_type) == [MACRO]


def test_a_package_declaring_macros_is_refused() -> None:
    content = package({"[Content_Types].xml": b"<Types>application/vnd.ms-excel.sheet.macroEnabled"
                                              b".main+xml</Types>", "xl/workbook.xml": b"<w/>"})
    assert refused(content) == [MACRO]


def test_an_upper_case_xlsx_name_is_read() -> None:
    assert read(template_bytes(), name="自评数据.XLSX").scalars


@pytest.mark.parametrize("name", ["自评数据.xls", "自评数据.csv", "自评数据", "xlsx"])
def test_any_other_name_is_refused_naming_the_file(name: str) -> None:
    assert refused(template_bytes(), name=name) == [f"只能导入 .xlsx 格式的 Excel 文件（{name}）。"]


def test_a_package_lacking_the_workbook_part_is_not_a_workbook() -> None:
    assert refused(package({"[Content_Types].xml": b"<Types/>"})) == [NOT_XLSX]
    assert refused(package({"xl/workbook.xml": b"<w/>"})) == [NOT_XLSX]


def test_a_workbook_whose_parts_are_garbage_is_said_to_be_damaged() -> None:
    assert refused(package({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w"})) == [
        BROKEN]
