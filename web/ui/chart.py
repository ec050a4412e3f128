"""A project's progress over time as an SVG drawn on the server: readable without JavaScript.

Percentage complete is the line; each report's RAG is a marked point with its letter beside it, so
colour is never the only way to tell (the page also gives every number in a table).
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 20, 56
# GOV.UK colours that pass contrast against white.
RAG_COLOUR = {"green": "#00703c", "amber": "#b45309", "red": "#d4351c"}
RAG_LETTER = {"green": "G", "amber": "A", "red": "R"}


def progress_svg(reports: list[dict[str, Any]], *, title: str) -> Markup:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(reports)

    def x(i: int) -> float:
        return LEFT + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y(percent: float) -> float:
        return TOP + plot_h * (1 - percent / 100)

    summary = (
        "; ".join(f"{r['period_end']:%-d %b %Y}: {r['percent_complete']}% complete, {r['rag']}" for r in reports)
        or "no progress reports yet"
    )
    parts = [
        f'<svg class="hub-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        'font-family="GDS Transport, arial, sans-serif" font-size="14">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">Percentage complete and RAG status at each report: {escape(summary)}.</desc>',
    ]
    for percent in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{LEFT}" y1="{y(percent):.1f}" x2="{WIDTH - RIGHT}" y2="{y(percent):.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y(percent) + 5:.1f}" text-anchor="end">{percent}%</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#0b0c0c" stroke-width="2"/>'
    )
    if n:
        points = " ".join(f"{x(i):.1f},{y(r['percent_complete']):.1f}" for i, r in enumerate(reports))
        parts.append(f'<polyline points="{points}" fill="none" stroke="#1d70b8" stroke-width="3"/>')
        every = max(1, -(-n // 8))  # at most 8 date labels
        for i, r in enumerate(reports):
            cx, cy = x(i), y(r["percent_complete"])
            colour = RAG_COLOUR.get(r["rag"], "#505a5f")
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="11" fill="{colour}" stroke="#ffffff" stroke-width="2"/>'
                f'<text x="{cx:.1f}" y="{cy + 5:.1f}" text-anchor="middle" fill="#ffffff" '
                f'class="hub-chart__rag">{RAG_LETTER.get(r["rag"], "?")}</text>'
            )
            if i % every == 0 or i == n - 1:
                parts.append(
                    f'<text x="{cx:.1f}" y="{TOP + plot_h + 22}" text-anchor="middle">{r["period_end"]:%b %Y}</text>'
                )
    else:
        parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">No progress reports yet</text>')
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle">End of reporting period</text></svg>'
    )
    return Markup("".join(parts))
