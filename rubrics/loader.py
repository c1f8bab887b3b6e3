"""Reading a rubric data file (`jixiao.rubric/1`) into a validated RubricSpec.

Pure: no database. `parse_rubric` returns the spec and a list of Chinese error messages, each
starting with the path of what is wrong; an empty list means the rubric may be stored.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from rubrics.rules import validate_params
from rubrics.scoring import ROUNDING_POLICIES, GradeBand, IndicatorSpec, RubricSpec

RUBRIC_FORMAT = "jixiao.rubric/1"
TOP_KEYS = {"format", "code", "name", "region", "year", "rounding", "grades", "indicators"}
NODE_KEYS = {"code", "name", "weight", "criteria", "rule", "params", "children"}
MAX_LEVEL = 3


class RubricError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_rubric(data: Any) -> tuple[RubricSpec | None, list[str]]:
    if not isinstance(data, dict):
        return None, [_("评分体系文件应为一个映射（YAML 对象）")]
    problems = [_("%(key)s：未知的字段") % {"key": k} for k in data if k not in TOP_KEYS]
    if data.get("format") != RUBRIC_FORMAT:
        problems.append(_("format：应为 %(f)s") % {"f": RUBRIC_FORMAT})
    for key in ("code", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(_("%(key)s：必填") % {"key": key})
    rounding = data.get("rounding", "half_up")
    if rounding not in ROUNDING_POLICIES:
        problems.append(_("rounding：应为 half_up 或 truncate"))
    year = data.get("year", 0)
    if not isinstance(year, int) or isinstance(year, bool):
        problems.append(_("year：应为整数年份"))
        year = 0
    grades = parse_grades(data.get("grades"), problems)
    indicators = tuple(parse_nodes(data.get("indicators"), "indicators", 1, problems))
    spec = RubricSpec(
        code=str(data.get("code", "")), name=str(data.get("name", "")),
        region=str(data.get("region", "")), year=year, rounding=str(rounding),
        grades=grades, indicators=indicators,
    )
    problems.extend(validate_tree(spec))
    return (None if problems else spec), problems


def parse_grades(raw: Any, problems: list[str]) -> tuple[GradeBand, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(_("grades：应为非空列表"))
        return ()
    bands = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != {"grade", "min"}:
            problems.append(_("grades[%(i)d]：应包含 grade 和 min") % {"i": i})
            continue
        minimum = to_decimal(item["min"], f"grades[{i}].min", problems)
        bands.append(GradeBand(str(item["grade"]), minimum))
    if len({b.grade for b in bands}) != len(bands):
        problems.append(_("grades：等级名称重复"))
    return tuple(bands)


def parse_nodes(raw: Any, path: str, level: int, problems: list[str]) -> list[IndicatorSpec]:
    if not isinstance(raw, list) or not raw:
        problems.append(_("%(path)s：应为非空列表") % {"path": path})
        return []
    return [parse_node(item, f"{path}[{i}]", level, problems) for i, item in enumerate(raw)]


def parse_node(raw: Any, path: str, level: int, problems: list[str]) -> IndicatorSpec:
    if not isinstance(raw, dict):
        problems.append(_("%(path)s：应为映射") % {"path": path})
        return IndicatorSpec(code="", name="", weight=Decimal(0))
    problems.extend(
        _("%(path)s.%(key)s：未知的字段") % {"path": path, "key": k} for k in raw if k not in NODE_KEYS
    )
    code = str(raw.get("code", "")).strip()
    where = f"{path}（{code}）" if code else path
    if not code:
        problems.append(_("%(path)s.code：必填") % {"path": path})
    if not str(raw.get("name", "")).strip():
        problems.append(_("%(path)s.name：必填") % {"path": where})
    weight = to_decimal(raw.get("weight"), f"{where}.weight", problems)
    children: tuple[IndicatorSpec, ...] = ()
    rule, params = str(raw.get("rule", "") or ""), raw.get("params") or {}
    if level < MAX_LEVEL:
        children = tuple(parse_nodes(raw.get("children"), f"{where}.children", level + 1, problems))
        if rule or params:
            problems.append(_("%(path)s：只有三级指标可以设置评分规则") % {"path": where})
    elif "children" in raw:
        problems.append(_("%(path)s：指标体系最多三级") % {"path": where})
    elif not isinstance(params, dict):
        problems.append(_("%(path)s.params：应为映射") % {"path": where})
    else:
        problems.extend(f"{where}.params：{p}" for p in validate_params(rule, params))
    return IndicatorSpec(
        code=code, name=str(raw.get("name", "")).strip(), weight=weight,
        criteria=str(raw.get("criteria", "") or "").strip(), rule=rule,
        params=json_params(params) if isinstance(params, dict) else {}, children=children,
    )


def json_params(params: Any) -> Any:
    """Rule parameters as JSON: Decimals become exact strings (never floats)."""
    if isinstance(params, dict):
        return {str(key): json_params(value) for key, value in params.items()}
    if isinstance(params, list):
        return [json_params(value) for value in params]
    if isinstance(params, Decimal):
        return f"{params:f}"
    return params


def to_decimal(value: Any, path: str, problems: list[str]) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float) or value is None:
        problems.append(_("%(path)s：应为数值") % {"path": path})
        return Decimal(0)
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        problems.append(_("%(path)s：不是有效的数值") % {"path": path})
        return Decimal(0)
    if not parsed.is_finite() or parsed < 0:
        problems.append(_("%(path)s：应为非负数") % {"path": path})
        return Decimal(0)
    return parsed


def validate_tree(spec: RubricSpec) -> list[str]:
    """Codes unique; each parent's weight is the sum of its children's; 一级 sums to 100."""
    problems = []
    seen: set[str] = set()
    for _level, node in spec.walk():
        if node.code in seen:
            problems.append(_("指标代码重复：%(code)s") % {"code": node.code})
        seen.add(node.code)
        if node.children:
            total = sum((c.weight for c in node.children), Decimal(0))
            if total != node.weight:
                problems.append(_(
                    "指标 %(code)s %(name)s 的分值 %(weight)s 不等于下级指标分值之和 %(total)s"
                ) % {"code": node.code, "name": node.name, "weight": node.weight, "total": total})
    if spec.indicators and spec.total_weight != Decimal(100):
        problems.append(_("一级指标分值之和应为 100，实际为 %(total)s") % {"total": spec.total_weight})
    return problems
