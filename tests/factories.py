"""Personas and data builders shared by the view tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.forms import BaseForm, CheckboxInput, Select

from departments.models import Department, Membership, Role
from evaluations.figures.interchange import read_submission_file
from evaluations.models import Campaign, Submission
from evaluations.services import submission_import
from evaluations.steps.page import StepPage
from rubrics.services import rubric_load
from tests.rubrics.helpers import reference_rubric

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_FILE = ROOT / "evaluations" / "data" / "jiangmen-hrss-2023.yaml"
REFERENCE_DEPARTMENT = "江门市人力资源和社会保障局"
PASSWORD = "Jixiao@2023-test"


def make_campaign() -> Campaign:
    """The jiangmen-2023 rubric loaded and a 2023 campaign under it."""
    version, _changed = rubric_load(spec=reference_rubric())
    return Campaign.objects.create(year=2023, name="2023 年度部门整体支出绩效自评", rubric=version,
                                   deadline="2024-05-31T17:30:00+08:00")


def make_user(username: str, role: str, department: Department | None = None) -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, role=role, department=department)
    return user


@dataclass
class World:
    campaign: Campaign
    reference: Submission       # department A, imported from the reference report
    other: Submission           # department B, an empty draft
    officer: AbstractUser       # officer of A
    officer_b: AbstractUser     # officer of B
    reviewer: AbstractUser


def build_world(campaign: Campaign) -> World:
    figures = read_submission_file(REFERENCE_FILE).figures
    reference = submission_import(figures=figures, create_department=True)
    department_b = Department.objects.create(name="江门市示范局")
    other = Submission.objects.create(department=department_b, campaign=campaign)
    return World(
        campaign=campaign, reference=reference, other=other,
        officer=make_user("officer", Role.OFFICER, reference.department),
        officer_b=make_user("officer_b", Role.OFFICER, department_b),
        reviewer=make_user("reviewer", Role.REVIEWER),
    )


def form_post_data(form: BaseForm) -> dict[str, Any]:
    """What a browser would post for a form as rendered (amounts with thousands separators)."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if value in (None, "") and isinstance(bound.field.widget, Select):
            value = first_option(bound.field.choices)  # what a browser posts
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        shown = None if value is None else bound.field.widget.format_value(value)
        data[bound.html_name] = "" if shown is None else shown
    return data


def first_option(choices: Any) -> str:
    value, label = next(iter(choices))
    return str(first_option(label) if isinstance(label, list | tuple) else value)


def page_post_data(page: StepPage) -> dict[str, Any]:
    """The whole step as the page renders it: scalar form, formsets (with management) and texts."""
    data = form_post_data(page.form)
    for _section, formset in page.formsets:
        data.update(form_post_data(formset.management_form))
        for row in formset.forms:
            data.update(form_post_data(row))
    if page.analysis is not None:
        data.update(form_post_data(page.analysis))
    return data
