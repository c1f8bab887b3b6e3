"""The figures workbook as written for download: the template and the export are one file.

A guide sheet, 数值 and one sheet per list, prefilled with the current figures, ready to be
edited offline and imported again. Text goes in as data, never as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evaluations.common.xlsx import HEADER_FONT, write_header
from evaluations.excel.cells import FLAG, put
from evaluations.excel.layout import (
    DEPARTMENT_FACT,
    GUIDE_SHEET,
    LIST_ROW_LIMIT,
    LIST_SHEETS,
    SCALAR_HEADERS,
    SCALAR_SHEET,
    SCALARS,
    YEAR_FACT,
    ListSheet,
    value_at,
)
from rubrics.figures import Figures

CODE_FONT = Font(color="6C757D")


def build_workbook(figures: Figures, *, version: int, export: bool = False) -> bytes:
    """The .xlsx of the figures: a guide sheet, 数值 and one sheet per list, prefilled."""
    workbook = Workbook()
    write_guide(cast(Worksheet, workbook.active), figures, version, export)
    write_scalars(workbook.create_sheet(SCALAR_SHEET), figures)
    for sheet in LIST_SHEETS:
        write_list(workbook.create_sheet(sheet.title), sheet, value_at(figures, sheet.path))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_scalars(ws: Worksheet, figures: Figures) -> None:
    write_header(ws, SCALAR_HEADERS, (40, 30, 8, 20))
    flags: list[str] = []
    for row, scalar in enumerate(SCALARS, 2):
        put(ws, row, 1, scalar.code)
        ws.cell(row=row, column=1).font = CODE_FONT
        put(ws, row, 2, str(scalar.label))
        put(ws, row, 3, scalar.unit_text)
        put(ws, row, 4, scalar.kind.write(value_at(figures, scalar.code)), scalar.kind)
        if scalar.kind is FLAG:
            flags.append(f"D{row}")
    add_choices(ws, FLAG.choices, flags)


def write_list(ws: Worksheet, sheet: ListSheet, items: Sequence[Any]) -> None:
    write_header(ws, [c.header for c in sheet.columns], [c.width for c in sheet.columns])
    for row, item in enumerate(items, 2):
        for column, spec in enumerate(sheet.columns, 1):
            put(ws, row, column, spec.kind.write(getattr(item, spec.field)), spec.kind)
    for column, spec in enumerate(sheet.columns, 1):
        letter = get_column_letter(column)
        # New rows typed in Excel take the column's format: 6.90 stays text, amounts grouped.
        ws.column_dimensions[letter].number_format = spec.kind.number_format
        if spec.kind.choices:
            add_choices(ws, spec.kind.choices, [f"{letter}2:{letter}{LIST_ROW_LIMIT + 1}"])


def add_choices(ws: Worksheet, choices: Sequence[str], ranges: Sequence[str]) -> None:
    if not ranges:
        return
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                allow_blank=True, showErrorMessage=True,
                                errorTitle=_("请从列表中选择"),
                                error=_("请填写以下之一：%(choices)s") % {
                                    "choices": "、".join(choices)})
    for cells in ranges:
        validation.add(cells)
    ws.add_data_validation(validation)


def guide_lines(export: bool) -> list[str]:
    first = (_("本文件是导出时的数据快照，可直接查阅；也可修改后作为模板导入。") if export
             else _("本文件是离线填写模板，已预填当前数据；修改后在填报页面点击“导入 Excel”上传。"))
    return [
        first,
        _("请勿修改、删除或重命名工作表和表头，请勿修改“数值”工作表的“代码”列。"),
        _("金额单位为万元，最多 4 位小数；“三公”经费单位为元，最多 2 位小数；比率单位为 %，"
          "填写百分数（90.99 表示 90.99%），最多 2 位小数。金额可写作 5,520.39。"),
        _("次数、个数填写非负整数；“是/否”列填写“是”或“否”；“预算总支出（人大审议）”可留空。"),
        _("绩效目标：指标类型填写“产出”或“效益”；产出指标类别为数量、质量、时效、成本；"
          "效益指标类别为经济效益、社会效益、生态效益、可持续影响、满意度。"),
        _("列表工作表每行一项，最多 %(n)d 行；导入时整表替换系统中的对应列表，删除的行即删除。")
        % {"n": LIST_ROW_LIMIT},
        _("文字说明、预算单位、报告日期、申请调整、扣分事项、整改措施和评分分析不在本文件中，"
          "导入不会改变它们，请在网页中填写。"),
        _("文件中只要有一处错误，系统不保存任何数据，并逐一列出出错的工作表、行和列。"),
        _("以英文单引号 ' 开头、后接 = + - @ 的文字是为防止被当作公式而加的，导入时自动去掉。"),
        _("请保存为 .xlsx 格式（不要保存为启用宏的 .xlsm），文件不超过 5 MB。"),
    ]


def write_guide(ws: Worksheet, figures: Figures, version: int, export: bool) -> None:
    ws.title = GUIDE_SHEET
    put(ws, 1, 1, _("%(dept)s %(year)d 年度部门整体支出绩效自评数据") % {
        "dept": figures.department, "year": figures.year})
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    facts = [(DEPARTMENT_FACT, figures.department), (YEAR_FACT, figures.year),
             ("评分体系", figures.rubric), ("数据版本", version)]
    for row, (label, value) in enumerate(facts, 2):
        put(ws, row, 1, label)
        put(ws, row, 2, value)
        ws.cell(row=row, column=1).font = HEADER_FONT
        ws.cell(row=row, column=2).alignment = Alignment(horizontal="left")
    put(ws, 7, 1, _("填写说明"))
    ws.cell(row=7, column=1).font = HEADER_FONT
    for row, line in enumerate(guide_lines(export), 8):
        put(ws, row, 1, f"{row - 7}.")
        put(ws, row, 2, line)
        ws.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 100
