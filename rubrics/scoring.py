"""The scoring service: pure functions over frozen dataclasses, Decimal only, no ORM.

`score(rubric, figures)` computes every indicator's 计算得分 (the rule, clamped to 0 … weight,
rounded once by the rubric's policy), its 自评得分 (the computed score unless a valid claim
raises it), the totals as sums of rounded 三级 scores, the grade, and the consistency checks of
RUBRIC.md §6 as errors and warnings with their paths.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rubrics.catalogue import NON_NEGATIVE_KINDS, PERCENT
from rubrics.figures import FIGURE_SPECS, Claim, Figures
from rubrics.i18n import gettext as _
from rubrics.numbers import CENT, HUNDRED, decimals_of, plain, round2, score_text
from rubrics.rules import RULES, Issue, Leaf, Outcome

ZERO = Decimal(0)
ROUNDING_POLICIES = ("half_up", "truncate")
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级"}


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    weight: Decimal
    criteria: str = ""
    rule: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    children: tuple[IndicatorSpec, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class GradeBand:
    grade: str
    minimum: Decimal


@dataclass(frozen=True)
class RubricSpec:
    code: str
    name: str
    region: str = ""
    year: int = 0
    rounding: str = "half_up"
    grades: tuple[GradeBand, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()

    def walk(self) -> Iterator[tuple[int, IndicatorSpec]]:
        """Every indicator in tree order with its level (1, 2, 3)."""

        def visit(nodes: tuple[IndicatorSpec, ...], level: int) -> Iterator[tuple[int, IndicatorSpec]]:
            for node in nodes:
                yield level, node
                yield from visit(node.children, level + 1)

        return visit(self.indicators, 1)

    def leaves(self) -> dict[str, IndicatorSpec]:
        return dict(self._leaves)

    @functools.cached_property
    def _leaves(self) -> dict[str, IndicatorSpec]:
        # Computed once per spec: scoring asks for the leaves many times per call.
        return {node.code: node for _level, node in self.walk() if node.is_leaf}

    def codes_at(self, level: int) -> dict[str, IndicatorSpec]:
        return {node.code: node for lvl, node in self.walk() if lvl == level}

    @property
    def total_weight(self) -> Decimal:
        return sum((node.weight for node in self.indicators), ZERO)

    def grade_for(self, total: Decimal) -> str:
        for band in sorted(self.grades, key=lambda b: b.minimum, reverse=True):
            if total >= band.minimum:
                return band.grade
        return ""


@dataclass(frozen=True)
class NodeScore:
    code: str
    name: str
    level: int
    weight: Decimal
    computed: Decimal
    self_score: Decimal
    explanation: str = ""
    not_applicable: bool = False
    claim: Claim | None = None

    @property
    def rate(self) -> Decimal:
        """得分率 of the self score, half-up to 2 places."""
        if self.weight == 0:
            return ZERO
        return round2(self.self_score / self.weight * HUNDRED)

    @property
    def lost(self) -> Decimal:
        return self.weight - self.self_score

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "level": self.level,
            "weight": plain(self.weight), "computed": score_text(self.computed),
            "self": score_text(self.self_score), "rate": score_text(self.rate),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class ScoreResult:
    rubric: RubricSpec
    nodes: tuple[NodeScore, ...]
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]

    @property
    def total_weight(self) -> Decimal:
        return self.rubric.total_weight

    @property
    def computed(self) -> Decimal:
        return sum((n.computed for n in self.nodes if n.level == 1), ZERO)

    @property
    def self_total(self) -> Decimal:
        return sum((n.self_score for n in self.nodes if n.level == 1), ZERO)

    @property
    def grade(self) -> str:
        return self.rubric.grade_for(self.self_total)

    def node(self, code: str) -> NodeScore:
        return next(n for n in self.nodes if n.code == code)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def score(rubric: RubricSpec, figures: Figures) -> ScoreResult:
    """Score figures under a rubric: computed and self scores, grade, errors and warnings."""
    leaves = rubric.leaves()
    errors: list[Issue] = list(check_references(rubric, figures))
    warnings: list[Issue] = []
    leaf_scores: dict[str, NodeScore] = {}
    claims = valid_claims(rubric, figures, errors)
    for code, spec in leaves.items():
        outcome = run_rule(spec, figures)
        errors.extend(outcome.errors)
        warnings.extend(outcome.warnings)
        computed = round2(min(max(outcome.raw, ZERO), spec.weight), rubric.rounding)
        position, claim = claims.get(code, (0, None))
        if claim is not None and not claim_fits(position, claim, computed, spec.weight, errors):
            claim = None
        leaf_scores[code] = NodeScore(
            code=code, name=spec.name, level=3, weight=spec.weight, computed=computed,
            self_score=claim.score.quantize(CENT) if claim else computed,
            explanation=explain(outcome, computed, spec.weight), claim=claim,
            not_applicable=outcome.not_applicable,
        )
    nodes = tuple(aggregate(rubric, leaf_scores))
    errors.extend(check_figures(figures))
    warnings.extend(figure_warnings(figures, nodes, claims))
    return ScoreResult(rubric=rubric, nodes=nodes, errors=tuple(errors), warnings=tuple(warnings))


def run_rule(spec: IndicatorSpec, figures: Figures) -> Outcome:
    rule_type = RULES[spec.rule]
    leaf = Leaf(code=spec.code, weight=spec.weight, params={**rule_type.defaults, **spec.params})
    return rule_type.compute(leaf, figures)


def explain(outcome: Outcome, computed: Decimal, weight: Decimal) -> str:
    if outcome.not_applicable:
        return _("%(text)s，得满分") % {"text": outcome.explanation}
    if computed >= weight:
        return _("%(text)s，得满分") % {"text": outcome.explanation}
    return _("%(text)s，扣 %(lost)s 分") % {
        "text": outcome.explanation, "lost": score_text(weight - computed),
    }


def aggregate(rubric: RubricSpec, leaf_scores: dict[str, NodeScore]) -> list[NodeScore]:
    """Tree-ordered node scores; parents are sums of their rounded children."""
    scored: dict[str, NodeScore] = dict(leaf_scores)

    def total(spec: IndicatorSpec, level: int) -> NodeScore:
        if spec.is_leaf:
            return scored[spec.code]
        children = [total(child, level + 1) for child in spec.children]
        node = NodeScore(
            code=spec.code, name=spec.name, level=level, weight=spec.weight,
            computed=sum((c.computed for c in children), ZERO),
            self_score=sum((c.self_score for c in children), ZERO),
        )
        scored[spec.code] = node
        return node

    for root in rubric.indicators:
        total(root, 1)
    return [scored[spec.code] for _level, spec in rubric.walk()]


def check_references(rubric: RubricSpec, figures: Figures) -> Iterator[Issue]:
    """Indicator codes in deductions, remedies and analysis must exist at the right level."""
    leaves = rubric.leaves()
    manual = {code for code, spec in leaves.items() if spec.rule == "manual_deductions"}
    for i, deduction in enumerate(figures.deductions):
        path = f"deductions[{i}]"
        if deduction.indicator not in leaves:
            yield Issue(f"{path}.indicator", unknown_code(deduction.indicator))
        elif deduction.indicator not in manual:
            yield Issue(f"{path}.indicator", _("指标 %(code)s 按规则计分，不能手工扣分") % {
                "code": deduction.indicator})
        if not deduction.reason.strip():
            yield Issue(f"{path}.reason", _("扣分必须填写原因"))
        if deduction.points <= 0:
            yield Issue(f"{path}.points", _("扣分应大于 0"))
        elif decimals_of(deduction.points) > 2:
            yield Issue(f"{path}.points", _("扣分最多保留 2 位小数"))
    for i, remedy in enumerate(figures.remedies):
        if remedy.indicator not in leaves:
            yield Issue(f"remedies[{i}].indicator", unknown_code(remedy.indicator))
    second_level = rubric.codes_at(2)
    for code, _text in figures.analysis:
        if code not in second_level:
            yield Issue(f"analysis.{code}", _("未知的二级指标代码：%(code)s") % {"code": code})


def unknown_code(code: str) -> str:
    return _("未知的三级指标代码：%(code)s") % {"code": code}


def valid_claims(
    rubric: RubricSpec, figures: Figures, errors: list[Issue]
) -> dict[str, tuple[int, Claim]]:
    """Claims with a known code, a reason and no duplicate, by code with their position."""
    leaves = rubric.leaves()
    claims: dict[str, tuple[int, Claim]] = {}
    for i, claim in enumerate(figures.claims):
        path = f"claims[{i}]"
        if claim.indicator not in leaves:
            errors.append(Issue(f"{path}.indicator", unknown_code(claim.indicator)))
        elif claim.indicator in claims:
            errors.append(Issue(f"{path}.indicator", _("指标 %(code)s 已有一项申请调整") % {
                "code": claim.indicator}))
        elif not claim.reason.strip():
            errors.append(Issue(f"{path}.reason", _("申请调整得分必须填写客观原因")))
        elif decimals_of(claim.score) > 2:
            errors.append(Issue(f"{path}.score", _("自评得分最多保留 2 位小数")))
        else:
            claims[claim.indicator] = (i, claim)
    return claims


def claim_fits(
    position: int, claim: Claim, computed: Decimal, weight: Decimal, errors: list[Issue]
) -> bool:
    """A claim must lie between the computed score and the weight (RUBRIC.md §5)."""
    path = f"claims[{position}].score"
    if claim.score > weight:
        errors.append(Issue(path, _("申请的自评得分 %(score)s 超过指标分值 %(weight)s") % {
            "score": plain(claim.score), "weight": plain(weight)}))
        return False
    if claim.score < computed:
        errors.append(Issue(path, _("申请的自评得分 %(score)s 低于计算得分 %(computed)s") % {
            "score": plain(claim.score), "computed": score_text(computed)}))
        return False
    return True


# (path, reader) of the figures the checks below bound, from the catalogue's kinds.
NON_NEGATIVE_AMOUNTS = tuple((spec.path, spec.read) for spec in FIGURE_SPECS
                             if spec.kind in NON_NEGATIVE_KINDS)
PERCENTAGES = tuple((spec.path, spec.read) for spec in FIGURE_SPECS if spec.kind is PERCENT)
MAX_PERCENT = Decimal(1000)
TOLERANCE = Decimal("0.01")


def check_figures(figures: Figures) -> Iterator[Issue]:
    """The blocking checks of RUBRIC.md §6 on the figures themselves."""
    negative = _("不能为负数")
    for path, get in NON_NEGATIVE_AMOUNTS:
        value = get(figures)
        if value is not None and value < 0:
            yield Issue(path, negative)
    for path, get in PERCENTAGES:
        yield from check_percentage(path, get(figures))
    for i, fund in enumerate(figures.special_funds):
        if fund.amount < 0:
            yield Issue(f"special_funds[{i}].amount", negative)
        yield from check_percentage(f"special_funds[{i}].completion_rate", fund.completion_rate)
    for i, transfer in enumerate(figures.transfers):
        if transfer.amount < 0 or transfer.spent < 0:
            yield Issue(f"transfers[{i}].{'amount' if transfer.amount < 0 else 'spent'}", negative)
        elif transfer.spent > transfer.amount:
            yield Issue(f"transfers[{i}].spent", _("支出金额大于下达金额"))
    rates = figures.expenditure.quarterly_rate.as_tuple()
    for q in range(1, 4):
        if rates[q] < rates[q - 1]:
            yield Issue(f"expenditure.quarterly_rate.q{q + 1}", _(
                "累计支出率不能低于上一季度（%(prev)s%%）") % {"prev": plain(rates[q - 1])})


def check_percentage(path: str, value: Decimal) -> Iterator[Issue]:
    if not ZERO <= value <= MAX_PERCENT:
        yield Issue(path, _("百分比应在 0 至 1000 之间"))


def figure_warnings(
    figures: Figures, nodes: tuple[NodeScore, ...], claims: dict[str, tuple[int, Claim]]
) -> Iterator[Issue]:
    """The non-blocking checks of RUBRIC.md §6, shown to officer and reviewer."""
    spending = figures.expenditure
    if spending.budget_total is not None and abs(
        spending.budget_total - spending.budget.total
    ) > TOLERANCE:
        yield Issue("expenditure.budget_total", _(
            "预算总支出 %(total)s 万元与各项预算之和 %(sum)s 万元不一致") % {
            "total": plain(spending.budget_total), "sum": plain(spending.budget.total)})
    outgoing = spending.actual.total + spending.carried_forward
    if abs(spending.total_income - outgoing) > TOLERANCE:
        yield Issue("expenditure.total_income", _(
            "收支不平衡：总收入 %(income)s 万元，总支出（含结转）%(out)s 万元") % {
            "income": plain(spending.total_income), "out": plain(outgoing)})
    for node in nodes:
        if node.level == 3 and node.self_score < node.weight and not figures.remedy_for(node.code):
            yield Issue(f"remedies.{node.code}", _(
                "指标 %(code)s %(name)s 失分 %(lost)s 分，未填写整改措施") % {
                "code": node.code, "name": node.name, "lost": score_text(node.lost)})
        if node.claim is not None:
            position = claims[node.code][0]
            yield Issue(f"claims[{position}]", _(
                "申请调整：指标 %(code)s %(name)s 计算得分 %(computed)s，自评得分 %(self)s") % {
                "code": node.code, "name": node.name, "computed": score_text(node.computed),
                "self": score_text(node.self_score)})
