"""The dashboard's figures, pure: score bands, the indicators losing most points, year-on-year
changes. Decimal in, Decimal out; the reads that feed them are in `selectors`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rubrics.scoring import ScoreResult

ZERO = Decimal(0)
# Score bands of the distribution: [low, high), the last one closed (and taking anything above).
BAND_EDGES = (Decimal(60), Decimal(70), Decimal(80), Decimal(90), Decimal(95))
TOP_LOSING = 10
TOP_CHANGES = 15


@dataclass(frozen=True)
class Band:
    label: str
    low: Decimal | None
    high: Decimal | None
    count: int


@dataclass(frozen=True)
class LosingIndicator:
    code: str
    name: str
    weight: Decimal
    lost: Decimal
    departments: int  # how many of the counted submissions lose points on it


@dataclass(frozen=True)
class Comparison:
    department: str
    previous: Decimal
    current: Decimal

    @property
    def change(self) -> Decimal:
        return self.current - self.previous


def band_label(low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return f"<{high}"
    return f"{low}–{high if high is not None else 100}"


def score_bands(scores: Iterable[Decimal]) -> list[Band]:
    """How many scores fall in <60, 60–70, 70–80, 80–90, 90–95, 95–100 (Decimal compares)."""
    lows: list[Decimal | None] = [None, *BAND_EDGES]
    highs: list[Decimal | None] = [*BAND_EDGES, None]
    counts = [0] * len(lows)
    for value in scores:
        counts[sum(1 for edge in BAND_EDGES if value >= edge)] += 1
    return [Band(band_label(lo, hi), lo, hi, n) for lo, hi, n in zip(lows, highs, counts,
                                                                        strict=True)]


def losing_indicators(results: Iterable[ScoreResult], top: int = TOP_LOSING) -> list[
        LosingIndicator]:
    """The 三级 indicators that lose the most points (weight − self score) summed over results."""
    lost: dict[str, Decimal] = {}
    losers: dict[str, int] = {}
    nodes: dict[str, Any] = {}
    for result in results:
        for node in (n for n in result.nodes if n.level == 3 and n.lost > 0):
            lost[node.code] = lost.get(node.code, ZERO) + node.lost
            losers[node.code] = losers.get(node.code, 0) + 1
            nodes.setdefault(node.code, node)
    ranked = sorted(lost, key=lambda code: (-lost[code], code))[:top]
    return [LosingIndicator(code, nodes[code].name, nodes[code].weight, lost[code], losers[code])
            for code in ranked]


def comparisons(current: Mapping[int, Decimal], previous: Mapping[int, Decimal],
                names: Mapping[int, str], top: int = TOP_CHANGES) -> list[Comparison]:
    """Departments scored both years ({department id: final score}), the largest changes
    (either way) first."""
    pairs = [Comparison(names[pk], previous[pk], current[pk])
             for pk in current.keys() & previous.keys()]
    return sorted(pairs, key=lambda c: (-abs(c.change), c.department))[:top]
