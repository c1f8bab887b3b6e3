"""The review room's POSTs read through forms. Fields are optional on purpose: the workflow
services decide what is required (a return comment, a rejection reason…) and say so in their
refusal message, so the rule lives in one place."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.figures.sections import STEP_SECTIONS


class SubmitForm(forms.Form):
    warnings_confirmed = forms.BooleanField(required=False)


class ClaimDecisionForm(forms.Form):
    """认可 posts decision=accept; any other button (不予认可) rejects."""

    decision = forms.CharField(required=False)
    comment = forms.CharField(required=False)

    @property
    def accept(self) -> bool:
        return bool(self.cleaned_data["decision"] == "accept")


class IndicatorReviewForm(forms.Form):
    """A review score (blank clears it; thousands separators allowed), reason and comment."""

    review_score = forms.CharField(required=False)
    reason = forms.CharField(required=False)
    comment = forms.CharField(required=False)

    def clean_review_score(self) -> Decimal | None:
        raw = self.cleaned_data["review_score"].replace(",", "")
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise forms.ValidationError(_("复核得分应为数字。"))
        return value


class ReturnForm(forms.Form):
    """The return comment and an optional comment per step (`step_<key>`)."""

    comment = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in STEP_SECTIONS:
            self.fields[f"step_{section.key}"] = forms.CharField(required=False)

    def step_comments(self) -> dict[str, str]:
        return {section.key: self.cleaned_data[f"step_{section.key}"]
                for section in STEP_SECTIONS}


class ApproveForm(forms.Form):
    comment = forms.CharField(required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(required=False)
