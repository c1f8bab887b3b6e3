"""The figures a department reports for one year, as plain frozen dataclasses.

This is the pure shape of a submission (SUBMISSION_FORMAT.md): the scoring service reads it,
the interchange parser produces it, and evaluations builds it from the database. No ORM here.
Money is in 万元 (4 decimals) except operating costs, which are in 元 (2 decimals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")

TARGET_KINDS = ("output", "outcome")
TARGET_CATEGORIES = {
    "output": ("数量", "质量", "时效", "成本"),
    "outcome": ("经济效益", "社会效益", "生态效益", "可持续影响", "满意度"),
}


@dataclass(frozen=True)
class Narrative:
    functions: str = ""
    annual_work: str = ""
    targets_summary: str = ""
    variance_reason: str = ""
    other_matters: str = ""


@dataclass(frozen=True)
class Target:
    kind: str
    category: str
    name: str
    unit: str = ""
    target: str = ""
    actual: str = ""
    completed: bool = False


@dataclass(frozen=True)
class Lines:
    """An expenditure split into 人员支出, 日常公用支出 and 项目支出 (万元)."""

    personnel: Decimal = ZERO
    public: Decimal = ZERO
    project: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.personnel + self.public + self.project


@dataclass(frozen=True)
class Quarters:
    """Cumulative 部门预算资金支出率 at the end of each quarter, in %."""

    q1: Decimal = ZERO
    q2: Decimal = ZERO
    q3: Decimal = ZERO
    q4: Decimal = ZERO

    def as_tuple(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        return (self.q1, self.q2, self.q3, self.q4)


@dataclass(frozen=True)
class Expenditure:
    budget_total: Decimal | None = None
    budget: Lines = field(default_factory=Lines)
    actual: Lines = field(default_factory=Lines)
    carried_forward: Decimal = ZERO
    total_income: Decimal = ZERO
    quarterly_rate: Quarters = field(default_factory=Quarters)


@dataclass(frozen=True)
class SpecialFund:
    name: str
    amount: Decimal
    completion_rate: Decimal


@dataclass(frozen=True)
class Transfer:
    name: str
    amount: Decimal
    spent: Decimal

    @property
    def carried_over(self) -> Decimal:
        return self.amount - self.spent


@dataclass(frozen=True)
class NewProject:
    name: str
    assessed: bool


@dataclass(frozen=True)
class BudgetPreparation:
    annual_budget: Decimal = ZERO
    library_amount: Decimal = ZERO
    budget_from_library: Decimal = ZERO
    new_projects: tuple[NewProject, ...] = ()


@dataclass(frozen=True)
class Finding:
    source: str
    title: str
    rectified: bool


@dataclass(frozen=True)
class BudgetExecution:
    adjustment_amount: Decimal = ZERO
    disbursement_violations: int = 0
    inspection_findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Disclosure:
    budget: bool = False
    final_accounts: bool = False
    targets: bool = False
    self_evaluation: bool = False


@dataclass(frozen=True)
class Procurement:
    intentions_required: int = 0
    intentions_on_time: int = 0
    internal_controls: bool = False
    violations: int = 0
    contracts_total: int = 0
    contracts_on_time: int = 0
    filing_warnings: int = 0


@dataclass(frozen=True)
class Assets:
    utilisation_rate: Decimal = ZERO
    city_average_rate: Decimal = ZERO


@dataclass(frozen=True)
class OperatingCosts:
    """三公经费 in 元."""

    sangong_budget: Decimal = ZERO
    sangong_actual: Decimal = ZERO


@dataclass(frozen=True)
class Deduction:
    indicator: str
    points: Decimal
    reason: str


@dataclass(frozen=True)
class Claim:
    indicator: str
    score: Decimal
    reason: str


@dataclass(frozen=True)
class Remedy:
    indicator: str
    text: str


@dataclass(frozen=True)
class Figures:
    rubric: str
    year: int
    department: str
    budget_units: tuple[str, ...] = ()
    report_date: dt.date | None = None
    narrative: Narrative = field(default_factory=Narrative)
    targets: tuple[Target, ...] = ()
    expenditure: Expenditure = field(default_factory=Expenditure)
    special_funds: tuple[SpecialFund, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    budget_preparation: BudgetPreparation = field(default_factory=BudgetPreparation)
    budget_execution: BudgetExecution = field(default_factory=BudgetExecution)
    disclosure: Disclosure = field(default_factory=Disclosure)
    procurement: Procurement = field(default_factory=Procurement)
    assets: Assets = field(default_factory=Assets)
    operating_costs: OperatingCosts = field(default_factory=OperatingCosts)
    deductions: tuple[Deduction, ...] = ()
    claims: tuple[Claim, ...] = ()
    remedies: tuple[Remedy, ...] = ()
    analysis: tuple[tuple[str, str], ...] = ()

    def remedy_for(self, code: str) -> str:
        return next((r.text for r in self.remedies if r.indicator == code), "")
