"""The core's list of steps (keys and labels, read by the review room) matches the registry."""

from __future__ import annotations

from evaluations.figures.sections import FIGURE_SECTIONS, STEP_SECTIONS
from evaluations.steps.registry import FIGURE_STEPS, STEPS


def test_the_core_step_list_names_the_registry_steps_in_order_with_their_labels() -> None:
    assert [(s.key, str(s.label)) for s in STEP_SECTIONS] == [
        (s.key, str(s.label)) for s in STEPS]


def test_the_core_counts_the_same_steps_as_holding_figures() -> None:
    assert tuple(s.key for s in FIGURE_SECTIONS) == FIGURE_STEPS
