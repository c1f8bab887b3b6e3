from __future__ import annotations

from decimal import Decimal

from rubrics.models import Indicator, RubricVersion
from rubrics.scoring import GradeBand, IndicatorSpec, RubricSpec


def rubric_get(*, code: str) -> RubricVersion | None:
    return RubricVersion.objects.filter(code=code).first()


def rubric_spec(*, version: RubricVersion) -> RubricSpec:
    """The pure spec of a stored rubric version: one query for the whole tree."""
    rows = list(Indicator.objects.filter(version=version).order_by("position"))
    children: dict[int | None, list[Indicator]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def build(row: Indicator) -> IndicatorSpec:
        return IndicatorSpec(
            code=row.code, name=row.name, weight=row.weight, criteria=row.criteria,
            rule=row.rule, params=row.params,
            children=tuple(build(child) for child in children.get(row.pk, [])),
        )

    return RubricSpec(
        code=version.code, name=version.name, region=version.region, year=version.year,
        rounding=version.rounding,
        grades=tuple(GradeBand(g["grade"], Decimal(str(g["min"]))) for g in version.grades),
        indicators=tuple(build(row) for row in children.get(None, [])),
    )
