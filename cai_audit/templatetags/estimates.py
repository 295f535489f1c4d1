"""Numbers with their uncertainty as text: rates as percentages with their 95% interval, changes in
percentage points, p-values, table cells by column kind. One library for every page that shows an
`Estimate` or a `ProportionDiff` (`{% load estimates %}`).

Everything returned is escaped text (format_html); group names may come from imported data.
"""

import math

from django import template
from django.utils.html import format_html

from stats import Estimate, ProportionDiff

register = template.Library()


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _interval(e: Estimate, fmt) -> str:
    if _missing(e.low) or _missing(e.high):
        return fmt(e.value)
    return f"{fmt(e.value)} [{fmt(e.low)}–{fmt(e.high)}]"


@register.filter
def cell(value, kind: str) -> str:
    """One table cell's text by its column kind (rate, int, number, p, flag; see
    dashboards.tables): an Estimate shows its interval, a missing value shows "–"."""
    if isinstance(value, Estimate):
        if _missing(value.value):
            return "–"
        if kind == "rate":
            return _interval(value, lambda x: f"{100 * x:.1f}%")
        return _interval(value, lambda x: f"{x:.2f}")
    if _missing(value):
        return "–"
    if kind == "int":
        return f"{value:,}"
    if kind == "number":
        return f"{value:.3f}"
    if kind == "p":
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    if kind == "flag":
        return "drop" if value else ""
    return str(value)


@register.filter
def pct(value) -> str:
    """An Estimate or a share as a percentage with its interval."""
    return cell(value, "rate")


@register.simple_tag
def estimate_cell(column, value, link):
    """A table cell (`column.kind` as in `cell`), linked when `link` is given and the cell is not
    empty; a raised flag is marked for the eye."""
    text = cell(value, column.kind)
    if link and text not in ("–", ""):
        return format_html('<a href="{}">{}</a>', link, text)
    if column.kind == "flag" and value:
        return format_html('<span class="alert-flag">{}</span>', text)
    return text


def _points(x: float) -> str:
    return f"{100 * x:+.1f}"


@register.filter
def points(diff: ProportionDiff) -> str:
    """A change in a rate: +12.5 pp [+3.1 – +24.0]; "–" when a side has no cases."""
    if diff is None or math.isnan(diff.difference):
        return "–"
    if math.isnan(diff.low) or math.isnan(diff.high):
        return f"{_points(diff.difference)} pp"
    return f"{_points(diff.difference)} pp [{_points(diff.low)} – {_points(diff.high)}]"


@register.filter
def p_value(value) -> str:
    """A p-value to three places, "< 0.001" below that, "–" when it could not be computed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"
