"""Display filters: Decimal in, text out (never through float)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import template
from django.forms import BoundField, Textarea

from rubrics.numbers import grouped, plain, score_text

register = template.Library()


@register.filter
def amount(value: Decimal | None, places: int = 2) -> str:
    """15571.27 → "15,571.27"; None → "—"."""
    return "—" if value is None else grouped(Decimal(value), int(places))


@register.filter
def score(value: Decimal | None) -> str:
    return "—" if value is None else score_text(Decimal(value))


@register.filter
def pct(value: Decimal | None) -> str:
    """A rate already in percent, as printed: 87.25 → "87.25%", 110.4 → "110.40%", 100 → "100%"."""
    if value is None:
        return "—"
    text = score_text(Decimal(value))
    return f"{text.removesuffix('.00')}%"


@register.filter
def exact(value: Decimal | None) -> str:
    return "—" if value is None else plain(Decimal(value))


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def is_textarea(field: BoundField) -> bool:
    return isinstance(field.field.widget, Textarea)


@register.filter
def has_textarea(form: Any) -> bool:
    return any(isinstance(f.widget, Textarea) for f in form.fields.values())


@register.filter
def unit(field: BoundField) -> str:
    """The unit shown beside an amount input (万元, 元, %, 分); empty for other fields."""
    return getattr(field.field, "unit", "")


CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +| +(?=[\u3000-\u9fff\uff00-\uffef])")


@register.filter
def cjk_spaces(text: str) -> str:
    """Spaces beside CJK text (“下属 8 个”) become a fixed four-per-em space (U+2005).

    Justified lines stretch ordinary spaces, which opens wide gaps around numbers in
    Chinese text; U+2005 keeps the printed spacing of the reference report.
    """
    return CJK_SPACE.sub("\u2005", text)
