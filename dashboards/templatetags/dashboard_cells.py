"""Formatting dashboard numbers: rates as percentages with their 95% interval, p-values, flags.
Everything returned is escaped text (format_html); group names may come from imported data."""

import math

from django import template
from django.utils.html import format_html

from stats import Estimate

register = template.Library()


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _interval(e: Estimate, fmt) -> str:
    if _missing(e.low) or _missing(e.high):
        return fmt(e.value)
    return f"{fmt(e.value)} [{fmt(e.low)}–{fmt(e.high)}]"


@register.filter
def cell(value, kind: str) -> str:
    """One table cell's text by its column kind (see dashboards.tables)."""
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
    text = cell(value, column.kind)
    if link and text not in ("–", ""):
        return format_html('<a href="{}">{}</a>', link, text)
    if column.kind == "flag" and value:
        return format_html('<span class="alert-flag">{}</span>', text)
    return text


@register.simple_tag(takes_context=True)
def download_url(context, fmt: str, table: str) -> str:
    """This page's URL with its filters, asking for one table as CSV or JSON."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["download"], params["table"] = fmt, table
    return "?" + params.urlencode()
