from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from evaluations.figures.codec import FIGURE_RELATIONS, submission_figures
from evaluations.figures.interchange import dump_submission
from evaluations.management.cli import EXIT_INVALID
from evaluations.models import Submission


class Command(BaseCommand):
    help = _("以交换格式（YAML）输出某部门某年度的自评数据。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--department", required=True, help=_("部门名称"))
        parser.add_argument("--year", required=True, type=int, help=_("年度"))

    def handle(self, *args: Any, **options: Any) -> None:
        submission = (
            Submission.objects.select_related("department", "campaign", "campaign__rubric")
            .prefetch_related(*FIGURE_RELATIONS)
            .filter(department__name=options["department"], campaign__year=options["year"])
            .first()
        )
        if submission is None:
            self.stderr.write(_("未找到 %(dept)s %(year)d 年度的自评。") % {
                "dept": options["department"], "year": options["year"]})
            sys.exit(EXIT_INVALID)
        self.stdout.write(dump_submission(submission_figures(submission=submission)), ending="")
