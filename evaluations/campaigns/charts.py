"""Server-rendered SVG charts: pure functions from numbers and labels to an SVG string.

No JavaScript and no charting library: each chart is a fixed viewBox scaled to its container
(`width="100%"`), its text set in the page's fonts (SVG text inherits the CSS font-family).
Every text that comes in is escaped with `django.utils.html.escape` before it is placed; colours
are checked against a pattern; the result is marked safe only after that. Each chart carries a
`<title>` and `<desc>` referenced by `aria-labelledby`, so it reads as one image with a
description; the pages show the same numbers in a table under it.

Geometry is Decimal too (pixels, printed to 0.1); the numbers shown are the callers' exact texts.
The last section turns a campaign's dashboard figures into its four charts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from evaluations.campaigns.dashboard import Comparison
from evaluations.campaigns.selectors import STATE_LABELS, Dashboard
from rubrics.numbers import score_text

WIDTH = 360
TENTH = Decimal("0.1")
LATIN_EM = Decimal("0.6")
FONT = 13
SMALL = 11
ROW = 24
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
BAR = "#9b1c14"      # the app bar's red
PREVIOUS = "#adb5bd"
UP, DOWN = "#198754", "#b02a37"
COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    text: str = ""        # the value as printed (defaults to the value)
    colour: str = BAR
    hint: str = ""        # a tooltip (<title>) for the bar, e.g. the full label


@dataclass(frozen=True)
class Pair:
    label: str
    before: Decimal
    after: Decimal
    text: str = ""        # e.g. "92.10 → 95.40（+3.30）"


# --- helpers ---------------------------------------------------------------------------------


def colour(value: str) -> str:
    if not COLOUR.fullmatch(value):
        raise ValueError(f"not a colour: {value!r}")
    return value


def ink(fill: str) -> str:
    """Text colour readable on the fill: dark on light colours, white on dark ones."""
    digits = colour(fill)[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
    return TEXT if 0.299 * red + 0.587 * green + 0.114 * blue > 160 else "#ffffff"


Px = Decimal | int


def num(value: Px) -> str:
    """A coordinate: one decimal, no trailing '.0'."""
    text = f"{Decimal(value).quantize(TENTH):f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: int = FONT) -> Decimal:
    """Estimated width: CJK and full-width characters take 1 em, others about 0.6 em."""
    return sum((Decimal(size) if ord(ch) >= 0x2E80 else size * LATIN_EM for ch in text),
               Decimal(0))


def fitted(text: str, width: Px, size: int = FONT) -> str:
    """The text, cut with '…' to fit the width."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def label(x: Px, y: Px, text: str, *, size: int = FONT, fill: str = TEXT,
          anchor: str = "start", weight: str = "") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{size}" fill="{colour(fill)}" '
            f'text-anchor="{anchor}"{bold}>{escape(text)}</text>')


def rect(x: Px, y: Px, w: Px, h: Px, fill: str, hint: str = "") -> str:
    tip = f"<title>{escape(hint)}</title>" if hint else ""
    return (f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" height="{num(h)}" '
            f'fill="{colour(fill)}">{tip}</rect>')


def svg(chart_id: str, title: str, description: str, height: Px, body: list[str]) -> SafeString:
    """The chart's outer element; `body` is SVG already built from escaped parts."""
    ident = escape(chart_id)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {num(height)}" '
            f'width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" '
            f'class="chart" id="{ident}" style="display:block;max-width:{WIDTH * 5 // 4}px;'
            f'height:auto;margin:0 auto">'
            f'<title id="{ident}-title">{escape(title)}</title>'
            f'<desc id="{ident}-desc">{escape(description)}</desc>')
    return mark_safe(head + "".join(body) + "</svg>")  # every part escaped above


def shown(bar: Bar) -> str:
    return bar.text or str(bar.value)


def describe(bars: Sequence[Bar]) -> str:
    return "；".join(f"{b.label}：{shown(b)}" for b in bars)


def empty(chart_id: str, title: str, message: str) -> SafeString:
    return svg(chart_id, title, message, 60, [label(WIDTH // 2, 36, message, fill=MUTED,
                                                    anchor="middle")])


# --- charts ----------------------------------------------------------------------------------


def stacked_bar(chart_id: str, title: str, segments: Sequence[Bar]) -> SafeString:
    """One horizontal bar split by share (e.g. departments by state) and a legend under it."""
    total = sum((s.value for s in segments), Decimal(0))
    if total <= 0:
        return empty(chart_id, title, "暂无数据")
    body: list[str] = []
    x, top, height = Decimal(0), 8, 32
    for s in segments:
        w = Decimal(s.value) / total * WIDTH
        body.append(rect(x, top, w, height, s.colour, f"{s.label}：{shown(s)}"))
        if w >= text_width(shown(s), SMALL) + 8:
            body.append(label(x + w / 2, top + 21, shown(s), size=SMALL, fill=ink(s.colour),
                              anchor="middle", weight="600"))
        x += w
    columns, column_width = 2, Decimal(WIDTH) / 2
    for i, s in enumerate(segments):
        lx, ly = (i % columns) * column_width, top + height + 14 + (i // columns) * 22
        share = f"{(s.value / total * 100).quantize(Decimal(1))}%"
        body.append(rect(lx, ly, 11, 11, s.colour))
        body.append(label(lx + 15, ly + 10, fitted(f"{s.label} {shown(s)}（{share}）",
                                                   column_width - 18, SMALL), size=SMALL))
    rows = -(-len(segments) // columns)
    return svg(chart_id, title, describe(segments), top + height + 14 + rows * 22, body)


def column_chart(chart_id: str, title: str, bars: Sequence[Bar], axis: str = "") -> SafeString:
    """Vertical bars with their value above and their label below (e.g. a histogram)."""
    if not bars:
        return empty(chart_id, title, "暂无数据")
    top, plot, bottom = 22, 150, 42
    peak = max(Decimal(b.value) for b in bars) or Decimal(1)
    slot = Decimal(WIDTH) / len(bars)
    body = [f'<line x1="0" y1="{num(top + plot)}" x2="{WIDTH}" y2="{num(top + plot)}" '
            f'stroke="{GRID}"/>']
    for i, b in enumerate(bars):
        h = Decimal(b.value) / peak * plot
        x = i * slot + slot * Decimal("0.15")
        body.append(rect(x, top + plot - h, slot * Decimal("0.7"), h, b.colour,
                         b.hint or describe([b])))
        body.append(label(x + slot * Decimal("0.35"), top + plot - h - 5, shown(b), size=SMALL,
                          anchor="middle", weight="600"))
        body.append(label(x + slot * Decimal("0.35"), top + plot + 17,
                          fitted(b.label, slot - 4, SMALL),
                          size=SMALL, fill=MUTED, anchor="middle"))
    if axis:
        body.append(label(WIDTH // 2, top + plot + 36, axis, size=SMALL, fill=MUTED,
                          anchor="middle"))
    return svg(chart_id, title, describe(bars), top + plot + bottom, body)


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> SafeString:
    """Horizontal bars, one a row: label at the left, value at the end of the bar."""
    if not bars:
        return empty(chart_id, title, "暂无数据")
    label_width, value_width = 150, 44
    plot = WIDTH - label_width - value_width
    peak = max(Decimal(b.value) for b in bars) or Decimal(1)
    body = []
    for i, b in enumerate(bars):
        y = 4 + i * ROW
        w = Decimal(b.value) / peak * plot
        body.append(label(0, y + 15, fitted(b.label, label_width - 8)))
        body.append(rect(label_width, y + 3, w, ROW - 8, b.colour, b.hint or describe([b])))
        body.append(label(label_width + w + 4, y + 15, shown(b), size=SMALL, weight="600"))
    return svg(chart_id, title, describe(bars), 8 + len(bars) * ROW, body)


def dumbbell_chart(chart_id: str, title: str, pairs: Sequence[Pair], *, before: str,
                   after: str, low: Decimal = Decimal(0), high: Decimal = Decimal(100),
                   empty_text: str = "暂无数据") -> SafeString:
    """Two dots per row joined by a line: before (grey) → after (green up, red down)."""
    if not pairs:
        return empty(chart_id, title, empty_text)
    label_width, right = 118, 12
    plot = WIDTH - label_width - right
    span = (high - low) or Decimal(1)

    def at(value: Decimal) -> Decimal:
        return label_width + (value - low) / span * plot

    top = 40
    after_at = 14 + text_width(before, SMALL) + 16
    body = [rect(0, 3, 10, 10, PREVIOUS), label(14, 12, before, size=SMALL, fill=MUTED),
            rect(after_at, 3, 10, 10, UP), label(after_at + 14, 12, after, size=SMALL,
                                                 fill=MUTED)]
    for tick in ticks(low, high):
        x = at(tick)
        body.append(f'<line x1="{num(x)}" y1="{num(top - 6)}" x2="{num(x)}" '
                    f'y2="{num(top + len(pairs) * ROW)}" stroke="{GRID}"/>')
        body.append(label(x, top - 9, str(tick), size=SMALL, fill=MUTED, anchor="middle"))
    for i, p in enumerate(pairs):
        y = top + i * ROW + Decimal(ROW) / 2
        tint = UP if p.after >= p.before else DOWN
        hint = f"{p.label}：{p.text or f'{p.before} → {p.after}'}"
        body.append(label(0, y + 4, fitted(p.label, label_width - 8)))
        body.append(f'<g><title>{escape(hint)}</title>'
                    f'<line x1="{num(at(p.before))}" y1="{num(y)}" x2="{num(at(p.after))}" '
                    f'y2="{num(y)}" stroke="{tint}" stroke-width="3"/>'
                    f'<circle cx="{num(at(p.before))}" cy="{num(y)}" r="5" fill="{PREVIOUS}"/>'
                    f'<circle cx="{num(at(p.after))}" cy="{num(y)}" r="5" fill="{tint}"/></g>')
    description = "；".join(f"{p.label}：{p.text or f'{p.before} → {p.after}'}" for p in pairs)
    return svg(chart_id, title, description, top + len(pairs) * ROW + 6, body)


def ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """Axis ticks every 10 points (every 5 on a narrow range), within low … high."""
    step = Decimal(5) if high - low <= 20 else Decimal(10)
    first = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    values, tick = [], first
    while tick <= high:
        values.append(tick)
        tick += step
    return values


# --- the dashboard's charts ------------------------------------------------------------------

STATE_COLOURS = {"not_started": "#ced4da", "draft": "#6c757d", "returned": "#d97706",
                 "submitted": "#0d6efd", "reviewed": "#198754"}


def dashboard_charts(board: Dashboard) -> dict[str, SafeString]:
    year = board.campaign.year
    progress = [Bar(str(label), Decimal(board.counts[key]), colour=STATE_COLOURS[key])
                for key, label in STATE_LABELS.items() if board.counts[key]]
    bands = [Bar(b.label, Decimal(b.count), hint=_("%(band)s 分：%(n)d 个部门")
                 % {"band": b.label, "n": b.count}) for b in board.bands]
    losing = [Bar(f"{i.code} {i.name}", i.lost, score_text(i.lost), hint=_(
        "%(code)s %(name)s：共扣 %(lost)s 分，%(n)d 个部门扣分（分值 %(weight)s）") % {
            "code": i.code, "name": i.name, "lost": score_text(i.lost), "n": i.departments,
            "weight": i.weight}) for i in board.losing]
    pairs = [Pair(c.department, c.previous, c.current, change_text(c))
             for c in board.comparisons]
    return {
        "progress": stacked_bar("chart-progress", _("各状态部门数"), progress),
        "bands": column_chart("chart-bands", _("得分分布"), bands, axis=_("得分（分）")),
        "losing": bar_chart("chart-losing", _("扣分最多的三级指标"), losing),
        "comparison": dumbbell_chart(
            "chart-comparison", _("与上一年度相比"), pairs,
            before=_("%(year)d 年度") % {"year": year - 1},
            after=_("%(year)d 年度") % {"year": year}, low=axis_floor(board),
            empty_text=_("无上一年度数据")),
    }


def change_text(c: Comparison) -> str:
    sign = "+" if c.change > 0 else ""
    return f"{score_text(c.previous)} → {score_text(c.current)}（{sign}{score_text(c.change)}）"


def axis_floor(board: Dashboard) -> Decimal:
    """The comparison axis starts at the lowest score floored to ten, 90 at the highest."""
    lowest = min([Decimal(90), *(v for c in board.comparisons for v in (c.previous, c.current))])
    return max(Decimal(0), (lowest / 10).to_integral_value(rounding=ROUND_FLOOR) * 10)
