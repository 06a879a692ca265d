"""Charts drawn on the server as small SVG: no script, no library, the same numbers as the table
printed beside each one (the table is the accessible version; the SVG is aria-hidden)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
BAR_HEIGHT = 18
GAP = 6


def _number(value) -> float:
    return float(value or 0)


def bars(items: Sequence[tuple[str, float | int | None]]) -> SafeString:
    """Horizontal bars, one per (label, value), scaled to the largest."""
    if not items:
        return mark_safe("")
    top = max(_number(value) for _label, value in items) or 1
    height = len(items) * (BAR_HEIGHT + GAP)
    rows = format_html_join(
        "",
        '<rect x="0" y="{}" width="{}" height="{}" class="bar"></rect>'
        '<text x="{}" y="{}" class="bar-value">{}</text>',
        (
            (
                index * (BAR_HEIGHT + GAP),
                f"{(WIDTH - 60) * _number(value) / top:.1f}",
                BAR_HEIGHT,
                f"{(WIDTH - 56) * _number(value) / top + 4:.1f}",
                index * (BAR_HEIGHT + GAP) + BAR_HEIGHT - 4,
                value if value is not None else "—",
            )
            for index, (_label, value) in enumerate(items)
        ),
    )
    return format_html(
        '<svg class="chart bars" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">{}</svg>',
        WIDTH,
        height,
        rows,
    )


def line(
    values: Sequence[float | int | None], *, width: int = WIDTH, height: int = 80
) -> SafeString:
    """A trend line over equally spaced points (a missing value draws as zero)."""
    if not values:
        return mark_safe("")
    points = _points(values, width, height, pad=4)
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="2.5" class="dot"></circle>', (p for p in points)
    )
    return format_html(
        '<svg class="chart line" viewBox="0 0 {} {}" aria-hidden="true" focusable="false">'
        '<polyline points="{}" class="trend"></polyline>{}</svg>',
        width,
        height,
        " ".join(f"{x},{y}" for x, y in points),
        dots,
    )


def sparkline(values: Sequence[float | int | None]) -> SafeString:
    if not values:
        return mark_safe("")
    # Written directly (a league draws one per office): the points are numbers this module
    # formatted, nothing to escape, so this is what format_html gave. The x of each point is
    # the same for every sparkline of a length (written once); y is _points' very expression.
    numbers = [float(value or 0) for value in values]
    top = max(numbers) or 1
    points = " ".join(
        f"{x}{22 - 20 * number / top:.1f}"
        for x, number in zip(_spark_xs(len(numbers)), numbers, strict=True)
    )
    return mark_safe(  # noqa: S308 - only numbers formatted here
        '<svg class="spark" viewBox="0 0 96 24" width="96" height="24" aria-hidden="true" '
        f'focusable="false"><polyline points="{points}" class="trend"></polyline></svg>'
    )


@cache
def _spark_xs(count: int) -> tuple[str, ...]:
    """Each point's "x," in a sparkline of `count` points (96 wide, 2 of padding)."""
    step = (96 - 2 * 2) / max(count - 1, 1)
    return tuple(f"{2 + index * step:.1f}," for index in range(count))


def _points(values, width: int, height: int, *, pad: int) -> list[tuple[str, str]]:
    top = max(_number(value) for value in values) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    return [
        (
            f"{pad + index * step:.1f}",
            f"{height - pad - (height - 2 * pad) * _number(value) / top:.1f}",
        )
        for index, value in enumerate(values)
    ]
