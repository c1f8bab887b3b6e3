"""One cell of the figures workbook: how each kind of value is written and read back.

Amounts never pass through float here except where Excel itself stored a float: those are read
through their shortest round-trip text, `Decimal(repr(value))`, and refused if that has more
decimals than allowed (no silent rounding).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.worksheet.worksheet import Worksheet

from evaluations.common import xlsx
from rubrics import catalogue
from rubrics.figures import TARGET_CATEGORIES
from rubrics.numbers import NUMBER_TEXT, decimals_of, plain

MAX_INTEGER_DIGITS = 12
# Values of the file format itself (import matches them), not translations.
YES, NO = "是", "否"
KIND_NAMES = {"output": "产出", "outcome": "效益"}
KINDS_BY_NAME = {"产出": "output", "产出指标": "output", "效益": "outcome", "效益指标": "outcome"}
ALL_CATEGORIES = tuple(c for kind in ("output", "outcome") for c in TARGET_CATEGORIES[kind])


class CellError(ValueError):
    """A cell value that cannot be read; the message becomes a located error."""


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


@dataclass(frozen=True)
class CellKind:
    """How one kind of value is shown in Excel and read back from a cell."""

    read: Callable[[Any, str], Any]  # (cell value, cell number format) → value
    write: Callable[[Any], Any] = lambda value: value
    unit: str = ""
    number_format: str = "General"
    choices: tuple[str, ...] = ()  # a drop-down list in Excel


def amount(places: int, *, maximum: Decimal | None = None) -> Callable[[Any, str], Decimal]:
    """Non-negative, at most `places` decimals; a percentage (one with a maximum) at most that."""

    def read(raw: Any, number_format: str) -> Decimal:
        value = decimal_of(raw)
        if maximum is not None and "%" in number_format and not isinstance(raw, str):
            value *= 100  # "90%" typed in Excel is stored as 0.9 in a percent-formatted cell
        if value < 0:
            raise CellError(_("不能为负数"))
        if value and value.adjusted() >= MAX_INTEGER_DIGITS:
            raise CellError(_("数值过大"))
        if decimals_of(value) > places:
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
    maximum = catalogue.COUNT.maximum or 0
    if value < 0 or value != value.to_integral_value() or value > maximum:
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
        value = (xlsx.unescaped(raw.strip()) if isinstance(raw, str)
                 else number_text(raw, number_format))
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


def number_kind(kind: catalogue.Kind, number_format: str) -> CellKind:
    read = amount(kind.input_places or 0, maximum=kind.maximum)
    return CellKind(read, unit=kind.unit, number_format=number_format)


FLAG = CellKind(read_flag, flag_text, unit="是/否", choices=(YES, NO))
# The cell kind of each kind of the catalogue that the workbook holds (texts: `text_kind`).
CELL_KINDS = {
    catalogue.AMOUNT: number_kind(catalogue.AMOUNT, "#,##0.00##"),
    catalogue.YUAN: number_kind(catalogue.YUAN, "#,##0.00"),
    catalogue.PERCENT: number_kind(catalogue.PERCENT, "0.00"),
    catalogue.COUNT: CellKind(read_count, number_format="0"),
    catalogue.FLAG: FLAG,
    catalogue.TARGET_KIND: CellKind(read_kind, lambda kind: KIND_NAMES.get(kind, kind),
                                    number_format="@", choices=tuple(KIND_NAMES.values())),
    catalogue.TARGET_CATEGORY: CellKind(read_category, number_format="@", choices=ALL_CATEGORIES),
}


def text_kind(max_length: int) -> CellKind:
    return CellKind(text(max_length), number_format="@")


def put(ws: Worksheet, row: int, column: int, value: Any, kind: CellKind | None = None) -> None:
    """Write one cell as data (text escaped), numbers with the number format of their kind."""
    cell = xlsx.put(ws, row, column, value)
    if kind is not None and kind.number_format != "General":
        cell.number_format = kind.number_format
