from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from evaluations.figures.integrity import verify_all


class Command(BaseCommand):
    help = _("核对已提交和已审核自评的数据与提交快照摘要是否一致；发现不一致时退出码为 1。")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = verify_all()
        checked = sum(1 for _f in findings)
        broken = [f for f in findings if not f.ok]
        for finding in broken:
            self.stderr.write(f"{finding.department} {finding.year}：{finding.problem}")
        self.stdout.write(_("已核对 %(n)d 份自评，%(bad)d 份不一致。") % {
            "n": checked, "bad": len(broken)})
        if broken:
            sys.exit(1)
