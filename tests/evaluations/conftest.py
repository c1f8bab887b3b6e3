from __future__ import annotations

from pathlib import Path

import pytest

from evaluations.models import Campaign
from rubrics.models import RubricVersion
from rubrics.services import rubric_load
from tests.rubrics.helpers import ROOT, reference_rubric

REFERENCE_FILE = ROOT / "evaluations" / "data" / "jiangmen-hrss-2023.yaml"


@pytest.fixture
def rubric(db: None) -> RubricVersion:
    version, _ = rubric_load(spec=reference_rubric())
    return version


@pytest.fixture
def campaign(rubric: RubricVersion) -> Campaign:
    return Campaign.objects.create(year=2023, name="2023 年度部门整体支出绩效自评", rubric=rubric,
                                   deadline="2024-05-31T17:30:00+08:00")


@pytest.fixture
def reference_text() -> str:
    return REFERENCE_FILE.read_text(encoding="utf-8")


@pytest.fixture
def reference_path() -> Path:
    return REFERENCE_FILE
