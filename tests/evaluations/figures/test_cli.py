"""The command line of SUBMISSION_FORMAT.md: score, import_submission, export_submission."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from departments.models import Department
from evaluations.figures.codec import submission_figures
from evaluations.figures.interchange import parse_submission_text
from evaluations.models import Campaign, Submission
from evaluations.selectors import submission_with_figures
from tests.rubrics.helpers import ROOT

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    """call_command with the exit status the command line would give."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def score_json(path: Path) -> tuple[int, dict[str, Any]]:
    code, out, _err = run("score", str(path), "--json")
    return code, json.loads(out)


def edited(reference_text: str, tmp_path: Path, old: str, new: str) -> Path:
    assert old in reference_text, old
    path = tmp_path / "edited.yaml"
    path.write_text(reference_text.replace(old, new, 1), encoding="utf-8")
    return path


def test_score_json_reproduces_the_reference_report(campaign: Campaign,
                                                    reference_path: Path) -> None:
    code, document = score_json(reference_path)
    assert code == 0
    assert document["total"] == {"weight": "100", "computed": "97.59", "self": "98.49"}
    assert (document["grade"], document["rubric"], document["year"]) == ("优", "jiangmen-2023",
                                                                         2023)
    nodes = {n["code"]: n for n in document["nodes"]}
    assert len(nodes) == 41
    assert (nodes["1.1.3"]["computed"], nodes["1.1.3"]["self"]) == ("4.13", "5.00")
    assert (nodes["1.2.2"]["computed"], nodes["1.2.2"]["self"]) == ("4.97", "5.00")
    assert (nodes["2.2"]["self"], nodes["2.2"]["rate"]) == ("3.49", "87.25")
    assert nodes["2.5"]["self"] == "9.00"
    assert document["errors"] == []


@pytest.mark.parametrize(("old", "new", "path"), [
    ('project: "9107.52"}', 'project: "-9107.52"}', "expenditure.actual.project"),
    ('q2: "42.87"', 'q2: "12.87"', "expenditure.quarterly_rate.q2"),
    ("    score: \"5\"\n    reason: 2023 年由于", "    score: \"5\"\n    reason: \"\"\n    note: 2023 年由于",
     "claims[0].note"),
    ('indicator: "1.2.2"', 'indicator: "1.2.9"', "claims[1].indicator"),
    ("deductions: []", 'deductions: [{indicator: "2.4.1", points: "0.5", reason: ""}]',
     "deductions[0].reason"),
    ("  carried_forward:", "  carried_forwrd:", "expenditure.carried_forwrd"),
])
def test_score_names_the_path_of_each_error_and_exits_1(
    campaign: Campaign, reference_text: str, tmp_path: Path, old: str, new: str, path: str,
) -> None:
    code, document = score_json(edited(reference_text, tmp_path, old, new))
    assert code == 1
    assert path in [e["path"] for e in document["errors"]]
    assert document["nodes"], "a file with errors is still scored"


def test_a_claim_without_reason_is_an_error_on_its_reason(
    campaign: Campaign, reference_text: str, tmp_path: Path,
) -> None:
    start = reference_text.index("    reason: 2023 年由于")
    end = reference_text.index("\n", start)
    path = tmp_path / "no-reason.yaml"
    path.write_text(reference_text[:start] + '    reason: ""' + reference_text[end:], "utf-8")
    code, document = score_json(path)
    assert code == 1
    assert [e["path"] for e in document["errors"]] == ["claims[0].reason"]


def test_score_of_an_unreadable_file_exits_2_with_one_line_and_no_traceback(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: [unclosed\n  year: 2023", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIXIAO_VAR_DIR"] = str(tmp_path)
    for target in (broken, tmp_path / "missing.yaml"):
        proc = subprocess.run([sys.executable, "manage.py", "score", str(target), "--json"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2
        assert proc.stdout == ""
        assert len(proc.stderr.strip().splitlines()) == 1
        assert "Traceback" not in proc.stderr


def test_score_through_a_real_process_on_a_fresh_database(tmp_path: Path,
                                                          reference_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIXIAO_VAR_DIR"] = str(tmp_path)

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    assert manage("migrate", "--noinput").returncode == 0
    assert manage("load_rubric", "rubrics/data/jiangmen-2023.yaml").returncode == 0
    proc = manage("score", str(reference_path), "--json")
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert (document["total"]["computed"], document["total"]["self"], document["grade"]) == (
        "97.59", "98.49", "优")


def test_import_then_export_then_import_is_lossless(campaign: Campaign,
                                                    reference_path: Path,
                                                    reference_text: str, tmp_path: Path) -> None:
    code, out, err = run("import_submission", str(reference_path), "--department-create")
    assert code == 0, err
    assert "97.59" in out and "98.49" in out
    submission = Submission.objects.get()
    first = submission_figures(submission=submission_with_figures(pk=submission.pk))
    assert first == parse_submission_text(reference_text).figures
    code, exported, _ = run("export_submission", "--department", "江门市人力资源和社会保障局",
                            "--year", "2023")
    assert code == 0
    again = tmp_path / "exported.yaml"
    again.write_text(exported, encoding="utf-8")
    assert run("import_submission", str(again))[0] == 0
    second = submission_figures(submission=submission_with_figures(pk=submission.pk))
    assert second == first
    assert run("export_submission", "--department", "江门市人力资源和社会保障局",
               "--year", "2023")[1] == exported
    assert Submission.objects.get().version == 3


def test_import_refuses_a_file_with_errors_and_changes_nothing(
    campaign: Campaign, reference_text: str, tmp_path: Path,
) -> None:
    bad = edited(reference_text, tmp_path, 'q2: "42.87"', 'q2: "12.87"')
    code, _out, err = run("import_submission", str(bad), "--department-create")
    assert code == 1
    assert "expenditure.quarterly_rate.q2" in err and "未导入任何数据" in err
    assert not Department.objects.exists() and not Submission.objects.exists()


def test_import_refuses_a_submission_that_left_draft_and_changes_nothing(
    campaign: Campaign, reference_path: Path, reference_text: str, tmp_path: Path,
) -> None:
    assert run("import_submission", str(reference_path), "--department-create")[0] == 0
    Submission.objects.update(status=Submission.Status.SUBMITTED)
    changed = edited(reference_text, tmp_path, 'carried_forward: "579.01"',
                     'carried_forward: "600"')
    code, _out, err = run("import_submission", str(changed))
    assert code == 1
    assert "已提交" in err
    assert Submission.objects.get().carried_forward == Decimal("579.01")


def test_import_of_an_unknown_department_needs_the_create_flag(
    campaign: Campaign, reference_path: Path,
) -> None:
    code, _out, err = run("import_submission", str(reference_path))
    assert code == 1
    assert "--department-create" in err
    assert not Submission.objects.exists()


def test_export_of_a_missing_submission_exits_1(campaign: Campaign) -> None:
    code, out, err = run("export_submission", "--department", "不存在的局", "--year", "2023")
    assert (code, out) == (1, "")
    assert "未找到" in err
