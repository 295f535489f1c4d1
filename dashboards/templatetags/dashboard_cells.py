"""Dashboard page links. Numbers and their intervals are formatted by `{% load estimates %}`
(cai_audit/templatetags/estimates.py)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def download_url(context, fmt: str, table: str) -> str:
    """This page's URL with its filters, asking for one table as CSV or JSON."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["download"], params["table"] = fmt, table
    return "?" + params.urlencode()
