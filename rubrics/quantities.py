"""Named quantities a rubric's rule parameters may refer to (`transfers.spent`, …).

A rubric is data: its rules name their inputs by these keys, so an administrator can point a
rule at another figure without code. Each quantity has a Chinese label and unit for the
explanations, and reads a Decimal (counts and booleans become Decimal too) from Figures.
The figures' own quantities come from the catalogue; the sums and counts over them are here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_noop as _  # translated where shown

from rubrics.catalogue import FigureSpec
from rubrics.figures import FIGURE_SPECS, Figures


@dataclass(frozen=True)
class Quantity:
    label: str
    unit: str
    read: Callable[[Figures], Decimal]


def _count(n: int | bool) -> Decimal:
    return Decimal(int(n))


def _decimal(value: Decimal | int | bool) -> Decimal:
    return value if isinstance(value, Decimal) else _count(value)


def _declared(spec: FigureSpec) -> Quantity:
    return Quantity(spec.quantity_label, spec.quantity_unit or spec.unit_text,
                    lambda f: _decimal(spec.read(f)))


WAN = "万元"
ITEM = "个"

DERIVED: dict[str, Quantity] = {
    "expenditure.budget.total": Quantity(
        _("预算总支出"), WAN, lambda f: f.expenditure.budget.total),
    "expenditure.actual.total": Quantity(
        _("实际支出"), WAN, lambda f: f.expenditure.actual.total),
    "transfers.amount": Quantity(
        _("转移支付下达金额"), WAN, lambda f: sum((t.amount for t in f.transfers), Decimal(0))),
    "transfers.spent": Quantity(
        _("转移支付支出金额"), WAN, lambda f: sum((t.spent for t in f.transfers), Decimal(0))),
    "new_projects.count": Quantity(
        _("新增预算项目"), ITEM, lambda f: _count(len(f.budget_preparation.new_projects))),
    "new_projects.assessed": Quantity(
        _("已开展事前绩效评估的新增项目"), ITEM,
        lambda f: _count(sum(p.assessed for p in f.budget_preparation.new_projects))),
}

QUANTITIES: dict[str, Quantity] = {
    **{spec.path: _declared(spec) for spec in FIGURE_SPECS if spec.quantity},
    **DERIVED,
}
