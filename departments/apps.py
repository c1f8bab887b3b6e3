from __future__ import annotations

from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        from departments import security  # noqa: F401 - connects the login audit signals
