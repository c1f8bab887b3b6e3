"""Rubric data files: validation refuses bad trees, loading is atomic, used versions freeze."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from departments.models import Department
from evaluations.models import Campaign, Submission
from rubrics.loader import parse_rubric
from rubrics.models import Indicator, RubricFrozen, RubricVersion
from rubrics.selectors import rubric_spec
from rubrics.services import indicator_update, rubric_load
from rubrics.yamlio import dump_yaml, load_yaml
from tests.rubrics.helpers import RUBRIC_FILE, reference_rubric


def rubric_data() -> dict[str, Any]:
    return load_yaml(RUBRIC_FILE.read_text(encoding="utf-8"))


def leaf(data: dict[str, Any], *path: int) -> dict[str, Any]:
    node = data["indicators"][path[0]]
    for index in path[1:]:
        node = node["children"][index]
    return node


def test_the_shipped_rubric_is_valid_with_30_leaves_summing_to_100() -> None:
    spec = reference_rubric()
    assert len(spec.leaves()) == 30
    assert spec.total_weight == Decimal(100)
    assert [n.weight for n in spec.codes_at(2).values()] == [
        Decimal(w) for w in ("25", "25", "5", "4", "3", "15", "10", "10", "3")]


def test_a_tree_whose_weights_do_not_add_up_is_refused() -> None:
    data = rubric_data()
    leaf(data, 1, 1, 0)["weight"] = 2  # 2.2.1 from 1 to 2: 2.2 no longer 4
    spec, problems = parse_rubric(data)
    assert spec is None
    assert any("2.2" in p and "不等于下级指标分值之和" in p for p in problems)


def test_first_level_weights_must_sum_to_100() -> None:
    data = rubric_data()
    data["indicators"] = data["indicators"][:1]
    _, problems = parse_rubric(data)
    assert any("一级指标分值之和应为 100" in p for p in problems)


def test_duplicate_codes_are_refused() -> None:
    data = rubric_data()
    leaf(data, 0, 0, 1)["code"] = "1.1.1"
    _, problems = parse_rubric(data)
    assert "指标代码重复：1.1.1" in problems


def test_rule_parameters_are_validated_for_their_rule_type() -> None:
    data = rubric_data()
    leaf(data, 0, 1, 1)["params"]["numerator"] = "transfers.spnt"
    leaf(data, 0, 0, 0)["params"] = {"kind": "output", "colour": "red"}
    leaf(data, 1, 1, 1)["params"] = {}
    leaf(data, 1, 0, 0)["rule"] = "magic"
    _, problems = parse_rubric(data)
    text = "\n".join(problems)
    assert "未知的数据项 transfers.spnt" in text
    assert "不接受参数 colour" in text
    assert "缺少参数 count" in text
    assert "未知的评分规则：magic" in text


@pytest.mark.django_db
def test_load_rubric_command_loads_the_tree_and_a_second_run_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("load_rubric", str(RUBRIC_FILE))
    version = RubricVersion.objects.get(code="jiangmen-2023")
    assert version.status == RubricVersion.Status.PUBLISHED
    assert version.indicators.count() == 2 + 9 + 30
    assert rubric_spec(version=version) == reference_rubric()
    call_command("load_rubric", str(RUBRIC_FILE))
    assert "已是最新" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_rubric_with_errors_loads_nothing(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = rubric_data()
    leaf(data, 1, 1, 0)["weight"] = 2
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump_yaml(data), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("load_rubric", str(bad))
    assert exit_info.value.code == 1
    assert "不等于下级指标分值之和" in capsys.readouterr().err
    assert not RubricVersion.objects.exists() and not Indicator.objects.exists()


@pytest.fixture
def used_rubric(db: None) -> RubricVersion:
    version, _ = rubric_load(spec=reference_rubric())
    campaign = Campaign.objects.create(year=2023, name="2023", rubric=version,
                                       deadline="2024-05-31T17:30:00+08:00")
    department = Department.objects.create(name="测试局")
    Submission.objects.create(department=department, campaign=campaign)
    Submission.objects.filter(department=department).update(status="submitted")
    return version


def test_a_version_used_by_a_submitted_submission_cannot_be_edited(
    used_rubric: RubricVersion,
) -> None:
    indicator = used_rubric.indicators.get(code="2.2.1")
    with pytest.raises(RubricFrozen):
        indicator_update(indicator=indicator, weight=Decimal("2"))
    indicator.name = "改名"
    with pytest.raises(RubricFrozen):
        indicator.save()
    with pytest.raises(RubricFrozen):
        rubric_load(spec=dataclasses.replace(reference_rubric(), name="新名称"))
    indicator.refresh_from_db()
    assert (indicator.name, indicator.weight) == ("预算编制约束性", Decimal("1.00"))


def test_a_version_used_only_by_drafts_can_still_be_edited(used_rubric: RubricVersion) -> None:
    Submission.objects.update(status="draft")
    indicator = used_rubric.indicators.get(code="2.2.1")
    indicator_update(indicator=indicator, criteria="新的评分标准")
    indicator.refresh_from_db()
    assert indicator.criteria == "新的评分标准"
