"""A consultation question's figures as a horizontal bar chart, drawn on the server as SVG (rule A4).

Each bar is labelled with its choice, count and percentage in text, so the chart is readable without
colour and without JavaScript; the page gives the same figures in a table beside it.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

WIDTH = 640
LABEL_W = 220
RIGHT = 120
BAR_H, GAP, TOP = 26, 10, 10
BAR_COLOUR = "#1d70b8"  # GOV.UK blue, which passes contrast against white


def choices_svg(question: dict[str, Any], *, id_prefix: str) -> Markup:
    choices = question["choices"]
    height = TOP * 2 + len(choices) * (BAR_H + GAP)
    plot_w = WIDTH - LABEL_W - RIGHT
    summary = "; ".join(f"{c['choice']}: {c['count']} ({c['percent']:g}%)" for c in choices)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg class="hub-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{title_id} {desc_id}" '
        'font-family="GDS Transport, arial, sans-serif" font-size="14">',
        f'<title id="{title_id}">Answers to question {question["number"]}: {escape(question["text"])}</title>',
        f'<desc id="{desc_id}">{question["answered"]} answered. {escape(summary)}.</desc>',
    ]
    for i, c in enumerate(choices):
        y = TOP + i * (BAR_H + GAP)
        width = plot_w * c["percent"] / 100
        label = c["choice"] if len(c["choice"]) <= 28 else c["choice"][:27] + "…"
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR_H / 2 + 5:.1f}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{width:.1f}" height="{BAR_H}" fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_W + width + 6:.1f}" y="{y + BAR_H / 2 + 5:.1f}">{c["count"]} ({c["percent"]:g}%)</text>'
        )
    parts.append(
        f'<line x1="{LABEL_W}" y1="{TOP - 4}" x2="{LABEL_W}" y2="{height - TOP + 4}" '
        'stroke="#0b0c0c" stroke-width="2"/></svg>'
    )
    return Markup("".join(parts))
