"""The one template library for numbers with their uncertainty (`{% load estimates %}`)."""

import math
from types import SimpleNamespace

from django.template import Context, Template

from cai_audit.templatetags.estimates import cell, estimate_cell, p_value, pct, points
from stats import Estimate, two_proportion_test, wilson_interval

NAN = math.nan


def test_rates_show_their_interval_and_missing_values_a_dash():
    assert pct(Estimate(0.5, 0.25, 0.75, 8)) == "50.0% [25.0%–75.0%]"
    assert pct(Estimate(0.5, NAN, NAN, 8)) == "50.0%"
    assert pct(wilson_interval(0, 0)) == "–" and pct(None) == "–"
    assert cell(Estimate(0.61, 0.5, 0.7, 40), "number") == "0.61 [0.50–0.70]"


def test_cells_by_column_kind():
    assert cell(12345, "int") == "12,345" and cell(0.12345, "number") == "0.123"
    assert cell(0.0004, "p") == "< 0.001" and cell(0.0312, "p") == "0.031"
    assert cell(True, "flag") == "drop" and cell(False, "flag") == ""
    assert cell(NAN, "int") == "–" and cell("weapons", "text") == "weapons"


def test_estimate_cells_link_only_filled_values_and_escape_them():
    rate = SimpleNamespace(kind="rate")
    linked = estimate_cell(rate, Estimate(0.5, 0.25, 0.75, 8), '/items?q="x"&y=<1>')
    assert linked == '<a href="/items?q=&quot;x&quot;&amp;y=&lt;1&gt;">50.0% [25.0%–75.0%]</a>'
    assert estimate_cell(rate, wilson_interval(0, 0), "/items") == "–"
    flag = SimpleNamespace(kind="flag")
    assert estimate_cell(flag, True, "") == '<span class="alert-flag">drop</span>'


def test_changes_in_points_and_p_values():
    diff = two_proportion_test(2, 20, 10, 20)
    assert points(diff) == "+40.0 pp [+11.6 – +61.3]"
    assert points(two_proportion_test(1, 2, 0, 0)) == "–" and points(None) == "–"
    assert p_value(0.0001) == "< 0.001" and p_value(0.25) == "0.250"
    assert p_value(None) == "–" and p_value(NAN) == "–"


def test_the_library_loads_in_a_template():
    html = Template("{% load estimates %}{{ rate|pct }} {{ diff|points }} {{ p|p_value }}").render(
        Context({"rate": Estimate(0.1, 0.05, 0.2, 50), "diff": None, "p": 0.5})
    )
    assert html == "10.0% [5.0%–20.0%] – 0.500"
