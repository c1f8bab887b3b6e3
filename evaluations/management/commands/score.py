from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from evaluations.management.cli import EXIT_INVALID, EXIT_OK, read_or_exit, score_document, score_table
from rubrics.rules import Issue
from rubrics.scoring import score
from rubrics.selectors import rubric_get, rubric_spec


class Command(BaseCommand):
    help = _("校验并评分一个自评数据文件（不写入数据库）。退出码：0 有效，1 有错误，2 无法读取。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("YAML 或 JSON 文件"))
        parser.add_argument("--json", action="store_true", help=_("输出 JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = read_or_exit(self, options["file"])
        version = rubric_get(code=parsed.figures.rubric)
        errors = parsed.errors
        result = None
        if version is None:
            errors += (Issue("rubric", _("评分体系 %(code)s 未加载") % {
                "code": parsed.figures.rubric}),)
        else:
            result = score(rubric_spec(version=version), parsed.figures)
        document = score_document(parsed.figures, result, errors)
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(score_table(document))
        sys.exit(EXIT_INVALID if document["errors"] else EXIT_OK)
