"""Charts drawn on the server as SVG with matplotlib (REP-2).

Each chart is a plain SVG string to place in a page or a PDF. It carries a
`<title>` and `role="img"` so a screen reader announces it; the page always
shows the same figures in a table beside it. Ids inside the SVG get a prefix
so that several charts on one page never share an id.
"""

from __future__ import annotations

import functools
import io
import re
import secrets
from collections.abc import Callable, Sequence
from html import escape

# Colours with at least 3:1 contrast against white (WCAG 1.4.11).
BAR = "#1d5c8f"
SECOND = "#a34700"
GRID = "#767676"

_ID = re.compile(r'\bid="([^"]+)"')
_STYLE = re.compile(r'\bstyle="([^"]*)"')


def _presentation_attributes(match: re.Match[str]) -> str:
    """`style="fill: #fff; stroke: none"` → `fill="#fff" stroke="none"`.

    The Content-Security-Policy forbids inline styles, so a chart must carry its
    colours as SVG presentation attributes, which the policy does not cover.
    """
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _sep, value = declaration.partition(":")
        name, value = name.strip(), value.strip().strip("'")
        if name and value:
            attributes.append(f'{name}="{escape(value)}"')
    return " ".join(attributes)


def _styled[**P](draw: Callable[P, str]) -> Callable[P, str]:
    """Draw and save the chart with Kanalvakt's matplotlib settings, without touching
    the process-wide defaults (a web process draws charts in several threads)."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        import matplotlib

        with matplotlib.rc_context(
            {
                "svg.fonttype": "none",
                "svg.hashsalt": "kanalvakt",
                "font.family": "DejaVu Sans",
                "font.size": 10,
            }
        ):
            return draw(*args, **kwargs)

    return wrapper


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=96, layout="constrained")
    return figure


def _finish(figure, title: str) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    prefix = "c" + secrets.token_hex(4) + "-"
    for name in set(_ID.findall(svg)):
        svg = svg.replace(f'id="{name}"', f'id="{prefix}{name}"')
        svg = svg.replace(f"#{name})", f"#{prefix}{name})")
        svg = svg.replace(f'#{name}"', f'#{prefix}{name}"')
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    svg = _STYLE.sub(_presentation_attributes, svg)
    title_id = f"{prefix}title"
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id}" class="chart-svg" ',
        1,
    ).replace(">", f'><title id="{title_id}">{escape(title)}</title>', 1)


def _style(axes, *, horizontal: bool = False) -> None:  # type: ignore[no-untyped-def]
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="x" if horizontal else "y", color=GRID, linewidth=0.5, alpha=0.5)
    axes.set_axisbelow(True)


@_styled
def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    unit: str = "",
    horizontal: bool = True,
) -> str:
    """One bar per (label, value)."""
    height = max(1.6, 0.35 * len(rows) + 0.9) if horizontal else 3.0
    figure = _figure(6.4, height)
    axes = figure.add_subplot()
    labels = [label for label, _value in rows]
    values = [value for _label, value in rows]
    from matplotlib.ticker import MaxNLocator

    if horizontal:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        positions = list(range(len(rows)))[::-1]
        axes.barh(positions, values, color=BAR)
        axes.set_yticks(positions, labels)
        axes.set_xlabel(unit)
    else:
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.bar(labels, values, color=BAR)
        axes.set_ylabel(unit)
    _style(axes, horizontal=horizontal)
    return _finish(figure, title)


@_styled
def paired_bar_chart(
    title: str,
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    names: tuple[str, str],
    unit: str,
) -> str:
    """Two bars per label (for example the median and the 90th percentile)."""
    figure = _figure(6.4, max(1.8, 0.5 * len(rows) + 1.0))
    axes = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]
    first = [value or 0.0 for _label, value, _other in rows]
    second = [other or 0.0 for _label, _value, other in rows]
    axes.barh([p + 0.2 for p in positions], first, height=0.4, color=BAR, label=names[0])
    axes.barh([p - 0.2 for p in positions], second, height=0.4, color=SECOND, label=names[1])
    axes.set_yticks(positions, [label for label, _value, _other in rows])
    axes.set_xlabel(unit)
    axes.legend(loc="lower right", frameon=False)
    _style(axes, horizontal=True)
    return _finish(figure, title)


@_styled
def line_chart(title: str, points: Sequence[tuple[str, float]], *, unit: str) -> str:
    """A line over time (for example share on time per week)."""
    figure = _figure(6.4, 2.8)
    axes = figure.add_subplot()
    labels = [label for label, _value in points]
    axes.plot(labels, [value for _label, value in points], color=BAR, marker="o")
    axes.set_ylabel(unit)
    axes.set_ylim(0, 105)
    if len(labels) > 8:
        step = max(1, len(labels) // 8)
        axes.set_xticks(labels[::step])
    _style(axes)
    return _finish(figure, title)
