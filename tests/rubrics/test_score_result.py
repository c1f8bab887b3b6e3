"""The shape of a score (RUBRIC.md §4, §5): every node of the tree in order with its level, name
and weight; parents and totals are sums of rounded 三级 scores; 得分率, 失分 and the row dict
that the 评分表 and the API print."""

from __future__ import annotations

from decimal import Decimal

from rubrics.figures import Claim, Deduction, Procurement
from rubrics.numbers import plain, score_text
from rubrics.scoring import GradeBand, IndicatorSpec, NodeScore, RubricSpec, score
from tests.rubrics.helpers import figures, leaf_score, one_indicator

D = Decimal


def leaf(code: str, weight: str, rule: str = "manual_deductions", **params: object) -> IndicatorSpec:
    return IndicatorSpec(code=code, name=f"指标{code}", weight=D(weight), rule=rule, params=params)


def branch(code: str, weight: str, *children: IndicatorSpec) -> IndicatorSpec:
    return IndicatorSpec(code=code, name=f"指标{code}", weight=D(weight), children=children)


def tree() -> RubricSpec:
    first = branch("1", "20", branch("1.1", "10", leaf("1.1.1", "5"),
                                     leaf("1.1.2", "5", "per_item_deduction",
                                          count="procurement.violations", each="0.5")),
                   branch("1.2", "10", leaf("1.2.1", "10")))
    second = branch("2", "80", branch("2.1", "80", leaf("2.1.1", "80")))
    return RubricSpec(code="tree", name="树", grades=(GradeBand("优", D(90)), GradeBand("差", D(0))),
                      indicators=(first, second))


def test_every_node_comes_in_tree_order_with_its_level_name_and_weight() -> None:
    result = score(tree(), figures())
    assert [(n.code, n.level, n.name, str(n.weight)) for n in result.nodes] == [
        ("1", 1, "指标1", "20"), ("1.1", 2, "指标1.1", "10"), ("1.1.1", 3, "指标1.1.1", "5"),
        ("1.1.2", 3, "指标1.1.2", "5"), ("1.2", 2, "指标1.2", "10"), ("1.2.1", 3, "指标1.2.1", "10"),
        ("2", 1, "指标2", "80"), ("2.1", 2, "指标2.1", "80"), ("2.1.1", 3, "指标2.1.1", "80"),
    ]


def test_parents_and_totals_add_the_rounded_scores_of_their_children() -> None:
    data = figures(procurement=Procurement(violations=1),
                   deductions=(Deduction("1.2.1", D("0.25"), "甲"), Deduction("2.1.1", D("3.5"), "乙")),
                   claims=(Claim("1.1.2", D("5"), "客观原因"),))
    result = score(tree(), data)
    assert [(n.code, str(n.computed), str(n.self_score)) for n in result.nodes if n.level < 3] == [
        ("1", "19.25", "19.75"), ("1.1", "9.50", "10.00"), ("1.2", "9.75", "9.75"),
        ("2", "76.50", "76.50"), ("2.1", "76.50", "76.50")]
    assert (str(result.computed), str(result.self_total), result.grade) == ("95.75", "96.25", "优")
    assert result.total_weight == D(100) == result.rubric.total_weight


def test_an_empty_rubric_totals_a_printable_decimal_zero() -> None:
    result = score(RubricSpec(code="empty", name="空"), figures())
    assert (score_text(result.computed), score_text(result.self_total)) == ("0.00", "0.00")
    assert (plain(result.total_weight), result.grade, result.nodes) == ("0", "", ())


def test_the_leaves_and_the_codes_of_a_level_are_read_from_the_tree() -> None:
    rubric = tree()
    assert list(rubric.leaves()) == ["1.1.1", "1.1.2", "1.2.1", "2.1.1"]
    assert list(rubric.codes_at(2)) == ["1.1", "1.2", "2.1"]
    assert [(level, node.code) for level, node in rubric.walk()][:3] == [(1, "1"), (2, "1.1"), (3, "1.1.1")]
    assert (rubric.codes_at(1)["1"].is_leaf, rubric.leaves()["1.1.1"].is_leaf) == (False, True)


def test_a_node_reports_its_rate_half_up_and_the_points_it_lost() -> None:
    node = NodeScore(code="2.2", name="预算执行", level=2, weight=D("4"), computed=D("3.49"),
                     self_score=D("3.49"))
    assert (str(node.rate), str(node.lost)) == ("87.25", "0.51")
    one = NodeScore(code="2.2.1", name="约束性", level=3, weight=D("1"), computed=D("0.99"),
                    self_score=D("0.99"))
    assert (str(one.rate), str(one.lost)) == ("99.00", "0.01")


def test_a_node_of_zero_weight_has_a_zero_rate_instead_of_a_division_error() -> None:
    node = NodeScore(code="9", name="无", level=3, weight=D(0), computed=D(0), self_score=D(0))
    assert node.rate == D(0)


def test_a_scored_node_prints_as_a_row_of_texts() -> None:
    data = figures(deductions=(Deduction("1.1.1", D("0.5"), "制度不健全"),),
                   claims=(Claim("1.1.1", D("1.9"), "客观原因"),))
    node, _ = leaf_score(one_indicator("manual_deductions", "2"), data)
    assert node.as_dict() == {
        "code": "1.1.1", "name": "测试指标", "level": 3, "weight": "2", "computed": "1.50", "self": "1.90",
        "rate": "95.00", "explanation": "制度不健全，扣 0.5 分，扣 0.50 分",
    }


def test_a_result_finds_a_node_by_code_and_is_valid_only_without_errors() -> None:
    result = score(tree(), figures())
    assert (result.node("2.1").code, result.is_valid) == ("2.1", True)
    faulty = score(tree(), figures(deductions=(Deduction("1.1.1", D("0"), "零"),)))
    assert faulty.is_valid is False
