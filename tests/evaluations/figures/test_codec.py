"""The model <-> Figures codec and the figure catalogue it reads."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest
from django.db import models as db

from departments.models import Department
from evaluations import models
from evaluations.figures.codec import (
    CHILD_MODELS,
    FIGURE_RELATIONS,
    figure_fields,
    figure_rows,
    submission_figures,
)
from evaluations.figures.interchange import read_submission_file
from evaluations.models import Campaign, Submission
from evaluations.selectors import submission_with_figures
from evaluations.steps.registry import STEP_KEYS as REGISTRY_STEP_KEYS
from rubrics.catalogue import STEP_KEYS
from rubrics.figures import FIGURE_SPECS, LIST_SPECS, Figures

HEADER = {"rubric", "year", "department"}  # the campaign's and department's, not a column


def stored(figures: Figures, campaign: Campaign) -> Submission:
    """The figures written through the codec alone: columns, then one bulk insert per table."""
    department = Department.objects.create(name=figures.department)
    submission = Submission.objects.create(department=department, campaign=campaign,
                                           **figure_fields(figures))
    for model, rows in zip(CHILD_MODELS, figure_rows(submission, figures), strict=True):
        model.objects.bulk_create(rows)
    return submission


@pytest.mark.django_db
def test_the_reference_figures_written_through_the_codec_read_back_equal(
        campaign: Campaign, reference_path: Path) -> None:
    parsed = read_submission_file(reference_path)
    assert parsed.errors == ()
    submission = stored(parsed.figures, campaign)
    assert submission_figures(submission=submission_with_figures(pk=submission.pk)) == parsed.figures


@pytest.mark.django_db
def test_empty_figures_round_trip_through_the_codec(campaign: Campaign) -> None:
    empty = Figures(rubric=campaign.rubric.code, year=campaign.year, department="空部门")
    submission = stored(empty, campaign)
    assert submission_figures(submission=submission_with_figures(pk=submission.pk)) == empty


def leaf_paths(cls: type, prefix: str = "") -> list[str]:
    """Every attribute path of the Figures tree that is not itself a section."""
    hints = typing.get_type_hints(cls)
    paths = []
    for field in dataclasses.fields(cls):
        path = f"{prefix}.{field.name}" if prefix else field.name
        kind = hints[field.name]
        paths += leaf_paths(kind, path) if dataclasses.is_dataclass(kind) else [path]
    return paths


def test_every_figures_attribute_is_declared_exactly_once() -> None:
    declared = [spec.attribute_path for spec in FIGURE_SPECS] + [spec.path for spec in LIST_SPECS]
    assert sorted(declared) == sorted(set(leaf_paths(Figures)) - HEADER)


def test_every_catalogue_figure_is_a_submission_column_labelled_alike() -> None:
    for spec in FIGURE_SPECS:
        column = Submission._meta.get_field(spec.key)
        assert isinstance(column, db.Field), spec.key
        assert str(column.verbose_name) == spec.label, spec.key


def test_every_catalogue_list_is_a_child_table_with_the_items_fields() -> None:
    for spec, relation in zip(LIST_SPECS, FIGURE_RELATIONS, strict=True):
        model = getattr(models, spec.model)
        assert issubclass(model, models.SubmissionPart)
        assert relation == f"{model.__name__.lower()}_set"
        for name in spec.fields:
            model._meta.get_field(name)
        if spec.item is not tuple:
            assert spec.fields == tuple(f.name for f in dataclasses.fields(spec.item))


def test_every_figure_sits_on_a_step_the_registry_shows() -> None:
    assert REGISTRY_STEP_KEYS == STEP_KEYS
    assert {spec.step for spec in (*FIGURE_SPECS, *LIST_SPECS)} <= set(STEP_KEYS[:-1])


def test_bounds_name_figures_of_the_same_step() -> None:
    by_key = {spec.key: spec for spec in FIGURE_SPECS}
    for spec in FIGURE_SPECS:
        for other in filter(None, (spec.at_most, spec.cumulative_after)):
            assert by_key[other].step == spec.step, spec.key
