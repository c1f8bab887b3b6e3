"""The role predicates of departments/access.py, one role at a time.

Each predicate is asked about every persona: an officer of the department, an officer of another
department, a reviewer, a rubric administrator, a user with no role and an anonymous visitor, so
that a predicate answering for the wrong role (or for everybody) cannot pass.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from departments import access
from departments.models import Department, Membership, Role

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "officer_b", "reviewer", "rubric_admin", "nobody", "anonymous")


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def departments() -> tuple[Department, Department]:
    return Department.objects.create(name="甲局"), Department.objects.create(name="乙局")


def user_with(name: str, *roles: tuple[str, Department | None]) -> Any:
    user = get_user_model().objects.create_user(username=name, password="Jixiao@2023-test")
    for role, department in roles:
        Membership.objects.create(user=user, role=role, department=department)
    return user


@pytest.fixture
def people(departments: tuple[Department, Department]) -> dict[str, Any]:
    a, b = departments
    return {
        "officer": user_with("officer", (Role.OFFICER, a)),
        "officer_b": user_with("officer_b", (Role.OFFICER, b)),
        "reviewer": user_with("reviewer", (Role.REVIEWER, None)),
        "rubric_admin": user_with("rubric_admin", (Role.RUBRIC_ADMIN, None)),
        "nobody": user_with("nobody"),
        "anonymous": AnonymousUser(),
    }


def answers(people: dict[str, Any], predicate: Any) -> dict[str, bool]:
    return {name: predicate(people[name]) for name in PERSONAS}


def test_roles_of_lists_each_personas_roles_and_nothing_for_anonymous(people: dict[str, Any]) -> None:
    assert answers(people, access.roles_of) == {
        "officer": {"officer"}, "officer_b": {"officer"}, "reviewer": {"reviewer"},
        "rubric_admin": {"rubric_admin"}, "nobody": set(), "anonymous": set(),
    }


def test_roles_of_gathers_every_role_of_a_user_with_several(
    departments: tuple[Department, Department],
) -> None:
    a, b = departments
    both = user_with("both", (Role.OFFICER, a), (Role.OFFICER, b), (Role.REVIEWER, None))
    assert access.roles_of(both) == {"officer", "reviewer"}


def test_only_the_officer_of_the_department_is_its_officer(
    people: dict[str, Any], departments: tuple[Department, Department],
) -> None:
    a, b = departments
    assert answers(people, lambda user: access.is_officer_of(user, a.pk)) == {
        "officer": True, "officer_b": False, "reviewer": False, "rubric_admin": False,
        "nobody": False, "anonymous": False,
    }
    assert access.is_officer_of(people["officer_b"], b.pk)


def test_only_a_reviewer_is_a_reviewer(people: dict[str, Any]) -> None:
    assert answers(people, access.is_reviewer) == {
        "officer": False, "officer_b": False, "reviewer": True, "rubric_admin": False,
        "nobody": False, "anonymous": False,
    }


def test_only_a_rubric_administrator_is_a_rubric_administrator(people: dict[str, Any]) -> None:
    assert answers(people, access.is_rubric_admin) == {
        "officer": False, "officer_b": False, "reviewer": False, "rubric_admin": True,
        "nobody": False, "anonymous": False,
    }


def test_reviewers_and_administrators_see_all_submissions_and_nobody_else(
    people: dict[str, Any],
) -> None:
    assert answers(people, access.sees_all_submissions) == {
        "officer": False, "officer_b": False, "reviewer": True, "rubric_admin": True,
        "nobody": False, "anonymous": False,
    }


def test_an_officer_who_is_also_a_reviewer_sees_all_submissions(
    departments: tuple[Department, Department],
) -> None:
    both = user_with("both", (Role.OFFICER, departments[0]), (Role.REVIEWER, None))
    assert (access.sees_all_submissions(both), access.is_reviewer(both)) == (True, True)
    assert access.is_officer_of(both, departments[0].pk)
    assert not access.is_officer_of(both, departments[1].pk)
