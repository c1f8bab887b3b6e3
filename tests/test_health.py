"""/health/ reports the database, the broker and the worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from config.celery import app

pytestmark = pytest.mark.django_db


def test_health_reports_an_eager_setup_as_healthy(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager", "worker": "eager"}


def test_health_is_503_when_the_broker_cannot_be_reached(client: Client,
                                                         monkeypatch: Any) -> None:
    monkeypatch.setattr(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
