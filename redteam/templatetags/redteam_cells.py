"""Formatting red-team differences: a change in a rate, in percentage points with its interval.
Rates themselves use the dashboards' `pct` filter."""

import math

from django import template

from stats import ProportionDiff

register = template.Library()


def _points(x: float) -> str:
    return f"{100 * x:+.1f}"


@register.filter
def points(diff: ProportionDiff) -> str:
    """+12.5 pp [+3.1 – +24.0]; "–" when a side has no cases."""
    if diff is None or math.isnan(diff.difference):
        return "–"
    if math.isnan(diff.low) or math.isnan(diff.high):
        return f"{_points(diff.difference)} pp"
    return f"{_points(diff.difference)} pp [{_points(diff.low)} – {_points(diff.high)}]"


@register.filter
def p_value(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"
