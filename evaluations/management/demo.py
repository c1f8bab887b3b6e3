"""The demo data set: the reference rubric, department and submission, and four logins.

Idempotent: a second run finds everything in place and changes nothing (passwords included).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from departments.models import BudgetUnit, Department, Membership, Role
from evaluations.figures.interchange import read_submission_file
from evaluations.models import Campaign, Submission
from evaluations.services import submission_import
from rubrics.loader import parse_rubric
from rubrics.services import rubric_load
from rubrics.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]
RUBRIC_FILE = ROOT / "rubrics" / "data" / "jiangmen-2023.yaml"
REFERENCE_FILE = ROOT / "evaluations" / "data" / "jiangmen-hrss-2023.yaml"
DEMO_PASSWORD = "Jixiao@2023"  # noqa: S105 - printed demo password, documented in README
SECOND_DEPARTMENT = "江门市示范局"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    department: str


DEMO_USERS = (
    DemoLogin("officer", Role.OFFICER, "江门市人力资源和社会保障局"),
    DemoLogin("officer2", Role.OFFICER, SECOND_DEPARTMENT),
    DemoLogin("reviewer", Role.REVIEWER, ""),
    DemoLogin("admin", Role.RUBRIC_ADMIN, ""),
)


@transaction.atomic
def demo_load(*, now: dt.datetime) -> list[DemoLogin]:
    spec, problems = parse_rubric(load_yaml(RUBRIC_FILE.read_text(encoding="utf-8")))
    if spec is None:
        raise ValueError("\n".join(problems))
    version, _changed = rubric_load(spec=spec)
    deadline = dt.datetime.combine(now.astimezone(SHANGHAI).date() + dt.timedelta(days=30),
                                   dt.time(17, 30), tzinfo=SHANGHAI)
    campaign, _ = Campaign.objects.get_or_create(
        year=2023, defaults={"name": "2023 年度部门整体支出绩效自评", "rubric": version,
                             "deadline": deadline})
    parsed = read_submission_file(REFERENCE_FILE)
    reference = Department.objects.filter(name=parsed.figures.department).first()
    if reference is None or not reference.submissions.filter(campaign=campaign).exists():
        submission_import(figures=parsed.figures, create_department=True)
    second, created = Department.objects.get_or_create(name=SECOND_DEPARTMENT)
    if created:
        BudgetUnit.objects.create(department=second, name=f"{SECOND_DEPARTMENT}（本级）")
    Submission.objects.get_or_create(department=second, campaign=campaign,
                                     defaults={"budget_units": [f"{SECOND_DEPARTMENT}（本级）"]})
    for login in DEMO_USERS:
        demo_user(login)
    return list(DEMO_USERS)


def demo_user(login: DemoLogin) -> AbstractUser:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=login.username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.email = f"{login.username}@demo.jixiao.local"
        user.is_staff = user.is_superuser = login.username == "admin"
        user.save()
    department = Department.objects.get(name=login.department) if login.department else None
    Membership.objects.get_or_create(user=user, role=login.role, department=department)
    return user
