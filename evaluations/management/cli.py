"""What the command line prints: the score document of SUBMISSION_FORMAT.md and exit codes."""

from __future__ import annotations

import sys
from typing import Any

from django.utils.translation import gettext as _

from evaluations.figures.interchange import ParsedSubmission, UnreadableFile, read_submission_file
from rubrics.figures import Figures
from rubrics.numbers import plain, score_text
from rubrics.rules import Issue
from rubrics.scoring import ScoreResult

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def read_or_exit(command: Any, path: str) -> ParsedSubmission:
    """The parsed file, or one line on stderr and exit 2 when it cannot be read at all."""
    try:
        return read_submission_file(path)
    except UnreadableFile as exc:
        command.stderr.write(str(exc))
        sys.exit(EXIT_UNREADABLE)


def score_document(
    figures: Figures, result: ScoreResult | None, errors: tuple[Issue, ...]
) -> dict[str, Any]:
    """The `score --json` object; every number a decimal string. No result: no rubric."""
    all_errors = list(errors) + (list(result.errors) if result else [])
    return {
        "rubric": figures.rubric,
        "department": figures.department,
        "year": figures.year,
        "grade": result.grade if result else "",
        "total": {
            "weight": plain(result.total_weight) if result else "0",
            "computed": score_text(result.computed) if result else "0.00",
            "self": score_text(result.self_total) if result else "0.00",
        },
        "nodes": [node.as_dict() for node in result.nodes] if result else [],
        "errors": [issue.as_dict() for issue in all_errors],
        "warnings": [issue.as_dict() for issue in result.warnings] if result else [],
    }


def score_table(document: dict[str, Any]) -> str:
    """A plain-text rendering of the score document for a terminal."""
    lines = [_("%(dept)s %(year)s 年度 · 评分体系 %(rubric)s") % {
        "dept": document["department"], "year": document["year"], "rubric": document["rubric"]}]
    for node in document["nodes"]:
        indent = "  " * (node["level"] - 1)
        lines.append(f"{indent}{node['code']} {node['name']}  {_('分值')} {node['weight']}  "
                     f"{_('计算')} {node['computed']}  {_('自评')} {node['self']}")
    total = document["total"]
    lines.append(_("合计：计算得分 %(c)s，自评得分 %(s)s，等级 %(g)s") % {
        "c": total["computed"], "s": total["self"], "g": document["grade"] or "—"})
    for kind, label in (("errors", _("错误")), ("warnings", _("提示"))):
        lines.extend(f"{label}：{i['path']}：{i['message']}" for i in document[kind])
    return "\n".join(lines)
