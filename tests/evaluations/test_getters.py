"""The access-checked getters of evaluations/selectors.py, one persona at a time.

Department A holds the reference submission, department B an empty draft. Each getter is asked
by A's officer, B's officer, a reviewer, a rubric administrator, a user without a role and an
anonymous visitor; outside what a persona may see the answer is an empty list or a 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from departments.models import Role
from evaluations import selectors
from evaluations.figures.codec import FIGURE_RELATIONS
from evaluations.models import Attachment, Campaign, Submission
from tests.factories import World, build_world, make_user

pytestmark = pytest.mark.django_db

PERSONAS = ("officer", "officer_b", "reviewer", "rubric_admin", "nobody", "anonymous")


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(campaign: Campaign) -> World:
    return build_world(campaign)


@pytest.fixture
def people(world: World) -> dict[str, Any]:
    nobody = make_user("nobody", Role.OFFICER, world.other.department)
    nobody.memberships.all().delete()  # a user whose only membership was removed
    return {"officer": world.officer, "officer_b": world.officer_b, "reviewer": world.reviewer,
            "rubric_admin": make_user("rubric_admin", Role.RUBRIC_ADMIN), "nobody": nobody,
            "anonymous": AnonymousUser()}


def names(world: World, submissions: Any) -> set[str]:
    label = {world.reference.pk: "A", world.other.pk: "B"}
    return {label[s.pk] for s in submissions}


def test_the_submission_list_holds_what_each_persona_may_see(world: World,
                                                             people: dict[str, Any]) -> None:
    seen = {name: names(world, selectors.submission_list_for_user(user=people[name]))
            for name in PERSONAS}
    assert seen == {"officer": {"A"}, "officer_b": {"B"}, "reviewer": {"A", "B"},
                    "rubric_admin": {"A", "B"}, "nobody": set(), "anonymous": set()}


def test_an_officer_of_two_departments_sees_each_submission_once(world: World) -> None:
    twice = make_user("twice", Role.OFFICER, world.reference.department)
    twice.memberships.create(role=Role.OFFICER, department=world.other.department)
    listed = [s.pk for s in selectors.submission_list_for_user(user=twice)]
    assert sorted(listed) == sorted([world.reference.pk, world.other.pk])


def fetch(user: Any, pk: int) -> str:
    try:
        return selectors.submission_get_for_user(user=user, pk=pk).department.name
    except Http404:
        return "404"


def test_the_submission_getter_answers_404_outside_the_personas_departments(
    world: World, people: dict[str, Any],
) -> None:
    a, b = world.reference.department.name, world.other.department.name
    got = {name: (fetch(people[name], world.reference.pk), fetch(people[name], world.other.pk))
           for name in PERSONAS}
    assert got == {"officer": (a, "404"), "officer_b": ("404", b), "reviewer": (a, b),
                   "rubric_admin": (a, b), "nobody": ("404", "404"),
                   "anonymous": ("404", "404")}


def test_the_submission_getter_answers_404_for_an_unknown_submission(world: World) -> None:
    assert fetch(world.reviewer, world.reference.pk + world.other.pk + 1) == "404"


@pytest.mark.parametrize(("status", "officer_edits"), [
    ("draft", True), ("returned", True), ("submitted", False), ("reviewed", False)])
def test_only_the_departments_officer_edits_and_only_a_draft_or_returned_submission(
    world: World, people: dict[str, Any], status: str, officer_edits: bool,
) -> None:
    Submission.objects.filter(pk=world.reference.pk).update(status=status)
    submission = Submission.objects.get(pk=world.reference.pk)
    edits = {name: selectors.user_can_edit(user=people[name], submission=submission)
             for name in PERSONAS}
    assert edits == {name: officer_edits and name == "officer" for name in PERSONAS}


def campaign_for(user: Any, year: int) -> str:
    try:
        campaign = selectors.campaign_get_for_review(user=user, year=year)
    except Http404:
        return "404"
    with CaptureQueriesContext(connection) as queries:
        code = campaign.rubric.code
    assert len(queries) == 0, "the getter joins the rubric the campaign pages print"
    return code


def test_the_campaign_pages_open_to_reviewers_and_administrators_only(
    world: World, people: dict[str, Any],
) -> None:
    code = world.campaign.rubric.code
    assert {name: campaign_for(people[name], 2023) for name in PERSONAS} == {
        "officer": "404", "officer_b": "404", "reviewer": code, "rubric_admin": code,
        "nobody": "404", "anonymous": "404"}


def test_the_campaign_getter_answers_404_for_a_year_without_a_campaign(world: World) -> None:
    assert (campaign_for(world.reviewer, 2022), campaign_for(world.reviewer, 2024)) == ("404", "404")


def test_a_stored_submission_is_scored_with_its_campaigns_rubric(world: World) -> None:
    scored = selectors.submission_scored(
        submission=selectors.submission_with_figures(pk=world.reference.pk))
    assert (scored.spec.code, scored.figures.department) == (
        world.campaign.rubric.code, world.reference.department.name)
    assert (scored.result.computed, scored.result.self_total) == (Decimal("97.59"), Decimal("98.49"))


def test_the_submission_getter_loads_what_the_pages_read_in_its_own_queries(world: World) -> None:
    Attachment.objects.create(submission=world.reference, original_name="佐证.pdf", stored_name="x.pdf",
                              kind="pdf", size=1, sha256="0" * 64, uploaded_by=world.officer)
    submission = selectors.submission_get_for_user(user=world.officer, pk=world.reference.pk)
    with CaptureQueriesContext(connection) as queries:
        read = (submission.department.name, submission.campaign.rubric.code,
                [a.uploaded_by.username for a in submission.attachment_set.all()],
                [len(getattr(submission, name).all()) for name in FIGURE_RELATIONS])
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert read[2] == ["officer"]


def test_the_submission_list_joins_the_department_and_campaign(world: World) -> None:
    listed = list(selectors.submission_list_for_user(user=world.reviewer))
    with CaptureQueriesContext(connection) as queries:
        names = sorted((s.department.name, s.campaign.year) for s in listed)
    assert len(queries) == 0 and len(names) == 2


def test_a_submission_with_figures_joins_department_campaign_and_rubric(world: World) -> None:
    submission = selectors.submission_with_figures(pk=world.reference.pk)
    with CaptureQueriesContext(connection) as queries:
        read = (submission.department.name, submission.campaign.rubric.code,
                [len(getattr(submission, name).all()) for name in FIGURE_RELATIONS])
    assert len(queries) == 0 and read[0] == world.reference.department.name
