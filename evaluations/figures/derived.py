"""Figures the officer never types: totals, rates and variances derived from the entered ones.

Pure and Decimal-only; the step pages, the report and the 评分表 all print these, so each number
is computed in exactly one place. Rates are percentages, half-up to 2 places.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rubrics.figures import Figures
from rubrics.numbers import percent

ZERO = Decimal(0)


@dataclass(frozen=True)
class LineExecution:
    key: str
    label: str
    budget: Decimal
    actual: Decimal

    @property
    def rate(self) -> Decimal | None:
        """Actual as % of budget; None when there is no budget to compare with."""
        return percent(self.actual, self.budget) if self.budget else None


@dataclass(frozen=True)
class ExpenditureSummary:
    lines: tuple[LineExecution, ...]
    budget_total: Decimal          # as approved (printed), else the sum of the lines
    budget_lines_total: Decimal
    actual_total: Decimal          # 人员 + 公用 + 项目
    carried_forward: Decimal
    total_spending: Decimal        # 总支出 = actual + 结转下年
    total_income: Decimal

    @property
    def completion_rate(self) -> Decimal | None:
        return percent(self.total_spending, self.budget_total) if self.budget_total else None

    @property
    def variance(self) -> Decimal:
        """增支 (positive) or 减支 (negative) against the approved budget, 万元."""
        return self.total_spending - self.budget_total

    @property
    def variance_rate(self) -> Decimal | None:
        return percent(abs(self.variance), self.budget_total) if self.budget_total else None

    @property
    def variance_word(self) -> str:
        return "增支" if self.variance >= 0 else "减支"

    @property
    def balance_gap(self) -> Decimal:
        return self.total_income - self.total_spending

    @property
    def is_balanced(self) -> bool:
        return abs(self.balance_gap) <= Decimal("0.01")


def expenditure_summary(figures: Figures) -> ExpenditureSummary:
    spending = figures.expenditure
    lines = (
        LineExecution("personnel", "人员支出", spending.budget.personnel,
                      spending.actual.personnel),
        LineExecution("public", "日常公用支出", spending.budget.public, spending.actual.public),
        LineExecution("project", "项目支出", spending.budget.project, spending.actual.project),
    )
    budget_lines = spending.budget.total
    budget_total = spending.budget_total if spending.budget_total is not None else budget_lines
    actual = spending.actual.total
    return ExpenditureSummary(
        lines=lines, budget_total=budget_total, budget_lines_total=budget_lines,
        actual_total=actual, carried_forward=spending.carried_forward,
        total_spending=actual + spending.carried_forward, total_income=spending.total_income,
    )


@dataclass(frozen=True)
class TransferSummary:
    amount: Decimal
    spent: Decimal

    @property
    def carried_over(self) -> Decimal:
        return self.amount - self.spent

    @property
    def rate(self) -> Decimal | None:
        return percent(self.spent, self.amount) if self.amount else None


def transfer_summary(figures: Figures) -> TransferSummary:
    return TransferSummary(
        amount=sum((t.amount for t in figures.transfers), ZERO),
        spent=sum((t.spent for t in figures.transfers), ZERO),
    )


@dataclass(frozen=True)
class TargetCounts:
    kind: str
    total: int
    completed: int
    by_category: tuple[tuple[str, int], ...]


def target_counts(figures: Figures, kind: str) -> TargetCounts:
    mine = [t for t in figures.targets if t.kind == kind]
    categories: dict[str, int] = {}
    for target in mine:
        categories[target.category] = categories.get(target.category, 0) + 1
    return TargetCounts(kind=kind, total=len(mine), completed=sum(t.completed for t in mine),
                        by_category=tuple(categories.items()))


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return percent(numerator, denominator) if denominator else None


@dataclass(frozen=True)
class ManagementRatios:
    library_rate: Decimal | None        # 入库金额 / 当年预算数
    from_library_rate: Decimal | None   # 使用储备项目安排 / 当年预算数
    adjustment_rate: Decimal | None     # 预算调整 / 当年预算数
    public_rate: Decimal | None         # 日常公用支出 / 预算
    sangong_rate: Decimal | None        # 三公经费支出 / 预算
    intentions_rate: Decimal | None
    contracts_rate: Decimal | None


def management_ratios(figures: Figures) -> ManagementRatios:
    prep, proc = figures.budget_preparation, figures.procurement
    spending, costs = figures.expenditure, figures.operating_costs
    return ManagementRatios(
        library_rate=ratio(prep.library_amount, prep.annual_budget),
        from_library_rate=ratio(prep.budget_from_library, prep.annual_budget),
        adjustment_rate=ratio(figures.budget_execution.adjustment_amount, prep.annual_budget),
        public_rate=ratio(spending.actual.public, spending.budget.public),
        sangong_rate=ratio(costs.sangong_actual, costs.sangong_budget),
        intentions_rate=ratio(Decimal(proc.intentions_on_time), Decimal(proc.intentions_required)),
        contracts_rate=ratio(Decimal(proc.contracts_on_time), Decimal(proc.contracts_total)),
    )
