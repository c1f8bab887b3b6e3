from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from departments.audit import audit_verify


class Command(BaseCommand):
    help = _("逐条核对审计日志的哈希链；发现被改动或删除的记录时退出码为 1。")

    def handle(self, *args: Any, **options: Any) -> None:
        check = audit_verify()
        if check.broken_at is not None:
            self.stderr.write(_("审计日志第 %(id)d 号记录与哈希链不符：记录被改动或其前的记录被删除。")
                              % {"id": check.broken_at})
            sys.exit(1)
        self.stdout.write(_("审计日志完整：共 %(n)d 条记录，哈希链一致。") % {"n": check.rows})
