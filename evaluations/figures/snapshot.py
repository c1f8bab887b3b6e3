"""Canonical snapshot of a submission's figures and rubric, and its SHA-256 digest.

The snapshot is the interchange document of the figures plus the rubric version's tree, dumped
as JSON with sorted keys and no insignificant whitespace, so the same data always gives the same
bytes. A submitted submission stores both; `verify_submissions` recomputes them to detect a
figure changed behind the application's back.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from evaluations.figures.interchange import figures_to_document
from rubrics.figures import Figures
from rubrics.loader import json_params
from rubrics.numbers import plain
from rubrics.scoring import RubricSpec


def rubric_document(spec: RubricSpec) -> dict[str, Any]:
    return {
        "code": spec.code, "rounding": spec.rounding,
        "grades": [{"grade": g.grade, "min": plain(g.minimum)} for g in spec.grades],
        "indicators": [
            {"code": node.code, "level": level, "name": node.name, "weight": plain(node.weight),
             "rule": node.rule, "params": json_params(dict(node.params))}
            for level, node in spec.walk()
        ],
    }


def build_snapshot(figures: Figures, spec: RubricSpec) -> dict[str, Any]:
    return {"figures": figures_to_document(figures), "rubric": rubric_document(spec)}


def canonical_bytes(snapshot: dict[str, Any]) -> bytes:
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode("utf-8")


def digest_of(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(snapshot)).hexdigest()
