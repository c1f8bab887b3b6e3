"""Fixtures of the Excel import tests: the reference submission and an officer of its department."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from departments.models import Membership, Role
from evaluations.figures.interchange import read_submission_file
from evaluations.models import Campaign, Submission
from evaluations.services import submission_import


@pytest.fixture
def reference(campaign: Campaign, reference_path: Path) -> Submission:
    figures = read_submission_file(reference_path).figures
    return submission_import(figures=figures, create_department=True)


@pytest.fixture
def officer(reference: Submission) -> Any:
    user = get_user_model().objects.create_user(username="officer")
    Membership.objects.create(user=user, department=reference.department, role=Role.OFFICER)
    return user
