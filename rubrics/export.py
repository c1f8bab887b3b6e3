"""Writing a rubric version back as a data file (`jixiao.rubric/1`), for sharing between sites.

The document has the shape and key order of `rubrics/data/jiangmen-2023.yaml`, so that
`parse_rubric(load_yaml(dump_rubric(spec)))` gives the spec back and a second dump the same text.
Numbers are written as exact quoted text (never through float); `parse_rubric` reads them back.
"""

from __future__ import annotations

from typing import Any

import yaml

from rubrics.loader import RUBRIC_FORMAT, json_params
from rubrics.models import RubricVersion
from rubrics.numbers import plain
from rubrics.rules import RULES
from rubrics.scoring import IndicatorSpec, RubricSpec
from rubrics.selectors import rubric_spec
from rubrics.yamlio import ExactDumper


def rubric_document(*, version: RubricVersion) -> dict[str, Any]:
    """The stored version and its indicator tree as the mapping a rubric file holds."""
    return spec_document(rubric_spec(version=version))


def spec_document(spec: RubricSpec) -> dict[str, Any]:
    return {
        "format": RUBRIC_FORMAT,
        "code": spec.code,
        "name": spec.name,
        "region": spec.region,
        "year": spec.year,
        "rounding": spec.rounding,
        "grades": [inline({"grade": band.grade, "min": plain(band.minimum)}) for band in spec.grades],
        "indicators": [node_document(node) for node in spec.indicators],
    }


def node_document(node: IndicatorSpec) -> dict[str, Any]:
    """One indicator; empty optional fields are left out, as in the shipped file."""
    document: dict[str, Any] = {"code": node.code, "name": node.name, "weight": plain(node.weight)}
    if node.criteria:
        document["criteria"] = node.criteria
    if node.rule:
        document["rule"] = node.rule
    if node.params:
        document["params"] = inline(json_params(in_rule_order(node.rule, dict(node.params))))
    if node.children:
        document["children"] = [node_document(child) for child in node.children]
    return document


def in_rule_order(rule: str, params: dict[str, Any]) -> dict[str, Any]:
    """Parameters in the order their rule declares them: PostgreSQL's jsonb keeps keys in its
    own order, and an export must read the same whichever database stored the rubric."""
    declared = list(RULES[rule].params) if rule in RULES else []
    ordered = ordered_keys(params, declared)
    if isinstance(ordered.get("items"), list):  # checklist items: {quantity, points}
        ordered["items"] = [ordered_keys(item, list(CHECKLIST_ITEM_KEYS))
                            if isinstance(item, dict) else item for item in ordered["items"]]
    return ordered


CHECKLIST_ITEM_KEYS = ("quantity", "points")


def ordered_keys(mapping: dict[str, Any], declared: list[str]) -> dict[str, Any]:
    rank = {name: i for i, name in enumerate(declared)}
    return dict(sorted(mapping.items(), key=lambda item: (rank.get(item[0], len(declared)), item[0])))


class Inline(dict[str, Any]):
    """A mapping written on one line (`{kind: output}`), as in the hand-written file."""


def inline(value: Any) -> Any:
    """Mappings of plain values become Inline, however deep (checklist items)."""
    if isinstance(value, list):
        return [inline(item) for item in value]
    if not isinstance(value, dict):
        return value
    if any(isinstance(item, (dict, list)) for item in value.values()):
        return {key: inline(item) for key, item in value.items()}
    return Inline(value)


def _represent_inline(dumper: yaml.SafeDumper, value: Inline) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


class RubricDumper(ExactDumper):
    """Indents list items under their key, as the hand-written rubric files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


RubricDumper.add_representer(Inline, _represent_inline)


def dump_rubric(document: dict[str, Any]) -> str:
    """YAML text of a rubric document: small mappings inline, like the hand-written file."""
    # Wide lines: a folded 评分标准 line would still read back the same, but less legibly.
    return yaml.dump(document, Dumper=RubricDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=200)
