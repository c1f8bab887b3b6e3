"""Small pure builders for scoring tests: a rubric of one indicator, figures with overrides."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from rubrics.figures import Figures
from rubrics.loader import parse_rubric
from rubrics.scoring import GradeBand, IndicatorSpec, NodeScore, RubricSpec, ScoreResult, score
from rubrics.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]
RUBRIC_FILE = ROOT / "rubrics" / "data" / "jiangmen-2023.yaml"
D = Decimal


def reference_rubric() -> RubricSpec:
    spec, problems = parse_rubric(load_yaml(RUBRIC_FILE.read_text(encoding="utf-8")))
    assert spec is not None, problems
    return spec


def one_indicator(rule: str, weight: str, params: dict[str, Any] | None = None,
                  rounding: str = "half_up") -> RubricSpec:
    leaf = IndicatorSpec(code="1.1.1", name="测试指标", weight=D(weight), rule=rule,
                         params=params or {})
    middle = IndicatorSpec(code="1.1", name="二级", weight=D(weight), children=(leaf,))
    top = IndicatorSpec(code="1", name="一级", weight=D(weight), children=(middle,))
    return RubricSpec(code="test", name="测试", rounding=rounding,
                      grades=(GradeBand("优", D(90)), GradeBand("差", D(0))), indicators=(top,))


def figures(**changes: Any) -> Figures:
    base = Figures(rubric="test", year=2023, department="测试部门")
    return Figures(**{**base.__dict__, **changes})


def leaf_score(rubric: RubricSpec, data: Figures) -> tuple[NodeScore, ScoreResult]:
    result = score(rubric, data)
    return result.node("1.1.1"), result
