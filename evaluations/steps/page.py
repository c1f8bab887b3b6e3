"""One step's forms together: the scalar form, its formsets and the analysis texts.

Built from a submission (GET) or from POST data; `is_valid()` validates all of them, and
`values()` / `lists()` give what `services.submission_save_step` stores, and `destination()`
the step the pressed button leads to.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from evaluations.models import Submission
from evaluations.steps.forms import AnalysisForm, BaseRowFormSet, StepForm
from evaluations.steps.registry import BY_KEY, ListSection, Step, neighbours
from rubrics.scoring import RubricSpec


def row_initial(submission: Submission, section: ListSection) -> list[dict[str, Any]]:
    """The stored rows of a section as form initial data (uses the prefetched relation)."""
    related = getattr(submission, f"{section.model.__name__.lower()}_set").all()
    names = [n for n in section.formset.form.base_fields if n != "DELETE"]
    return [{name: getattr(row, name) for name in names} for row in related]


def indicator_choices(rubric: RubricSpec, rule: str | None) -> list[tuple[str, str]]:
    leaves = rubric.leaves().values()
    return [(leaf.code, f"{leaf.code} {leaf.name}") for leaf in leaves
            if not rule or leaf.rule == rule]


class NavigationForm(forms.Form):
    """The pressed button: 上一步 (__prev__), 下一步 (__next__), a navigator step, or none."""

    goto = forms.CharField(required=False)


class StepPage:
    def __init__(self, step: Step, submission: Submission, rubric: RubricSpec,
                 data: QueryDict | None = None) -> None:
        self.step = step
        self.form: StepForm = step.form_class(
            data=data, initial=step.form_class.initial_for(submission))
        self.formsets: list[tuple[ListSection, BaseRowFormSet]] = [
            (section, self.build_formset(section, submission, rubric, data))
            for section in step.lists
        ]
        self.analysis = self.build_analysis(submission, rubric, data) if step.has_analysis else None
        self.navigation = NavigationForm(data=data)

    @staticmethod
    def build_formset(section: ListSection, submission: Submission, rubric: RubricSpec,
                      data: QueryDict | None) -> BaseRowFormSet:
        kwargs: dict[str, Any] = {}
        if section.indicator_rule is not None:
            kwargs["indicator_choices"] = indicator_choices(rubric, section.indicator_rule)
        return section.formset(data=data, initial=row_initial(submission, section),
                               prefix=section.prefix, form_kwargs=kwargs)

    @staticmethod
    def build_analysis(submission: Submission, rubric: RubricSpec,
                       data: QueryDict | None) -> AnalysisForm:
        second = [(code, spec.name) for code, spec in rubric.codes_at(2).items()]
        stored = {a.indicator: a.text for a in submission.analysistext_set.all()}
        initial = {f"analysis_{code}": stored.get(code, "") for code, _name in second}
        return AnalysisForm(data=data, initial=initial, second_level=second, prefix="analysis")

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        valid = all([formset.is_valid() for _s, formset in self.formsets]) and valid
        if self.analysis is not None:
            valid = self.analysis.is_valid() and valid
        return valid

    @property
    def expected_version(self) -> int:
        return int(self.form.cleaned_data["version"])

    def values(self) -> dict[str, Any]:
        return self.form.figure_values()

    def lists(self) -> dict[type, list[dict[str, Any]]]:
        from evaluations.models import AnalysisText

        rows: dict[type, list[dict[str, Any]]] = {
            section.model: formset.rows() for section, formset in self.formsets
        }
        if self.analysis is not None:
            rows[AnalysisText] = [{"indicator": code, "text": text}
                                  for code, text in self.analysis.texts()]
        return rows

    def destination(self) -> str:
        """Where the pressed button leads: 上一步, 下一步, a step of the navigator, or here."""
        target = self.navigation.cleaned_data["goto"] if self.navigation.is_valid() else ""
        before, after = neighbours(self.step.key)
        if target == "__prev__":
            return before or self.step.key
        if target == "__next__":
            return after or self.step.key
        return target if target in BY_KEY else self.step.key

    def disable(self) -> None:
        """Read-only rendering once the submission has left draft."""
        forms = [self.form, *(form for _s, fs in self.formsets for form in fs.forms)]
        if self.analysis is not None:
            forms.append(self.analysis)
        for form in forms:
            for bound_field in form.fields.values():
                bound_field.disabled = True
