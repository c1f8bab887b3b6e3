from __future__ import annotations

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "绩效自评"

    def ready(self) -> None:
        from evaluations.documents import checks  # noqa: F401 - registers the start-up checks
