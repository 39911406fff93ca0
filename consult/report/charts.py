"""Small inline SVG bar charts: no script, no fonts fetched, readable in print and greyscale."""

from __future__ import annotations

from html import escape

BAR = "#1f5f8b"
OTHER = "#9aa5ad"


def _fit(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(items: list[tuple[str, float, str, bool]], *, title: str, width: int = 640,
              label_chars: int = 44) -> str:
    """Horizontal bars. ``items``: (label, fraction 0-1, value text, muted). Labels are escaped
    here; the full label is kept in a ``<title>`` for screen readers and hover."""
    if not items:
        return ""
    row, top = 24, 4
    label_w = min(label_chars * 6.6, width * 0.5)
    bar_x = label_w + 10
    bar_w = width - bar_x - 110
    height = top * 2 + row * len(items)
    out = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}">',
           f"<title>{escape(title)}</title>"]
    for i, (label, frac, value, muted) in enumerate(items):
        y = top + i * row
        w = max(frac, 0.0) * bar_w
        colour = OTHER if muted else BAR
        out.append(
            f'<g><title>{escape(label)}: {escape(value)}</title>'
            f'<text x="{label_w:.0f}" y="{y + 16}" text-anchor="end" class="cl">{escape(_fit(label, label_chars))}</text>'
            f'<rect x="{bar_x:.0f}" y="{y + 4}" width="{bar_w:.0f}" height="16" fill="#eef1f3"/>'
            f'<rect x="{bar_x:.0f}" y="{y + 4}" width="{w:.1f}" height="16" fill="{colour}"/>'
            f'<text x="{bar_x + bar_w + 6:.0f}" y="{y + 16}" class="cv">{escape(value)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def inline_bar(fraction: float, *, width: int = 120, muted: bool = False) -> str:
    """A one-row bar for a table cell (decorative: the figure is in the next cell)."""
    w = max(0.0, min(fraction, 1.0)) * width
    colour = OTHER if muted else BAR
    return (f'<svg class="bar" aria-hidden="true" width="{width}" height="12" viewBox="0 0 {width} 12">'
            f'<rect width="{width}" height="12" fill="#eef1f3"/><rect width="{w:.1f}" height="12" '
            f'fill="{colour}"/></svg>')
