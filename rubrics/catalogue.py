"""The vocabulary of the figure catalogue: kinds of values, the officer's steps, declarations.

The catalogue itself (every figure, declared once) is in `rubrics.figures`, beside the shape it
describes. Forms, the Excel workbook, the interchange format, the model <-> Figures codec and the
rubric's quantities read it; none keeps a list of its own. A rubric's extra figures (RUBRIC.md
§8) will be declared with the same `FigureSpec`.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, reduce
from typing import Any

from django.utils.translation import gettext_noop as _  # translated where shown

ZERO = Decimal("0")


@dataclass(frozen=True)
class Kind:
    """What sort of value a figure holds, and the bounds every figure of the kind shares."""

    name: str
    unit: str = ""
    places: int | None = None  # decimals stored and accepted in the interchange format
    input_places: int | None = None  # decimals an officer may type (forms, Excel)
    minimum: Decimal | None = None
    maximum: Decimal | None = None


AMOUNT = Kind("amount", "万元", places=4, input_places=4, minimum=ZERO)
YUAN = Kind("yuan", "元", places=2, input_places=2, minimum=ZERO)
PERCENT = Kind("percent", "%", places=4, input_places=2, minimum=ZERO, maximum=Decimal(1000))
COUNT = Kind("count", minimum=ZERO, maximum=Decimal(1_000_000))
FLAG = Kind("flag")
TEXT = Kind("text")
DATE = Kind("date")
NAMES = Kind("names")  # a list of names, one per line on the form
# Scores and deductions: their 2 places are checked by the scoring, not by the file format.
POINTS = Kind("points", "分", input_places=2)
TARGET_KIND = Kind("target_kind")  # output / outcome
TARGET_CATEGORY = Kind("target_category")  # one of TARGET_CATEGORIES of the target's kind

NON_NEGATIVE_KINDS = (AMOUNT, YUAN, COUNT)

# The officer's steps, in order (the last holds no figures).
STEPS: tuple[tuple[str, str], ...] = (
    ("basics", _("基本情况")), ("targets", _("绩效目标")), ("expenditure", _("部门支出")),
    ("funds", _("专项资金与转移支付")), ("budget", _("预算编制与执行")),
    ("disclosure", _("信息公开与绩效管理")), ("procurement", _("采购管理")),
    ("assets", _("资产管理")), ("costs", _("运行成本")), ("explanation", _("自评说明")),
    ("preview", _("预览与提交")),
)
STEP_KEYS = tuple(key for key, _label in STEPS)

WORKBOOK_KINDS = (AMOUNT, YUAN, PERCENT, COUNT, FLAG)


@dataclass(frozen=True)
class FigureSpec:
    """One scalar figure: a Submission column and its place everywhere the figures go.

    `path` is its interchange path and, unless `attribute` says otherwise, its attribute path
    in `Figures`. Labels are marked with gettext_noop: each reader translates where it shows.
    """

    key: str  # the Submission model column
    path: str
    label: str
    kind: Kind
    step: str = ""  # the key of the officer's step where it is entered
    unit: str = ""  # shown beside the value; the kind's unit when empty
    optional: bool = False  # may be left empty (None)
    help: str = ""
    rows: int = 0  # height of the text area on the form
    at_most: str = ""  # key of a figure this one may not exceed (a part of that whole)
    cumulative_after: str = ""  # key of the earlier cumulative figure it may not fall below
    # The rubric quantity it feeds: False (none), True (named by its label) or its own label.
    quantity: bool | str = False
    quantity_unit: str = ""  # where the explanations count in another unit than the form
    sheet_label: str = ""  # its label in the Excel sheet, where the unit stands apart
    attribute: str = ""  # its attribute path in Figures where that differs from `path`

    @property
    def attribute_path(self) -> str:
        return self.attribute or self.path

    @property
    def section(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def name(self) -> str:
        """Its key within its section of the interchange format."""
        return self.path.rpartition(".")[2]

    @property
    def unit_text(self) -> str:
        return self.unit or self.kind.unit

    @property
    def in_workbook(self) -> bool:
        """Numbers and flags have a row in the Excel sheet 数值 (code = path); texts do not."""
        return self.kind in WORKBOOK_KINDS

    @property
    def quantity_label(self) -> str:
        return self.quantity if isinstance(self.quantity, str) else self.label

    def read(self, figures: Any) -> Any:
        return reduce(getattr, self.attribute_path.split("."), figures)


@dataclass(frozen=True)
class ColumnSpec:
    """One field of a list item; `label` is its header in the Excel sheet."""

    field: str
    label: str
    kind: Kind
    required: bool = True  # must be given in the interchange format
    max_length: int = 0
    width: int = 0  # Excel column width


@dataclass(frozen=True)
class ListSpec:
    """A list of the figures: its rows, their model and, if in the workbook, their sheet."""

    key: str
    path: str  # interchange and Figures attribute path
    label: str  # the sheet title (or, outside the workbook, the part's name)
    model: str  # the evaluations model class holding the rows
    item: type  # the dataclass of one item (tuple: a (code, text) pair)
    columns: tuple[ColumnSpec, ...]
    step: str
    in_workbook: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(column.field for column in self.columns)

    def read(self, figures: Any) -> tuple[Any, ...]:
        return reduce(getattr, self.path.split("."), figures)

    def item_of(self, values: Mapping[str, Any]) -> Any:
        if self.item is tuple:
            return tuple(values[name] for name in self.fields)
        return self.item(**{name: values[name] for name in self.fields})

    def values_of(self, item: Any) -> dict[str, Any]:
        if isinstance(item, tuple):
            return dict(zip(self.fields, item, strict=True))
        return {name: getattr(item, name) for name in self.fields}


@cache
def nested_types(cls: type) -> dict[str, type]:
    """The fields of a dataclass that are dataclasses themselves (the sections)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)
            if dataclasses.is_dataclass(hints[f.name])}


def assemble(cls: type, values: Mapping[str, Any], prefix: str = "") -> Any:
    """A frozen dataclass tree from values by attribute path; what is not given stays default."""
    sections = nested_types(cls)
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        path = f"{prefix}.{field.name}" if prefix else field.name
        if path in values:
            kwargs[field.name] = values[path]
        elif field.name in sections:
            kwargs[field.name] = assemble(sections[field.name], values, path)
    return cls(**kwargs)
