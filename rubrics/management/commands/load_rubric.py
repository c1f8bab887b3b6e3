from __future__ import annotations

import sys
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from rubrics.loader import parse_rubric
from rubrics.models import RubricFrozen
from rubrics.services import rubric_load
from rubrics.yamlio import load_yaml


class Command(BaseCommand):
    help = _("校验并加载评分体系数据文件（YAML）；有任何错误时不加载。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("评分体系 YAML 文件"))
        parser.add_argument("--draft", action="store_true", help=_("加载为草稿，不发布"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = load_yaml(handle.read())
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            self.stderr.write(_("无法读取评分体系文件 %(file)s：%(why)s") % {
                "file": options["file"], "why": type(exc).__name__})
            sys.exit(2)
        spec, problems = parse_rubric(data)
        if spec is None:
            for problem in problems:
                self.stderr.write(problem)
            self.stderr.write(_("评分体系未加载。"))
            sys.exit(1)
        try:
            version, changed = rubric_load(spec=spec, publish=not options["draft"])
        except RubricFrozen as exc:
            self.stderr.write(exc.messages[0])
            sys.exit(1)
        if changed:
            self.stdout.write(_("已加载评分体系 %(code)s：%(n)d 个指标。") % {
                "code": version.code, "n": version.indicators.count()})
        else:
            self.stdout.write(_("评分体系 %(code)s 已是最新，未作修改。") % {"code": version.code})
