"""Forms of the officer's steps: validation only; saving is `services.submission_save_step`.

Amount inputs accept thousands separators ("5,520.39") and show them; every message is Chinese
and names its field. Forms never touch the database.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
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
from rubrics.catalogue import (
    AMOUNT,
    COUNT,
    DATE,
    FLAG,
    NAMES,
    PERCENT,
    TEXT,
    YUAN,
    FigureSpec,
    Kind,
)
from rubrics.figures import FIGURE_SPECS, TARGET_CATEGORIES
from rubrics.numbers import decimals_of, grouped, plain

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


def money(name: str, model: type) -> AmountField:
    return AmountField(label=label_of(model, name), places=AMOUNT.input_places or 0,
                       unit=AMOUNT.unit)


def rate(name: str, model: type) -> AmountField:
    return AmountField(label=label_of(model, name), places=PERCENT.input_places or 0,
                       unit=PERCENT.unit, maximum=PERCENT.maximum)


class NamesField(forms.CharField):
    """One name per line: a list without blanks or repeats, each at most 100 characters."""

    def __init__(self, *, item_label: StrOrPromise, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item_label = item_label

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value: Any) -> list[str]:
        names = [line.strip() for line in super().clean(value).splitlines()]
        names = list(dict.fromkeys(n for n in names if n))
        if any(len(n) > 100 for n in names):
            raise ValidationError(_("每个%(label)s名称不超过 100 个字") % {"label": self.item_label})
        return names


ONE_PER_LINE = gettext_lazy("{}（每行一个）")


def amount_field(spec: FigureSpec) -> AmountField:
    kind = spec.kind
    return AmountField(label=gettext_lazy(spec.label), places=kind.input_places or 0,
                       unit=kind.unit, maximum=kind.maximum if kind is PERCENT else None,
                       required=not spec.optional,
                       help_text=gettext_lazy(spec.help) if spec.help else "")


def count_field(spec: FigureSpec) -> forms.IntegerField:
    low, high = int(spec.kind.minimum or 0), int(spec.kind.maximum or 0)
    return forms.IntegerField(label=gettext_lazy(spec.label), min_value=low, max_value=high,
                              widget=forms.NumberInput(attrs={"class": "num", "min": low}))


def flag_field(spec: FigureSpec) -> forms.BooleanField:
    return forms.BooleanField(label=gettext_lazy(spec.label), required=False)


def text_field(spec: FigureSpec) -> forms.CharField:
    return forms.CharField(label=gettext_lazy(spec.label), required=False,
                           widget=forms.Textarea(attrs={"rows": spec.rows}), max_length=20000,
                           strip=True)


def date_field(spec: FigureSpec) -> forms.DateField:
    return forms.DateField(label=gettext_lazy(spec.label), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def names_field(spec: FigureSpec) -> NamesField:
    return NamesField(label=format_lazy(ONE_PER_LINE, gettext_lazy(spec.label)),
                      item_label=gettext_lazy(spec.label), required=False, max_length=5000,
                      widget=forms.Textarea(attrs={"rows": spec.rows}))


FIELD_BUILDERS: dict[Kind, Callable[[FigureSpec], forms.Field]] = {
    AMOUNT: amount_field, YUAN: amount_field, PERCENT: amount_field, COUNT: count_field,
    FLAG: flag_field, TEXT: text_field, DATE: date_field, NAMES: names_field,
}


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
    """Base: `version` carries the optimistic lock; `step_form` adds a step's catalogue figures."""

    figures: tuple[FigureSpec, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, submission: Submission) -> dict[str, Any]:
        data = {name: field.prepare_value(getattr(submission, name))
                for name, field in cls.base_fields.items() if name != "version"}
        data["version"] = submission.version
        return data

    def figure_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for spec in self.figures:
            if spec.cumulative_after:
                self.check_cumulative(data, spec.cumulative_after, spec.key)
            if spec.at_most:
                self.check_part(data, spec.key, spec.at_most)
        return data

    def check_cumulative(self, data: dict[str, Any], before_key: str, key: str) -> None:
        before, after = data.get(before_key), data.get(key)
        if before is not None and after is not None and after < before:
            self.add_error(key, _("累计支出率不能低于上一季度（%(prev)s%%）") % {
                "prev": plain(before)})

    def check_part(self, data: dict[str, Any], part: str, whole: str) -> None:
        if (data.get(part) or 0) > (data.get(whole) or 0):
            self.add_error(part, _("不能大于“%(whole)s”") % {"whole": self.fields[whole].label})


def step_form(key: str) -> type[StepForm]:
    """The form of a step: its figures of the catalogue, as fields in the catalogue's order."""
    specs = tuple(spec for spec in FIGURE_SPECS if spec.step == key)
    fields = {spec.key: FIELD_BUILDERS[spec.kind](spec) for spec in specs}
    name = "".join(part.title() for part in key.split("_")) + "Form"
    return type(name, (StepForm,), {"figures": specs, **fields, "__module__": __name__})


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
        field = cast(forms.ChoiceField, self.fields["indicator"])
        field.choices = [("", "——")] + (indicator_choices or [])


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
                if not self._should_delete_form(form)  # type: ignore[attr-defined]
                and (i < initial or form.has_changed())]

    def rows(self) -> list[dict[str, Any]]:
        return [form.row_values() for form in self.kept()]

    def clean(self) -> None:
        super().clean()
        if not self.unique_field or any(form.errors for form in self.forms):
            return
        seen: set[Any] = set()
        for form in self.kept():
            value = form.cleaned_data.get(self.unique_field)
            if value in seen:
                form.add_error(self.unique_field, _("同一指标只能填写一项"))
            seen.add(value)


def row_formset(form: type[RowForm], unique: str | None = None) -> type[BaseRowFormSet]:
    formset = cast(type[BaseRowFormSet], forms.formset_factory(
        form, formset=BaseRowFormSet, extra=1, can_delete=True, max_num=MAX_ROWS,
        validate_max=True, absolute_max=MAX_ROWS))
    formset.unique_field = unique
    return formset
