"""The reference report (江门市人社局 2023) under jiangmen-2023: RUBRIC.md §7, to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.figures.interchange import read_submission_file
from rubrics.scoring import ScoreResult, score
from tests.rubrics.helpers import ROOT, reference_rubric

REFERENCE_FILE = ROOT / "evaluations" / "data" / "jiangmen-hrss-2023.yaml"

# code: (computed, self) for every 三级 that is not full; every other 三级 is full.
LOSING = {
    "1.1.3": ("4.13", "5.00"),
    "1.2.2": ("4.97", "5.00"),
    "2.2.1": ("0.99", "0.99"),
    "2.2.3": ("1.50", "1.50"),
    "2.5.5": ("0.00", "0.00"),
}


@pytest.fixture(scope="module")
def result() -> ScoreResult:
    parsed = read_submission_file(REFERENCE_FILE)
    assert parsed.errors == ()
    return score(reference_rubric(), parsed.figures)


def test_every_third_level_score_matches_the_reference(result: ScoreResult) -> None:
    for node in (n for n in result.nodes if n.level == 3):
        computed, self_score = LOSING.get(node.code, (None, None))
        if computed is None:
            assert node.computed == node.self_score == node.weight, node.code
        else:
            assert (str(node.computed), str(node.self_score)) == (computed, self_score), node.code


def test_the_totals_and_grade_match_the_reference(result: ScoreResult) -> None:
    assert result.computed == Decimal("97.59")
    assert result.self_total == Decimal("98.49")
    assert result.grade == "优"
    assert result.errors == ()


def test_second_level_subtotals_add_rounded_leaves(result: ScoreResult) -> None:
    assert result.node("2.2").self_score == Decimal("3.49")
    assert result.node("2.2").rate == Decimal("87.25")
    assert result.node("2.5").self_score == Decimal("9.00")
    assert result.node("2.5").rate == Decimal("90.00")
    assert result.node("1.1").computed == Decimal("24.13")
    assert result.node("1.1").self_score == Decimal("25.00")


def test_the_reference_warnings_are_the_claims_and_the_missing_remedy(
    result: ScoreResult,
) -> None:
    paths = sorted(w.path for w in result.warnings)
    assert paths == ["claims[0]", "claims[1]", "remedies.2.2.1"]


def test_explanations_name_the_figures_used(result: ScoreResult) -> None:
    assert "预算调整金额 195.6793 万元，占当年预算数 25,937.41 万元的 0.75%，扣 0.01 分" in (
        result.node("2.2.1").explanation)
    assert "第四季度支出率 90.99%（序时进度 95%，未达到）" in result.node("1.1.3").explanation
    assert "合同备案预警 1 次" in result.node("2.5.5").explanation
