"""Suite-wide pytest setup.

* Celery runs eagerly (in the test process) in every test, even when REDIS_URL is set, except
  in tests marked `celery_worker`: those talk to a real worker through Redis.
* Tests marked `celery_worker` are skipped unless JIXIAO_CELERY_WORKER_TESTS=1 (set by .ci/run),
  and also when the database is SQLite (a worker process cannot see the test database) or
  REDIS_URL is unset (no broker).
* `celery_worker_process` starts `celery -A config worker` as a subprocess pointed at the
  test database pytest-django created, and stops it at the end of the session.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

WORKER_TESTS_ENV = "JIXIAO_CELERY_WORKER_TESTS"
WORKER_START_TIMEOUT = 30.0


def celery_worker_skip_reason() -> str | None:
    if os.environ.get(WORKER_TESTS_ENV) != "1":
        return f"needs a real Celery worker: set {WORKER_TESTS_ENV}=1 (.ci/run does)"
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        return ("Celery worker tests need PostgreSQL (DATABASE_URL): a worker in another "
                "process cannot see the SQLite test database")
    if not settings.REDIS_URL:
        return "Celery worker tests need a broker: set REDIS_URL (e.g. redis://127.0.0.1:6379/15)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = celery_worker_skip_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("celery_worker") is not None:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker(request: pytest.FixtureRequest) -> Iterator[None]:
    """Eager Celery everywhere but in `celery_worker` tests, whatever REDIS_URL says."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = request.node.get_closest_marker("celery_worker") is None
    yield
    app.conf.task_always_eager = previous


def database_url(settings_dict: dict) -> str:
    """postgres:// URL of a connection's *current* settings (the test database once set up)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[subprocess.Popen[bytes]]:
    """A real `celery -A config worker` on the test database; stopped after the session."""
    from django.db import connection

    from config.celery import app

    reason = celery_worker_skip_reason()
    if reason is not None:
        pytest.skip(reason)

    # A unique node name, so readiness means *this* worker answered, not any other one.
    nodename = f"jixiao-test-{os.getpid()}-{uuid.uuid4().hex[:6]}@{socket.gethostname()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "DATABASE_CONN_MAX_AGE": "0",  # hold no connection that would block dropping the DB
        "REDIS_URL": settings.REDIS_URL,
    }
    log_path = Path(tmp_path_factory.mktemp("celery")) / "worker.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--concurrency=1", "-Q", "celery", "--loglevel=WARNING", "-n", nodename],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not app.control.ping(destination=[nodename], timeout=1.0):
            if proc.poll() is not None:
                pytest.fail(f"Celery worker exited with {proc.returncode}:\n"
                            f"{log_path.read_text(errors='replace')[-4000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"Celery worker did not answer ping in {WORKER_START_TIMEOUT:.0f} s:"
                            f"\n{log_path.read_text(errors='replace')[-4000:]}")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
