from __future__ import annotations

from pathlib import Path

import pytest

from evaluations.models import Campaign
from rubrics.models import RubricVersion
from tests.factories import make_campaign
from tests.rubrics.helpers import ROOT

REFERENCE_FILE = ROOT / "evaluations" / "data" / "jiangmen-hrss-2023.yaml"


@pytest.fixture
def campaign(db: None) -> Campaign:
    return make_campaign()


@pytest.fixture
def rubric(campaign: Campaign) -> RubricVersion:
    return campaign.rubric


@pytest.fixture
def reference_text() -> str:
    return REFERENCE_FILE.read_text(encoding="utf-8")


@pytest.fixture
def reference_path() -> Path:
    return REFERENCE_FILE
