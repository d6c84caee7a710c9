"""Charts drawn on the server as inline SVG: no script, no external library, no request.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (read by screen
readers), a ``<title>`` on every bar and point (a tooltip with the exact figure), and colours from
CSS classes (``chart-series-KEY``, static/css/parlure.css). The page shows the same figures in a
table under each chart.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

WIDTH = 960
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 30
GRID_STEPS = 4


@dataclass(frozen=True)
class Series:
    key: str  # CSS class suffix: the colour
    label: str
    values: Sequence[float | None]
    dashed: bool = False


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1.0
    base = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * base:
            return step * base
    return 10 * base


def axis_top(value: float) -> float:
    """The top of the value axis: GRID_STEPS round steps reaching at least ``value``."""
    return GRID_STEPS * nice_ceiling(value / GRID_STEPS)


def number(value: float) -> str:
    """A figure for a label in the page's language ("0,8" in French, "0.8" in English): no
    trailing zeros, at most two decimals."""
    if value == int(value):
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    rounded = f"{value:.2f}".rstrip("0")
    return formats.number_format(
        float(rounded), decimal_pos=len(rounded.split(".")[1]), use_l10n=True, force_grouping=True
    )


def label_suffix() -> str:
    """The colon between a label and its figure, as the page's language writes it ("\u00a0:" in
    French, ":" in English)."""
    # Translators: French puts a no-break space (U+00A0) before the colon.
    return pgettext("label suffix", ":")


def _px(value: float) -> str:
    """A coordinate, to a tenth of a pixel (format_html escapes to text before formatting)."""
    return f"{value:.1f}"


def _join(parts: list[SafeString]) -> SafeString:
    # Every part comes from format_html, which escaped what it was given.
    return mark_safe("".join(parts))


def _svg(
    chart_id: str, title: str, description: str, body: SafeString, height: int = HEIGHT
) -> SafeString:
    # The frame scrolls sideways on a phone, where the chart keeps a readable minimum width; it
    # takes the focus so that the keyboard can scroll it too.
    return format_html(
        '<div class="chart-frame" tabindex="0" role="group" aria-labelledby="{id}-title">'
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>'
        "</div>",
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=description,
        body=body,
    )


def _grid(y_max: float, unit: str) -> list[SafeString]:
    plot_height = HEIGHT - TOP - BOTTOM
    parts = []
    for step in range(GRID_STEPS + 1):
        value = y_max * step / GRID_STEPS
        y = TOP + plot_height - plot_height * step / GRID_STEPS
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{x1}" x2="{x2}" y1="{y}" y2="{y}"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end">{label}</text>',
                x1=LEFT,
                x2=WIDTH - RIGHT,
                y=_px(y),
                tx=LEFT - 6,
                ty=_px(y + 4),
                label=f"{number(value)}{unit}",
            )
        )
    return parts


def _x_labels(x_labels: Sequence[str]) -> list[SafeString]:
    count = len(x_labels)
    if not count:
        return []
    slot = (WIDTH - LEFT - RIGHT) / count
    every = max(1, math.ceil(count / 8))
    return [
        format_html(
            '<text x="{x}" y="{y}" text-anchor="middle">{label}</text>',
            x=_px(LEFT + (index + 0.5) * slot),
            y=HEIGHT - BOTTOM + 18,
            label=label,
        )
        for index, label in enumerate(x_labels)
        if (count - 1 - index) % every == 0  # evenly spaced, the last one (today) included
    ]


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
) -> SafeString:
    """One bar per x label, made of one segment per series (e.g. registers per day)."""
    count = len(x_labels)
    totals = [sum(s.values[index] or 0 for s in series) for index in range(count)]
    y_max = axis_top(max(totals, default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    bar_width = slot * 0.7
    parts = _grid(y_max, unit)
    for index, label in enumerate(x_labels):
        bottom: float = TOP + plot_height
        for s in series:
            value = s.values[index] or 0
            if value <= 0:
                continue
            height = plot_height * value / y_max
            bottom -= height
            parts.append(
                format_html(
                    '<rect class="chart-series-{key}" x="{x}" y="{y}" width="{w}" '
                    'height="{h}"><title>{label} · {name}{colon} {value}{unit}</title></rect>',
                    key=s.key,
                    x=_px(LEFT + index * slot + (slot - bar_width) / 2),
                    y=_px(bottom),
                    w=_px(bar_width),
                    h=_px(height),
                    label=label,
                    name=s.label,
                    value=number(value),
                    unit=unit,
                    colon=label_suffix(),
                )
            )
    parts.extend(_x_labels(x_labels))
    return _svg(chart_id, title, description, _join(parts))


def lines(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
) -> SafeString:
    """One line per series; a missing value (None) leaves a gap."""
    count = len(x_labels)
    known = [v for s in series for v in s.values if v is not None]
    y_max = axis_top(max(known, default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    parts = _grid(y_max, unit)
    for s in series:
        path: list[str] = []
        points: list[SafeString] = []
        pen_down = False
        for index, value in enumerate(s.values):
            if value is None:
                pen_down = False
                continue
            x = LEFT + (index + 0.5) * slot
            y = TOP + plot_height - plot_height * min(value, y_max) / y_max
            path.append(f"{'L' if pen_down else 'M'}{x},{y}")
            pen_down = True
            points.append(
                format_html(
                    '<circle class="chart-series-{key}" cx="{x}" cy="{y}" r="3">'
                    "<title>{label} · {name}{colon} {value}{unit}</title></circle>",
                    key=s.key,
                    x=_px(x),
                    y=_px(y),
                    label=x_labels[index],
                    name=s.label,
                    value=number(value),
                    unit=unit,
                    colon=label_suffix(),
                )
            )
        if path:
            parts.append(
                format_html(
                    '<path class="chart-line chart-series-{key}{dashed}" d="{d}"/>',
                    key=s.key,
                    dashed=" chart-dashed" if s.dashed else "",
                    d=" ".join(path),
                )
            )
        parts.extend(points)
    parts.extend(_x_labels(x_labels))
    return _svg(chart_id, title, description, _join(parts))


def horizontal_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, str, float]],
    unit: str = "",
) -> SafeString:
    """One bar per (label, colour key, value) row, labelled with its value.

    Each row has a light track the full length of the axis, so a chart of zeros (no job waiting)
    still reads as bars at zero rather than an empty box.
    """
    row_height = 28
    left = 340
    height = TOP + BOTTOM + row_height * max(len(rows), 1)
    y_max = axis_top(max((value for _label, _key, value in rows), default=0))
    plot_width = WIDTH - left - RIGHT - 40
    parts: list[SafeString] = []
    for index, (label, key, value) in enumerate(rows):
        y = TOP + index * row_height
        width = plot_width * value / y_max
        parts.append(
            format_html(
                '<text x="{tx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect class="chart-track" x="{x}" y="{y}" width="{track}" height="{h}"/>'
                '<rect class="chart-series-{key}" x="{x}" y="{y}" width="{w}" height="{h}">'
                "<title>{label}{colon} {value}{unit}</title></rect>"
                '<text x="{vx}" y="{ty}">{value}{unit}</text>',
                tx=left - 8,
                ty=_px(y + row_height / 2 + 4),
                label=label,
                key=key,
                x=left,
                y=_px(y + 4),
                w=_px(width),
                track=_px(plot_width),
                h=row_height - 8,
                value=number(value),
                unit=unit,
                colon=label_suffix(),
                vx=_px(left + width + 6),
            )
        )
    return _svg(chart_id, title, description, _join(parts), height=height)


def legend_swatch(key: str, dashed: bool = False) -> SafeString:
    """A small sample of a series' colour, for a legend in the page."""
    if dashed:
        return format_html(
            '<svg class="legend-swatch" viewBox="0 0 16 12" aria-hidden="true">'
            '<path class="chart-line chart-series-{key} chart-dashed" d="M0,6 L16,6"/></svg>',
            key=key,
        )
    return format_html(
        '<svg class="legend-swatch" viewBox="0 0 16 12" aria-hidden="true">'
        '<rect class="chart-series-{key}" width="16" height="12"/></svg>',
        key=key,
    )
