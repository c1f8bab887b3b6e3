"""The 评分表 as an Excel workbook, from the `ScoreSheet` the PDF prints (pure: data in, bytes out).

The layout mirrors the printed table: 一级 and 二级 cells merged over the rows their rowspans
cover, a 小计 row after each 二级 (its name merged over the 二级 and 三级 columns), and the 合计
row last. Scores are written as `Decimal`, so Excel holds exactly the printed numbers. Printing
is A4 landscape, one page wide, with the header row repeated on every page; text that Excel
could take for a formula is escaped as the data export does it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from evaluations.common import xlsx as cells
from evaluations.documents.data import ScoreSheet, SheetRow

SHEET_TITLE = "评分表"
HEADERS = ("一级指标", "二级指标", "三级指标", "分值", "评分标准", "计算得分", "自评得分",
           "扣分原因")
REVIEW_HEADERS = ("复核得分", "复核意见")
WIDTHS = (14, 16, 22, 7, 48, 9, 9, 40, 9, 30)
TITLE_ROW, META_ROW, HEADER_ROW = 1, 2, 3
FIRST_BODY_ROW = HEADER_ROW + 1
# Columns (1-based) of the table.
TOP, MIDDLE, LEAF, WEIGHT, CRITERIA, COMPUTED, SELF, REASON, REVIEW, COMMENT = range(1, 11)
SCORE_FORMAT = "0.00"
WEIGHT_FORMAT = "General"

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=15)
HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F5F5F5")
TOTAL_FILL = PatternFill("solid", fgColor="E8E8E8")
CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAPPED = Alignment(horizontal="left", vertical="center", wrap_text=True)


def score_sheet_xlsx(sheet: ScoreSheet) -> bytes:
    workbook, ws = cells.new_workbook(SHEET_TITLE)
    columns = len(headers(sheet))
    write_title(ws, sheet, columns)
    write_headers(ws, sheet)
    last = write_body(ws, sheet)
    write_total(ws, sheet, last + 1)
    draw_borders(ws, HEADER_ROW, last + 1, columns)
    set_up_printing(ws, sheet)
    return cells.workbook_bytes(workbook)


def headers(sheet: ScoreSheet) -> tuple[str, ...]:
    return HEADERS + REVIEW_HEADERS if sheet.reviewed else HEADERS


def put(ws: Worksheet, row: int, column: int, value: str | Decimal | None,
        number_format: str = SCORE_FORMAT) -> None:
    """Write one cell as data: text escaped and typed as a string, numbers as exact decimals."""
    cell = cells.put(ws, row, column, value)
    if value is not None and not isinstance(value, str):
        cell.number_format = number_format


def merge(ws: Worksheet, first_row: int, first_column: int, last_row: int,
          last_column: int) -> None:
    if (first_row, first_column) != (last_row, last_column):
        ws.merge_cells(start_row=first_row, start_column=first_column, end_row=last_row,
                       end_column=last_column)


def write_title(ws: Worksheet, sheet: ScoreSheet, columns: int) -> None:
    put(ws, TITLE_ROW, 1, f"{sheet.department} {sheet.year} 年部门整体支出绩效自评指标评分表")
    ws.cell(row=TITLE_ROW, column=1).font = TITLE_FONT
    ws.cell(row=TITLE_ROW, column=1).alignment = CENTERED
    ws.row_dimensions[TITLE_ROW].height = 28
    put(ws, META_ROW, 1, meta_line(sheet))
    ws.cell(row=META_ROW, column=1).alignment = CENTERED
    merge(ws, TITLE_ROW, 1, TITLE_ROW, columns)
    merge(ws, META_ROW, 1, META_ROW, columns)


def meta_line(sheet: ScoreSheet) -> str:
    line = f"评分体系：{sheet.rubric_name}（{sheet.rubric_code}）"
    if sheet.draft:
        return line + "　草稿"
    return line + (f"　快照摘要 SHA-256：{sheet.digest}" if sheet.digest else "")


def write_headers(ws: Worksheet, sheet: ScoreSheet) -> None:
    for column, (header, width) in enumerate(zip(headers(sheet), WIDTHS, strict=False), 1):
        put(ws, HEADER_ROW, column, header)
        cell = ws.cell(row=HEADER_ROW, column=column)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTERED
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"A{FIRST_BODY_ROW}"


def write_body(ws: Worksheet, sheet: ScoreSheet) -> int:
    """All 三级 and 小计 rows; the number of the last row written."""
    row = HEADER_ROW
    for row, item in enumerate(sheet.rows, FIRST_BODY_ROW):
        if item.kind == "subtotal":
            write_subtotal(ws, sheet, row, item)
        else:
            write_leaf(ws, sheet, row, item)
    return row


def write_leaf(ws: Worksheet, sheet: ScoreSheet, row: int, item: SheetRow) -> None:
    if item.top_span:
        put(ws, row, TOP, item.top_name)
        merge(ws, row, TOP, row + item.top_span - 1, TOP)
    if item.middle_span:
        put(ws, row, MIDDLE, item.middle_name)
        merge(ws, row, MIDDLE, row + item.middle_span - 1, MIDDLE)
    put(ws, row, LEAF, item.name)
    put(ws, row, WEIGHT, item.weight, WEIGHT_FORMAT)
    put(ws, row, CRITERIA, item.criteria)
    put(ws, row, COMPUTED, item.computed)
    put(ws, row, SELF, item.self_score)
    put(ws, row, REASON, item.reason)
    if sheet.reviewed:
        put(ws, row, REVIEW, item.review_score)
        put(ws, row, COMMENT, item.review_comment)
    align_row(ws, row, len(headers(sheet)))


def write_subtotal(ws: Worksheet, sheet: ScoreSheet, row: int, item: SheetRow) -> None:
    put(ws, row, MIDDLE, item.name)
    merge(ws, row, MIDDLE, row, LEAF)
    put(ws, row, WEIGHT, item.weight, WEIGHT_FORMAT)
    put(ws, row, COMPUTED, item.computed)
    put(ws, row, SELF, item.self_score)
    if sheet.reviewed:
        put(ws, row, REVIEW, item.review_score)
    align_row(ws, row, len(headers(sheet)))
    emphasise(ws, row, MIDDLE, len(headers(sheet)), SUBTOTAL_FILL)


def write_total(ws: Worksheet, sheet: ScoreSheet, row: int) -> None:
    put(ws, row, TOP, f"合计（等级：{sheet.grade}）")
    merge(ws, row, TOP, row, LEAF)
    put(ws, row, WEIGHT, sheet.total_weight, WEIGHT_FORMAT)
    put(ws, row, COMPUTED, sheet.total_computed)
    put(ws, row, SELF, sheet.total_self)
    if sheet.reviewed:
        put(ws, row, REVIEW, sheet.total_review)
        put(ws, row, COMMENT, f"复核等级：{sheet.review_grade}")
    align_row(ws, row, len(headers(sheet)))
    emphasise(ws, row, TOP, len(headers(sheet)), TOTAL_FILL)


def align_row(ws: Worksheet, row: int, columns: int) -> None:
    texts = {CRITERIA, REASON, COMMENT}
    for column in range(1, columns + 1):
        ws.cell(row=row, column=column).alignment = WRAPPED if column in texts else CENTERED


def emphasise(ws: Worksheet, row: int, first: int, last: int, fill: PatternFill) -> None:
    for column in range(first, last + 1):
        ws.cell(row=row, column=column).font = BOLD
        ws.cell(row=row, column=column).fill = fill


def draw_borders(ws: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
        for cell in row:
            cell.border = BORDER


def set_up_printing(ws: Worksheet, sheet: ScoreSheet) -> None:
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    # openpyxl's stubs type these parts optional; a new worksheet always has them.
    cast(PageSetupProperties, ws.sheet_properties.pageSetUpPr).fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    footer, header = cast(HeaderFooterItem, ws.oddFooter), cast(HeaderFooterItem, ws.oddHeader)
    footer.center.text = "— &P —"
    if sheet.draft:
        header.right.text = "草稿"
    elif sheet.digest:
        footer.right.text = f"快照摘要 SHA-256：{sheet.digest}"
        footer.right.size = 7
