"""Cell helpers every workbook of the project shares: the figures workbook (excel/), the 评分表
(documents/) and the queue export (campaigns/). No domain here.

Text goes into a cell as data, never as a formula: a cell starting with "=", "+", "-", "@" or a
tab could be run by Excel (OWASP "CSV injection"), so it is written behind a quote that the
import strips again (`unescaped`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text that a spreadsheet could run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its one sheet, titled."""
    workbook = Workbook()
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # never: a new workbook starts with one worksheet
        raise TypeError(type(sheet).__name__)
    sheet.title = title
    return workbook, sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def escaped(text: str) -> str:
    """Text that Excel shows as written and never runs as a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescaped(text: str) -> str:
    """Drop the quote that `escaped` put before formula-looking text (round trip)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell as data: text escaped and typed as a string, other values as they are.

    None leaves the cell untouched (a merged cell refuses any value, even None).
    """
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = escaped(value)
        cell.data_type = "s"
    elif value is not None:
        cell.value = value
    return cell  # type: ignore[return-value]


def write_header(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    """A bold, shaded first row with the column widths, frozen above the data."""
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = put(ws, 1, column, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
