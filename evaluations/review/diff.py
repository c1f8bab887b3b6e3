"""What changed between two submitted snapshots: the reviewer's view of a resubmission."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from rubrics.catalogue import STEPS
from rubrics.figures import step_of

STEP_LABELS = dict(STEPS)


@dataclass(frozen=True)
class Change:
    path: str
    before: str
    after: str

    @property
    def step_label(self) -> str:
        key = step_of(self.path)
        return gettext(STEP_LABELS[key]) if key else ""


def flatten(value: Any, path: str = "") -> dict[str, str]:
    """{"expenditure.actual.project": "9107.52", "targets[0].name": "…", …}."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{path}[{index}]"))
        return out
    return {path: "" if value is None else str(value)}


def figure_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """Changed, added and removed values between two snapshots' figures, in document order."""
    old = flatten((before or {}).get("figures", {}))
    new = flatten((after or {}).get("figures", {}))
    paths = list(new) + [p for p in old if p not in new]
    return [Change(p, old.get(p, ""), new.get(p, "")) for p in paths
            if old.get(p, "") != new.get(p, "")]
