"""Forms of the officer's steps: validation only; saving is `services.submission_save_step`.

Amount inputs accept thousands separators ("5,520.39") and show them; every message is Chinese
and names its field. Forms never touch the database.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import (
    Claim,
    InspectionFinding,
    ManualDeduction,
    NewProject,
    Remedy,
    SpecialFund,
    Submission,
    Target,
    Transfer,
)
from rubrics.figures import TARGET_CATEGORIES
from rubrics.numbers import decimals_of, grouped, plain

MAX_ROWS = 200


def label_of(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


class AmountInput(forms.TextInput):
    """A text input showing grouped digits: 5520.3900 → "5,520.39"."""

    def __init__(self, places: int, unit: str = "") -> None:
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off",
                                "class": "num", "data-unit": unit})
        self.places = places

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            shown = max(2, min(decimals_of(value), self.places))
            return grouped(value, shown)
        return super().format_value(value)


class AmountField(forms.Field):
    """A non-negative decimal with at most `places` decimals; commas and spaces allowed."""

    def __init__(self, *, places: int = 4, unit: str = "万元", maximum: Decimal | None = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("widget", AmountInput(places, unit))
        super().__init__(**kwargs)
        self.places, self.unit, self.maximum = places, unit, maximum

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
        text = text.removesuffix("%").removesuffix(self.unit)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("请输入数字，例如 5,520.39"), code="invalid") from None
        if not number.is_finite():
            raise ValidationError(_("请输入数字，例如 5,520.39"), code="invalid")
        return number

    def validate(self, value: Decimal | None) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise ValidationError(_("不能为负数"), code="negative")
        if decimals_of(value) > self.places:
            raise ValidationError(_("最多 %(n)d 位小数") % {"n": self.places}, code="places")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(_("不能大于 %(max)s") % {"max": plain(self.maximum)},
                                  code="max")
        if value >= Decimal(10) ** 12:
            raise ValidationError(_("数值过大"), code="max")


def money(name: str, model: type = Submission, **kwargs: Any) -> AmountField:
    return AmountField(label=label_of(model, name), places=4, unit="万元", **kwargs)


def yuan(name: str) -> AmountField:
    return AmountField(label=label_of(Submission, name), places=2, unit="元")


def rate(name: str, model: type = Submission) -> AmountField:
    return AmountField(label=label_of(model, name), places=2, unit="%",
                       maximum=Decimal(1000))


def count(name: str) -> forms.IntegerField:
    return forms.IntegerField(label=label_of(Submission, name), min_value=0,
                              max_value=1_000_000,
                              widget=forms.NumberInput(attrs={"class": "num", "min": 0}))


def flag(name: str) -> forms.BooleanField:
    return forms.BooleanField(label=label_of(Submission, name), required=False)


def text(name: str, model: type = Submission, rows: int = 5, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label_of(model, name), required=kwargs.pop("required", False),
                           widget=forms.Textarea(attrs={"rows": rows}), max_length=20000,
                           strip=True, **kwargs)


class Styled:
    """Bootstrap classes on every widget, and `is-invalid` on fields with errors."""

    fields: dict[str, forms.Field]

    def style(self) -> None:
        for field in self.fields.values():
            if field.label:
                field.error_messages["required"] = _("请填写“%(label)s”。") % {
                    "label": field.label}
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm" if isinstance(self, RowForm) else "form-select"
            else:
                css = "form-control form-control-sm" if isinstance(self, RowForm) else "form-control"
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{css} {existing}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class StepForm(Styled, forms.Form):
    """Base: `version` carries the optimistic lock; subclasses declare Submission fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, submission: Submission) -> dict[str, Any]:
        data = {name: getattr(submission, name) for name in cls.base_fields
                if name != "version"}
        data["version"] = submission.version
        return data

    def figure_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class BasicsForm(StepForm):
    functions = text("functions", rows=8)
    budget_units = forms.CharField(
        label=gettext_lazy("预算单位（每行一个）"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    annual_work = text("annual_work", rows=10)
    targets_summary = text("targets_summary", rows=6)
    report_date = forms.DateField(label=label_of(Submission, "report_date"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"},
                                                         format="%Y-%m-%d"))

    @classmethod
    def initial_for(cls, submission: Submission) -> dict[str, Any]:
        data = super().initial_for(submission)
        data["budget_units"] = "\n".join(submission.budget_units)
        return data

    def clean_budget_units(self) -> list[str]:
        units = [line.strip() for line in self.cleaned_data["budget_units"].splitlines()]
        units = list(dict.fromkeys(u for u in units if u))
        if any(len(u) > 100 for u in units):
            raise ValidationError(_("每个预算单位名称不超过 100 个字"))
        return units


class ExpenditureForm(StepForm):
    budget_total = money("budget_total", required=False,
                         help_text=gettext_lazy("市人大审议通过的部门预算总支出；不填则按三项之和"))
    budget_personnel = money("budget_personnel")
    budget_public = money("budget_public")
    budget_project = money("budget_project")
    actual_personnel = money("actual_personnel")
    actual_public = money("actual_public")
    actual_project = money("actual_project")
    carried_forward = money("carried_forward")
    total_income = money("total_income")
    rate_q1 = rate("rate_q1")
    rate_q2 = rate("rate_q2")
    rate_q3 = rate("rate_q3")
    rate_q4 = rate("rate_q4")
    variance_reason = text("variance_reason", rows=4)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quarters = [data.get(f"rate_q{q}") for q in range(1, 5)]
        for q in range(1, 4):
            before, after = quarters[q - 1], quarters[q]
            if before is not None and after is not None and after < before:
                self.add_error(f"rate_q{q + 1}", _("累计支出率不能低于上一季度（%(prev)s%%）")
                               % {"prev": plain(before)})
        return data


class BudgetForm(StepForm):
    annual_budget = money("annual_budget")
    library_amount = money("library_amount")
    budget_from_library = money("budget_from_library")
    adjustment_amount = money("adjustment_amount")
    disbursement_violations = count("disbursement_violations")


class DisclosureForm(StepForm):
    disclosed_budget = flag("disclosed_budget")
    disclosed_final_accounts = flag("disclosed_final_accounts")
    disclosed_targets = flag("disclosed_targets")
    disclosed_self_evaluation = flag("disclosed_self_evaluation")


class ProcurementForm(StepForm):
    intentions_required = count("intentions_required")
    intentions_on_time = count("intentions_on_time")
    internal_controls = flag("internal_controls")
    procurement_violations = count("procurement_violations")
    contracts_total = count("contracts_total")
    contracts_on_time = count("contracts_on_time")
    filing_warnings = count("filing_warnings")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for part, whole in (("intentions_on_time", "intentions_required"),
                            ("contracts_on_time", "contracts_total")):
            if (data.get(part) or 0) > (data.get(whole) or 0):
                self.add_error(part, _("不能大于“%(whole)s”") % {
                    "whole": self.fields[whole].label})
        return data


class AssetsForm(StepForm):
    utilisation_rate = rate("utilisation_rate")
    city_average_rate = rate("city_average_rate")


class CostsForm(StepForm):
    sangong_budget = yuan("sangong_budget")
    sangong_actual = yuan("sangong_actual")


class ExplanationForm(StepForm):
    other_matters = text("other_matters", rows=4)


class PreviewForm(StepForm):
    """The last step has no figures; the version still guards the submit."""


# --- rows of the list sections ---------------------------------------------------------------


class RowForm(Styled, forms.Form):
    """A formset row; an untouched extra row is ignored, a touched one is validated whole."""

    model: type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def row_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}


def row_text(model: type, name: str, required: bool = True, max_length: int = 200,
             textarea: bool = False) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
    return forms.CharField(label=label_of(model, name), required=required,
                           max_length=max_length, widget=widget)


class TargetRow(RowForm):
    model = Target
    # An empty first choice: a browser posts the first option of an untouched select, and the
    # blank extra row must stay "unchanged" to be ignored.
    kind = forms.ChoiceField(label=label_of(Target, "kind"),
                             choices=[("", "——"), *Target.Kind.choices])
    category = forms.ChoiceField(
        label=label_of(Target, "category"),
        choices=[("", "——"),
                 (gettext_lazy("产出指标"), [(c, c) for c in TARGET_CATEGORIES["output"]]),
                 (gettext_lazy("效益指标"), [(c, c) for c in TARGET_CATEGORIES["outcome"]])],
    )
    name = row_text(Target, "name")
    unit = row_text(Target, "unit", required=False, max_length=20)
    target = row_text(Target, "target", required=False, max_length=60)
    actual = row_text(Target, "actual", required=False, max_length=60)
    completed = forms.BooleanField(label=label_of(Target, "completed"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, category = data.get("kind"), data.get("category")
        if kind and category and category not in TARGET_CATEGORIES[kind]:
            self.add_error("category", _("“%(cat)s”不属于%(kind)s") % {
                "cat": category, "kind": Target.Kind(kind).label})
        return data


class SpecialFundRow(RowForm):
    model = SpecialFund
    name = row_text(SpecialFund, "name")
    amount = money("amount", SpecialFund)
    completion_rate = rate("completion_rate", SpecialFund)


class TransferRow(RowForm):
    model = Transfer
    name = row_text(Transfer, "name")
    amount = money("amount", Transfer)
    spent = money("spent", Transfer)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("spent") or 0) > (data.get("amount") or 0):
            self.add_error("spent", _("已支出不能大于下达金额"))
        return data


class NewProjectRow(RowForm):
    model = NewProject
    name = row_text(NewProject, "name")
    assessed = forms.BooleanField(label=label_of(NewProject, "assessed"), required=False)


class FindingRow(RowForm):
    model = InspectionFinding
    source = row_text(InspectionFinding, "source", max_length=100)
    title = row_text(InspectionFinding, "title")
    rectified = forms.BooleanField(label=label_of(InspectionFinding, "rectified"),
                                   required=False)


class IndicatorRow(RowForm):
    """Rows that refer to an indicator; the step sets the allowed choices per rubric."""

    indicator = forms.ChoiceField(label=gettext_lazy("指标"))

    def __init__(self, *args: Any, indicator_choices: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "——")] + (indicator_choices or [])


class ClaimRow(IndicatorRow):
    model = Claim
    score = AmountField(label=label_of(Claim, "score"), places=2, unit="分")
    reason = row_text(Claim, "reason", max_length=5000, textarea=True)


class DeductionRow(IndicatorRow):
    model = ManualDeduction
    points = AmountField(label=label_of(ManualDeduction, "points"), places=2, unit="分")
    reason = row_text(ManualDeduction, "reason", max_length=5000, textarea=True)

    def clean_points(self) -> Decimal:
        points = self.cleaned_data["points"]
        if points is not None and points <= 0:
            raise ValidationError(_("扣分应大于 0"))
        return points


class RemedyRow(IndicatorRow):
    model = Remedy
    text = row_text(Remedy, "text", max_length=5000, textarea=True)


class AnalysisForm(Styled, forms.Form):
    """One optional text per 二级 indicator, appended to its 评分分析 in the report."""

    def __init__(self, *args: Any, second_level: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in second_level:
            self.fields[f"analysis_{code}"] = forms.CharField(
                label=f"{code} {name}", required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}))
        self.style()

    def texts(self) -> list[tuple[str, str]]:
        return [(name.removeprefix("analysis_"), value.strip())
                for name, value in self.cleaned_data.items() if value and value.strip()]


class BaseRowFormSet(forms.BaseFormSet):
    """Rows in order; deleted and untouched extra rows dropped; duplicates refused."""

    unique_field: str | None = None

    def kept(self) -> list[RowForm]:
        """Stored rows not marked for deletion, and extra rows the officer filled in."""
        initial = self.initial_form_count()
        return [form for i, form in enumerate(self.forms)
                if not self._should_delete_form(form) and (i < initial or form.has_changed())]

    def rows(self) -> list[dict[str, Any]]:
        return [form.row_values() for form in self.kept()]

    def clean(self) -> None:
        super().clean()
        if not self.unique_field or any(form.errors for form in self.forms):
            return
        seen: set[str] = set()
        for form in self.kept():
            value = form.cleaned_data.get(self.unique_field)
            if value in seen:
                form.add_error(self.unique_field, _("同一指标只能填写一项"))
            seen.add(value)


def row_formset(form: type[RowForm], unique: str | None = None) -> type[BaseRowFormSet]:
    formset = forms.formset_factory(form, formset=BaseRowFormSet, extra=1, can_delete=True,
                                    max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS)
    formset.unique_field = unique
    return formset
