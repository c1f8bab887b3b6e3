"""The Excel workbook of a submission's figures: template, export and import. Pure: no ORM.

One description of the workbook (`SCALARS`, `LIST_SHEETS`) drives both directions, so what
`build_workbook` writes `read_workbook` accepts and gives back as the same values. The template
and the export are the same file: the current figures, ready to be edited offline.

Excel only covers the numbers and the lists. Texts, budget units, the report date, claims,
deductions, remedies and analysis stay out of the workbook and are untouched by an import:
`merged` replaces only the covered parts of the current figures.

Reading refuses, before parsing anything, what is not a plain .xlsx (macros, other formats,
oversized or over-long files); every cell error names its sheet, row, column and header in
Chinese, and any error means nothing is imported (`ExcelRefused` carries all the messages).
Amounts never pass through float in this module except where Excel itself stored a float:
those are read through their shortest round-trip text, `Decimal(repr(value))`, and refused if
that has more decimals than allowed (no silent rounding).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import reduce
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rubrics.figures import (
    TARGET_CATEGORIES,
    Figures,
    Finding,
    NewProject,
    SpecialFund,
    Target,
    Transfer,
)
from rubrics.rules import Issue

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 25 * 1024 * 1024  # a zip bomb is refused from its directory, unread
LIST_ROW_LIMIT = 200     # data rows per list sheet (and in 数值)
SCAN_ROW_LIMIT = 1000    # no sheet is read past this row; a longer sheet is refused unread
TOTAL_ROW_LIMIT = 2000   # rows of all read sheets together, checked before reading any
MAX_INTEGER_DIGITS = 12
MAX_COUNT = 1_000_000
MAX_PERCENT = Decimal(1000)
# Text that a spreadsheet could run as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_TEXT = re.compile(r"[-+]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?")

# Sheet names and headers are the file format itself (import matches them), not translations.
GUIDE_SHEET = "说明"
SCALAR_SHEET = "数值"
SCALAR_HEADERS = ("代码", "项目", "单位", "数值")
YES, NO = "是", "否"
KIND_NAMES = {"output": "产出", "outcome": "效益"}
KINDS_BY_NAME = {"产出": "output", "产出指标": "output", "效益": "outcome", "效益指标": "outcome"}
ALL_CATEGORIES = tuple(c for kind in ("output", "outcome") for c in TARGET_CATEGORIES[kind])

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
CODE_FONT = Font(color="6C757D")


class ExcelRefused(Exception):
    """The upload cannot be imported; `messages` say why, in Chinese, located where possible."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


class CellError(ValueError):
    """A cell value that cannot be read; the message becomes a located error."""


# --- cell values ---------------------------------------------------------------------------


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def decimal_of(raw: Any) -> Decimal:
    """A cell's number, exactly: int, float through its shortest text, or "5,520.39" text."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise CellError(_("不是有效的数值"))
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(_("不是有效的数值"))
        return Decimal(repr(raw)) + 0  # + 0 turns -0.0 into 0
    if isinstance(raw, str):
        text = raw.strip().replace("，", ",").replace(" ", "")
        if not NUMBER_TEXT.fullmatch(text):
            raise CellError(_("不是有效的数值"))
        raw = text.replace(",", "")
    return Decimal(raw)


def places_of(value: Decimal) -> int:
    return len(f"{value:f}".partition(".")[2].rstrip("0"))


def plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def unescaped(text: str) -> str:
    """Drop the quote that `escaped` put before formula-looking text (round trip)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def escaped(text: str) -> str:
    """Text that Excel shows as written and never runs as a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Kind:
    """How one kind of value is shown in Excel and read back from a cell."""

    read: Callable[[Any, str], Any]  # (cell value, cell number format) → value
    write: Callable[[Any], Any] = lambda value: value
    unit: str = ""
    number_format: str = "General"
    choices: tuple[str, ...] = ()  # a drop-down list in Excel


def amount(places: int, *, percent: bool = False) -> Callable[[Any, str], Decimal]:
    """Non-negative, at most `places` decimals; a percentage at most 1000."""
    maximum = MAX_PERCENT if percent else None

    def read(raw: Any, number_format: str) -> Decimal:
        value = decimal_of(raw)
        if percent and "%" in number_format and not isinstance(raw, str):
            value *= 100  # "90%" typed in Excel is stored as 0.9 in a percent-formatted cell
        if value < 0:
            raise CellError(_("不能为负数"))
        if value and value.adjusted() >= MAX_INTEGER_DIGITS:
            raise CellError(_("数值过大"))
        if places_of(value) > places:
            raise CellError(_("最多 %(n)d 位小数") % {"n": places})
        if maximum is not None and value > maximum:
            raise CellError(_("百分比应在 0 至 %(max)s 之间") % {"max": plain(maximum)})
        return value

    return read


def read_count(raw: Any, number_format: str) -> int:
    try:
        value = decimal_of(raw)
    except CellError:
        raise CellError(_("应为非负整数")) from None
    if value < 0 or value != value.to_integral_value() or value > MAX_COUNT:
        raise CellError(_("应为非负整数"))
    return int(value)


def read_flag(raw: Any, number_format: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip() in (YES, NO):
        return raw.strip() == YES
    raise CellError(_("应填写“是”或“否”"))


def text(max_length: int) -> Callable[[Any, str], str]:
    def read(raw: Any, number_format: str) -> str:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise CellError(_("应为文本"))
        value = unescaped(raw.strip()) if isinstance(raw, str) else number_text(raw, number_format)
        if len(value) > max_length:
            raise CellError(_("最多 %(n)d 个字") % {"n": max_length})
        return value

    return read


def number_text(raw: int | float, number_format: str) -> str:
    """A number typed where text is expected (目标值 95), as its text ("95%" if so shown)."""
    value = decimal_of(raw)
    return f"{plain(value * 100)}%" if "%" in number_format else plain(value)


def read_kind(raw: Any, number_format: str) -> str:
    if isinstance(raw, str) and raw.strip() in KINDS_BY_NAME:
        return KINDS_BY_NAME[raw.strip()]
    raise CellError(_("应填写“产出”或“效益”"))


def read_category(raw: Any, number_format: str) -> str:
    if isinstance(raw, str) and raw.strip() in ALL_CATEGORIES:
        return raw.strip()
    raise CellError(_("应为以下之一：%(choices)s") % {"choices": "、".join(ALL_CATEGORIES)})


def flag_text(value: bool) -> str:
    return YES if value else NO


MONEY = Kind(amount(4), unit="万元", number_format="#,##0.00##")
YUAN = Kind(amount(2), unit="元", number_format="#,##0.00")
RATE = Kind(amount(2, percent=True), unit="%", number_format="0.00")
COUNT = Kind(read_count, number_format="0")
FLAG = Kind(read_flag, flag_text, unit="是/否", choices=(YES, NO))
TARGET_KIND = Kind(read_kind, lambda kind: KIND_NAMES.get(kind, kind), number_format="@",
                   choices=tuple(KIND_NAMES.values()))
CATEGORY = Kind(read_category, number_format="@", choices=ALL_CATEGORIES)


def text_kind(max_length: int) -> Kind:
    return Kind(text(max_length), number_format="@")


# --- the workbook's shape ------------------------------------------------------------------


@dataclass(frozen=True)
class Scalar:
    """One row of 数值: a scalar figure by its interchange path."""

    code: str
    label: Any  # lazy Chinese label
    kind: Kind
    unit: str = ""
    optional: bool = False  # an empty cell means "not given" (None)

    @property
    def unit_text(self) -> str:
        return self.unit or self.kind.unit


def scalar_group(prefix: str, kind: Kind, rows: Sequence[tuple[str, str]],
                 unit: str = "") -> list[Scalar]:
    return [Scalar(f"{prefix}.{name}", gettext_lazy(label), kind, unit) for name, label in rows]


SCALARS: tuple[Scalar, ...] = (
    Scalar("expenditure.budget_total", gettext_lazy("预算总支出（人大审议）"), MONEY,
           optional=True),
    *scalar_group("expenditure.budget", MONEY, [
        ("personnel", "人员支出预算"), ("public", "日常公用支出预算"),
        ("project", "项目支出预算")]),
    *scalar_group("expenditure.actual", MONEY, [
        ("personnel", "人员支出"), ("public", "日常公用支出"), ("project", "项目支出")]),
    *scalar_group("expenditure", MONEY, [
        ("carried_forward", "结转下年支出"), ("total_income", "总收入")]),
    *scalar_group("expenditure.quarterly_rate", RATE, [
        ("q1", "第一季度累计支出率"), ("q2", "第二季度累计支出率"), ("q3", "第三季度累计支出率"),
        ("q4", "第四季度累计支出率")]),
    *scalar_group("budget_preparation", MONEY, [
        ("annual_budget", "当年预算数"), ("library_amount", "入库二级项目金额"),
        ("budget_from_library", "使用储备项目安排的预算")]),
    *scalar_group("budget_execution", MONEY, [("adjustment_amount", "预算调整金额")]),
    *scalar_group("budget_execution", COUNT, [
        ("disbursement_violations", "资金下达违规次数")], "次"),
    *scalar_group("disclosure", FLAG, [
        ("budget", "已公开部门预算"), ("final_accounts", "已公开部门决算"),
        ("targets", "已公开绩效目标"), ("self_evaluation", "已公开绩效自评")]),
    *scalar_group("procurement", COUNT, [
        ("intentions_required", "应公开采购意向数"), ("intentions_on_time", "按时公开采购意向数")],
        "项"),
    *scalar_group("procurement", FLAG, [("internal_controls", "已建立采购内控制度")]),
    *scalar_group("procurement", COUNT, [("violations", "采购活动违规次数")], "次"),
    *scalar_group("procurement", COUNT, [
        ("contracts_total", "采购合同数"), ("contracts_on_time", "按时签订合同数")], "份"),
    *scalar_group("procurement", COUNT, [("filing_warnings", "合同备案预警次数")], "次"),
    *scalar_group("assets", RATE, [
        ("utilisation_rate", "固定资产利用率"), ("city_average_rate", "市本级平均固定资产利用率")]),
    *scalar_group("operating_costs", YUAN, [
        ("sangong_budget", "“三公”经费预算"), ("sangong_actual", "“三公”经费支出")]),
)
SCALARS_BY_CODE = {s.code: s for s in SCALARS}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # attribute of the row's dataclass
    kind: Kind
    width: int
    required: bool = True
    default: Any = ""


@dataclass(frozen=True)
class ListSheet:
    """A sheet of rows, one per item of a list of the figures (`path` in the interchange)."""

    title: str
    path: str
    item: type
    columns: tuple[Column, ...]

    def column_of(self, field: str) -> int | None:
        return next((i for i, c in enumerate(self.columns, 1) if c.field == field), None)


LIST_SHEETS: tuple[ListSheet, ...] = (
    ListSheet("绩效目标", "targets", Target, (
        Column("指标类型", "kind", TARGET_KIND, 10),
        Column("指标类别", "category", CATEGORY, 12),
        Column("指标名称", "name", text_kind(200), 36),
        Column("计量单位", "unit", text_kind(20), 10, required=False),
        Column("目标值", "target", text_kind(60), 14, required=False),
        Column("实际完成值", "actual", text_kind(60), 14, required=False),
        Column("是否完成", "completed", FLAG, 10),
    )),
    ListSheet("专项资金", "special_funds", SpecialFund, (
        Column("名称", "name", text_kind(200), 40),
        Column("金额（万元）", "amount", MONEY, 18),
        Column("绩效完成率（%）", "completion_rate", RATE, 18),
    )),
    ListSheet("转移支付", "transfers", Transfer, (
        Column("名称", "name", text_kind(200), 40),
        Column("下达金额（万元）", "amount", MONEY, 18),
        Column("已支出（万元）", "spent", MONEY, 18),
    )),
    ListSheet("新增预算项目", "budget_preparation.new_projects", NewProject, (
        Column("项目名称", "name", text_kind(200), 48),
        Column("是否开展事前绩效评估", "assessed", FLAG, 22),
    )),
    ListSheet("检查发现问题", "budget_execution.inspection_findings", Finding, (
        Column("检查部门", "source", text_kind(100), 24),
        Column("检查事项", "title", text_kind(200), 40),
        Column("是否已整改", "rectified", FLAG, 12),
    )),
)
SHEETS_BY_PATH = {sheet.path: sheet for sheet in LIST_SHEETS}
DATA_SHEETS = (SCALAR_SHEET, *(sheet.title for sheet in LIST_SHEETS))

# The parts of the figures an import leaves alone, by their interchange path (error messages).
UNTOUCHED_PARTS = {"claims": gettext_lazy("申请调整"), "deductions": gettext_lazy("扣分事项"),
                   "remedies": gettext_lazy("整改措施"), "analysis": gettext_lazy("评分分析")}


def value_at(figures: Figures, path: str) -> Any:
    return reduce(getattr, path.split("."), figures)


def with_value(obj: Any, path: str, value: Any) -> Any:
    """A copy of a frozen dataclass tree with the value at the dotted path replaced."""
    head, _dot, rest = path.partition(".")
    return replace(obj, **{head: with_value(getattr(obj, head), rest, value) if rest else value})


# --- building ------------------------------------------------------------------------------


def build_workbook(figures: Figures, *, version: int, export: bool = False) -> bytes:
    """The .xlsx of the figures: a guide sheet, 数值 and one sheet per list, prefilled."""
    workbook = Workbook()
    write_guide(workbook.active, figures, version, export)
    write_scalars(workbook.create_sheet(SCALAR_SHEET), figures)
    for sheet in LIST_SHEETS:
        write_list(workbook.create_sheet(sheet.title), sheet, value_at(figures, sheet.path))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def put(ws: Worksheet, row: int, column: int, value: Any, kind: Kind | None = None) -> None:
    """Write one cell as data: text escaped and typed as a string, numbers with their format."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = escaped(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if kind is not None and kind.number_format != "General":
        cell.number_format = kind.number_format


def write_header(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        put(ws, 1, column, header)
        ws.cell(row=1, column=column).font = HEADER_FONT
        ws.cell(row=1, column=column).fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"


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
    facts = [("部门", figures.department), ("年度", figures.year),
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


# --- reading -------------------------------------------------------------------------------


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


def cell_value(cell: Any, kind: Kind, required: bool, default: Any) -> Any:
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
        errors.append(located(sheet.title, number, 2, "指标类别", _(
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
    return facts.get("部门"), facts.get("年度")


# --- applying ------------------------------------------------------------------------------


def owner_errors(current: Figures, parsed: ExcelFigures) -> list[str]:
    """A workbook made for another department or year must not overwrite this one."""
    department = parsed.department
    if department is not None and department != current.department:
        return [_("该文件属于“%(other)s”，不能导入到“%(dept)s”的自评中。") % {
            "other": department, "dept": current.department}]
    if parsed.year is not None and parsed.year != str(current.year):
        return [_("该文件是 %(other)s 年度的数据，不能导入到 %(year)d 年度的自评中。") % {
            "other": parsed.year, "year": current.year}]
    return []


def merged(current: Figures, parsed: ExcelFigures) -> Figures:
    """The current figures with every part the workbook covers replaced by its values."""
    figures = current
    for code, value in parsed.scalars.items():
        figures = with_value(figures, code, value)
    for path, items in parsed.lists.items():
        figures = with_value(figures, path, items)
    return figures


LIST_PATH = re.compile(r"(?P<path>[a-z_.]+)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?")


def locate(parsed: ExcelFigures, issue: Issue) -> str:
    """A scoring error about merged figures, placed at its cell when Excel holds the value."""
    if issue.path in parsed.scalar_rows:
        scalar = SCALARS_BY_CODE[issue.path]
        return located(SCALAR_SHEET, parsed.scalar_rows[issue.path], 4, str(scalar.label),
                       issue.message)
    match = LIST_PATH.fullmatch(issue.path)
    if match and match["path"] in SHEETS_BY_PATH:
        sheet = SHEETS_BY_PATH[match["path"]]
        row = parsed.list_rows[sheet.path][int(match["index"])]
        column = sheet.column_of(match["field"] or "") or 1
        return located(sheet.title, row, column, sheet.columns[column - 1].header, issue.message)
    return untouched_part(issue)


def untouched_part(issue: Issue) -> str:
    """An error in a part Excel does not hold: named in words, to be fixed on the web page."""
    head = re.match(r"[a-z_]+", issue.path)
    part = UNTOUCHED_PARTS.get(head.group() if head else "")
    if part is None:
        return f"{issue.path}：{issue.message}"
    index = re.search(r"\[(\d+)\]", issue.path)
    where = _("%(part)s第 %(n)d 项") % {"part": part, "n": int(index[1]) + 1} if index else part
    return _("%(where)s（请在网页中修改）：%(message)s") % {"where": where,
                                                     "message": issue.message}

