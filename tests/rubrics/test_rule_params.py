"""Rule parameters are checked per rule type before a rubric loads (RUBRIC.md §1): each problem
names its parameter in Chinese, and numbers must be written so that no float creeps in."""

from __future__ import annotations

from typing import Any

import pytest

from rubrics.rules import RULES, validate_params

VIOLATIONS = "procurement.violations"


@pytest.mark.parametrize(("rule", "params"), [
    ("target_completion", {"kind": "output"}),
    ("quarterly_progress", {"q1": 25, "q2": "50", "q3": "0", "q4": "95.5"}),
    ("ratio_threshold", {"numerator": "transfers.spent", "denominator": "transfers.amount"}),
    ("findings_deduction", {}),
    ("per_item_deduction", {"count": VIOLATIONS, "each": 1}),
    ("checklist", {"items": [{"quantity": "disclosure.budget", "points": 1},
                             {"quantity": "disclosure.final_accounts", "points": "0.5"}]}),
    ("manual_deductions", {}),
])
def test_valid_parameters_raise_no_problem(rule: str, params: dict[str, Any]) -> None:
    assert validate_params(rule, params) == []


@pytest.mark.parametrize(("rule", "params", "problems"), [
    ("magic", {}, ["未知的评分规则：magic"]),
    ("benchmark", {"own": "assets.utilisation_rate", "benchmark": "assets.city_average_rate", "extra": 1},
     ["规则 benchmark 不接受参数 extra"]),
    ("benchmark", {}, ["规则 benchmark 缺少参数 own", "规则 benchmark 缺少参数 benchmark"]),
    ("ratio_threshold", {"numerator": "x", "denominator": "transfers.amount"}, ["numerator: 未知的数据项 x"]),
    ("target_completion", {"kind": "input"}, ["kind: 应为 output（产出）或 outcome（效益）"]),
    # A defaulted parameter left out must not stop the check of the ones after it.
    ("findings_deduction", {"unrectified": "-1"}, ["unrectified: 应为非负数"]),
])
def test_each_parameter_problem_is_named(rule: str, params: dict[str, Any], problems: list[str]) -> None:
    assert validate_params(rule, params) == problems


@pytest.mark.parametrize(("each", "problem"), [
    (0.5, "数值应写成字符串或整数，以免浮点误差"),
    (True, "数值应写成字符串或整数，以免浮点误差"),
    ("abc", "不是有效的数值：abc"),
    ("-1", "应为非负数"),
    ("-0.01", "应为非负数"),
    ("Infinity", "应为非负数"),
    ("NaN", "应为非负数"),
    ("0", ""),
    (0, ""),
    ("0.5", ""),
])
def test_a_number_parameter_is_a_non_negative_finite_decimal_written_as_text_or_integer(
    each: object, problem: str
) -> None:
    problems = validate_params("per_item_deduction", {"count": VIOLATIONS, "each": each})
    assert problems == ([f"each: {problem}"] if problem else [])


@pytest.mark.parametrize(("items", "problem"), [
    ("disclosure.budget", "应为非空列表"),
    ([], "应为非空列表"),
    ([{"quantity": "disclosure.budget"}], "每项应包含 quantity 和 points"),
    ([{"quantity": "disclosure.budget", "points": 1, "note": "多余"}], "每项应包含 quantity 和 points"),
    (["disclosure.budget"], "每项应包含 quantity 和 points"),
    ([{"quantity": "nope", "points": 1}], "未知的数据项 nope"),
    ([{"quantity": "disclosure.budget", "points": "-1"}], "应为非负数"),
    ([{"quantity": "disclosure.budget", "points": 1}, {"quantity": "disclosure.targets", "points": 1.5}],
     "数值应写成字符串或整数，以免浮点误差"),
])
def test_a_checklist_is_a_non_empty_list_of_quantities_with_points(items: object, problem: str) -> None:
    assert validate_params("checklist", {"items": items}) == [f"items: {problem}"]


def test_the_registry_holds_the_twelve_rule_types_of_the_spec_with_their_defaults() -> None:
    assert sorted(RULES) == sorted([
        "target_completion", "quarterly_progress", "fund_completion", "ratio_threshold", "share_compliant",
        "proportional_deduction", "per_item_deduction", "findings_deduction", "checklist",
        "manual_deductions", "benchmark", "cap_overrun"])
    assert all(name == spec.name and spec.label for name, spec in RULES.items())
    assert dict(RULES["ratio_threshold"].defaults) == {"full_at": 100}
    assert dict(RULES["findings_deduction"].defaults) == {"rectified": "0.5", "unrectified": "1.0"}
