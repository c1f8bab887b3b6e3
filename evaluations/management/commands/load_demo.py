from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Role
from evaluations.management.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = _("加载演示数据（评分体系、2023 年度、参考部门及其自评、演示账号）；可重复运行。")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_load(now=timezone.now())
        self.stdout.write(_("演示数据已就绪。登录 http://127.0.0.1:8000 ，演示账号（密码均为 %(pw)s）：")
                          % {"pw": DEMO_PASSWORD})
        for login in logins:
            where = f"（{login.department}）" if login.department else ""
            self.stdout.write(f"  {login.username:<10} {Role(login.role).label}{where}")
