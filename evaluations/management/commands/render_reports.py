from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from evaluations.documents.generate import document_content
from evaluations.documents.paths import file_name
from evaluations.documents.render import warn_if_slow_subsetting
from evaluations.models import GeneratedDocument, Submission
from evaluations.selectors import submission_with_figures

EXIT_ERROR = 1
KINDS = (GeneratedDocument.Kind.REPORT, GeneratedDocument.Kind.SCORE_SHEET,
         GeneratedDocument.Kind.SCORE_SHEET_XLSX)


class CommandFailed(Exception):
    """One Chinese line for stderr."""


class Command(BaseCommand):
    help = _("为一个部门某年度的自评生成自评报告 PDF、评分表 PDF 和评分表 Excel，写入指定目录"
             "（不经过 Celery，不写入数据库）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--department", required=True, help=_("部门名称"))
        parser.add_argument("--year", required=True, type=int, help=_("年度，如 2023"))
        parser.add_argument("--out", required=True, type=Path, help=_("输出目录（不存在则创建）"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            submission = find_submission(options["department"], options["year"])
            out = output_dir(options["out"])
        except CommandFailed as failure:
            self.stderr.write(str(failure))
            sys.exit(EXIT_ERROR)
        warn_if_slow_subsetting()
        for kind in KINDS:
            try:
                path, seconds = write_document(submission, kind, out)
            except CommandFailed as failure:
                self.stderr.write(str(failure))
                sys.exit(EXIT_ERROR)
            self.stdout.write(f"{path}  {path.stat().st_size:,} 字节  {seconds:.2f} s")


def find_submission(department: str, year: int) -> Submission:
    found = Submission.objects.filter(department__name=department,
                                      campaign__year=year).values_list("pk", flat=True).first()
    if found is not None:
        return submission_with_figures(pk=found)
    if not Submission.objects.filter(department__name=department).exists():
        raise CommandFailed(_("找不到部门“%(name)s”的自评。") % {"name": department})
    raise CommandFailed(_("部门“%(name)s”没有 %(year)s 年度的自评。")
                        % {"name": department, "year": year})


def output_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandFailed(_("无法创建输出目录“%(path)s”：%(error)s")
                            % {"path": path, "error": exc.strerror or exc}) from None
    return path


def write_document(submission: Submission, kind: str, out: Path) -> tuple[Path, float]:
    """Render one file and write it; the path and the seconds it took."""
    started = time.perf_counter()
    path = out / file_name(submission, kind)
    try:
        path.write_bytes(document_content(submission, kind))
    except Exception as exc:
        raise CommandFailed(_("生成“%(name)s”失败：%(error)s")
                            % {"name": path.name, "error": exc}) from exc
    return path, time.perf_counter() - started
