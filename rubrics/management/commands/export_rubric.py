from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from rubrics.export import dump_rubric, rubric_document
from rubrics.selectors import rubric_get

# The exit codes of load_rubric and the submission commands (rubrics/ cannot import theirs).
EXIT_INVALID, EXIT_UNWRITABLE = 1, 2


class Command(BaseCommand):
    help = _("以评分体系数据文件格式（YAML）导出一个评分体系版本，可用 load_rubric 导入。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=_("评分体系版本代码"))
        parser.add_argument("--out", help=_("写入的文件；不指定时输出到标准输出"))

    def handle(self, *args: Any, **options: Any) -> None:
        version = rubric_get(code=options["code"])
        if version is None:
            self.stderr.write(_("未找到评分体系 %(code)s。") % {"code": options["code"]})
            sys.exit(EXIT_INVALID)
        text = dump_rubric(rubric_document(version=version))
        if not options["out"]:
            self.stdout.write(text, ending="")
            return
        try:
            with open(options["out"], "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            self.stderr.write(_("无法写入文件 %(file)s：%(why)s") % {
                "file": options["out"], "why": write_reason(exc)})
            sys.exit(EXIT_UNWRITABLE)
        self.stdout.write(_("已导出评分体系 %(code)s 到 %(file)s。") % {
            "code": version.code, "file": options["out"]})


def write_reason(problem: OSError) -> str:
    """Why a file cannot be written, in Chinese for the common cases."""
    if isinstance(problem, FileNotFoundError):
        return _("目录不存在")
    if isinstance(problem, IsADirectoryError):
        return _("这是一个目录")
    if isinstance(problem, PermissionError):
        return _("没有写入权限")
    return problem.strerror or type(problem).__name__
