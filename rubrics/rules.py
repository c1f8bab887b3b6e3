"""The rule types of RUBRIC.md §3: one small pure function each, registered by name.

A rule reads figures through the named quantities of `rubrics.quantities`, returns its raw
(unclamped, unrounded) score and the figures it used, in words. The engine in
`rubrics.scoring` clamps, rounds and aggregates. Decimal only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rubrics.figures import TARGET_KINDS, Figures
from rubrics.i18n import gettext as _
from rubrics.numbers import HUNDRED, decimals_of, grouped, percent, plain
from rubrics.quantities import QUANTITIES

ZERO = Decimal(0)


@dataclass(frozen=True)
class Issue:
    """An error or warning about the figures, located by its path in the interchange format."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True)
class Outcome:
    raw: Decimal
    explanation: str
    not_applicable: bool = False
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class Leaf:
    """What a rule needs to know of its indicator; params include the rule's defaults."""

    code: str
    weight: Decimal
    params: Mapping[str, Any] = field(default_factory=dict)


# Parameter kinds, each validated by `validate_params`.
QUANTITY = "quantity"
NUMBER = "number"
KIND = "kind"
CHECKLIST = "checklist"


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    params: Mapping[str, str]
    compute: Callable[[Leaf, Figures], Outcome]
    defaults: Mapping[str, Any] = field(default_factory=dict)


RULES: dict[str, Rule] = {}


def rule(name: str, label: str, params: Mapping[str, str], **defaults: Any) -> Callable[
    [Callable[[Leaf, Figures], Outcome]], Callable[[Leaf, Figures], Outcome]
]:
    def register(fn: Callable[[Leaf, Figures], Outcome]) -> Callable[[Leaf, Figures], Outcome]:
        RULES[name] = Rule(name, label, params, fn, defaults)
        return fn

    return register


def number(value: Any) -> Decimal:
    """A rule parameter as Decimal, read through its text (never through float)."""
    return Decimal(str(value))


def read(leaf: Leaf, name: str, figures: Figures) -> Decimal:
    return QUANTITIES[leaf.params[name]].read(figures)


def described(leaf: Leaf, name: str, value: Decimal) -> str:
    quantity = QUANTITIES[leaf.params[name]]
    places = max(2, min(decimals_of(value), 4))
    shown = grouped(value, places) if quantity.unit in {"万元", "元"} else plain(value)
    return f"{_(quantity.label)} {shown}{' ' if quantity.unit not in {'', '%'} else ''}{quantity.unit}"


def not_applicable(leaf: Leaf, reason: str) -> Outcome:
    return Outcome(leaf.weight, reason, not_applicable=True)


@rule("target_completion", "绩效目标完成情况", {"kind": KIND})
def target_completion(leaf: Leaf, figures: Figures) -> Outcome:
    kind = leaf.params["kind"]
    label = _("产出指标") if kind == "output" else _("效益指标")
    targets = [t for t in figures.targets if t.kind == kind]
    if not targets:
        warning = Issue("targets", _("未设置绩效指标：%(label)s") % {"label": label})
        return Outcome(ZERO, _("未设置%(label)s") % {"label": label}, warnings=(warning,))
    done = sum(1 for t in targets if t.completed)
    raw = leaf.weight * done / len(targets)
    categories: dict[str, int] = {}
    for target in targets:
        categories[target.category] = categories.get(target.category, 0) + 1
    detail = "、".join(f"{name}指标 {n} 个" for name, n in categories.items())
    text = _("%(label)s共 %(total)d 个（其中%(detail)s），已完成 %(done)d 个，完成率 %(rate)s%%") % {
        "label": label, "total": len(targets), "detail": detail, "done": done,
        "rate": plain(percent(Decimal(done), Decimal(len(targets)))),
    }
    return Outcome(raw, text)


QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")


@rule("quarterly_progress", "季度支出进度", {"q1": NUMBER, "q2": NUMBER, "q3": NUMBER, "q4": NUMBER})
def quarterly_progress(leaf: Leaf, figures: Figures) -> Outcome:
    share = leaf.weight / 4
    raw = ZERO
    parts = []
    for index, rate in enumerate(figures.expenditure.quarterly_rate.as_tuple()):
        goal = number(leaf.params[f"q{index + 1}"])
        reached = rate >= goal
        raw += share if reached else share * rate / goal
        parts.append(
            _("%(quarter)s支出率 %(rate)s%%（序时进度 %(goal)s%%%(mark)s）") % {
                "quarter": _(QUARTER_NAMES[index]), "rate": plain(rate), "goal": plain(goal),
                "mark": "" if reached else _("，未达到"),
            }
        )
    return Outcome(raw, "；".join(parts))


@rule("fund_completion", "专项资金绩效完成情况", {})
def fund_completion(leaf: Leaf, figures: Figures) -> Outcome:
    funds = figures.special_funds
    total = sum((f.amount for f in funds), ZERO)
    if not funds or total == 0:
        return not_applicable(leaf, _("未涉及专项资金"))
    achieved = sum((f.amount * min(f.completion_rate, HUNDRED) for f in funds), ZERO)
    rate = achieved / total
    text = _("专项资金 %(count)d 项共 %(total)s 万元，按金额加权的绩效完成率 %(rate)s%%") % {
        "count": len(funds), "total": grouped(total), "rate": plain(percent(rate, HUNDRED)),
    }
    return Outcome(leaf.weight * achieved / (total * HUNDRED), text)


@rule(
    "ratio_threshold", "比率达标",
    {"numerator": QUANTITY, "denominator": QUANTITY, "full_at": NUMBER}, full_at=100,
)
def ratio_threshold(leaf: Leaf, figures: Figures) -> Outcome:
    num, den = read(leaf, "numerator", figures), read(leaf, "denominator", figures)
    full_at = number(leaf.params["full_at"])
    if den == 0:
        if num == 0:
            return not_applicable(leaf, _("不涉及"))
        error = Issue(
            leaf.params["denominator"],
            _("%(label)s为 0，无法计算比率") % {"label": _(QUANTITIES[leaf.params["denominator"]].label)},
        )
        return Outcome(ZERO, error.message, errors=(error,))
    rate = num / den * HUNDRED
    raw = leaf.weight if rate >= full_at else leaf.weight * rate / full_at
    text = _("%(num)s，%(den)s，比率 %(rate)s%%（达到 %(full)s%% 得满分）") % {
        "num": described(leaf, "numerator", num), "den": described(leaf, "denominator", den),
        "rate": plain(percent(num, den)), "full": plain(full_at),
    }
    return Outcome(raw, text)


@rule("share_compliant", "合规比例", {"compliant": QUANTITY, "total": QUANTITY})
def share_compliant(leaf: Leaf, figures: Figures) -> Outcome:
    good, total = read(leaf, "compliant", figures), read(leaf, "total", figures)
    if total == 0:
        return not_applicable(leaf, _("不涉及"))
    text = _("%(good)s，%(total)s") % {
        "good": described(leaf, "compliant", good), "total": described(leaf, "total", total),
    }
    if good > total:
        error = Issue(leaf.params["compliant"], _("合规数不能大于总数：%(text)s") % {"text": text})
        return Outcome(ZERO, text, errors=(error,))
    return Outcome(leaf.weight * good / total, text)


@rule("proportional_deduction", "按比例扣分", {"amount": QUANTITY, "base": QUANTITY})
def proportional_deduction(leaf: Leaf, figures: Figures) -> Outcome:
    amount, base = read(leaf, "amount", figures), read(leaf, "base", figures)
    if base == 0:
        return not_applicable(leaf, _("不涉及"))
    text = _("%(amount)s，占%(base)s的 %(rate)s%%") % {
        "amount": described(leaf, "amount", amount), "base": described(leaf, "base", base),
        "rate": plain(percent(amount, base)),
    }
    return Outcome(leaf.weight - leaf.weight * amount / base, text)


@rule("per_item_deduction", "按次扣分", {"count": QUANTITY, "each": NUMBER})
def per_item_deduction(leaf: Leaf, figures: Figures) -> Outcome:
    count, each = read(leaf, "count", figures), number(leaf.params["each"])
    quantity = QUANTITIES[leaf.params["count"]]
    text = _("%(label)s %(count)s %(unit)s，每%(unit)s扣 %(each)s 分") % {
        "label": _(quantity.label), "count": plain(count), "unit": quantity.unit or _("项"),
        "each": plain(each),
    }
    return Outcome(leaf.weight - count * each, text)


@rule(
    "findings_deduction", "检查发现问题扣分",
    {"rectified": NUMBER, "unrectified": NUMBER}, rectified="0.5", unrectified="1.0",
)
def findings_deduction(leaf: Leaf, figures: Figures) -> Outcome:
    findings = figures.budget_execution.inspection_findings
    if not findings:
        return Outcome(leaf.weight, _("未发现问题"))
    rectified, unrectified = number(leaf.params["rectified"]), number(leaf.params["unrectified"])
    raw = leaf.weight
    parts = []
    for finding in findings:
        points = rectified if finding.rectified else unrectified
        raw -= points
        state = _("已整改") if finding.rectified else _("未整改")
        parts.append(
            _("%(source)s%(title)s发现问题（%(state)s，每项扣 %(points)s 分）") % {
                "source": finding.source, "title": finding.title, "state": state,
                "points": plain(points),
            }
        )
    return Outcome(raw, "；".join(parts))


@rule("checklist", "逐项核对", {"items": CHECKLIST})
def checklist(leaf: Leaf, figures: Figures) -> Outcome:
    raw = ZERO
    missing = []
    for item in leaf.params["items"]:
        quantity = QUANTITIES[item["quantity"]]
        if quantity.read(figures):
            raw += number(item["points"])
        else:
            missing.append(f"{_(quantity.label)}（{plain(number(item['points']))} 分）")
    if not missing:
        return Outcome(raw, _("各项均已落实"))
    return Outcome(raw, _("未落实：%(items)s") % {"items": "、".join(missing)})


@rule("manual_deductions", "据实扣分", {})
def manual_deductions(leaf: Leaf, figures: Figures) -> Outcome:
    mine = [d for d in figures.deductions if d.indicator == leaf.code]
    if not mine:
        return Outcome(leaf.weight, _("无扣分事项"))
    raw = leaf.weight - sum((d.points for d in mine), ZERO)
    parts = [_("%(reason)s，扣 %(points)s 分") % {"reason": d.reason, "points": plain(d.points)}
             for d in mine]
    return Outcome(raw, "；".join(parts))


@rule("benchmark", "对标平均水平", {"own": QUANTITY, "benchmark": QUANTITY})
def benchmark(leaf: Leaf, figures: Figures) -> Outcome:
    own, bench = read(leaf, "own", figures), read(leaf, "benchmark", figures)
    text = _("%(own)s，%(bench)s") % {
        "own": described(leaf, "own", own), "bench": described(leaf, "benchmark", bench),
    }
    if bench == 0 or own >= bench:
        return Outcome(leaf.weight, text)
    return Outcome(leaf.weight * own / bench, text)


@rule("cap_overrun", "超预算扣分", {"actual": QUANTITY, "budget": QUANTITY, "per_pp": NUMBER})
def cap_overrun(leaf: Leaf, figures: Figures) -> Outcome:
    actual, budget = read(leaf, "actual", figures), read(leaf, "budget", figures)
    text = _("%(actual)s，%(budget)s") % {
        "actual": described(leaf, "actual", actual), "budget": described(leaf, "budget", budget),
    }
    if actual <= budget:
        return Outcome(leaf.weight, text + _("，未超预算"))
    if budget == 0:
        return Outcome(ZERO, text + _("，无预算安排而发生支出"))
    overrun = (actual / budget - 1) * HUNDRED
    per_pp = number(leaf.params["per_pp"])
    text += _("，超预算 %(pp)s 个百分点，每个百分点扣 %(each)s 分") % {
        "pp": plain(percent(actual - budget, budget)), "each": plain(per_pp),
    }
    return Outcome(leaf.weight - per_pp * overrun, text)


def validate_params(rule_name: str, params: Mapping[str, Any]) -> list[str]:
    """Messages (Chinese) for parameters that do not fit the rule type; empty when valid."""
    if rule_name not in RULES:
        return [_("未知的评分规则：%(rule)s") % {"rule": rule_name}]
    spec = RULES[rule_name]
    problems = [
        _("规则 %(rule)s 不接受参数 %(name)s") % {"rule": rule_name, "name": name}
        for name in params if name not in spec.params
    ]
    for name, kind in spec.params.items():
        if name not in params:
            if name not in spec.defaults:
                problems.append(_("规则 %(rule)s 缺少参数 %(name)s") % {"rule": rule_name, "name": name})
            continue
        problem = _check_param(kind, params[name])
        if problem:
            problems.append(f"{name}: {problem}")
    return problems


def _check_param(kind: str, value: Any) -> str:
    if kind == QUANTITY:
        return "" if value in QUANTITIES else _("未知的数据项 %(value)s") % {"value": value}
    if kind == KIND:
        return "" if value in TARGET_KINDS else _("应为 output（产出）或 outcome（效益）")
    if kind == NUMBER:
        return _check_number(value)
    if not isinstance(value, list) or not value:
        return _("应为非空列表")
    for item in value:
        if not isinstance(item, dict) or set(item) != {"quantity", "points"}:
            return _("每项应包含 quantity 和 points")
        problem = _check_param(QUANTITY, item["quantity"]) or _check_number(item["points"])
        if problem:
            return problem
    return ""


def _check_number(value: Any) -> str:
    if isinstance(value, bool) or isinstance(value, float):
        return _("数值应写成字符串或整数，以免浮点误差")
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        return _("不是有效的数值：%(value)s") % {"value": value}
    return "" if parsed.is_finite() and parsed >= 0 else _("应为非负数")
