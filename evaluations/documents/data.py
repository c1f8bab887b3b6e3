"""Everything the 自评报告 and the 评分表 print, built from figures and scores (pure, no PDF).

The report follows the structure and sentences of the published reference report, with every
number taken from the data once: the totals and rates from `evaluations.figures.derived`, the scores
from `rubrics.scoring`. Nothing here is typed twice, so the arithmetic slips of the reference
(增支 2,540.26, 3.4955, 87.39 %, "三方面" for two indicators) cannot happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from evaluations.figures.derived import ExpenditureSummary, expenditure_summary
from evaluations.scores import ReviewMark, review_total
from rubrics.figures import Figures
from rubrics.numbers import grouped, plain, score_text
from rubrics.scoring import IndicatorSpec, NodeScore, ScoreResult

CHINESE_COUNTS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八",
                  9: "九", 10: "十"}
ORDINALS = "一二三四五六七八九十"


def count_word(n: int) -> str:
    """Chinese count before a measure word: 2 → 两 (两方面), 3 → 三."""
    return CHINESE_COUNTS.get(n, str(n))


def money(value: Decimal) -> str:
    """万元 amounts as printed in the report: 15,571.27."""
    return grouped(value, 2)


def rate(value: Decimal) -> str:
    """A percentage as the report prints it: 2 places, or none when whole (100%)."""
    return score_text(value).removesuffix(".00") + "%"


def points(value: Decimal) -> str:
    """A score or weight in a sentence: 25, 3.49, 9, 0.5."""
    return plain(value)


def date_text(value: dt.date) -> str:
    return f"{value.year} 年 {value.month} 月 {value.day} 日"


@dataclass(frozen=True)
class Block:
    """One printed element: a heading of some level, or a paragraph."""

    kind: str  # "h1" (一、), "h2" (（一）), "h3" (1. / （1）), "p"
    text: str
    lead: str = ""  # a bold run-in lead such as "评分分析："


@dataclass(frozen=True)
class ReportData:
    department: str
    year: int
    title: str
    blocks: tuple[Block, ...]
    attachment_line: str
    signature: str
    date_line: str
    total: Decimal
    grade: str
    draft: bool = False
    digest: str = ""


@dataclass(frozen=True)
class ReportContext:
    """What the builders need besides figures and scores."""

    figures: Figures
    result: ScoreResult
    deadline: dt.date | None = None
    draft: bool = False
    digest: str = ""
    review: Mapping[str, ReviewMark] = field(default_factory=dict)
    reviewed: bool = False


def build_report(ctx: ReportContext) -> ReportData:
    figures, result = ctx.figures, ctx.result
    total = review_total(ctx.result, ctx.review) if ctx.reviewed else result.self_total
    blocks = [
        Block("h1", "一、部门基本情况"),
        *basics_blocks(figures),
        Block("h1", "二、绩效自评情况"),
        *conclusion_blocks(ctx),
        *analysis_blocks(ctx),
        Block("h1", "三、其他自评情况"),
        Block("p", figures.narrative.other_matters.strip() or "无"),
    ]
    return ReportData(
        department=figures.department, year=figures.year,
        title=f"{figures.year} 年部门整体支出绩效自评报告", blocks=tuple(blocks),
        attachment_line=f"附件：{figures.department} {figures.year} 年部门整体支出绩效自评指标评分表",
        signature=figures.department,
        date_line=date_text(figures.report_date) if figures.report_date else "",
        total=total, grade=result.rubric.grade_for(total), draft=ctx.draft, digest=ctx.digest,
    )


def text_paragraphs(text: str) -> list[Block]:
    return [Block("p", line.strip()) for line in text.strip().splitlines() if line.strip()]


def basics_blocks(figures: Figures) -> list[Block]:
    blocks = [Block("h2", "（一）部门职能"), *text_paragraphs(figures.narrative.functions)]
    if figures.budget_units:
        blocks.append(Block("p", units_sentence(figures.budget_units)))
    blocks += [Block("h2", "（二）年度总体工作和重点工作任务"),
               *text_paragraphs(figures.narrative.annual_work),
               Block("h2", "（三）部门整体支出绩效目标情况"),
               *text_paragraphs(figures.narrative.targets_summary),
               Block("h2", "（四）部门整体支出情况")]
    return blocks + spending_blocks(figures)


def units_sentence(units: tuple[str, ...]) -> str:
    names = "、".join(units)
    own = [u for u in units if "本级" in u]
    if own and len(units) > 1:
        return (f"纳入部门预算编制包括本级和下属 {len(units) - 1} 个预算单位，"
                f"分别是：{names}。")
    return f"纳入部门预算编制的预算单位共 {len(units)} 个：{names}。"


def spending_blocks(figures: Figures) -> list[Block]:
    summary = expenditure_summary(figures)
    word = summary.variance_word
    reason = figures.narrative.variance_reason.strip()
    return [
        Block("h3", "1.支出完成情况"), Block("p", completion_sentence(summary)),
        Block("h3", "2.支出完成主要构成情况"), Block("p", composition_sentence(summary)),
        Block("h3", f"3.{word}的主要原因"), *text_paragraphs(reason or "无"),
        Block("h3", "4.部门预算收入与支出相抵后，实现收支平衡情况"),
        Block("p", balance_sentence(summary, figures.year)),
    ]


def completion_sentence(summary: ExpenditureSummary) -> str:
    text = f"全年总支出完成 {money(summary.total_spending)} 万元"
    if not summary.budget_total:
        return text + "。"
    change = "增长" if summary.variance >= 0 else "下降"
    return (f"{text}，为市人大审议本部门预算总支出 {money(summary.budget_total)} 万元的 "
            f"{rate(summary.completion_rate or Decimal(0))}，{summary.variance_word} "
            f"{money(abs(summary.variance))} 万元，{change} "
            f"{rate(summary.variance_rate or Decimal(0))}。")


def composition_sentence(summary: ExpenditureSummary) -> str:
    parts = []
    for line in summary.lines:
        part = f"{line.label}完成 {money(line.actual)} 万元"
        if line.rate is not None:
            part += f"，为市人大审议通过本部门预算支出 {money(line.budget)} 万元的 {rate(line.rate)}"
        parts.append(part)
    parts.append(f"结转下年支出 {money(summary.carried_forward)} 万元")
    return "；".join(parts) + "。"


def balance_sentence(summary: ExpenditureSummary, year: int) -> str:
    text = (f"本部门 {year} 年总收入 {money(summary.total_income)} 万元，总支出 "
            f"{money(summary.total_spending)} 万元（其中：结转下年支出 "
            f"{money(summary.carried_forward)} 万元）")
    if summary.is_balanced:
        return text + "，实现收支平衡。"
    gap = summary.balance_gap
    return text + f"，收支{'结余' if gap > 0 else '缺口'} {money(abs(gap))} 万元，未实现收支平衡。"


def conclusion_blocks(ctx: ReportContext) -> list[Block]:
    figures, result = ctx.figures, ctx.result
    when = f"在 {date_text(ctx.deadline)}前" if ctx.deadline else ""
    text = (f"按照《部门整体支出绩效评价自评表》的评价指标，本部门进行了认真的自评分析，"
            f"按要求{when}完成了自评工作，并按真实性、完整性、一致性、规范性的原则报送自评材料，"
            f"对所报送自评材料的真实性、完整性、一致性、规范性负责。经研究，本部门 {figures.year} "
            f"年度整体绩效自评得分 {score_text(result.self_total)} 分，评价等级为“{result.grade}”。")
    blocks = [Block("h2", "（一）自评结论"), Block("p", text)]
    if ctx.reviewed:
        total = review_total(ctx.result, ctx.review)
        blocks.append(Block("p", f"经财政部门复核，复核得分 {score_text(total)} 分，评价等级为"
                                 f"“{result.rubric.grade_for(total)}”。"))
    return blocks


def analysis_blocks(ctx: ReportContext) -> list[Block]:
    blocks: list[Block] = []
    for index, top in enumerate(ctx.result.rubric.indicators):
        blocks.append(Block("h2", f"（{ORDINALS[index + 1]}）{top.name}分析"))
        for number, middle in enumerate(top.children, start=1):
            blocks.append(Block("h3", f"（{number}）{middle.name}"))
            blocks.append(Block("p", second_level_sentence(middle, ctx.result.node(middle.code))))
            blocks.append(Block("p", scoring_analysis(ctx, middle), lead="评分分析："))
    return blocks


def second_level_sentence(spec: IndicatorSpec, node: NodeScore) -> str:
    """该指标反映A（a 分）、B（b 分）和C（c 分）N 方面的情况，指标分值 W 分，自评得分 S 分，得分率 R%。"""
    names = [f"{child.name}（{points(child.weight)} 分）" for child in spec.children]
    listed = names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]
    return (f"该指标反映{listed}{count_word(len(names))}方面的情况，指标分值 "
            f"{points(spec.weight)} 分，自评得分 {points(node.self_score)} 分，得分率 "
            f"{rate(node.rate)}。")


def scoring_analysis(ctx: ReportContext, middle: IndicatorSpec) -> str:
    """The 评分分析 of one 二级: each 三级's basis, claims, remedies, officer text, summary."""
    figures, result = ctx.figures, ctx.result
    sentences = []
    for child in middle.children:
        node = result.node(child.code)
        sentences.append(f"{child.name}：{node.explanation.rstrip('。')}。")
        if node.claim is not None:
            sentences.append(f"{node.claim.reason.strip().rstrip('。')}。因此，该指标申请按 "
                             f"{points(node.self_score)} 分自评（计算得分 "
                             f"{score_text(node.computed)} 分）。")
        remedy = figures.remedy_for(child.code).strip()
        if remedy:
            sentences.append(f"整改措施：{remedy.rstrip('。')}。")
    officer = dict(figures.analysis).get(middle.code, "").strip()
    if officer:
        sentences.append(officer if officer.endswith("。") else officer + "。")
    node = result.node(middle.code)
    if node.lost > 0:
        sentences.append(f"综上，{middle.name}共扣 {points(node.lost)} 分，自评得分 "
                         f"{points(node.self_score)} 分。")
    else:
        sentences.append("该指标自评得满分。")
    return "".join(sentences)


# --- the 评分表 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """A 三级 row; `top`/`middle` carry rowspans on the first row of each group, else 0."""

    top_name: str
    top_span: int
    middle_name: str
    middle_span: int
    code: str
    name: str
    weight: Decimal
    criteria: str
    computed: Decimal
    self_score: Decimal
    reason: str
    review_score: Decimal | None = None
    review_comment: str = ""
    kind: str = "leaf"  # "leaf" or "subtotal"


@dataclass(frozen=True)
class ScoreSheet:
    department: str
    year: int
    rubric_name: str
    rubric_code: str
    rows: tuple[SheetRow, ...]
    total_weight: Decimal
    total_computed: Decimal
    total_self: Decimal
    grade: str
    reviewed: bool
    total_review: Decimal | None = None
    review_grade: str = ""
    draft: bool = False
    digest: str = ""


def build_score_sheet(ctx: ReportContext) -> ScoreSheet:
    result = ctx.result
    rows: list[SheetRow] = []
    for top in result.rubric.indicators:
        top_rows = sum(len(m.children) + 1 for m in top.children)
        for m_index, middle in enumerate(top.children):
            for l_index, leaf in enumerate(middle.children):
                first_of_top = m_index == 0 and l_index == 0
                rows.append(leaf_row(ctx, top, middle, leaf, top_rows if first_of_top else 0,
                                     len(middle.children) if l_index == 0 else 0))
            rows.append(subtotal_row(ctx, middle))
    total_review = review_total(ctx.result, ctx.review) if ctx.reviewed else None
    return ScoreSheet(
        department=ctx.figures.department, year=ctx.figures.year,
        rubric_name=result.rubric.name, rubric_code=result.rubric.code, rows=tuple(rows),
        total_weight=result.total_weight, total_computed=result.computed,
        total_self=result.self_total, grade=result.grade, reviewed=ctx.reviewed,
        total_review=total_review,
        review_grade=result.rubric.grade_for(total_review) if total_review is not None else "",
        draft=ctx.draft, digest=ctx.digest,
    )


def leaf_row(ctx: ReportContext, top: IndicatorSpec, middle: IndicatorSpec,
             leaf: IndicatorSpec, top_span: int, middle_span: int) -> SheetRow:
    node = ctx.result.node(leaf.code)
    mark = ctx.review.get(leaf.code)
    return SheetRow(
        top_name=f"{top.name}（{points(top.weight)} 分）", top_span=top_span,
        middle_name=f"{middle.name}（{points(middle.weight)} 分）", middle_span=middle_span,
        code=leaf.code, name=leaf.name, weight=leaf.weight, criteria=leaf.criteria,
        computed=node.computed, self_score=node.self_score, reason=deduction_reason(node),
        review_score=(mark.score if mark else node.self_score) if ctx.reviewed else None,
        review_comment=mark.comment if mark else "",
    )


def deduction_reason(node: NodeScore) -> str:
    if node.computed >= node.weight:
        return ""
    reason = node.explanation
    if node.claim is not None:
        reason += f"。申请调整为 {score_text(node.self_score)} 分：{node.claim.reason.strip()}"
    return reason


def subtotal_row(ctx: ReportContext, middle: IndicatorSpec) -> SheetRow:
    node = ctx.result.node(middle.code)
    review = None
    if ctx.reviewed:
        review = sum((ctx.review[c.code].score if c.code in ctx.review else
                      ctx.result.node(c.code).self_score for c in middle.children), Decimal(0))
    return SheetRow(
        top_name="", top_span=0, middle_name="", middle_span=0, code=middle.code,
        name=f"{middle.name}小计", weight=middle.weight, criteria="", computed=node.computed,
        self_score=node.self_score, reason="", review_score=review, kind="subtotal",
    )
