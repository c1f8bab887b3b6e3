from __future__ import annotations

from typing import Any

from django.db import transaction

from rubrics.loader import json_params
from rubrics.models import Indicator, RubricVersion
from rubrics.scoring import IndicatorSpec, RubricSpec


@transaction.atomic
def rubric_load(*, spec: RubricSpec, publish: bool = True) -> tuple[RubricVersion, bool]:
    """Store a validated spec as a rubric version; replaces an unfrozen version of that code.

    Returns (version, changed). Loading the same spec again changes nothing. A frozen version
    (used by a submitted self-evaluation) raises RubricFrozen and nothing is written.
    """
    version = RubricVersion.objects.select_for_update().filter(code=spec.code).first()
    status = RubricVersion.Status.PUBLISHED if publish else RubricVersion.Status.DRAFT
    if version is not None:
        from rubrics.selectors import rubric_spec

        if rubric_spec(version=version) == spec and version.status == status:
            return version, False
        version.assert_editable()
        version.indicators.all().delete()
    else:
        version = RubricVersion(code=spec.code)
    version.name, version.region, version.year = spec.name, spec.region, spec.year
    version.rounding, version.status = spec.rounding, status
    version.grades = [{"grade": g.grade, "min": f"{g.minimum:f}"} for g in spec.grades]
    version.save()
    position = 0
    for root in spec.indicators:
        position = _store(version, None, root, 1, position)
    return version, True


def _store(version: RubricVersion, parent: Indicator | None, node: IndicatorSpec,
           level: int, position: int) -> int:
    row = Indicator.objects.create(
        version=version, parent=parent, code=node.code, name=node.name, level=level,
        weight=node.weight, criteria=node.criteria, rule=node.rule,
        params=json_params(dict(node.params)), position=position,
    )
    position += 1
    for child in node.children:
        position = _store(version, row, child, level + 1, position)
    return position


def indicator_update(*, indicator: Indicator, **changes: Any) -> Indicator:
    """Change an indicator's name, criteria, weight or parameters; refused once frozen."""
    indicator.version.assert_editable()
    for field, value in changes.items():
        setattr(indicator, field, value)
    indicator.save(update_fields=list(changes))
    return indicator
