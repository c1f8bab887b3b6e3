"""The report's and the 评分表's content on the reference submission (pure, no PDF)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from evaluations.documents.data import (
    ReportContext,
    ReportData,
    ReviewMark,
    build_report,
    build_score_sheet,
    count_word,
)
from evaluations.figures.interchange import read_submission_file
from rubrics.scoring import score
from tests.factories import REFERENCE_FILE
from tests.rubrics.helpers import reference_rubric


@pytest.fixture(scope="module")
def context() -> ReportContext:
    figures = read_submission_file(REFERENCE_FILE).figures
    return ReportContext(figures=figures, result=score(reference_rubric(), figures),
                         deadline=dt.date(2024, 5, 11))


@pytest.fixture(scope="module")
def report(context: ReportContext) -> ReportData:
    return build_report(context)


def texts(report: ReportData) -> list[str]:
    return [block.text for block in report.blocks]


def following(report: ReportData, heading: str) -> str:
    """The text of the block right after a heading."""
    headings = texts(report)
    return headings[headings.index(heading) + 1]


def test_spending_completion_uses_the_correct_variance(report: ReportData) -> None:
    # The published report printed 增支 2,540.26 万元; 15,571.27 − 12,031.01 = 3,540.26.
    assert following(report, "1.支出完成情况") == (
        "全年总支出完成 15,571.27 万元，为市人大审议本部门预算总支出 12,031.01 万元的 129.43%，"
        "增支 3,540.26 万元，增长 29.43%。")


def test_spending_composition_gives_each_line_and_its_share_of_budget(report: ReportData) -> None:
    assert following(report, "2.支出完成主要构成情况") == (
        "人员支出完成 5,520.39 万元，为市人大审议通过本部门预算支出 5,000.18 万元的 110.40%；"
        "日常公用支出完成 364.35 万元，为市人大审议通过本部门预算支出 421.99 万元的 86.34%；"
        "项目支出完成 9,107.52 万元，为市人大审议通过本部门预算支出 6,608.85 万元的 137.81%；"
        "结转下年支出 579.01 万元。")


def test_variance_reason_and_balance_follow_the_reference(report: ReportData) -> None:
    assert following(report, "3.增支的主要原因").startswith("主要是市级人才专项资金预算")
    assert following(report, "4.部门预算收入与支出相抵后，实现收支平衡情况") == (
        "本部门 2023 年总收入 15,571.27 万元，总支出 15,571.27 万元（其中：结转下年支出 "
        "579.01 万元），实现收支平衡。")


def test_budget_units_are_counted(report: ReportData) -> None:
    assert "纳入部门预算编制包括本级和下属 8 个预算单位，分别是：江门市人力资源和社会保障局（局本级）、" in (
        "".join(texts(report)))


def test_the_conclusion_states_the_self_score_and_grade(report: ReportData) -> None:
    conclusion = following(report, "（一）自评结论")
    assert "在 2024 年 5 月 11 日前完成了自评工作" in conclusion
    assert conclusion.endswith("整体绩效自评得分 98.49 分，评价等级为“优”。")
    assert (report.total, report.grade) == (Decimal("98.49"), "优")


SECOND_LEVEL = {
    "（1）整体效能": "该指标反映部门整体绩效目标产出指标完成情况（10 分）、部门整体绩效目标效益指标完成情况"
                  "（10 分）和部门预算资金支出率（5 分）三方面的情况，指标分值 25 分，自评得分 25 分，"
                  "得分率 100%。",
    "（2）专项效能": "该指标反映专项资金绩效完成情况（20 分）和部门主管转移支付资金支出率（5 分）两方面的情况，"
                  "指标分值 25 分，自评得分 25 分，得分率 100%。",
    "（1）预算编制": "该指标反映项目入库率（2 分）、储备的二级项目使用率（2 分）和新增预算项目事前绩效评估"
                  "（1 分）三方面的情况，指标分值 5 分，自评得分 5 分，得分率 100%。",
    "（2）预算执行": "该指标反映预算编制约束性（1 分）、资金下达合规性（1 分）和财务管理合规性（2 分）三方面的"
                  "情况，指标分值 4 分，自评得分 3.49 分，得分率 87.25%。",
    "（3）信息公开": "该指标反映预决算公开合规性（2 分）和绩效信息公开情况（1 分）两方面的情况，指标分值 3 分，"
                  "自评得分 3 分，得分率 100%。",
    "（4）绩效管理": "该指标反映绩效管理制度建设（5 分）、绩效结果应用（3 分）和绩效管理制度执行（7 分）三方面的"
                  "情况，指标分值 15 分，自评得分 15 分，得分率 100%。",
    "（5）采购管理": "该指标反映采购意向公开合规性（2 分）、采购内控制度建设（1 分）、采购活动合规性（2 分）、"
                  "采购合同签订时效性（3 分）、合同备案时效性（1 分）和采购政策效能（1 分）六方面的情况，"
                  "指标分值 10 分，自评得分 9 分，得分率 90%。",
    "（6）资产管理": "该指标反映资产配置合规性（2 分）、资产收益上缴的及时性（1 分）、资产盘点情况（1 分）、"
                  "数据质量（2 分）、资产管理合规性（2 分）和固定资产利用率（2 分）六方面的情况，指标分值 "
                  "10 分，自评得分 10 分，得分率 100%。",
    "（7）运行成本": "该指标反映经济成本控制情况（2 分）和“三公”经费控制情况（1 分）两方面的情况，指标分值 "
                  "3 分，自评得分 3 分，得分率 100%。",
}


def test_every_second_level_paragraph_counts_its_aspects_and_rates_correctly(
    report: ReportData,
) -> None:
    for heading, sentence in SECOND_LEVEL.items():
        assert following(report, heading) == sentence, heading


def test_scoring_analysis_carries_deductions_claims_remedies_and_officer_text(
    report: ReportData,
) -> None:
    blocks = [b for b in report.blocks if b.lead == "评分分析："]
    assert len(blocks) == 9
    execution = blocks[3].text
    assert "预算调整金额 195.6793 万元，占当年预算数 25,937.41 万元的 0.75%，扣 0.01 分" in execution
    assert "整改措施：已按照市财政局的要求整改完毕。" in execution
    assert execution.endswith("综上，预算执行共扣 0.51 分，自评得分 3.49 分。")
    assert "因此，该指标申请按 5 分自评（计算得分 4.13 分）。" in blocks[0].text
    assert "其中数量指标 6 个、质量指标 4 个、时效指标 2 个、成本指标 2 个" in blocks[0].text
    assert "每月定期通报机制" in blocks[5].text
    assert "合同备案预警 1 次" in blocks[6].text and "综上，采购管理共扣 1 分" in blocks[6].text


def test_closing_lines_name_the_attachment_and_sign_with_the_date(report: ReportData) -> None:
    assert report.attachment_line == (
        "附件：江门市人力资源和社会保障局 2023 年部门整体支出绩效自评指标评分表")
    assert (report.signature, report.date_line) == ("江门市人力资源和社会保障局", "2024 年 10 月 31 日")
    assert texts(report)[-1] == "无"


def test_chinese_counts_read_naturally() -> None:
    assert [count_word(n) for n in (2, 3, 6, 12)] == ["两", "三", "六", "12"]


def test_the_score_sheet_has_thirty_rows_nine_subtotals_and_the_totals(
    context: ReportContext,
) -> None:
    sheet = build_score_sheet(context)
    leaves = [r for r in sheet.rows if r.kind == "leaf"]
    subtotals = [r for r in sheet.rows if r.kind == "subtotal"]
    assert (len(leaves), len(subtotals)) == (30, 9)
    assert (sheet.total_computed, sheet.total_self, sheet.grade) == (
        Decimal("97.59"), Decimal("98.49"), "优")
    assert [r.top_span for r in sheet.rows if r.top_span] == [7, 41 - 7 - 2]
    first = leaves[0]
    assert (first.top_name, first.middle_name, first.middle_span) == (
        "履职效能（50 分）", "整体效能（25 分）", 3)
    progress = next(r for r in leaves if r.code == "1.1.3")
    assert (progress.computed, progress.self_score) == (Decimal("4.13"), Decimal("5.00"))
    assert "申请调整为 5.00 分" in progress.reason
    assert next(r for r in leaves if r.code == "2.5.5").reason.startswith("合同备案预警 1 次")
    assert next(r for r in subtotals if r.code == "2.2").self_score == Decimal("3.49")
    assert not sheet.reviewed and all(r.review_score is None for r in sheet.rows)


def test_a_reviewed_sheet_adds_review_scores_and_comments(context: ReportContext) -> None:
    reviewed = ReportContext(
        figures=context.figures, result=context.result, reviewed=True,
        review={"1.1.3": ReviewMark(Decimal("4.13"), "不予认可：支出进度属主观因素")},
    )
    sheet = build_score_sheet(reviewed)
    row = next(r for r in sheet.rows if r.code == "1.1.3")
    assert (row.review_score, row.review_comment) == (Decimal("4.13"), "不予认可：支出进度属主观因素")
    assert sheet.total_review == Decimal("97.62")
    conclusion = following(build_report(reviewed), "（一）自评结论")
    assert "经财政部门复核，复核得分 97.62 分，评价等级为“优”。" in "".join(
        b.text for b in build_report(reviewed).blocks)
    assert conclusion.endswith("自评得分 98.49 分，评价等级为“优”。")
