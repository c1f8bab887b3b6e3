"""Reading an uploaded figures workbook: every problem found, each located in Chinese.

Reading refuses, before parsing anything, what is not a plain .xlsx (macros, other formats,
oversized or over-long files); every cell error names its sheet, row, column and header, and
any error means nothing is imported (`ExcelRefused` carries all the messages).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from evaluations.excel.cells import KIND_NAMES, CellError, CellKind, decimal_of, is_blank
from evaluations.excel.layout import (
    DATA_SHEETS,
    DEPARTMENT_FACT,
    GUIDE_SHEET,
    LIST_ROW_LIMIT,
    LIST_SHEETS,
    SCALAR_HEADERS,
    SCALAR_SHEET,
    SCALARS,
    SCALARS_BY_CODE,
    YEAR_FACT,
    ListSheet,
)
from rubrics.figures import TARGET_CATEGORIES, Target
from rubrics.numbers import plain

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 25 * 1024 * 1024  # a zip bomb is refused from its directory, unread
SCAN_ROW_LIMIT = 1000    # no sheet is read past this row; a longer sheet is refused unread
TOTAL_ROW_LIMIT = 2000   # rows of all read sheets together, checked before reading any


class ExcelRefused(Exception):
    """The upload cannot be imported; `messages` say why, in Chinese, located where possible."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class ExcelFigures:
    """What a workbook holds: scalars by code, lists by path, and the Excel row of each."""

    scalars: dict[str, Any]
    lists: dict[str, tuple[Any, ...]]
    scalar_rows: dict[str, int]
    list_rows: dict[str, tuple[int, ...]]
    department: str | None = None
    year: str | None = None


def located(sheet: str, row: int, column: int, header: str, message: str) -> str:
    return _("工作表“%(sheet)s”第 %(row)d 行 %(col)s 列（%(header)s）：%(message)s") % {
        "sheet": sheet, "row": row, "col": get_column_letter(column), "header": header,
        "message": message}


def check_file(name: str, content_type: str, content: bytes) -> None:
    """Refuse, without parsing it, anything but a plain .xlsx within the size limits."""
    macro = _("不能导入启用宏的文件（.xlsm）：请在 Excel 中另存为“Excel 工作簿（*.xlsx）”"
              "后再导入。")
    lowered = name.lower()
    if lowered.endswith((".xlsm", ".xltm", ".xlam")) or "macroenabled" in content_type.lower():
        raise ExcelRefused([macro])
    if not lowered.endswith(".xlsx"):
        raise ExcelRefused([_("只能导入 .xlsx 格式的 Excel 文件（%(name)s）。") % {"name": name}])
    if len(content) > MAX_FILE_BYTES:
        raise ExcelRefused([_("文件超过 5 MB，不能导入。")])
    check_package(content, macro)


def check_package(content: bytes, macro: str) -> None:
    not_xlsx = _("文件不是有效的 Excel 工作簿（.xlsx）；如为 .xls 等旧格式，请在 Excel 中另存为"
                 " .xlsx 后再导入。")
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise ExcelRefused([not_xlsx])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            entries = package.infolist()
            names = {entry.filename for entry in entries}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise ExcelRefused([macro])
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
                raise ExcelRefused([not_xlsx])
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise ExcelRefused([_("文件解压后过大，不能导入。")])
            if b"macroenabled" in package.read("[Content_Types].xml").lower():
                raise ExcelRefused([macro])
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise ExcelRefused([not_xlsx]) from None


def read_workbook(content: bytes, *, name: str, content_type: str = "") -> ExcelFigures:
    """The figures of an uploaded workbook, or ExcelRefused listing every problem."""
    check_file(name, content_type, content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parser failure on an untrusted file is "unreadable"
        raise ExcelRefused([_("无法读取该 Excel 文件，文件可能已损坏。")]) from None
    try:
        return read_sheets(workbook)
    except ExcelRefused:
        raise
    except Exception:  # noqa: BLE001 - rows are parsed lazily: a broken sheet fails here
        raise ExcelRefused([_("无法读取该 Excel 文件，文件可能已损坏。")]) from None
    finally:
        workbook.close()


def read_sheets(workbook: Any) -> ExcelFigures:
    missing = [title for title in DATA_SHEETS if title not in workbook.sheetnames]
    if missing:
        raise ExcelRefused([_("缺少工作表“%(sheet)s”；请勿删除或重命名工作表。") % {"sheet": title}
                            for title in missing])
    check_lengths([workbook[title] for title in DATA_SHEETS])
    errors: list[str] = []
    scalars, scalar_rows = read_scalars(workbook[SCALAR_SHEET], errors)
    lists, list_rows = {}, {}
    for sheet in LIST_SHEETS:
        lists[sheet.path], list_rows[sheet.path] = read_list(workbook[sheet.title], sheet, errors)
    if errors:
        raise ExcelRefused(errors)
    department, year = read_owner(workbook)
    return ExcelFigures(scalars, lists, scalar_rows, list_rows, department, year)


def check_lengths(sheets: Sequence[Any]) -> None:
    """Refuse over-long sheets from their recorded size, before a single row is parsed."""
    rows = {ws.title: ws.max_row or 0 for ws in sheets}
    long = [_("工作表“%(sheet)s”有 %(rows)s 行，超过上限（最多 %(n)d 行数据）；请删除多余的行，"
              "包括看似空白但带格式的行。") % {"sheet": title, "rows": f"{count:,}",
                                              "n": LIST_ROW_LIMIT}
            for title, count in rows.items() if count > SCAN_ROW_LIMIT]
    if long:
        raise ExcelRefused(long)
    if sum(rows.values()) > TOTAL_ROW_LIMIT:
        raise ExcelRefused([_("文件共有 %(rows)s 行，超过上限 %(n)s 行。") % {
            "rows": f"{sum(rows.values()):,}", "n": f"{TOTAL_ROW_LIMIT:,}"}])


def header_errors(ws: Any, headers: Sequence[str]) -> list[str]:
    first = next(ws.iter_rows(min_row=1, max_row=1, max_col=len(headers), values_only=True), ())
    found = [*first, *[None] * len(headers)]
    return [
        located(ws.title, 1, column, header, _("表头应为“%(header)s”，请勿修改表头") % {
            "header": header})
        for column, header in enumerate(headers, 1)
        if str(found[column - 1] or "").strip() != header
    ]


def data_rows(ws: Any, width: int, errors: list[str]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) of the non-blank rows below the header, stopping at the limits.

    Reads at most SCAN_ROW_LIMIT rows even when the sheet does not record its size.
    """
    count = 0
    rows = ws.iter_rows(min_row=2, max_row=SCAN_ROW_LIMIT + 1, max_col=width)
    for number, cells in enumerate(rows, 2):
        if all(is_blank(cell.value) for cell in cells):
            continue
        count += 1
        if count > LIST_ROW_LIMIT or number > SCAN_ROW_LIMIT:
            errors.append(_("工作表“%(sheet)s”第 %(row)d 行：超过上限，每个工作表最多 %(n)d "
                            "行数据。") % {"sheet": ws.title, "row": number, "n": LIST_ROW_LIMIT})
            return
        yield number, tuple(cells)


def cell_value(cell: Any, kind: CellKind, required: bool, default: Any) -> Any:
    if is_blank(cell.value):
        if required:
            raise CellError(_("必须填写"))
        return default
    return kind.read(cell.value, cell.number_format or "General")


def read_scalars(ws: Any, errors: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
    header = header_errors(ws, SCALAR_HEADERS)
    if header:
        errors.extend(header)
        return {}, {}
    values: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for number, cells in data_rows(ws, len(SCALAR_HEADERS), errors):
        code = str(cells[0].value or "").strip()
        scalar = SCALARS_BY_CODE.get(code)
        if scalar is None or code in rows:
            problem = _("未知的代码：%(code)s") if scalar is None else _("代码 %(code)s 重复")
            problem %= {"code": code or _("（空）")}
            errors.append(located(ws.title, number, 1, "代码", problem))
            continue
        rows[code] = number
        try:
            values[code] = cell_value(cells[3], scalar.kind, not scalar.optional, None)
        except CellError as problem:
            errors.append(located(ws.title, number, 4, str(scalar.label), str(problem)))
    errors.extend(
        _("工作表“%(sheet)s”缺少代码为 %(code)s（%(label)s）的行；请勿删除行。") % {
            "sheet": ws.title, "code": s.code, "label": s.label}
        for s in SCALARS if s.code not in rows)
    return values, rows


def read_list(ws: Any, sheet: ListSheet, errors: list[str]) -> tuple[tuple[Any, ...],
                                                                     tuple[int, ...]]:
    header = header_errors(ws, [c.header for c in sheet.columns])
    if header:
        errors.extend(header)
        return (), ()
    items, rows = [], []
    for number, cells in data_rows(ws, len(sheet.columns), errors):
        item = read_item(sheet, number, cells, errors)
        if item is not None:
            items.append(item)
            rows.append(number)
    return tuple(items), tuple(rows)


def read_item(sheet: ListSheet, number: int, cells: Sequence[Any], errors: list[str]) -> Any:
    values: dict[str, Any] = {}
    before = len(errors)
    for column, (spec, cell) in enumerate(zip(sheet.columns, cells, strict=True), 1):
        try:
            values[spec.field] = cell_value(cell, spec.kind, spec.required, spec.default)
        except CellError as problem:
            errors.append(located(sheet.title, number, column, spec.header, str(problem)))
    if len(errors) > before:
        return None
    if sheet.item is Target and values["category"] not in TARGET_CATEGORIES[values["kind"]]:
        column = sheet.column_of("category") or 1
        errors.append(located(sheet.title, number, column, sheet.columns[column - 1].header, _(
            "%(kind)s指标的类别应为以下之一：%(choices)s") % {
            "kind": KIND_NAMES[values["kind"]],
            "choices": "、".join(TARGET_CATEGORIES[values["kind"]])}))
        return None
    return sheet.item(**values)


def read_owner(workbook: Any) -> tuple[str | None, str | None]:
    """The department and year the guide sheet names, if it is still there."""
    if GUIDE_SHEET not in workbook.sheetnames:
        return None, None
    facts: dict[str, str] = {}
    for row in workbook[GUIDE_SHEET].iter_rows(max_row=6, max_col=2, values_only=True):
        label, value = (*row, None, None)[:2]
        if isinstance(label, str) and value is not None:
            facts[label.strip()] = plain(decimal_of(value)) if isinstance(
                value, int | float) else str(value).strip()
    return facts.get(DEPARTMENT_FACT), facts.get(YEAR_FACT)
