"""The model <-> Figures codec: a stored submission as pure figures, and figures as columns and rows.

Both directions read the figure catalogue (`rubrics.figures`): a scalar figure's `key` is its
Submission column, a list's `model` the class of its rows, whose fields are the item's fields.
"""

from __future__ import annotations

from typing import Any

from evaluations import models
from evaluations.models import Submission
from rubrics.catalogue import NAMES, FigureSpec, ListSpec, assemble
from rubrics.figures import FIGURE_SPECS, LIST_SPECS, Figures

# The child tables of the figures, in the catalogue's order of the lists.
CHILD_MODELS: tuple[type[models.SubmissionPart], ...] = tuple(
    getattr(models, spec.model) for spec in LIST_SPECS)
# Prefetch these to read a submission's figures without a query per list.
FIGURE_RELATIONS = tuple(f"{model.__name__.lower()}_set" for model in CHILD_MODELS)


def column_value(spec: FigureSpec, value: Any) -> Any:
    """A figure's value as its Submission column holds it (names: a JSON list)."""
    return list(value) if spec.kind is NAMES else value


def figure_value(spec: FigureSpec, stored: Any) -> Any:
    return tuple(stored) if spec.kind is NAMES else stored


def submission_figures(*, submission: Submission) -> Figures:
    """The pure figures of a stored submission (prefetch FIGURE_RELATIONS to avoid queries)."""
    s = submission
    values: dict[str, Any] = {
        "rubric": s.campaign.rubric.code, "year": s.campaign.year, "department": s.department.name,
    }
    for spec in FIGURE_SPECS:
        values[spec.attribute_path] = figure_value(spec, getattr(s, spec.key))
    for lst, relation in zip(LIST_SPECS, FIGURE_RELATIONS, strict=True):
        values[lst.path] = tuple(items_of(lst, getattr(s, relation).all()))
    figures: Figures = assemble(Figures, values)
    return figures


def items_of(spec: ListSpec, rows: Any) -> list[Any]:
    return [spec.item_of({name: getattr(row, name) for name in spec.fields}) for row in rows]


def figure_fields(figures: Figures) -> dict[str, object]:
    """The Submission columns that hold the scalar figures."""
    return {spec.key: column_value(spec, spec.read(figures)) for spec in FIGURE_SPECS}


def figure_rows(submission: Submission, figures: Figures) -> list[list[Any]]:
    """The child rows of the figures, one list per table of CHILD_MODELS, in their order."""
    return [
        [model(submission=submission, position=i, **spec.values_of(item))
         for i, item in enumerate(spec.read(figures))]
        for spec, model in zip(LIST_SPECS, CHILD_MODELS, strict=True)
    ]
