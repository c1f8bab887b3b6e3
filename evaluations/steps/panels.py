"""What the step pages show besides the forms: the navigator, the score panel, inline issues.

Pure functions of a submission's score result; no queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from evaluations.figures.sections import is_complete
from evaluations.models import Submission
from evaluations.steps.registry import FIELD_PATHS, STEPS, Step, step_for_path
from rubrics.rules import Issue
from rubrics.scoring import NodeScore, ScoreResult


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    number: int
    state: str  # "current" is separate; state is complete / errors / todo
    current: bool
    errors: int
    warnings: int


def navigator(submission: Submission, result: ScoreResult, current: str) -> list[NavItem]:
    errors, warnings = issues_by_step(result.errors), issues_by_step(result.warnings)
    items = []
    for number, step in enumerate(STEPS, start=1):
        if errors.get(step.key):
            state = "errors"
        elif step.key in submission.saved_steps or (step.key == "preview" and is_complete(
                submission, result)):
            state = "complete"
        else:
            state = "todo"
        items.append(NavItem(step.key, str(step.label), number, state, step.key == current,
                             len(errors.get(step.key, [])), len(warnings.get(step.key, []))))
    return items


def issues_by_step(issues: tuple[Issue, ...]) -> dict[str, list[Issue]]:
    grouped: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        step = step_for_path(issue.path)
        grouped[step.key if step else "preview"].append(issue)
    return grouped


@dataclass(frozen=True)
class FieldIssues:
    errors: list[str]
    warnings: list[str]


def field_issues(result: ScoreResult, step: Step) -> dict[str, FieldIssues]:
    """Scoring errors and warnings by form field name (scalars) or section prefix (lists)."""
    by_path: dict[str, FieldIssues] = defaultdict(lambda: FieldIssues([], []))
    fields_by_path = {path: name for name, path in FIELD_PATHS.items()}
    sections = {section.path: section.prefix for section in step.lists}
    for kind, issues in (("errors", result.errors), ("warnings", result.warnings)):
        for issue in issues:
            if step_for_path(issue.path) is not step:
                continue
            key = fields_by_path.get(issue.path) or next(
                (prefix for path, prefix in sections.items() if issue.path.startswith(path)),
                "__step__")
            getattr(by_path[key], kind).append(issue.message)
    return dict(by_path)


@dataclass(frozen=True)
class ScorePanel:
    computed: str
    self_total: str
    grade: str
    losing: list[NodeScore]
    errors: int
    warnings: int


def score_panel(result: ScoreResult) -> ScorePanel:
    losing = [n for n in result.nodes if n.level == 3 and n.computed < n.weight]
    return ScorePanel(
        computed=f"{result.computed:.2f}", self_total=f"{result.self_total:.2f}",
        grade=result.grade, losing=losing, errors=len(result.errors),
        warnings=len(result.warnings),
    )
