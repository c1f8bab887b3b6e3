"""Report sentences on figures chosen so that a swapped or wrongly rounded number shows.

The reference report has equal income and spending, whole or exact rates and 增支 only, so a
sentence that printed the income for the spending, rounded half-even, or said 增支 for 减支 would
still match it. Here every figure of a sentence differs from the others, the rates end in a 5 in
the third decimal (half-up: 12.345 → 12.35), the carried-forward amount is not zero, and the
balance is checked on both sides of its 0.01 tolerance. The sentences are asserted whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from evaluations.documents.data import (
    Block,
    ReportContext,
    ReportData,
    ReviewMark,
    balance_sentence,
    build_report,
    build_score_sheet,
    completion_sentence,
    composition_sentence,
    count_word,
    date_text,
    money,
    points,
    rate,
    second_level_sentence,
    text_paragraphs,
    units_sentence,
)
from evaluations.figures.derived import expenditure_summary
from evaluations.figures.interchange import read_submission_file
from rubrics.figures import Claim, Deduction, Expenditure, Figures, Lines, Narrative, Remedy
from rubrics.scoring import IndicatorSpec, NodeScore, score
from tests.factories import REFERENCE_FILE
from tests.rubrics.helpers import reference_rubric

D = Decimal


@pytest.fixture(scope="module")
def reference() -> Figures:
    return read_submission_file(REFERENCE_FILE).figures


def spending(budget_total: str | None = None, income: str = "1300.00",
             carried: str = "100.00", actual: tuple[str, str, str] = ("24.69", "80.00", "1000.00"),
             budget: tuple[str, str, str] = ("200.00", "80.00", "1720.00")) -> Figures:
    """A year whose lines are 12.345 %, 100 % and 58.14 % spent, with 100 万元 carried forward."""
    return Figures(rubric="jiangmen-2023", year=2024, department="测试局", expenditure=Expenditure(
        budget_total=None if budget_total is None else D(budget_total),
        budget=Lines(*(D(b) for b in budget)), actual=Lines(*(D(a) for a in actual)),
        carried_forward=D(carried), total_income=D(income)))


# --- 支出完成情况 ----------------------------------------------------------------------------


def test_a_spending_cut_reads_as_jianzhi_and_xiajiang_with_half_up_rates() -> None:
    # spent 1,104.69 + carried 100.00 = 1,204.69 of 2,000.00 (the lines): 60.2345 % → 60.23 %;
    # 795.31 less is 39.7655 % → 39.77 %.
    assert completion_sentence(expenditure_summary(spending())) == (
        "全年总支出完成 1,204.69 万元，为市人大审议本部门预算总支出 2,000.00 万元的 60.23%，"
        "减支 795.31 万元，下降 39.77%。")


def test_an_overspend_reads_as_zengzhi_and_zengzhang_rounding_a_final_five_up() -> None:
    # 2,104.90 of 2,000.00 is 105.245 % → 105.25 %; the 104.90 more is 5.245 % → 5.25 %.
    figures = spending(budget_total="2000.00", carried="0",
                       actual=("1000.00", "104.90", "1000.00"))
    assert completion_sentence(expenditure_summary(figures)) == (
        "全年总支出完成 2,104.90 万元，为市人大审议本部门预算总支出 2,000.00 万元的 105.25%，"
        "增支 104.90 万元，增长 5.25%。")


def test_the_approved_total_wins_over_the_sum_of_the_budget_lines() -> None:
    figures = spending(budget_total="2400.00")
    assert completion_sentence(expenditure_summary(figures)) == (
        "全年总支出完成 1,204.69 万元，为市人大审议本部门预算总支出 2,400.00 万元的 50.20%，"
        "减支 1,195.31 万元，下降 49.80%。")


def test_spending_exactly_on_budget_is_zengzhi_zero() -> None:
    figures = spending(carried="0", actual=("200.00", "80.00", "1720.00"))
    assert completion_sentence(expenditure_summary(figures)) == (
        "全年总支出完成 2,000.00 万元，为市人大审议本部门预算总支出 2,000.00 万元的 100%，"
        "增支 0.00 万元，增长 0%。")


def test_nothing_spent_against_a_budget_is_zero_percent() -> None:
    figures = spending(carried="0", actual=("0", "0", "0"))
    assert completion_sentence(expenditure_summary(figures)) == (
        "全年总支出完成 0.00 万元，为市人大审议本部门预算总支出 2,000.00 万元的 0%，"
        "减支 2,000.00 万元，下降 100%。")


def test_without_a_budget_the_completion_sentence_stops_after_the_spending() -> None:
    figures = spending(budget=("0", "0", "0"))
    assert completion_sentence(expenditure_summary(figures)) == "全年总支出完成 1,204.69 万元。"


def test_each_line_is_compared_with_its_own_budget_and_the_carried_amount_closes() -> None:
    assert composition_sentence(expenditure_summary(spending(carried="57.50"))) == (
        "人员支出完成 24.69 万元，为市人大审议通过本部门预算支出 200.00 万元的 12.35%；"
        "日常公用支出完成 80.00 万元，为市人大审议通过本部门预算支出 80.00 万元的 100%；"
        "项目支出完成 1,000.00 万元，为市人大审议通过本部门预算支出 1,720.00 万元的 58.14%；"
        "结转下年支出 57.50 万元。")


def test_a_line_without_budget_prints_only_what_was_spent() -> None:
    figures = spending(budget=("200.00", "0", "1720.00"))
    assert composition_sentence(expenditure_summary(figures)).split("；")[1] == (
        "日常公用支出完成 80.00 万元")


# --- 收支平衡 --------------------------------------------------------------------------------


@pytest.mark.parametrize(("income", "ending"), [
    ("1300.00", "，收支结余 95.31 万元，未实现收支平衡。"),
    ("1204.71", "，收支结余 0.02 万元，未实现收支平衡。"),
    ("1204.70", "，实现收支平衡。"),
    ("1204.68", "，实现收支平衡。"),
    ("1204.67", "，收支缺口 0.02 万元，未实现收支平衡。"),
    ("1000.00", "，收支缺口 204.69 万元，未实现收支平衡。"),
])
def test_the_balance_names_income_spending_and_carried_apart_and_tolerates_one_cent(
    income: str, ending: str,
) -> None:
    text = balance_sentence(expenditure_summary(spending(income=income)), 2024)
    assert text == (f"本部门 2024 年总收入 {money(D(income))} 万元，总支出 1,204.69 万元（其中："
                    f"结转下年支出 100.00 万元）{ending}")


# --- the report around them -----------------------------------------------------------------


def report_on(reference: Figures, figures: Figures, **context: object) -> ReportData:
    changed = dataclasses.replace(reference, expenditure=figures.expenditure, **context)  # type: ignore[arg-type]
    return build_report(ReportContext(figures=changed, result=score(reference_rubric(), changed)))


def following(report: ReportData, heading: str) -> str:
    texts = [block.text for block in report.blocks]
    return texts[texts.index(heading) + 1]


def test_a_cut_titles_its_reason_jianzhi_and_prints_wu_without_one(reference: Figures) -> None:
    narrative = dataclasses.replace(reference.narrative, variance_reason="  ", other_matters="")
    report = report_on(reference, spending(), narrative=narrative)
    assert following(report, "3.减支的主要原因") == "无"
    assert "3.增支的主要原因" not in [b.text for b in report.blocks]
    assert report.blocks[-1] == Block("p", "无")
    assert following(report, "1.支出完成情况").startswith("全年总支出完成 1,204.69 万元")
    assert following(report, "4.部门预算收入与支出相抵后，实现收支平衡情况").startswith(
        "本部门 2023 年总收入 1,300.00 万元，总支出 1,204.69 万元")


def test_the_report_prints_the_other_matters_and_omits_a_missing_date(reference: Figures) -> None:
    narrative = dataclasses.replace(reference.narrative, other_matters=" 无其他事项说明 ")
    report = report_on(reference, reference, narrative=narrative, report_date=None)
    assert report.blocks[-1] == Block("p", "无其他事项说明")
    assert report.date_line == ""
    assert report.title == "2023 年部门整体支出绩效自评报告"


def test_a_reviewed_report_carries_the_review_total_and_its_grade(reference: Figures) -> None:
    result = score(reference_rubric(), reference)
    marks = {"1.1.1": ReviewMark(D("0"), "无佐证"), "2.4.3": ReviewMark(D("0"), "无佐证")}
    report = build_report(ReportContext(figures=reference, result=result, reviewed=True,
                                        review=marks))
    # 98.49 − 10 (1.1.1) − 7 (2.4.3) = 81.49: 良, not the self-evaluation's 优.
    assert (report.total, report.grade) == (D("81.49"), "良")
    assert Block("p", "经财政部门复核，复核得分 81.49 分，评价等级为“良”。") in report.blocks
    sheet = build_score_sheet(ReportContext(figures=reference, result=result, reviewed=True,
                                            review=marks))
    assert (sheet.total_review, sheet.review_grade, sheet.grade) == (D("81.49"), "良", "优")
    subtotal = next(r for r in sheet.rows if r.code == "1.1")
    assert (subtotal.self_score, subtotal.review_score) == (D("25"), D("15"))
    untouched = next(r for r in sheet.rows if r.code == "1.1.2")
    assert (untouched.review_score, untouched.review_comment) == (untouched.self_score, "")


def test_a_draft_report_carries_its_digest_and_the_deadline_only_when_known(
    reference: Figures,
) -> None:
    result = score(reference_rubric(), reference)
    report = build_report(ReportContext(figures=reference, result=result, draft=True,
                                        digest="abc"))
    assert (report.draft, report.digest) == (True, "abc")
    assert "按要求完成了自评工作" in following(report, "（一）自评结论")
    sheet = build_score_sheet(ReportContext(figures=reference, result=result, draft=True,
                                            digest="abc", deadline=dt.date(2024, 5, 31)))
    assert (sheet.draft, sheet.digest, sheet.review_grade, sheet.total_review) == (
        True, "abc", "", None)


# --- the 二级 paragraph and the small helpers --------------------------------------------------


def middle(*weights: str) -> IndicatorSpec:
    children = tuple(IndicatorSpec(f"9.1.{i}", name, D(w))
                     for i, (name, w) in enumerate(zip("甲乙丙丁", weights, strict=False), start=1))
    return IndicatorSpec("9.1", "测试", sum((c.weight for c in children), D(0)),
                         children=children)


def node(weight: str, self_score: str) -> NodeScore:
    return NodeScore("9.1", "测试", 2, D(weight), D(self_score), D(self_score))


def test_one_aspect_is_named_alone_and_a_rate_ending_in_five_rounds_up() -> None:
    # 7.01 of 8 is 87.625 % → 87.63 % (half-even would print 87.62 %).
    assert second_level_sentence(middle("8"), node("8", "7.01")) == (
        "该指标反映甲（8 分）一方面的情况，指标分值 8 分，自评得分 7.01 分，得分率 87.63%。")


@pytest.mark.parametrize(("weights", "listed"), [
    (("2", "1.5"), "甲（2 分）和乙（1.5 分）两方面"),
    (("2", "1.5", "0.5"), "甲（2 分）、乙（1.5 分）和丙（0.5 分）三方面"),
    (("1", "1", "1", "1"), "甲（1 分）、乙（1 分）、丙（1 分）和丁（1 分）四方面"),
])
def test_the_aspects_are_listed_with_their_weights_and_counted(
    weights: tuple[str, ...], listed: str,
) -> None:
    spec = middle(*weights)
    sentence = second_level_sentence(spec, node(str(spec.weight), "0.01"))
    assert sentence.startswith(f"该指标反映{listed}的情况，指标分值 {points(spec.weight)} 分，")


def test_budget_units_with_the_own_level_count_the_subordinate_ones() -> None:
    assert units_sentence(("某局（本级）", "甲中心", "乙所")) == (
        "纳入部门预算编制包括本级和下属 2 个预算单位，分别是：某局（本级）、甲中心、乙所。")
    assert units_sentence(("某局（本级）", "甲中心")) == (
        "纳入部门预算编制包括本级和下属 1 个预算单位，分别是：某局（本级）、甲中心。")


@pytest.mark.parametrize(("units", "sentence"), [
    (("某局（本级）",), "纳入部门预算编制的预算单位共 1 个：某局（本级）。"),
    (("甲中心", "乙所"), "纳入部门预算编制的预算单位共 2 个：甲中心、乙所。"),
])
def test_budget_units_without_an_own_level_and_subordinates_are_only_counted(
    units: tuple[str, ...], sentence: str,
) -> None:
    assert units_sentence(units) == sentence


def test_numbers_print_as_the_report_prints_them() -> None:
    assert [money(D("1234.565")), money(D("0.004")), money(D("-795.31"))] == [
        "1,234.57", "0.00", "-795.31"]
    assert [rate(D("100.00")), rate(D("12.35")), rate(D("5.20")), rate(D("0"))] == [
        "100%", "12.35%", "5.20%", "0%"]
    assert [points(D("25.00")), points(D("3.490")), points(D("0.5"))] == ["25", "3.49", "0.5"]
    assert date_text(dt.date(2024, 5, 9)) == "2024 年 5 月 9 日"
    assert [count_word(n) for n in (1, 4, 5, 7, 8, 9, 10, 11)] == [
        "一", "四", "五", "七", "八", "九", "十", "11"]


def test_text_paragraphs_keep_every_non_blank_line_stripped() -> None:
    assert text_paragraphs("  第一段 \n\n   \n第二段\n") == [Block("p", "第一段"), Block("p", "第二段")]
    assert text_paragraphs(" \n ") == []


def test_a_second_level_with_a_lost_point_sums_it_and_a_full_one_says_so(
    reference: Figures,
) -> None:
    changed = dataclasses.replace(reference, analysis=(("2.1", "已建立项目库管理制度"),
                                                        ("2.2", "执行率已通报。")))
    report = build_report(ReportContext(figures=changed,
                                        result=score(reference_rubric(), changed)))
    analyses = {b.text.split("：")[0]: b.text for b in report.blocks if b.lead == "评分分析："}
    preparation = next(t for t in analyses.values() if t.startswith("项目入库率"))
    assert preparation.endswith("已建立项目库管理制度。该指标自评得满分。")
    execution = next(t for t in analyses.values() if t.startswith("预算编制约束性"))
    assert execution.endswith("执行率已通报。综上，预算执行共扣 0.51 分，自评得分 3.49 分。")
    assert "执行率已通报。。" not in execution


def test_the_narrative_fields_land_under_their_own_headings(reference: Figures) -> None:
    narrative = Narrative(functions="职能甲", annual_work="工作乙", targets_summary="目标丙",
                          variance_reason="原因丁", other_matters="其他戊")
    report = report_on(reference, reference, narrative=narrative)
    assert following(report, "（一）部门职能") == "职能甲"
    assert following(report, "（二）年度总体工作和重点工作任务") == "工作乙"
    assert following(report, "（三）部门整体支出绩效目标情况") == "目标丙"
    assert following(report, "3.增支的主要原因") == "原因丁"


def test_a_claim_or_remedy_loses_only_its_final_full_stop(reference: Figures) -> None:
    # Texts ending in a letter: only a trailing 。 is dropped before the report adds its own.
    changed = dataclasses.replace(
        reference, claims=(Claim("1.1.3", D("5"), " 详见附件 X "),),
        remedies=(Remedy("2.2.3", " 见整改报告 X。 "),))
    report = build_report(ReportContext(figures=changed,
                                        result=score(reference_rubric(), changed)))
    analyses = [b.text for b in report.blocks if b.lead == "评分分析："]
    assert "扣 0.87 分。详见附件 X。因此，该指标申请按 5 分自评（计算得分 4.13 分）。" in analyses[0]
    assert "扣 0.50 分。整改措施：见整改报告 X。综上" in analyses[3]


def test_a_deduction_is_explained_as_typed_even_from_its_first_character(
    reference: Figures,
) -> None:
    changed = dataclasses.replace(reference, deductions=(
        Deduction("2.4.1", D("1"), "。制度未按期修订"),))
    report = build_report(ReportContext(figures=changed,
                                        result=score(reference_rubric(), changed)))
    analysis = [b.text for b in report.blocks if b.lead == "评分分析："][5]
    assert analysis.startswith("绩效管理制度建设：。制度未按期修订，扣 1 分，扣 1.00 分。")
