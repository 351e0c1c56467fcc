"""Charts drawn on the server as SVG, for pages that load no script and allow no inline style.

Colours come from the stylesheet through class names (the Content-Security-Policy allows only
``style-src 'self'``). Every chart is an ``<svg role="img">`` named by its ``<title>`` and
``<desc>`` (``ident`` keeps their ids unique in a page), and each bar carries its value in a
``<title>``. The page gives the same numbers as a table beside the chart, and the legend as a
list (``Series.css`` on its swatches). Labels are escaped: an institution's name is text,
never markup.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 40
#: The most month labels under a column chart; the others are skipped (the table has all).
MAX_LABELS = 12
#: The widest column, so that a chart of a few months does not look like a wall.
MAX_BAR = 28


@dataclass(frozen=True, slots=True)
class Series:
    """One kind of bar: its legend label, its stylesheet class and one value per column."""

    label: str
    css: str
    values: Sequence[float | None]


def columns(
    ident: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    number: Callable[[float], str],
    height: int = 260,
) -> Markup:
    """Grouped columns: one group per label (a month), one column per series."""
    top = nice_ceiling(max((v or 0 for s in series for v in s.values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM
    group = plot_w / max(len(labels), 1)
    bar = min(group * 0.8 / max(len(series), 1), MAX_BAR)
    parts = [*_grid(top, plot_h, number)]
    step = math.ceil(len(labels) / MAX_LABELS) if labels else 1
    for index, label in enumerate(labels):
        x0 = LEFT + (index + 0.5) * group - bar * len(series) / 2
        for position, one in enumerate(series):
            value = one.values[index]
            if value is None:
                continue
            h = plot_h * value / top
            parts.append(
                f'<rect class="{one.css}" x="{x0 + position * bar:.1f}" y="{TOP + plot_h - h:.1f}"'
                f' width="{max(bar - 1, 1):.1f}" height="{h:.1f}">'
                f"<title>{escape(label)} · {escape(one.label)}: {escape(number(value))}</title>"
                "</rect>"
            )
        if index % step == 0:
            parts.append(
                f'<text class="axis" x="{LEFT + (index + 0.5) * group:.1f}"'
                f' y="{height - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    return _svg(ident, title, description, height, parts)


def bars(
    ident: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    number: Callable[[float], str],
) -> Markup:
    """Stacked horizontal bars, one per label (an institution), its name above it."""
    row = 40
    height = TOP + row * len(labels) + 8
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top = nice_ceiling(max(totals, default=0))
    plot_w = WIDTH - 8 - RIGHT
    parts: list[str] = []
    for index, label in enumerate(labels):
        y = TOP + index * row
        parts.append(f'<text class="label" x="8" y="{y + 13}">{escape(label)}</text>')
        x = 8.0
        for one in series:
            value = one.values[index] or 0
            w = plot_w * value / top
            if w > 0:
                parts.append(
                    f'<rect class="{one.css}" x="{x:.1f}" y="{y + 18}" width="{w:.1f}"'
                    f' height="14"><title>{escape(label)} · {escape(one.label)}:'
                    f" {escape(number(value))}</title></rect>"
                )
            x += w
        parts.append(
            f'<text class="axis" x="{min(x + 4, WIDTH - RIGHT - 24):.1f}" y="{y + 30}">'
            f"{escape(number(totals[index]))}</text>"
        )
    return _svg(ident, title, description, height, parts)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above ``value`` (1 for 0)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def _grid(top: float, plot_h: float, number: Callable[[float], str]) -> list[str]:
    lines = []
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        lines.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        lines.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(number(value))}</text>"
        )
    return lines


def _svg(ident: str, title: str, description: str, height: int, parts: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}"'
        f' xmlns="http://www.w3.org/2000/svg" aria-labelledby="{ident}t {ident}d">'
        f'<title id="{ident}t">{escape(title)}</title><desc id="{ident}d">{escape(description)}'
        f"</desc>{''.join(parts)}</svg>"
    )
