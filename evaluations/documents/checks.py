"""System checks run at start-up (runserver, migrate, check)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register()
def harfbuzz_subset_check(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    """Without libharfbuzz-subset0 PDF rendering is ~10× slower and only a log line says so."""
    from evaluations.documents.render import harfbuzz_subset_available

    if harfbuzz_subset_available():
        return []
    return [CheckWarning(
        "libharfbuzz-subset0 is missing: every PDF will take ~14 s instead of ~1 s.",
        hint="apt-get install libharfbuzz-subset0 (bin/system-deps installs it).",
        id="jixiao.W001",
    )]
