"""The queue as an Excel workbook: the rows as shown (filtered and sorted). Pure: rows in, bytes out.

Headers are a file format, kept as written. Text goes through `common.xlsx.put`, which escapes
what Excel would run as a formula; scores stay Decimal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from openpyxl.utils import get_column_letter

from evaluations.campaigns.selectors import Queue, QueueRow
from evaluations.common import xlsx

COLUMNS: tuple[tuple[str, int, str], ...] = (
    # (header, width, number format)
    ("部门", 36, "@"), ("状态", 16, "@"), ("提交时间", 18, "yyyy-mm-dd hh:mm"),
    ("截止时间", 18, "yyyy-mm-dd hh:mm"), ("逾期", 8, "@"), ("计算得分", 11, "0.00"),
    ("自评得分", 11, "0.00"), ("复核得分", 11, "0.00"), ("申请调整", 10, "0"),
    ("待决定", 9, "0"), ("提示", 8, "0"), ("错误", 8, "0"),
)


def local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: the local wall-clock time, as shown on the page."""
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def row_values(row: QueueRow) -> tuple[Any, ...]:
    return (row.department, row.state_label, local_naive(row.submitted_at),
            local_naive(row.deadline), "是" if row.overdue else "否", row.computed,
            row.self_total, row.review_total, row.claims, row.pending_claims, row.warnings,
            row.errors)


def file_name(queue: Queue) -> str:
    return f"{queue.campaign.year}-自评审核队列.xlsx"


def queue_workbook(queue: Queue) -> bytes:
    """Bold frozen header, autofilter, one row per queue row with its number formats."""
    workbook, ws = xlsx.new_workbook(f"{queue.campaign.year}年度自评审核队列")
    xlsx.write_header(ws, [c[0] for c in COLUMNS], [c[1] for c in COLUMNS])
    for number, row in enumerate(queue.rows, start=2):
        for column, (value, (_header, _width, number_format)) in enumerate(
                zip(row_values(row), COLUMNS, strict=True), start=1):
            xlsx.put(ws, number, column, value).number_format = number_format
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(queue.rows) + 1}"
    return xlsx.workbook_bytes(workbook)
