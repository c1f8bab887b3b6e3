"""Reading and writing the submission interchange format `jixiao.submission/1`.

Pure: no database. One schema (`SCHEMA`) drives both directions, so whatever the parser accepts
the writer gives back and an export followed by an import yields equal `Figures`.

The parser always produces a `Figures`: a bad value is reported as an `Issue` (path and Chinese
message) and replaced by its default, so a file with errors can still be scored and every
problem shown at once. It checks the *shape* of the file (types, unknown keys, required keys,
decimal places); the meaning of the figures (negative amounts, percentages, indicator codes,
empty reasons) is checked by `rubrics.scoring`, so that no problem is reported twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pathlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.utils.translation import gettext as _

from rubrics import catalogue
from rubrics.catalogue import FigureSpec, Kind, ListSpec, nested_types
from rubrics.figures import (
    FIGURE_SPECS,
    LISTS_BY_PATH,
    TARGET_CATEGORIES,
    TARGET_KINDS,
    ZERO,
    Figures,
    Target,
)
from rubrics.numbers import NUMBER_TEXT, decimals_of, plain
from rubrics.rules import Issue
from rubrics.yamlio import dump_yaml, load_yaml

FORMAT = "jixiao.submission/1"
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_INTEGER_DIGITS = 12
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


class UnreadableFile(Exception):
    """The file is not a submission at all (not UTF-8, not YAML/JSON, not a mapping)."""


@dataclass(frozen=True)
class ParsedSubmission:
    figures: Figures
    errors: tuple[Issue, ...]


class _Invalid(ValueError):
    """A value of the wrong shape; its message becomes an Issue at the value's path."""


# --- scalar values -------------------------------------------------------------------------


def _decimal(raw: Any) -> Decimal:
    # bool is an int subclass and float is inexact: neither may become an amount.
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
        raise _Invalid(_("应为数值"))
    if isinstance(raw, str):
        if not NUMBER_TEXT.fullmatch(raw.strip()):
            raise _Invalid(_("不是有效的数值：%(value)s") % {"value": raw})
        raw = raw.strip().replace(",", "")
    value = Decimal(raw)
    if not value.is_finite():
        raise _Invalid(_("不是有效的数值：%(value)s") % {"value": raw})
    # adjusted() of a zero can be anything ("0E+20"), so zero is never too large.
    if value and value.adjusted() >= MAX_INTEGER_DIGITS:
        raise _Invalid(_("数值过大"))
    return value


def _number(places: int | None) -> Callable[[Any], Decimal]:
    def parse(raw: Any) -> Decimal:
        value = _decimal(raw)
        if places is not None and decimals_of(value) > places:
            raise _Invalid(_("最多 %(places)d 位小数") % {"places": places})
        return value

    return parse


def _count(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
        raise _Invalid(_("应为非负整数"))
    value = _decimal(raw)
    if value < 0 or value != value.to_integral_value():
        raise _Invalid(_("应为非负整数"))
    return int(value)


def _flag(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise _Invalid(_("应为 true 或 false"))
    return raw


def _text(raw: Any) -> str:
    # Numbers are accepted where text is expected (`target: 12`); a Decimal keeps the digits
    # as written (6.90 stays "6.90"), which plain() would shorten.
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
        raise _Invalid(_("应为文本（true、false、yes、no 等作文本时请加引号）"))
    return str(raw) if isinstance(raw, int) else f"{raw:f}"


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str) and DATE_TEXT.fullmatch(raw.strip()):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise _Invalid(_("日期格式应为 YYYY-MM-DD"))


def _format(raw: Any) -> str:
    if raw != FORMAT:
        raise _Invalid(_("应为 %(format)s") % {"format": FORMAT})
    return raw


def _year(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not FIRST_YEAR <= raw <= LAST_YEAR:
        raise _Invalid(_("应为 %(first)d 至 %(last)d 之间的整数年份") % {
            "first": FIRST_YEAR, "last": LAST_YEAR})
    return raw


def _same(value: Any) -> Any:
    return value


# --- schema nodes --------------------------------------------------------------------------


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


@dataclass(frozen=True)
class Field:
    """One scalar: how to parse it, how to write it back, and what stands in for it."""

    parse: Callable[[Any], Any]
    write: Callable[[Any], Any] = _same
    default: Any = ""
    required: bool = False

    def read(self, raw: Any, path: str, errors: list[Issue]) -> Any:
        try:
            value = self.parse(raw)
        except _Invalid as problem:
            errors.append(Issue(path, str(problem)))
            return self.default
        if self.required and value == "":
            errors.append(Issue(path, _("缺少必填项")))
        return value

    def empty(self) -> Any:
        return self.default


@dataclass(frozen=True)
class Section:
    """A mapping with a fixed set of keys, built into a dataclass (or a dict)."""

    build: Callable[..., Any]
    fields: Mapping[str, Node]
    required: bool = False
    check: Callable[[dict[str, Any], str, list[Issue]], None] | None = None

    def read(self, raw: Any, path: str, errors: list[Issue]) -> Any:
        if not isinstance(raw, dict):
            errors.append(Issue(path, _("应为映射（键: 值）")))
            return self.empty()
        errors.extend(self._unknown(raw, path))
        values = {
            name: _member(node, raw.get(name), _join(path, name), errors)
            for name, node in self.fields.items()
        }
        if self.check is not None:
            self.check(values, path, errors)
        return self.build(**values)

    def _unknown(self, raw: dict[Any, Any], path: str) -> list[Issue]:
        message = _("未知的字段（此处可用：%(keys)s）") % {"keys": "、".join(self.fields)}
        return [Issue(_join(path, key), message) for key in raw if key not in self.fields]

    def empty(self) -> Any:
        return self.build(**{name: node.empty() for name, node in self.fields.items()})

    def write(self, value: Any) -> dict[str, Any]:
        get = value.get if isinstance(value, dict) else lambda name: getattr(value, name)
        written = {name: (node, get(name)) for name, node in self.fields.items()}
        # None marks an optional value that is absent (the catalogue's optional figures).
        return {name: node.write(v) for name, (node, v) in written.items() if v is not None}


@dataclass(frozen=True)
class ListOf:
    item: Field | Section
    required: bool = False

    def read(self, raw: Any, path: str, errors: list[Issue]) -> tuple[Any, ...]:
        if not isinstance(raw, list):
            errors.append(Issue(path, _("应为列表")))
            return ()
        # A bad item becomes a default item rather than being dropped, so that the positions
        # the scoring service reports (claims[3]) still point at the right item of the file.
        return tuple(self.item.read(x, f"{path}[{i}]", errors) for i, x in enumerate(raw))

    def empty(self) -> tuple[Any, ...]:
        return ()

    def write(self, value: tuple[Any, ...]) -> list[Any]:
        return [self.item.write(item) for item in value]


@dataclass(frozen=True)
class Pairs:
    """`analysis`: {二级 code: text}, kept in file order as (code, text) pairs."""

    required: bool = False

    def read(self, raw: Any, path: str, errors: list[Issue]) -> tuple[tuple[str, str], ...]:
        if not isinstance(raw, dict):
            errors.append(Issue(path, _("应为映射（指标代码: 文本）")))
            return ()
        pairs = []
        for key, text in raw.items():
            try:
                pairs.append((_text(key), _text(text)))
            except _Invalid as problem:
                errors.append(Issue(_join(path, key), str(problem)))
        return tuple(pairs)

    def empty(self) -> tuple[tuple[str, str], ...]:
        return ()

    def write(self, value: tuple[tuple[str, str], ...]) -> dict[str, str]:
        return dict(value)


Node = Field | Section | ListOf | Pairs


def _member(node: Node, raw: Any, path: str, errors: list[Issue]) -> Any:
    # A key that is absent or left empty (`deductions:`) means "nothing to report".
    if raw is None:
        if node.required:
            errors.append(Issue(path, _("缺少必填项")))
        return node.empty()
    return node.read(raw, path, errors)


def required(node: Field) -> Field:
    return replace(node, required=True)


TEXT = Field(_text)
FLAG = Field(_flag, default=False)


def _leaf(kind: Kind) -> Node:
    """How a value of this kind of the catalogue is read from and written to a file."""
    if kind.name in {"amount", "yuan", "percent", "points"}:
        return Field(_number(kind.places), plain, ZERO)
    if kind is catalogue.COUNT:
        return Field(_count, default=0)
    if kind is catalogue.DATE:
        return Field(_date, dt.date.isoformat, default=None)
    if kind is catalogue.NAMES:
        return ListOf(TEXT)
    return FLAG if kind is catalogue.FLAG else TEXT  # texts, and a target's kind and category


def _figure(spec: FigureSpec) -> Node:
    node = _leaf(spec.kind)
    return replace(node, default=None) if spec.optional and isinstance(node, Field) else node


def _check_target(values: dict[str, Any], path: str, errors: list[Issue]) -> None:
    """The category must belong to the kind; a bad one is dropped to the empty default."""
    kind, category = values["kind"], values["category"]
    if kind and kind not in TARGET_KINDS:
        errors.append(Issue(f"{path}.kind", _("应为 output（产出）或 outcome（效益）")))
        values["kind"] = ""
    elif kind and category and category not in TARGET_CATEGORIES[kind]:
        errors.append(Issue(f"{path}.category", _("类别应为以下之一：%(choices)s") % {
            "choices": "、".join(TARGET_CATEGORIES[kind])}))
        values["category"] = ""


def _list(spec: ListSpec) -> Node:
    if spec.item is tuple:
        return Pairs()  # `analysis`: {二级 code: text}
    columns = {c.field: replace(_leaf(c.kind), required=c.required) for c in spec.columns}
    check = _check_target if spec.item is Target else None
    return ListOf(Section(spec.item, columns, check=check))


SCALARS = {spec.attribute_path: spec for spec in FIGURE_SPECS}
# Figures the file keeps beside the department's name, not where Figures has them.
DEPARTMENT_FIGURES = tuple(spec for spec in FIGURE_SPECS if spec.section == "department")
REQUIRED_SECTIONS = ("expenditure",)


def _members(cls: type, prefix: str = "") -> dict[str, Node]:
    """The file's keys under `prefix`, in the order of the Figures dataclass they fill.

    Only what the catalogue declares there: the header (rubric, year, department) is placed
    by SCHEMA itself.
    """
    nodes: dict[str, Node] = {}
    sections = nested_types(cls)
    for name in (f.name for f in dataclasses.fields(cls)):
        path = _join(prefix, name)
        if path in SCALARS and SCALARS[path] not in DEPARTMENT_FIGURES:
            nodes[name] = _figure(SCALARS[path])
        elif path in LISTS_BY_PATH:
            nodes[name] = _list(LISTS_BY_PATH[path])
        elif name in sections:
            nodes[name] = Section(sections[name], _members(sections[name], path),
                                  required=path in REQUIRED_SECTIONS)
    return nodes


SCHEMA = Section(dict, {
    "format": required(Field(_format)),
    "rubric": required(TEXT),
    "year": required(Field(_year, default=0)),
    "department": Section(dict, {
        "name": required(TEXT), **{spec.name: _figure(spec) for spec in DEPARTMENT_FIGURES},
    }, required=True),
    **_members(Figures),
})


# --- public API ----------------------------------------------------------------------------


def parse_submission_data(data: Any) -> ParsedSubmission:
    """Figures from an already loaded document, with every shape error found."""
    if not isinstance(data, dict):
        raise UnreadableFile(_not_a_mapping(data))
    errors: list[Issue] = []
    values = SCHEMA.read(data, "", errors)
    department = values.pop("department")
    del values["format"]
    filed = {spec.attribute_path: department[spec.name] for spec in DEPARTMENT_FIGURES}
    figures = Figures(department=department["name"], **filed, **values)
    return ParsedSubmission(figures, tuple(errors))


def parse_submission_text(text: str) -> ParsedSubmission:
    return parse_submission_data(_load(text, as_json=text.lstrip().startswith("{")))


def read_submission_file(path: str | pathlib.Path) -> ParsedSubmission:
    path = pathlib.Path(path)
    try:
        content = path.read_bytes()
    except OSError as problem:
        raise UnreadableFile(_("无法读取文件 %(path)s：%(reason)s") % {
            "path": path, "reason": _os_reason(problem)}) from problem
    try:
        text = content.decode("utf-8-sig")  # a BOM left by Windows editors is harmless
    except UnicodeDecodeError as problem:
        raise UnreadableFile(_("无法读取文件 %(path)s：不是 UTF-8 编码的文本") % {
            "path": path}) from problem
    as_json = path.suffix.lower() == ".json" or text.lstrip().startswith("{")
    return parse_submission_data(_load(text, as_json=as_json))


def figures_to_document(figures: Figures) -> dict[str, Any]:
    """The interchange document as plain data: amounts as exact decimal strings."""
    document = {name: getattr(figures, name, None) for name in SCHEMA.fields}
    document["format"] = FORMAT
    document["department"] = {"name": figures.department,
                              **{spec.name: spec.read(figures) for spec in DEPARTMENT_FIGURES}}
    return SCHEMA.write(document)


def dump_submission(figures: Figures) -> str:
    return dump_yaml(figures_to_document(figures))


# --- loading -------------------------------------------------------------------------------


def _load(text: str, *, as_json: bool) -> Any:
    if as_json:
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as problem:
            raise UnreadableFile(_("无法读取文件：第 %(line)d 行 JSON 语法错误") % {
                "line": problem.lineno}) from problem
    try:
        return load_yaml(text)
    except yaml.YAMLError as problem:
        raise UnreadableFile(_yaml_message(problem)) from problem
    except InvalidOperation as problem:  # .inf / .nan: load_yaml reads floats as Decimal
        raise UnreadableFile(_("无法读取文件：含有无法识别的数值（如 .inf、.nan）")) from problem


def _yaml_message(problem: yaml.YAMLError) -> str:
    mark = getattr(problem, "problem_mark", None) or getattr(problem, "context_mark", None)
    if mark is None:
        return _("无法读取文件：YAML 语法错误")
    return _("无法读取文件：第 %(line)d 行 YAML 语法错误") % {"line": mark.line + 1}


def _not_a_mapping(data: Any) -> str:
    if data is None:
        return _("无法读取文件：文件为空")
    kind = _("列表") if isinstance(data, list) else _("单个值")
    return _("无法读取文件：顶层应为映射（键: 值），而不是%(kind)s") % {"kind": kind}


def _os_reason(problem: OSError) -> str:
    if isinstance(problem, FileNotFoundError):
        return _("文件不存在")
    if isinstance(problem, IsADirectoryError):
        return _("这是一个目录")
    if isinstance(problem, PermissionError):
        return _("没有读取权限")
    return problem.strerror or str(problem)
