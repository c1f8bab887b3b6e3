"""The report's outline and the 评分表's rows asserted whole on the reference submission.

The other report tests pick single strings out of the report; these compare the complete outline
(kind and text of every heading) and complete rows, so a wrong level, number, span, name,
weight, criteria or deduction reason cannot slip through a partial match.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from evaluations.documents.data import (
    ReportContext,
    ReportData,
    ReviewMark,
    ScoreSheet,
    SheetRow,
    build_report,
    build_score_sheet,
)
from evaluations.figures.interchange import read_submission_file
from rubrics.scoring import score
from tests.factories import REFERENCE_FILE
from tests.rubrics.helpers import reference_rubric

D = Decimal


@pytest.fixture(scope="module")
def context() -> ReportContext:
    figures = read_submission_file(REFERENCE_FILE).figures
    return ReportContext(figures=figures, result=score(reference_rubric(), figures),
                         deadline=dt.date(2024, 5, 11))


# Built in each test (not once per module): mutmut links a function to the tests during which
# it ran, and a module-scoped report would be linked to the first test only.
@pytest.fixture
def report(context: ReportContext) -> ReportData:
    return build_report(context)


@pytest.fixture
def sheet(context: ReportContext) -> ScoreSheet:
    return build_score_sheet(context)


OUTLINE = [
    ("h1", "一、部门基本情况"), ("h2", "（一）部门职能"), ("h2", "（二）年度总体工作和重点工作任务"),
    ("h2", "（三）部门整体支出绩效目标情况"), ("h2", "（四）部门整体支出情况"),
    ("h3", "1.支出完成情况"), ("h3", "2.支出完成主要构成情况"), ("h3", "3.增支的主要原因"),
    ("h3", "4.部门预算收入与支出相抵后，实现收支平衡情况"),
    ("h1", "二、绩效自评情况"), ("h2", "（一）自评结论"),
    ("h2", "（二）履职效能分析"), ("h3", "（1）整体效能"), ("h3", "（2）专项效能"),
    ("h2", "（三）管理效率分析"), ("h3", "（1）预算编制"), ("h3", "（2）预算执行"),
    ("h3", "（3）信息公开"), ("h3", "（4）绩效管理"), ("h3", "（5）采购管理"), ("h3", "（6）资产管理"),
    ("h3", "（7）运行成本"),
    ("h1", "三、其他自评情况"),
]


def test_the_report_outline_numbers_every_heading_at_its_level(report: ReportData) -> None:
    assert [(b.kind, b.text) for b in report.blocks if b.kind != "p"] == OUTLINE


def test_every_second_level_heading_has_its_paragraph_then_a_lead_analysis(
    report: ReportData,
) -> None:
    blocks = list(report.blocks)
    for kind, text in OUTLINE[OUTLINE.index(("h3", "（1）整体效能")):-1]:
        if kind != "h3":
            continue
        at = next(i for i, b in enumerate(blocks) if (b.kind, b.text) == (kind, text))
        assert [(b.kind, b.lead) for b in blocks[at + 1:at + 3]] == [("p", ""), ("p", "评分分析：")]
    assert sum(1 for b in blocks if b.lead) == 9


def test_the_conclusion_is_printed_whole(report: ReportData) -> None:
    texts = [b.text for b in report.blocks]
    assert texts[texts.index("（一）自评结论") + 1] == (
        "按照《部门整体支出绩效评价自评表》的评价指标，本部门进行了认真的自评分析，按要求在 2024 年 "
        "5 月 11 日前完成了自评工作，并按真实性、完整性、一致性、规范性的原则报送自评材料，对所报送自评"
        "材料的真实性、完整性、一致性、规范性负责。经研究，本部门 2023 年度整体绩效自评得分 98.49 分，"
        "评价等级为“优”。")


def test_the_report_names_the_department_year_attachment_and_date(report: ReportData) -> None:
    assert (report.department, report.year, report.signature) == (
        "江门市人力资源和社会保障局", 2023, "江门市人力资源和社会保障局")
    assert (report.attachment_line, report.date_line) == (
        "附件：江门市人力资源和社会保障局 2023 年部门整体支出绩效自评指标评分表", "2024 年 10 月 31 日")
    assert (report.total, report.grade, report.draft, report.digest) == (D("98.49"), "优", False, "")


def test_review_marks_count_only_once_the_submission_is_reviewed(context: ReportContext) -> None:
    marked = dataclasses.replace(context, review={"1.1.1": ReviewMark(D("0"), "无佐证")})
    report = build_report(marked)
    assert (report.total, report.grade) == (D("98.49"), "优")
    assert not any(b.text.startswith("经财政部门复核") for b in report.blocks)
    assert build_score_sheet(marked).total_review is None


def test_the_sheet_names_its_rubric_department_and_totals(sheet: ScoreSheet) -> None:
    assert (sheet.department, sheet.year, sheet.rubric_name, sheet.rubric_code) == (
        "江门市人力资源和社会保障局", 2023, "江门市部门整体支出绩效评价指标体系（2023 年度）",
        "jiangmen-2023")
    assert (sheet.total_weight, sheet.total_computed, sheet.total_self, sheet.total_review) == (
        D("100"), D("97.59"), D("98.49"), None)
    assert (sheet.reviewed, sheet.review_grade, sheet.draft, sheet.digest) == (False, "", False, "")


def row(sheet: ScoreSheet, code: str) -> SheetRow:
    return next(r for r in sheet.rows if r.code == code)


def test_the_first_row_of_a_group_carries_the_spans_and_a_full_score_gives_no_reason(
    sheet: ScoreSheet,
) -> None:
    assert row(sheet, "1.1.1") == SheetRow(
        top_name="履职效能（50 分）", top_span=7, middle_name="整体效能（25 分）", middle_span=3,
        code="1.1.1", name="部门整体绩效目标产出指标完成情况", weight=D("10"),
        criteria="考察部门整体绩效目标中产出指标的完成情况。得分＝分值×已完成产出指标数÷产出指标总数；"
                 "未设置产出指标的不得分。",
        computed=D("10.00"), self_score=D("10.00"), reason="")
    assert (row(sheet, "1.1.2").top_span, row(sheet, "1.1.2").middle_span) == (0, 0)
    assert (row(sheet, "1.2.1").top_span, row(sheet, "1.2.1").middle_span) == (0, 2)


def test_a_claimed_row_gives_the_deduction_then_the_claim(sheet: ScoreSheet) -> None:
    claimed = row(sheet, "1.2.2")
    assert claimed.reason == (
        "转移支付支出金额 16,429.71 万元，转移支付下达金额 16,521.24 万元，比率 99.45%（达到 100% "
        "得满分），扣 0.03 分。申请调整为 5.00 分：2023 年因各县（市、区）财力十分紧张的客观原因，优先将"
        "额度支付分配给中央和省级资金，市级下达资金没有足够额度给予支付，因此导致部分资金结转到 2024 "
        "年支付。")
    assert row(sheet, "2.5.5").reason == "合同备案预警 1 次，每次扣 1 分，扣 1.00 分"


def test_a_subtotal_row_sums_its_group_and_carries_nothing_else(sheet: ScoreSheet) -> None:
    assert row(sheet, "1.1") == SheetRow(
        top_name="", top_span=0, middle_name="", middle_span=0, code="1.1", name="整体效能小计",
        weight=D("25"), criteria="", computed=D("24.13"), self_score=D("25.00"), reason="",
        review_score=None, kind="subtotal")
    assert [r.code for r in sheet.rows[:5]] == ["1.1.1", "1.1.2", "1.1.3", "1.1", "1.2.1"]


def analyses(report: ReportData) -> list[str]:
    return [b.text for b in report.blocks if b.lead == "评分分析："]


def test_a_claimed_second_level_analysis_reads_whole(report: ReportData) -> None:
    assert analyses(report)[1] == (
        "专项资金绩效完成情况：专项资金 1 项共 4,022.41 万元，按金额加权的绩效完成率 100%，得满分。"
        "部门主管转移支付资金支出率：转移支付支出金额 16,429.71 万元，转移支付下达金额 16,521.24 万元，"
        "比率 99.45%（达到 100% 得满分），扣 0.03 分。2023 年因各县（市、区）财力十分紧张的客观原因，"
        "优先将额度支付分配给中央和省级资金，市级下达资金没有足够额度给予支付，因此导致部分资金结转到 "
        "2024 年支付。因此，该指标申请按 5 分自评（计算得分 4.97 分）。该指标自评得满分。")


def test_an_analysis_without_officer_text_or_remedy_ends_with_the_full_score(
    report: ReportData,
) -> None:
    assert analyses(report)[8] == (
        "经济成本控制情况：日常公用支出 364.35 万元，日常公用支出预算 421.99 万元，未超预算，得满分。"
        "“三公”经费控制情况：“三公”经费支出 229,366.13 元，“三公”经费预算 277,236.31 元，未超预算，"
        "得满分。该指标自评得满分。")


def test_an_analysis_gives_each_deduction_then_its_remedy_then_the_officer_text(
    report: ReportData,
) -> None:
    assert analyses(report)[3] == (
        "预算编制约束性：预算调整金额 195.6793 万元，占当年预算数 25,937.41 万元的 0.75%，扣 0.01 分。"
        "资金下达合规性：资金下达违规 0 次，每次扣 0.5 分，得满分。财务管理合规性：市财政局会计信息质量检查"
        "发现问题（已整改，每项扣 0.5 分），扣 0.50 分。整改措施：已按照市财政局的要求整改完毕。综上，"
        "预算执行共扣 0.51 分，自评得分 3.49 分。")
    assert analyses(report)[5].endswith(
        "将资金绩效目标情况单独作一个附表纳入每月通报中进行监督。该指标自评得满分。")


def test_no_sentence_doubles_its_full_stop(report: ReportData) -> None:
    # Claims, remedies and officer texts of the reference end with 。 and are joined with one.
    assert [b.text for b in report.blocks if "。。" in b.text] == []
