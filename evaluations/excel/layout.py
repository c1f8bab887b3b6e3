"""The shape of the figures workbook, read from the figure catalogue: sheets, rows and columns.

One description (`SCALARS`, `LIST_SHEETS`) drives both directions, so what `write` builds `read`
accepts and gives back as the same values. Excel only covers the numbers and the lists the
catalogue places in the workbook; texts, budget units, the report date, claims, deductions,
remedies and analysis stay out of it and are untouched by an import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.utils.translation import gettext_lazy

from evaluations.excel.cells import CELL_KINDS, CellKind, text_kind
from rubrics import catalogue
from rubrics.catalogue import STEP_KEYS
from rubrics.figures import FIGURE_SPECS, LIST_SPECS, Figures

LIST_ROW_LIMIT = 200  # data rows per list sheet (and in 数值)
# Sheet names and headers are the file format itself (import matches them), not translations.
GUIDE_SHEET = "说明"
SCALAR_SHEET = "数值"
SCALAR_HEADERS = ("代码", "项目", "单位", "数值")
# The guide sheet names the workbook's department and year: an import checks them.
DEPARTMENT_FACT, YEAR_FACT = "部门", "年度"


@dataclass(frozen=True)
class Scalar:
    """One row of 数值: a scalar figure by its interchange path."""

    code: str
    label: Any  # lazy Chinese label
    kind: CellKind
    unit: str = ""
    optional: bool = False  # an empty cell means "not given" (None)

    @property
    def unit_text(self) -> str:
        return self.unit or self.kind.unit


SCALARS: tuple[Scalar, ...] = tuple(
    Scalar(spec.path, gettext_lazy(spec.sheet_label or spec.label), CELL_KINDS[spec.kind],
           spec.unit_text, spec.optional)
    for spec in FIGURE_SPECS if spec.in_workbook
)
SCALARS_BY_CODE = {s.code: s for s in SCALARS}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # attribute of the row's dataclass
    kind: CellKind
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


def column(spec: catalogue.ColumnSpec) -> Column:
    kind = text_kind(spec.max_length) if spec.kind is catalogue.TEXT else CELL_KINDS[spec.kind]
    # An empty 是/否 cell would be a silent 否: Excel asks for every flag of a row.
    return Column(spec.label, spec.field, kind, spec.width,
                  required=spec.required or spec.kind is catalogue.FLAG)


LIST_SHEETS: tuple[ListSheet, ...] = tuple(
    ListSheet(spec.label, spec.path, spec.item, tuple(column(c) for c in spec.columns))
    for spec in LIST_SPECS if spec.in_workbook
)
SHEETS_BY_PATH = {sheet.path: sheet for sheet in LIST_SHEETS}
DATA_SHEETS = (SCALAR_SHEET, *(sheet.title for sheet in LIST_SHEETS))

# The parts of the figures an import leaves alone, by their interchange path (error messages).
UNTOUCHED_PARTS = {spec.path: gettext_lazy(spec.label) for spec in LIST_SPECS
                   if not spec.in_workbook}
# The steps whose figures the workbook carries (texts, claims and remedies stay on the web).
_IN_WORKBOOK = {spec.step for spec in FIGURE_SPECS if spec.in_workbook} | {
    spec.step for spec in LIST_SPECS if spec.in_workbook}
EXCEL_STEPS = tuple(key for key in STEP_KEYS if key in _IN_WORKBOOK)


def value_at(figures: Figures, path: str) -> Any:
    return reduce(getattr, path.split("."), figures)

