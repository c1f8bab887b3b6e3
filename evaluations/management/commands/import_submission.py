from __future__ import annotations

import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from evaluations.exceptions import SubmissionError
from evaluations.management.cli import EXIT_INVALID, read_or_exit
from evaluations.services import submission_import
from rubrics.numbers import score_text
from rubrics.scoring import score
from rubrics.selectors import rubric_get, rubric_spec


class Command(BaseCommand):
    help = _("导入自评数据文件，新建或覆盖该部门该年度的草稿；文件有错误或自评已提交时不做任何修改。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("YAML 或 JSON 文件"))
        parser.add_argument("--department-create", action="store_true",
                            help=_("部门不存在时新建"))

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = read_or_exit(self, options["file"])
        version = rubric_get(code=parsed.figures.rubric)
        if version is None:
            self.fail([_("rubric：评分体系 %(code)s 未加载") % {"code": parsed.figures.rubric}])
        result = score(rubric_spec(version=version), parsed.figures)
        problems = parsed.errors + result.errors
        if problems:
            self.fail([f"{issue.path}：{issue.message}" for issue in problems])
        try:
            submission = submission_import(figures=parsed.figures,
                                           create_department=options["department_create"])
        except SubmissionError as exc:
            self.fail(exc.messages)
        self.stdout.write(_("已导入：%(dept)s %(year)d 年度（草稿，版本 %(v)d），"
                            "计算得分 %(c)s，自评得分 %(s)s，等级 %(g)s") % {
            "dept": submission.department.name, "year": submission.campaign.year,
            "v": submission.version, "c": score_text(result.computed),
            "s": score_text(result.self_total), "g": result.grade})

    def fail(self, messages: list[str]) -> NoReturn:
        for message in messages:
            self.stderr.write(message)
        self.stderr.write(_("未导入任何数据。"))
        sys.exit(EXIT_INVALID)
