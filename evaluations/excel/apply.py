"""Applying a read workbook to the current figures, and placing the scoring's errors in it.

The workbook replaces only the parts it covers (`merged`); an error the scoring finds in the
merged figures is located at its cell when Excel holds the value, else named in words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from evaluations.excel.layout import (
    SCALAR_SHEET,
    SCALARS_BY_CODE,
    SHEETS_BY_PATH,
    UNTOUCHED_PARTS,
)
from evaluations.excel.read import ExcelFigures, located
from rubrics.figures import Figures
from rubrics.rules import Issue


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


def with_value(obj: Any, path: str, value: Any) -> Any:
    """A copy of a frozen dataclass tree with the value at the dotted path replaced."""
    head, _dot, rest = path.partition(".")
    return replace(obj, **{head: with_value(getattr(obj, head), rest, value) if rest else value})


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
