"""YAML reading and writing that never goes through float.

YAML numbers with a fraction are read through their text into Decimal; dates stay text for the
format parsers to check; Decimal is written back as a quoted exact string.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml


class DecimalSafeLoader(yaml.SafeLoader):
    """SafeLoader whose floats are Decimals and whose timestamps stay strings."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    # A float tag is always on a ScalarNode; the registered callback must accept any Node.
    text = loader.construct_scalar(node)  # type: ignore[arg-type]
    return Decimal(str(text).replace("_", ""))


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return loader.construct_yaml_str(node)


DecimalSafeLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
DecimalSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
# Reject YAML 1.1 "yes/no/on/off" as booleans? PyYAML treats them as bool; keep, but the
# parsers check types, so a stray "on" becomes a clear type error rather than data loss.


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=DecimalSafeLoader)  # noqa: S506 - a SafeLoader subclass


class ExactDumper(yaml.SafeDumper):
    """SafeDumper writing Decimal as a quoted string and keeping long text readable."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", f"{value:f}", style='"')


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    if style is None and re.fullmatch(r"[-+]?[0-9_.]+(e[-+]?[0-9]+)?", value, re.I):
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


ExactDumper.add_representer(Decimal, _represent_decimal)
ExactDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data, Dumper=ExactDumper, allow_unicode=True, sort_keys=False, width=100
    )
