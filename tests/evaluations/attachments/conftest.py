"""Fixtures of the 佐证材料 tests: two departments, their officers, a reviewer, a submission."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from pytest_django.fixtures import Settings

from departments.models import Department, Membership
from evaluations.models import Campaign, Submission

PASSWORD = "Attach@2023"


def make_user(username: str, role: str, department: Department | None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, department=department, role=role)
    return user


@pytest.fixture(autouse=True)
def private_root(settings: Settings, tmp_path: Path) -> Path:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def department(db: None) -> Department:
    return Department.objects.create(name="江门市测试局")


@pytest.fixture
def other_department(db: None) -> Department:
    return Department.objects.create(name="江门市别的局")


@pytest.fixture
def submission(department: Department, campaign: Campaign) -> Submission:
    return Submission.objects.create(department=department, campaign=campaign)


@pytest.fixture
def officer(department: Department) -> User:
    return make_user("officer_a", "officer", department)


@pytest.fixture
def other_officer(other_department: Department) -> User:
    return make_user("officer_b", "officer", other_department)


@pytest.fixture
def reviewer(db: None) -> User:
    return make_user("reviewer", "reviewer", None)


@pytest.fixture
def leaf_code(submission: Submission) -> str:
    from rubrics.selectors import rubric_spec

    return next(iter(rubric_spec(version=submission.campaign.rubric).codes_at(3)))
