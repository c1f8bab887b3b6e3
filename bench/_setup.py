"""Shared set-up for the bench scripts: Django on a throw-away database with the demo loaded.

Uses DATABASE_URL when set (PostgreSQL), otherwise a temporary SQLite file.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(load_demo: bool = True) -> None:
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        os.environ["JIXIAO_VAR_DIR"] = tempfile.mkdtemp(prefix="jixiao-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if load_demo:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def median_seconds(fn: Callable[[], object], runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def median_ms(samples: list[float]) -> float:
    """The median of timings in seconds, in milliseconds."""
    return statistics.median(samples) * 1e3
