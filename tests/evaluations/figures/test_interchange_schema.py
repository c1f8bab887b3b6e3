"""The interchange schema built from the catalogue now reads and writes every file as the one in use.

`SCHEMA` is built once, at import, from the figure catalogue (`_members`, `_leaf`, `_figure`,
`_list`, `_number`). Building it again here and feeding both the same documents (the reference,
and the reference with every value spoiled in one way) checks those builders, which no parse can
reach after import.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from evaluations.figures.interchange import (
    DEPARTMENT_FIGURES,
    SCHEMA,
    TEXT,
    Field,
    ListOf,
    Pairs,
    Section,
    _figure,
    _format,
    _leaf,
    _members,
    _number,
    _year,
    required,
)
from rubrics import catalogue
from rubrics.figures import FIGURE_SPECS, Figures
from rubrics.rules import Issue
from rubrics.yamlio import load_yaml
from tests.evaluations.conftest import REFERENCE_FILE

D = Decimal


def rebuilt() -> Section:
    """SCHEMA, built the same way again now."""
    return Section(dict, {
        "format": required(Field(_format)),
        "rubric": required(TEXT),
        "year": required(Field(_year, default=0)),
        "department": Section(dict, {
            "name": required(TEXT), **{spec.name: _figure(spec) for spec in DEPARTMENT_FIGURES},
        }, required=True),
        **_members(Figures),
    })


@cache
def _reference_text() -> str:
    return REFERENCE_FILE.read_text(encoding="utf-8")


def reference() -> dict[str, Any]:
    return copy.deepcopy(load_yaml(_reference_text()))


def spoiled(data: Any, value: Callable[[Any], Any]) -> Any:
    """The document with every scalar (not the header) replaced by value(old)."""
    if isinstance(data, dict):
        return {k: (v if k in {"format", "rubric", "year", "name"} and not isinstance(v, dict)
                    else spoiled(v, value)) for k, v in data.items()}
    if isinstance(data, list):
        return [spoiled(item, value) for item in data]
    return value(data)


def read(schema: Section, document: Any) -> tuple[Any, list[Issue]]:
    errors: list[Issue] = []
    return schema.read(document, "", errors), errors


SPOILERS: dict[str, Callable[[Any], Any]] = {
    "as is": lambda v: v,
    "text": lambda v: "x",
    "blank": lambda v: "",
    "absent": lambda v: None,
    "true": lambda v: True,
    "five places": lambda v: "1.12345",
    "three places": lambda v: D("2.125"),
    "negative": lambda v: "-1",
    "huge": lambda v: "1000000000000",
    "a float": lambda v: 1.5,
    "a list": lambda v: ["x"],
    "a date": lambda v: "2024-03-01",
}


@pytest.mark.parametrize("spoiler", SPOILERS)
def test_the_schema_built_now_reads_a_spoiled_reference_as_the_one_in_use(spoiler: str) -> None:
    document = spoiled(reference(), SPOILERS[spoiler])
    now = read(rebuilt(), document)
    assert now == read(SCHEMA, document)
    assert now[1] or spoiler == "as is"


def test_the_schema_built_now_reads_sections_given_as_scalars_alike() -> None:
    document = {key: 5 for key in SCHEMA.fields}
    assert read(rebuilt(), document) == read(SCHEMA, document)
    assert read(rebuilt(), {}) == read(SCHEMA, {})


def test_the_schema_built_now_writes_the_reference_as_the_one_in_use() -> None:
    values, _errors = read(SCHEMA, reference())
    assert rebuilt().write(values) == SCHEMA.write(values)


def test_the_file_keys_follow_the_figures_and_keep_the_header_out() -> None:
    members = _members(Figures)
    assert list(members) == [
        "report_date", "narrative", "targets", "expenditure", "special_funds", "transfers",
        "budget_preparation", "budget_execution", "disclosure", "procurement", "assets",
        "operating_costs", "deductions", "claims", "remedies", "analysis"]
    assert list(SCHEMA.fields) == ["format", "rubric", "year", "department", *members]
    assert isinstance(members["expenditure"], Section) and members["expenditure"].required
    assert not members["procurement"].required
    assert isinstance(members["transfers"], ListOf) and isinstance(members["analysis"], Pairs)


# --- the builders one by one ---------------------------------------------------------------


def parse(node: Any, raw: Any) -> tuple[Any, list[Issue]]:
    errors: list[Issue] = []
    return node.read(raw, "p", errors), errors


@pytest.mark.parametrize(("kind", "raw", "expected"), [
    (catalogue.AMOUNT, "1.1234", (D("1.1234"), [])),
    (catalogue.AMOUNT, "1.12345", (D(0), [Issue("p", "最多 4 位小数")])),
    (catalogue.YUAN, "1.125", (D(0), [Issue("p", "最多 2 位小数")])),
    (catalogue.PERCENT, "99.1234", (D("99.1234"), [])),
    (catalogue.POINTS, "1.23456", (D("1.23456"), [])),
    (catalogue.COUNT, "7", (7, [])),
    (catalogue.COUNT, "x", (0, [Issue("p", "不是有效的数值：x")])),
    (catalogue.FLAG, "x", (False, [Issue("p", "应为 true 或 false")])),
    (catalogue.DATE, "x", (None, [Issue("p", "日期格式应为 YYYY-MM-DD")])),
    (catalogue.TEXT, 7, ("7", [])),
    (catalogue.TARGET_KIND, " output ", ("output", [])),
    (catalogue.NAMES, ["甲", 2], (("甲", "2"), [])),
    (catalogue.NAMES, "甲", ((), [Issue("p", "应为列表")])),
])
def test_each_kind_of_the_catalogue_is_read_by_its_own_leaf(kind: catalogue.Kind, raw: Any,
                                                            expected: Any) -> None:
    assert parse(_leaf(kind), raw) == expected


@pytest.mark.parametrize(("kind", "value", "written"), [
    (catalogue.AMOUNT, D("1.5000"), "1.5"), (catalogue.COUNT, 7, 7), (catalogue.FLAG, True, True),
    (catalogue.TEXT, "x", "x"),
])
def test_each_leaf_writes_its_value_back(kind: catalogue.Kind, value: Any, written: Any) -> None:
    assert _leaf(kind).write(value) == written


def test_an_optional_figure_refused_or_absent_is_none_and_a_required_one_zero() -> None:
    specs = {spec.path: spec for spec in FIGURE_SPECS}
    budget_total = _figure(specs["expenditure.budget_total"])
    assert parse(budget_total, "x") == (None, [Issue("p", "不是有效的数值：x")])
    assert budget_total.empty() is None
    income = _figure(specs["expenditure.total_income"])
    assert (parse(income, "x")[0], income.empty()) == (D(0), D(0))


def test_a_number_of_no_fixed_places_takes_any_places() -> None:
    assert _number(None)("1.123456789") == D("1.123456789")
    assert _number(0)("12.000") == D(12)


def test_a_required_field_is_a_copy_marked_required() -> None:
    field = Field(str)
    assert (required(field).required, field.required) == (True, False)
    assert parse(required(TEXT), " ") == ("", [Issue("p", "缺少必填项")])
    assert parse(TEXT, " ") == ("", [])
