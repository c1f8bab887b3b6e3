"""Sharing rubrics as YAML: export any stored version, import it elsewhere, nothing lost."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from evaluations.figures.interchange import read_submission_file
from rubrics.export import dump_rubric, rubric_document, spec_document
from rubrics.loader import parse_rubric
from rubrics.models import RubricVersion
from rubrics.scoring import GradeBand, IndicatorSpec, RubricSpec, ScoreResult, score
from rubrics.selectors import rubric_spec
from rubrics.services import rubric_load
from rubrics.yamlio import load_yaml
from tests.rubrics.helpers import ROOT, RUBRIC_FILE, reference_rubric

REFERENCE_FILE = ROOT / "evaluations" / "data" / "jiangmen-hrss-2023.yaml"
D = Decimal
# Half points: moving whole points changes no rounding of the reference's figures, so the
# truncate policy would not show. 1.1.3 and 2.2.1 gain, 1.1.1 and 2.2.3 lose; every sum holds.
MOVED_WEIGHTS = {"1.1.1": "9.5", "1.1.3": "5.5", "2.2.1": "1.5", "2.2.3": "1.5"}


def parsed(text: str) -> RubricSpec:
    spec, problems = parse_rubric(load_yaml(text))
    assert spec is not None, problems
    return spec


def renamed(text: str, code: str) -> str:
    data = load_yaml(text)
    data["code"] = code
    return dump_rubric(data)


def load_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    call_command("load_rubric", str(path))


def key_orders(node: Any) -> list[list[str]]:
    """The keys of every mapping in the tree, in order, depth first."""
    if isinstance(node, list):
        return [keys for item in node for keys in key_orders(item)]
    if not isinstance(node, dict):
        return []
    return [list(node), *(keys for value in node.values() for keys in key_orders(value))]


def reference_score(spec: RubricSpec) -> ScoreResult:
    submission = read_submission_file(REFERENCE_FILE)
    assert submission.errors == ()
    return score(spec, submission.figures)


# (a) the shipped rubric round trip ----------------------------------------------------------

@pytest.mark.django_db
def test_the_shipped_rubric_exported_from_the_database_parses_back_to_the_same_spec() -> None:
    version, _ = rubric_load(spec=reference_rubric())
    text = dump_rubric(rubric_document(version=version))
    assert parsed(text) == reference_rubric()


@pytest.mark.django_db
def test_dump_parse_dump_of_the_shipped_rubric_gives_identical_text() -> None:
    version, _ = rubric_load(spec=reference_rubric())
    text = dump_rubric(rubric_document(version=version))
    assert dump_rubric(spec_document(parsed(text))) == text
    assert dump_rubric(spec_document(reference_rubric())) == text


def test_the_export_has_the_keys_of_the_shipped_file_in_the_same_order() -> None:
    shipped = load_yaml(RUBRIC_FILE.read_text(encoding="utf-8"))
    exported = load_yaml(dump_rubric(spec_document(reference_rubric())))
    assert key_orders(exported) == key_orders(shipped)


def test_numbers_are_written_as_exact_quoted_text() -> None:
    text = dump_rubric(spec_document(reference_rubric()))
    assert '  - {grade: 优, min: "90"}\n' in text
    assert 'params: {rectified: "0.5", unrectified: "1.0"}\n' in text
    assert '            weight: "10"\n' in text
    assert "params: {q1: 25, q2: 50, q3: 75, q4: 95}\n" in text


@pytest.mark.django_db
def test_the_export_reloads_under_a_new_code_as_an_equal_rubric(tmp_path: Path) -> None:
    version, _ = rubric_load(spec=reference_rubric())
    load_file(tmp_path, renamed(dump_rubric(rubric_document(version=version)), "shared-2023"))
    copy = RubricVersion.objects.get(code="shared-2023")
    assert copy.status == RubricVersion.Status.PUBLISHED
    assert rubric_spec(version=copy) == dataclasses.replace(reference_rubric(), code="shared-2023")


def test_text_that_yaml_would_misread_survives_the_round_trip() -> None:
    leaf = IndicatorSpec(
        code="1.1.1", name="yes", weight=D("0.25"), criteria="第一行：扣分\n# 第二行 null",
        rule="per_item_deduction", params={"count": "procurement.violations", "each": "0.10"},
    )
    middle = IndicatorSpec(code="1.1", name="on", weight=D("0.25"), children=(leaf,))
    rest = IndicatorSpec(code="1.2", name="其他", weight=D("99.75"), children=(
        dataclasses.replace(leaf, code="1.2.1", name="~", weight=D("99.75"), criteria=""),))
    top = IndicatorSpec(code="1", name="null", weight=D(100), children=(middle, rest))
    spec = RubricSpec(code="tricky", name="2023", region="true", year=2023, rounding="truncate",
                      grades=(GradeBand("A", D("59.995")), GradeBand("B", D(0))), indicators=(top,))
    text = dump_rubric(spec_document(spec))
    assert parsed(text) == spec
    assert parsed(text).leaves()["1.1.1"].params == {"count": "procurement.violations", "each": "0.10"}
    assert dump_rubric(spec_document(parsed(text))) == text


# (b) other weights and the truncate policy score as the service predicts --------------------

def moved_rubric_text() -> str:
    data = load_yaml(RUBRIC_FILE.read_text(encoding="utf-8"))
    data["code"], data["rounding"] = "moved-2023", "truncate"

    def move(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            node["weight"] = MOVED_WEIGHTS.get(node["code"], node["weight"])
            move(node.get("children", []))

    move(data["indicators"])
    return dump_rubric(data)


@pytest.mark.django_db
def test_a_rubric_with_moved_weights_and_truncation_scores_the_reference_as_predicted(
    tmp_path: Path,
) -> None:
    in_memory = parsed(moved_rubric_text())
    load_file(tmp_path, moved_rubric_text())
    exported = dump_rubric(rubric_document(version=RubricVersion.objects.get(code="moved-2023")))
    load_file(tmp_path, renamed(exported, "moved-copy"))
    reimported = rubric_spec(version=RubricVersion.objects.get(code="moved-copy"))
    assert reimported == dataclasses.replace(in_memory, code="moved-copy")
    result, predicted = reference_score(reimported), reference_score(in_memory)
    assert result.nodes == predicted.nodes
    assert (result.computed, result.self_total, result.grade) == (D("97.49"), D("97.98"), "优")
    assert result.errors == ()


@pytest.mark.django_db
def test_the_moved_weights_score_differently_from_the_shipped_rubric_where_they_moved(
    tmp_path: Path,
) -> None:
    load_file(tmp_path, moved_rubric_text())
    moved = reference_score(rubric_spec(version=RubricVersion.objects.get(code="moved-2023")))
    shipped = reference_score(reference_rubric())

    def scores(result: ScoreResult, code: str) -> tuple[str, str]:
        return str(result.node(code).computed), str(result.node(code).self_score)

    # 1.1.3: 5.5 × 0.8269… = 4.548… truncated to 4.54 (half_up would give 4.55); claim stays 5.00.
    # 2.2.1: 1.5 − 1.5 × 0.75 % = 1.4886… truncated to 1.48 (half_up 1.49).
    assert {c: scores(moved, c) for c in ("1.1.1", "1.1.3", "2.2.1", "2.2.3", "1.1", "2.2")} == {
        "1.1.1": ("9.50", "9.50"), "1.1.3": ("4.54", "5.00"), "2.2.1": ("1.48", "1.48"),
        "2.2.3": ("1.00", "1.00"), "1.1": ("24.04", "24.50"), "2.2": ("3.48", "3.48"),
    }
    assert {c: scores(shipped, c) for c in ("1.1.1", "1.1.3", "2.2.1", "2.2.3", "1.1", "2.2")} == {
        "1.1.1": ("10.00", "10.00"), "1.1.3": ("4.13", "5.00"), "2.2.1": ("0.99", "0.99"),
        "2.2.3": ("1.50", "1.50"), "1.1": ("24.13", "25.00"), "2.2": ("3.49", "3.49"),
    }
    assert (shipped.computed, shipped.self_total) == (D("97.59"), D("98.49"))
    untouched = [n.code for n in shipped.nodes if n.level == 3 and n.code not in MOVED_WEIGHTS]
    assert all(moved.node(c) == shipped.node(c) for c in untouched)


# (c) the command ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_export_rubric_prints_the_yaml_of_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    version, _ = rubric_load(spec=reference_rubric())
    call_command("export_rubric", "jiangmen-2023")
    out = capsys.readouterr()
    assert out.out == dump_rubric(rubric_document(version=version))
    assert out.err == ""


@pytest.mark.django_db
def test_export_rubric_with_out_writes_the_file_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    rubric_load(spec=reference_rubric())
    target = tmp_path / "shared.yaml"
    call_command("export_rubric", "jiangmen-2023", out=str(target))
    assert parsed(target.read_text(encoding="utf-8")) == reference_rubric()
    assert capsys.readouterr().out == f"已导出评分体系 jiangmen-2023 到 {target}。\n"


@pytest.mark.django_db
def test_export_rubric_of_an_unknown_code_says_so_in_one_line_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("export_rubric", "no-such-rubric")
    assert exit_info.value.code == 1
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", "未找到评分体系 no-such-rubric。\n")


@pytest.mark.django_db
def test_export_rubric_to_a_missing_directory_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    rubric_load(spec=reference_rubric())
    target = tmp_path / "missing" / "shared.yaml"
    with pytest.raises(SystemExit) as exit_info:
        call_command("export_rubric", "jiangmen-2023", out=str(target))
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"无法写入文件 {target}：目录不存在\n"
    assert not target.exists()
